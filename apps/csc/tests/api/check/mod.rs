//! Check: the monthly report and the import through the real `csc` binary and through the web,
//! the roll call (taps, undo, family visit, newcomer, QR card, LAEP tally) and its access rules.
//! The worked example is computed by hand in the comments of `FILE`.

use std::process::Command;

use csc_core::Role;
use csc_testkit::TestApp;
use reqwest::StatusCode;

use crate::helpers::{scalar, world, PASSWORD};

/// A ludothèque's March 2025, with one February visit of the Martin family.
///
/// Public sessions: 05/03 « Jeux » 14:00–17:00 (3 h) and 12/03 « Jeux » 14:00–16:30 (2,5 h);
/// one session reserved to a crèche on 18/03 (1,5 h, 2 children). Passages: 05/03 Élodie,
/// Léa, Samira, Yanis; 12/03 Élodie, Léa (Tom absent: not counted) = 6, 3 adults, 3 children.
/// Family visits: Martin and Benali on 05/03, Martin on 12/03 = 3, so 1,50 per session.
/// Families: Martin (seen in February: not new) and Benali (new). Léa, born 10/03/2022, is 2
/// on her first visit of the month (05/03): « <3 », though 3 on 12/03; Yanis, born « 2019 »
/// (read 01/01/2019), is 6: « 6-11 ». Child passages under 6: Léa twice; 6 or more: Yanis.
/// Line 12 is line 3 again in other case and accents: a duplicate.
pub const FILE: &str = "date;debut;fin;seance;famille;nom;prenom;naissance;role;etat
2025-02-26;14:00;17:00;Jeux;Martin;Martin;Élodie;;adulte;present
2025-03-05;14:00;17:00;Jeux;Martin;Martin;Élodie;;adulte;present
2025-03-05;14:00;17:00;Jeux;Martin;Martin;Léa;2022-03-10;enfant;present
2025-03-05;14:00;17:00;Jeux;Benali;Benali;Samira;;adulte;present
2025-03-05;14:00;17:00;Jeux;Benali;Benali;Yanis;2019;enfant;present
12/03/2025;14:00;16:30;Jeux;martin ;MARTIN;elodie;;adulte;present
12/03/2025;14:00;16:30;Jeux;Martin;Martin;Léa;2022-03-10;enfant;present
2025-03-12;14:00;16:30;Jeux;Martin;Martin;Tom;2019-03-20;enfant;absent_justifie
2025-03-18;09:30;11:00;Crèche Les Lucioles (groupe);Lucioles;L.;Noé;2023;enfant;present
2025-03-18;09:30;11:00;Crèche Les Lucioles (groupe);Lucioles;L.;Jade;2023;enfant;present
2025-03-05;14:00;17:00;JEUX;Martin;martin;ELODIE;;Adulte;présent
";

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real `csc` binary on the app's database.
pub fn csc(app: &TestApp, args: &[&str]) -> Run {
    let data = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_csc"))
        .args(args)
        .env_remove("CSC_CONFIG")
        .env("DATABASE_URL", app.test_db.url())
        .env("DATA_DIR", data.path())
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p.display().to_string()
}

fn import_json(app: &TestApp, file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "check",
        "import",
        "--centre",
        "centre-a",
        "--activite",
        "Ludothèque",
        "--fichier",
        file,
        "--json",
    ];
    args.extend_from_slice(extra);
    let run = csc(app, &args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} / {}", run.stdout, run.stderr))
}

fn rapport(app: &TestApp, month: &str) -> serde_json::Value {
    let run = csc(
        app,
        &[
            "check",
            "rapport",
            "--centre",
            "centre-a",
            "--activite",
            "ludotheque",
            "--mois",
            month,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, Some(0), "{} {}", run.stdout, run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[tokio::test]
async fn import_dry_run_confirm_reimport_report_and_undo_through_the_binary() {
    let w = world().await;
    let app = &w.app;
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "ludo.csv", FILE.as_bytes());

    // Dry run: nothing written, not even the activity.
    let dry = import_json(app, &file, &["--essai"]);
    assert_eq!(dry["a_creer"], 10);
    assert_eq!(dry["doublons"], 1);
    assert_eq!(dry["erreurs"], serde_json::json!([]));
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM activities").await, 0);

    // The import creates the activity with the file's sessions.
    let done = import_json(app, &file, &[]);
    assert_eq!(done["a_creer"], 10);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM check_attendance").await,
        10
    );
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM activity_sessions").await,
        4
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM check_people").await, 7);

    // Again: nothing new.
    let again = import_json(app, &file, &[]);
    assert_eq!(again["a_creer"], 0);
    assert_eq!(again["doublons"], 11);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM check_attendance").await,
        10
    );

    let r = rapport(app, "2025-03");
    let expect = serde_json::json!({
        "seances_publiques": 2, "heures_publiques": 5.5, "seances_groupes": 1,
        "heures_groupes": 1.5, "passages_groupes": 2, "passages": 6, "passages_adultes": 3,
        "passages_enfants": 3, "visites_familles": 3, "familles_par_seance": 1.5,
        "familles_distinctes": 2, "familles_nouvelles": 1, "personnes_distinctes": 4,
        "adultes_distincts": 2, "enfants_distincts": 2,
        "enfants_par_age": {"<3": 1, "3-5": 0, "6-11": 1, "12-17": 0},
        "passages_enfants_moins_6": 2, "passages_enfants_6_plus": 1,
    });
    for (k, v) in expect.as_object().unwrap() {
        assert_eq!(&r[k], v, "{k}");
    }
    // February: the Martin family's first visit ever, so new.
    let feb = rapport(app, "2025-02");
    assert_eq!(feb["familles_nouvelles"], 1);
    assert_eq!(feb["passages"], 1);

    // Text and CSV carry the rule under each figure.
    let text = csc(
        app,
        &[
            "check",
            "rapport",
            "--centre",
            "centre-a",
            "--activite",
            "Ludothèque",
            "--mois",
            "2025-03",
        ],
    );
    assert!(
        text.stdout.contains("Familles par séance : 1,50"),
        "{}",
        text.stdout
    );
    assert!(text
        .stdout
        .contains("Visites de familles divisées par le nombre de séances publiques"));
    let csv = csc(
        app,
        &[
            "check",
            "rapport",
            "--centre",
            "centre-a",
            "--activite",
            "Ludothèque",
            "--mois",
            "2025-03",
            "--format",
            "csv",
        ],
    );
    assert!(csv.stdout.contains("Règle de calcul"));

    // Undo the whole import: the activity it created goes too.
    let id = scalar(app, "SELECT MIN(id) FROM check_imports").await;
    let other = w.centre_b;
    let refused = app
        .db
        .write(move |c| csc_check::import::undo(c, other, id).map(|_| ()))
        .await;
    assert!(refused.is_err(), "another centre cannot undo it");
    let centre = w.centre_a;
    app.db
        .write(move |c| csc_check::import::undo(c, centre, id).map(|_| ()))
        .await
        .unwrap();
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM check_attendance").await,
        0
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM activities").await, 0);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM check_people").await, 0);
}

#[tokio::test]
async fn bad_files_are_refused_line_by_line_and_nothing_is_half_written() {
    let w = world().await;
    let app = &w.app;
    let dir = tempfile::tempdir().unwrap();
    // Windows-1252 with commas: accepted.
    let cp1252 = encoding_rs::WINDOWS_1252
        .encode(&FILE.replace(';', ","))
        .0
        .into_owned();
    let file = write(&dir, "excel.csv", &cp1252);
    let dry = import_json(app, &file, &["--essai"]);
    assert_eq!(dry["a_creer"], 10, "{dry}");

    // Tabs: no separator found.
    let tabs = write(&dir, "tabs.csv", FILE.replace(';', "\t").as_bytes());
    let r = import_json(app, &tabs, &["--essai"]);
    assert_eq!(r["erreurs"][0]["ligne"], 1);
    assert!(r["erreurs"][0]["raison"]
        .as_str()
        .unwrap()
        .contains("séparateur"));

    // One impossible date among good lines: listed with its line number, and the import
    // writes nothing (exit status 1).
    let bad = format!("{FILE}\n31/02/2025;14:00;17:00;Jeux;A;A;B;;adulte;present\n");
    let bad = write(&dir, "bad.csv", bad.as_bytes());
    let run = csc(
        app,
        &[
            "check",
            "import",
            "--centre",
            "centre-a",
            "--activite",
            "Ludothèque",
            "--fichier",
            &bad,
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("ligne 14 : date impossible « 31/02/2025 »"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Import refusé"));
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM check_attendance").await,
        0
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM activities").await, 0);

    // An unknown centre is said in French.
    let run = csc(
        app,
        &[
            "check",
            "rapport",
            "--centre",
            "nulle-part",
            "--activite",
            "x",
            "--mois",
            "2025-03",
        ],
    );
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("centre inconnu"), "{}", run.stderr);
}

#[tokio::test]
async fn fifty_thousand_lines_import_in_one_transaction() {
    let w = world().await;
    let app = &w.app;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("date;debut;fin;seance;famille;nom;prenom;naissance;role;etat\n");
    for i in 0..50_000 {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
            + chrono::Duration::days(i64::from(i % 500));
        let fam = i / 500;
        text.push_str(&format!(
            "{day};14:00;17:00;Jeux;F{fam};N{fam};P{};2018;enfant;present\n",
            i % 7
        ));
    }
    let file = write(&dir, "big.csv", text.as_bytes());
    let started = std::time::Instant::now();
    let r = import_json(app, &file, &[]);
    let took = started.elapsed();
    assert_eq!(r["erreurs"], serde_json::json!([]));
    let made = scalar(app, "SELECT COUNT(*) FROM check_attendance").await;
    assert_eq!(made, r["a_creer"].as_i64().unwrap());
    assert!(took.as_secs() < 60, "{took:?}");
}

async fn staff(
    w: &crate::helpers::World,
    email: &str,
    centre: i64,
    role: Role,
) -> csc_testkit::TestClient {
    w.app
        .create_user(email, PASSWORD, false, &[(centre, role)])
        .await;
    let c = w.app.new_client();
    c.login_ok(email, PASSWORD).await;
    c
}

#[tokio::test]
async fn roll_call_taps_undo_family_newcomer_card_and_access() {
    let w = world().await;
    let app = &w.app;
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "ludo.csv", FILE.as_bytes());
    import_json(app, &file, &[]);
    let anim = staff(&w, "anim.a@exemple.fr", w.centre_a, Role::Animateur).await;
    let session = scalar(
        app,
        "SELECT MIN(id) FROM activity_sessions WHERE day = '2025-03-12'",
    )
    .await;
    let activity = scalar(app, "SELECT MIN(id) FROM activities").await;
    let page = format!("/check/equipe/{}/seances/{session}", w.centre_a);
    let body = anim.get_text(&page, StatusCode::OK).await;
    assert!(body.contains("Élodie Martin"));
    assert!(body.contains("Léa M."), "minors by first name and initial");

    // The report page shows the same figures as the binary.
    let report = anim
        .get_text(
            &format!(
                "/check/equipe/{}/activites/{activity}/rapport?mois=2025-03",
                w.centre_a
            ),
            StatusCode::OK,
        )
        .await;
    assert!(
        report.contains("<strong>1,50</strong>"),
        "families per session"
    );
    assert!(report.contains("Visites de familles divisées"));
    for ext in ["csv", "xlsx", "pdf"] {
        let res = anim
            .get(&format!(
                "/check/equipe/{}/activites/{activity}/rapport.{ext}?mois=2025-03",
                w.centre_a
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{ext}");
    }

    // Samira is not marked on 12/03: present, then again (nothing new), then undo.
    let samira = scalar(
        app,
        "SELECT id FROM check_people WHERE first_name = 'Samira'",
    )
    .await
    .to_string();
    let tap = format!("{page}/pointer");
    let res = anim
        .post_form(&tap, &[("person", &samira), ("action", "present")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = anim
        .post_form(&tap, &[("person", &samira), ("action", "present")])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let body = anim.get_text(&page, StatusCode::OK).await;
    assert!(body.contains("Déjà enregistré à"), "{body}");
    assert_eq!(
        scalar(
            app,
            &format!("SELECT COUNT(*) FROM check_attendance WHERE session_id = {session}")
        )
        .await,
        4
    );
    anim.post_form(&tap, &[("person", &samira), ("action", "annuler")])
        .await;
    assert_eq!(
        scalar(
            app,
            &format!("SELECT COUNT(*) FROM check_attendance WHERE session_id = {session}")
        )
        .await,
        3
    );

    // The Benali family in one tap: one visit, both present.
    let benali = scalar(app, "SELECT id FROM check_families WHERE label = 'Benali'")
        .await
        .to_string();
    anim.post_form(&format!("{page}/famille"), &[("family", &benali)])
        .await;
    assert_eq!(scalar(app, &format!("SELECT COUNT(*) FROM check_attendance WHERE session_id = {session} AND family_id = {benali}")).await, 2);

    // QR card: the Martin family already came to this session: « déjà enregistré à … ».
    let token: String = app
        .db
        .run(|c| {
            use diesel::prelude::*;
            Ok(diesel::dsl::sql::<diesel::sql_types::Text>(
                "SELECT card_token FROM check_families WHERE label = 'Martin'",
            )
            .get_result(c)?)
        })
        .await
        .unwrap();
    anim.post_form(&format!("{page}/carte"), &[("code", &token)])
        .await;
    let body = anim.get_text(&page, StatusCode::OK).await;
    assert!(body.contains("Déjà enregistré à"));
    // In another session (05/03 did not have Tom, but the family came): the 18/03 group
    // session has no Martin: the card records their visit there.
    let group = scalar(
        app,
        "SELECT MIN(id) FROM activity_sessions WHERE day = '2025-03-18'",
    )
    .await;
    anim.post_form(
        &format!("/check/equipe/{}/seances/{group}/carte", w.centre_a),
        &[("code", &token)],
    )
    .await;
    assert_eq!(
        scalar(
            app,
            &format!("SELECT COUNT(*) FROM check_attendance WHERE session_id = {group}")
        )
        .await,
        5
    );

    // A newcomer in three fields.
    let res = anim
        .post_form(
            &format!("{page}/nouveau"),
            &[
                ("first_name", "Inès"),
                ("last_name", "D"),
                ("age", "3-5"),
                ("family", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM check_people WHERE first_name = 'Inès' AND age_band = '3-5'"
        )
        .await,
        1
    );
    let res = anim
        .post_form(
            &format!("{page}/nouveau"),
            &[("first_name", ""), ("last_name", "D"), ("age", "vieux")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Centre B's staff, and a resident of A, see nothing of A.
    let other = staff(&w, "anim.b@exemple.fr", w.centre_b, Role::Animateur).await;
    assert_eq!(other.get(&page).await.status(), StatusCode::FORBIDDEN);
    let res = other
        .post_form(&tap, &[("person", &samira), ("action", "present")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let resident = app.new_client();
    resident.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    assert_eq!(resident.get(&page).await.status(), StatusCode::FORBIDDEN);

    // A card of centre A scanned in a session of centre B is refused.
    let b_session = app
        .db
        .write({
            let cb = w.centre_b;
            move |c| {
                let id = csc_activities::create(
                    c,
                    cb,
                    &csc_activities::NewActivity {
                        title: "Ludo B".into(),
                        kind: csc_activities::ActivityKind::Ludotheque,
                        description: String::new(),
                        groups: vec![],
                        days: vec![chrono::NaiveDate::from_ymd_opt(2025, 3, 12).unwrap()],
                        hours: None,
                    },
                )?;
                Ok(csc_activities::sessions(c, id)?[0].id)
            }
        })
        .await
        .unwrap();
    let res = other
        .post_form(
            &format!("/check/equipe/{}/seances/{b_session}/carte", w.centre_b),
            &[("code", &token)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_laep_tally_stores_no_name() {
    let w = world().await;
    let app = &w.app;
    let anim = staff(&w, "anim.a@exemple.fr", w.centre_a, Role::Accueil).await;
    let ca = w.centre_a;
    let session = app
        .db
        .write(move |c| {
            let id = csc_activities::create(
                c,
                ca,
                &csc_activities::NewActivity {
                    title: "LAEP La Parenthèse".into(),
                    kind: csc_activities::ActivityKind::Laep,
                    description: String::new(),
                    groups: vec![],
                    days: vec![chrono::NaiveDate::from_ymd_opt(2025, 3, 7).unwrap()],
                    hours: Some((
                        chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                        chrono::NaiveTime::from_hms_opt(11, 30, 0).unwrap(),
                    )),
                },
            )?;
            Ok(csc_activities::sessions(c, id)?[0].id)
        })
        .await
        .unwrap();
    let url = format!("/check/equipe/{ca}/seances/{session}/compteur");
    for (counter, delta) in [
        ("adultes", "1"),
        ("adultes", "1"),
        ("enfants_moins_3", "1"),
        ("adultes", "-1"),
        ("familles_nouvelles", "1"),
    ] {
        let res = anim
            .post_form(&url, &[("counter", counter), ("delta", delta)])
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM check_people").await, 0);
    assert_eq!(
        scalar(app, "SELECT COUNT(*) FROM check_attendance").await,
        0
    );
    let run = csc(
        app,
        &[
            "check",
            "rapport",
            "--centre",
            "centre-a",
            "--activite",
            "LAEP La Parenthèse",
            "--mois",
            "2025-03",
            "--format",
            "json",
        ],
    );
    let r: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(r["passages"], 2);
    assert_eq!(r["passages_adultes"], 1);
    assert_eq!(r["passages_enfants_moins_6"], 1);
    assert_eq!(r["heures_publiques"], 2.5);
    assert_eq!(r["comptage_anonyme"]["familles_nouvelles"], 1);
}

#[tokio::test]
async fn demo_holds_a_ludotheque_and_an_alsh_and_retention_keeps_the_monthly_figures() {
    let app = csc_testkit::spawn_app(&csc::modules()).await;
    app.db
        .write(|c| csc::demo::load(c, &csc::modules()).map(|_| ()))
        .await
        .unwrap();
    // Twice: nothing doubled.
    app.db
        .write(|c| csc::demo::load(c, &csc::modules()).map(|_| ()))
        .await
        .unwrap();
    let ludo = scalar(
        &app,
        "SELECT COUNT(*) FROM activities WHERE title = 'Ludothèque'",
    )
    .await;
    assert_eq!(ludo, 1);
    let alsh = scalar(
        &app,
        "SELECT COUNT(*) FROM activities WHERE title = 'ALSH Les Castors'",
    )
    .await;
    assert_eq!(alsh, 1);
    let months = scalar(
        &app,
        "SELECT COUNT(DISTINCT substr(CAST(s.day AS TEXT), 1, 7)) FROM check_attendance a \
         JOIN activity_sessions s ON s.id = a.session_id JOIN activities t ON t.id = s.activity_id \
         WHERE t.title = 'Ludothèque'",
    )
    .await;
    assert!(months >= 3, "{months}");

    // Retention: with today three years and a month later, every month is aggregated, then
    // its attendance deleted; the report of a month still answers from its aggregate.
    let activity = scalar(&app, "SELECT id FROM activities WHERE title = 'Ludothèque'").await;
    let month =
        csc_check::report::month_of(csc_core::time::today_paris() - chrono::Duration::days(40));
    let m = month.clone();
    let before = app
        .db
        .run(move |c| csc_check::monthly::monthly(c, activity, &m))
        .await
        .unwrap();
    assert!(before.passages > 0);
    let later = csc_core::time::today_paris() + chrono::Duration::days(365 * 3 + 40);
    let deleted = app
        .db
        .write(move |c| csc_check::retention::purge(c, later))
        .await
        .unwrap();
    assert!(deleted > 0);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM check_attendance").await,
        0
    );
    let m = month.clone();
    let after = app
        .db
        .run(move |c| csc_check::monthly::monthly(c, activity, &m))
        .await
        .unwrap();
    assert_eq!(after.passages, before.passages);
    assert_eq!(after.familles_par_seance, before.familles_par_seance);
}
