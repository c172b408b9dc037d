//! `csc encadrement`, run as the real binary: worked examples of each branch of the staffing
//! rules (extrascolaire / périscolaire, 5 hours or less / more, PEDT, mixed ages, quotas, the
//! director), the JSON for other tools, and French errors with exit code 1.

use serde_json::{json, Value};

use crate::cli::{csc, fails};

/// `csc encadrement <args…> --json`, which must succeed; its one JSON object.
fn staffing(args: &[&str]) -> Value {
    let mut all = vec!["encadrement"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = csc(&all);
    assert_eq!(run.code, Some(0), "{all:?}\n{}", run.stderr);
    serde_json::from_str(run.stdout.trim()).expect("one JSON object")
}

fn day(date: &str, start: &str, end: &str, under_six: &str, six_plus: &str) -> Vec<String> {
    [
        "--date",
        date,
        "--debut",
        start,
        "--fin",
        end,
        "--moins-de-6",
        under_six,
        "--plus-de-6",
        six_plus,
    ]
    .map(String::from)
    .to_vec()
}

fn run(args: Vec<String>, extra: &[&str]) -> Value {
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.extend_from_slice(extra);
    staffing(&all)
}

#[test]
fn the_summer_day_of_the_issue_with_its_team() {
    let v = run(
        day("2025-07-15", "08:00", "18:00", "20", "28"),
        &["--equipe", "bafa,bafa,stagiaire,non-qualifie,fonctionnaire"],
    );
    assert_eq!(
        v,
        json!({"periode": "extrascolaire", "taux": [8, 12], "requis": 5, "qualifies_min": 3,
               "non_qualifies_max": 1, "directeur_compte": false, "conforme": true, "raisons": []})
    );
    // Without a team, `conforme` is null.
    let v = run(day("2025-07-15", "08:00", "18:00", "20", "28"), &[]);
    assert_eq!(v["conforme"], Value::Null);
}

#[test]
fn periscolaire_wednesday_short_and_long_with_and_without_pedt() {
    // Wednesday 11 March 2026, in term. 10 under 6 and 40 aged 6 or more.
    let short = day("2026-03-11", "13:30", "18:30", "10", "40");
    let long = day("2026-03-11", "08:00", "18:00", "10", "40");
    let v = run(short.clone(), &[]);
    assert_eq!(
        (
            v["periode"].as_str(),
            v["taux"].clone(),
            v["requis"].as_u64()
        ),
        (Some("periscolaire"), json!([10, 14]), Some(4))
    );
    let v = run(short, &["--pedt"]);
    assert_eq!(
        (v["taux"].clone(), v["requis"].as_u64()),
        (json!([14, 18]), Some(3))
    );
    let v = run(long.clone(), &[]);
    assert_eq!(
        (v["taux"].clone(), v["requis"].as_u64()),
        (json!([8, 12]), Some(5))
    );
    let v = run(long, &["--pedt"]);
    assert_eq!(
        (v["taux"].clone(), v["requis"].as_u64()),
        (json!([10, 14]), Some(4))
    );
}

#[test]
fn a_pedt_changes_nothing_in_the_holidays_and_sundays_are_extrascolaire() {
    let v = run(day("2026-02-18", "09:00", "12:00", "8", "12"), &["--pedt"]);
    assert_eq!(
        (
            v["periode"].as_str(),
            v["taux"].clone(),
            v["requis"].as_u64()
        ),
        (Some("extrascolaire"), json!([8, 12]), Some(2))
    );
    let v = run(day("2026-03-15", "09:00", "12:00", "8", "12"), &[]);
    assert_eq!(v["periode"], "extrascolaire");
}

#[test]
fn quotas_and_reasons_when_the_team_falls_short() {
    // 100 aged 6+ in the summer: 100/12 → 9 required, 5 qualified, 1 unqualified at most.
    let v = run(
        day("2025-07-15", "08:00", "18:00", "0", "100"),
        &[
            "--equipe",
            "bafa,bafa,bafa,bafa,stagiaire,stagiaire,non-qualifie,non-qualifie,non-qualifie",
        ],
    );
    assert_eq!(
        (
            v["requis"].as_u64(),
            v["qualifies_min"].as_u64(),
            v["non_qualifies_max"].as_u64()
        ),
        (Some(9), Some(5), Some(1))
    );
    assert_eq!(v["conforme"], false);
    let reasons: Vec<&str> = v["raisons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].starts_with("il manque 1 qualifié·e"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("trop de non-qualifié·e·s : 3"),
        "{reasons:?}"
    );
    // 3 or 4 required: one unqualified allowed.
    let v = run(
        day("2025-07-15", "08:00", "18:00", "0", "36"),
        &["--equipe", "bafa,bafa,non-qualifie"],
    );
    assert_eq!(
        (
            v["requis"].as_u64(),
            v["non_qualifies_max"].as_u64(),
            v["conforme"].as_bool()
        ),
        (Some(3), Some(1), Some(true))
    );
    // 2 required: no unqualified one counts.
    let v = run(
        day("2025-07-15", "08:00", "18:00", "0", "24"),
        &["--equipe", "bafa,non-qualifie"],
    );
    assert_eq!(
        (v["requis"].as_u64(), v["conforme"].as_bool()),
        (Some(2), Some(false))
    );
}

#[test]
fn the_director_counts_with_fifty_minors_or_fewer() {
    let team = [
        "--equipe",
        "bafa,bafa,stagiaire,stagiaire",
        "--directeur-compte",
    ];
    // 20 + 30 = 50: required 5, the director is the fifth.
    let v = run(day("2025-07-15", "08:00", "18:00", "20", "30"), &team);
    assert_eq!(
        (
            v["requis"].as_u64(),
            v["directeur_compte"].as_bool(),
            v["conforme"].as_bool()
        ),
        (Some(5), Some(true), Some(true))
    );
    // 51: the director no longer counts, and the reasons say so.
    let v = run(day("2025-07-15", "08:00", "18:00", "21", "30"), &team);
    assert_eq!(
        (v["directeur_compte"].as_bool(), v["conforme"].as_bool()),
        (Some(false), Some(false))
    );
    assert!(v["raisons"][0]
        .as_str()
        .unwrap()
        .starts_with("le directeur ou la directrice ne compte pas"));
}

#[test]
fn text_output_explains_the_day() {
    let mut all = vec!["encadrement"];
    let args = day("15/07/2025", "8h", "18:00", "20", "28");
    all.extend(args.iter().map(String::as_str));
    all.extend([
        "--equipe",
        "bafa,bafa,non-qualifie,non-qualifie,non-qualifie",
    ]);
    let out = csc(&all);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.starts_with("Mardi 15 juillet 2025 de 08:00 à 18:00 (10 h) : accueil extrascolaire (vacances d'été)."), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("Encadrement requis : 5 (⌈20/8 + 28/12⌉)."),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Équipe non conforme :\n- il manque 1 qualifié·e"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_input_gets_a_french_message_and_exit_code_1() {
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "--date",
                "2025-13-01",
                "--debut",
                "08:00",
                "--fin",
                "18:00",
                "--moins-de-6",
                "1",
                "--plus-de-6",
                "1",
            ],
            "date « 2025-13-01 » non reconnue",
        ),
        (
            &[
                "--date",
                "2025-07-15",
                "--debut",
                "18:00",
                "--fin",
                "08:00",
                "--moins-de-6",
                "1",
                "--plus-de-6",
                "1",
            ],
            "l'heure de fin (08:00) doit venir après l'heure de début (18:00)",
        ),
        (
            &[
                "--date",
                "2025-07-15",
                "--debut",
                "25:00",
                "--fin",
                "18:00",
                "--moins-de-6",
                "1",
                "--plus-de-6",
                "1",
            ],
            "--debut « 25:00 » n'est pas une heure",
        ),
        (
            &[
                "--date",
                "2025-07-15",
                "--debut",
                "08:00",
                "--fin",
                "18:00",
                "--moins-de-6",
                "-3",
                "--plus-de-6",
                "1",
            ],
            "--moins-de-6 « -3 »",
        ),
        (
            &[
                "--date",
                "2025-07-15",
                "--debut",
                "08:00",
                "--fin",
                "18:00",
                "--plus-de-6",
                "1",
            ],
            "indiquez --moins-de-6",
        ),
        (
            &[
                "--date",
                "2025-07-15",
                "--debut",
                "08:00",
                "--fin",
                "18:00",
                "--moins-de-6",
                "1",
                "--plus-de-6",
                "1",
                "--equipe",
                "bafa,animateur",
            ],
            "membre de l'équipe « animateur » inconnu",
        ),
        (
            &[
                "--date",
                "2031-03-12",
                "--debut",
                "08:00",
                "--fin",
                "18:00",
                "--moins-de-6",
                "1",
                "--plus-de-6",
                "1",
            ],
            "les vacances scolaires du 12/03/2031 ne sont pas connues",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["encadrement"];
        all.extend_from_slice(args);
        let err = fails(&all);
        assert!(err.starts_with("Erreur : "), "{err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}
