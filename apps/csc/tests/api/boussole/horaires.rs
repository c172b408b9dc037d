//! `csc horaires`, run as the real binary: open or closed at a moment, the next change, the
//! JSON for other tools, and French errors with exit code 1.

use serde_json::{json, Value};

use crate::cli::{csc, fails};

fn json_of(hours: &str, date: &str) -> Value {
    let run = csc(&["horaires", "--horaires", hours, "--date", date, "--json"]);
    assert_eq!(run.code, Some(0), "{hours} {date}\n{}", run.stderr);
    serde_json::from_str(run.stdout.trim()).expect("one JSON object")
}

const SPLIT: &str = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off";

#[test]
fn ascension_thursday_is_closed_until_friday_morning() {
    assert_eq!(
        json_of("Mo-Fr 09:00-12:00; PH off", "2026-05-14T10:00"),
        json!({"ouvert": false, "prochain_changement": "2026-05-15T09:00"})
    );
    let run = csc(&[
        "horaires",
        "--horaires",
        "Mo-Fr 09:00-12:00; PH off",
        "--date",
        "2026-05-14T10:00",
    ]);
    assert_eq!(run.code, Some(0));
    assert_eq!(
        run.stdout,
        "fermé\nprochain changement : 2026-05-15T09:00 (ouvre le vendredi 15/05/2026 à 9 h 00)\n"
    );
}

#[test]
fn eleven_november_split_days_and_the_closing_minute() {
    assert_eq!(
        json_of(SPLIT, "2026-11-11T10:00"),
        json!({"ouvert": false, "prochain_changement": "2026-11-12T09:00"})
    );
    assert_eq!(
        json_of(SPLIT, "2026-11-12T11:59"),
        json!({"ouvert": true, "prochain_changement": "2026-11-12T12:00"})
    );
    assert_eq!(
        json_of(SPLIT, "2026-11-12T12:00"),
        json!({"ouvert": false, "prochain_changement": "2026-11-12T14:00"})
    );
    assert_eq!(
        json_of(SPLIT, "2026-11-14T12:00"),
        json!({"ouvert": false, "prochain_changement": "2026-11-16T09:00"})
    );
    let run = csc(&[
        "horaires",
        "--horaires",
        SPLIT,
        "--date",
        "2026-11-12T15:00",
    ]);
    assert_eq!(
        run.stdout,
        "ouvert\nprochain changement : 2026-11-12T17:30 (ferme le jeudi 12/11/2026 à 17 h 30)\n"
    );
}

#[test]
fn never_changing_hours_have_no_next_change() {
    assert_eq!(
        json_of("24/7", "2026-05-14T03:00"),
        json!({"ouvert": true, "prochain_changement": null})
    );
    assert_eq!(
        json_of("off", "2026-05-14T03:00"),
        json!({"ouvert": false, "prochain_changement": null})
    );
}

#[test]
fn bad_hours_and_dates_are_french_errors() {
    let e = fails(&[
        "horaires",
        "--horaires",
        "Mo-Fr 9h-12h",
        "--date",
        "2026-05-14T10:00",
    ]);
    assert!(e.starts_with("Erreur : horaires non reconnus"), "{e}");
    let e = fails(&[
        "horaires",
        "--horaires",
        "Lu-Ve 09:00-12:00",
        "--date",
        "2026-05-14T10:00",
        "--json",
    ]);
    assert!(e.contains("« Lu »"), "{e}");
    let e = fails(&[
        "horaires",
        "--horaires",
        "Mo-Fr 09:00-12:00",
        "--date",
        "14 mai",
    ]);
    assert!(e.contains("date « 14 mai » non reconnue"), "{e}");
    let e = fails(&["horaires", "--date", "2026-05-14T10:00"]);
    assert!(e.contains("indiquez --horaires"), "{e}");
}
