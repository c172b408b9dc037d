//! Pré-inscription: the families' journey over HTTP, places and the waiting list under
//! concurrent requests, the reception's pages and who may see them.

use base64::Engine;
use csc_core::Role;
use csc_testkit::{eventually, location, spawn_app_with, SmtpSink, TestApp, TestClient};
use reqwest::StatusCode;

use crate::helpers::{link_in, world, PASSWORD};

/// Les Copains d'abord (Saffré), 2025: QF bands, non-residents +2 €, family membership 22 €.
const GRID: &str =
    include_str!("../../../../crates/pricing/tests/grids/saffre-les-copains-dabord-2025.json");

/// A date `days` from today, as a date field sends it.
fn in_days(days: i64) -> String {
    (csc_core::time::today_paris() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The referent of `centre` imports the grid and opens an activity of one day (in 10 days)
/// for children of 3 to 11, `capacity` places; returns (activity id, day).
async fn open_activity(
    app: &TestApp,
    referent: &str,
    centre: i64,
    capacity: &str,
) -> (i64, String) {
    let c = app.new_client();
    c.login_ok(referent, PASSWORD).await;
    let res = c
        .post_form(
            &format!("/preinscription/gestion/{centre}/grilles"),
            &[("name", "Saffré 2025"), ("spec", GRID)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let grid_id = app
        .db
        .run(move |c| Ok(csc_preinscription::grids::of_centre(c, centre)?[0].id))
        .await
        .unwrap()
        .to_string();
    let day = in_days(10);
    let res = c
        .post_form(
            &format!("/preinscription/gestion/{centre}/activites"),
            &[
                ("title", "Mercredi récréatif"),
                ("kind", "mercredis"),
                ("grid_id", &grid_id),
                ("unit_journee", "on"),
                ("unit_demi_journee_repas", "on"),
                ("start", &day),
                ("end", &day),
                ("wd_1", "on"),
                ("wd_2", "on"),
                ("wd_3", "on"),
                ("wd_4", "on"),
                ("wd_5", "on"),
                ("wd_6", "on"),
                ("wd_7", "on"),
                ("resident_postcodes", "59000"),
                ("g1_label", "Enfants"),
                ("g1_age_min", "3"),
                ("g1_age_max", "11"),
                ("g1_capacity", capacity),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let id = app
        .db
        .run(move |c| Ok(csc_preinscription::activities::of_centre(c, centre, false)?[0].id))
        .await
        .unwrap();
    (id, day)
}

fn household_fields<'a>(email: &'a str, qf: &'a str, child: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("a1_first_name", "Samia"),
        ("a1_last_name", "Benali"),
        ("a1_email", email),
        ("postcode", "59000"),
        ("town", "Lille"),
        ("scheme", "caf"),
        ("qf", qf),
        ("c1_first_name", child),
        ("c1_last_name", "Benali"),
        ("c1_birth_date", "2018-07-14"),
        ("c1_health", "Allergie aux arachides"),
        ("consent_data", "on"),
    ]
}

/// Fills the household form; returns the family page's path.
async fn join(c: &TestClient, email: &str, qf: &str, child: &str) -> String {
    let res = c
        .post_form(
            "/preinscription/c/centre-a/adhesion",
            &household_fields(email, qf, child),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/preinscription/foyer/"), "{to}");
    to
}

/// The id of the only child of a family page's household.
async fn child_of(app: &TestApp, family_path: &str) -> i64 {
    let secret = family_path.rsplit('/').next().unwrap().to_string();
    app.db
        .run(move |c| {
            let h = csc_members::household::by_secret(c, &secret)?;
            Ok(csc_members::household::children(c, h.id)?[0].id)
        })
        .await
        .unwrap()
}

fn pdf_attachment(mail: &str) -> Vec<u8> {
    let start = mail
        .find("Content-Type: application/pdf")
        .expect("a PDF attachment");
    let body_start = start + mail[start..].find("\r\n\r\n").expect("attachment headers") + 4;
    let b64: String = mail[body_start..]
        .lines()
        .take_while(|l| !l.starts_with("--") && !l.trim().is_empty())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .unwrap()
}

#[tokio::test]
async fn parent_without_account_gets_price_mail_with_pdf_and_a_private_link() {
    let smtp = SmtpSink::start();
    let url = smtp.url();
    let app = spawn_app_with(&csc::modules(), |s| s.smtp_url = Some(url.clone())).await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre, Role::Referent)],
    )
    .await;
    let (activity, day) = open_activity(&app, "referent.a@exemple.fr", centre, "10").await;
    let parent = app.new_client();

    // The centre's offer, then the form: errors next to the fields, input kept, 422.
    let page = parent
        .get_text("/preinscription/c/centre-a", StatusCode::OK)
        .await;
    assert!(page.contains("Mercredi récréatif"));
    let mut bad = household_fields("samia@exemple.fr", "-40", "Inès");
    bad.retain(|(k, _)| *k != "consent_data");
    bad.push(("c2_first_name", "Yanis"));
    bad.push(("c2_birth_date", "2090-01-01"));
    let res = parent
        .post_form("/preinscription/c/centre-a/adhesion", &bad)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("un nombre entre 0 et 9999"), "{page}");
    assert!(page.contains("sans votre accord, le centre ne peut pas enregistrer"));
    assert!(page.contains("La date de naissance doit être passée."));
    assert!(page.contains("value=\"Samia\""), "the input is kept");

    let family = join(&parent, "samia@exemple.fr", "825", "Inès").await;
    let mail = eventually(10, "the membership mail", || async {
        smtp.messages()
            .into_iter()
            .find(|m| m.contains("adh=C3=A9sion") || m.contains("adhésion"))
    })
    .await;
    assert_eq!(link_in(&mail, "/preinscription/foyer/"), family);
    let page = parent.get_text(&family, StatusCode::OK).await;
    assert!(page.contains("Inès Benali"));
    assert!(page.contains("quotient familial : 825 €"), "{page}");

    // The price before sending, explained: QF 825 -> Tranche 5 -> 11,30 € the day.
    let child = child_of(&app, &family).await;
    let field = format!("d_{child}_{day}");
    let choice_path = format!("{family}/activite/{activity}");
    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "apercu")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("Le prix de votre demande : 11,30"), "{page}");
    assert!(page.contains("QF 825 -&gt; tranche 751"), "{page}");
    assert!(page.contains("11,30\u{a0}€ la journée"), "{page}");
    assert!(page.contains("Envoyer ma demande"));

    // Unknown unit, a day outside the activity: refused with the choice kept.
    let other_day = format!("d_{child}_{}", in_days(11));
    let res = parent
        .post_form(
            &choice_path,
            &[(other_day.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Ce jour ne fait pas partie de l&#x27;activité."));

    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request_path = location(&res);
    assert!(request_path.starts_with("/preinscription/demande/"));

    // The confirmation mail, with its PDF summary and the private link.
    let mail = eventually(10, "the confirmation mail", || async {
        smtp.messages()
            .into_iter()
            .find(|m| m.contains("application/pdf"))
    })
    .await;
    assert_eq!(link_in(&mail, "/preinscription/demande/"), request_path);
    let text = pdf_extract::extract_text_from_mem(&pdf_attachment(&mail)).unwrap();
    assert!(text.contains("Demande de pré-inscription"), "{text}");
    assert!(text.contains("Inès"), "{text}");
    assert!(text.contains("11,30 €"), "{text}");
    assert!(
        !text.contains("arachides"),
        "the family's copy has no health line"
    );

    // The private link works; a tampered one does not; twice the same day is refused.
    let page = parent.get_text(&request_path, StatusCode::OK).await;
    assert!(page.contains("Place réservée"));
    let mut tampered = request_path.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(parent.get(&tampered).await.status(), StatusCode::NOT_FOUND);
    let res = parent
        .post_form(
            &choice_path,
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Cancelling the whole request: the link is refused from then on.
    let res = parent
        .post_form(&format!("{request_path}/annuler"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        parent.get(&request_path).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn fifty_concurrent_requests_for_ten_places_give_ten_places_and_forty_waiting() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "10").await;
    let mut families = Vec::new();
    for i in 0..50 {
        let c = w.app.new_client();
        let family = join(
            &c,
            &format!("parent{i}@exemple.fr"),
            "500",
            &format!("Enfant{i}"),
        )
        .await;
        let child = child_of(&w.app, &family).await;
        families.push((c, family, child));
    }
    let sends = families.iter().map(|(c, family, child)| {
        let field = format!("d_{child}_{day}");
        let path = format!("{family}/activite/{activity}");
        async move {
            let res = c
                .post_form(&path, &[(field.as_str(), "journee"), ("action", "envoyer")])
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            location(&res)
        }
    });
    let links: Vec<String> = futures_util::future::join_all(sends).await;
    let all = texts(
        &w.app,
        "SELECT state AS value FROM preinscription_lines ORDER BY id",
    )
    .await;
    assert_eq!(all.iter().filter(|s| *s == "place").count(), 10);
    assert_eq!(all.iter().filter(|s| *s == "attente").count(), 40);

    // A family with a place cancels: the first child waiting gets it, and a mail.
    let mut placed = None;
    for l in &links {
        if w.app
            .get_text(l, StatusCode::OK)
            .await
            .contains("Place réservée")
        {
            placed = Some(l.clone());
            break;
        }
    }
    let res = w
        .app
        .post_form(&format!("{}/annuler", placed.unwrap()), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let all = texts(
        &w.app,
        "SELECT state AS value FROM preinscription_lines ORDER BY id",
    )
    .await;
    assert_eq!(all.iter().filter(|s| *s == "place").count(), 10);
    assert_eq!(all.iter().filter(|s| *s == "attente").count(), 39);
    eventually(10, "the freed-place mail", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("Bonne nouvelle"))
    })
    .await;
}

/// The text values of a one-column query (`… AS value`).
async fn texts(app: &TestApp, sql: &'static str) -> Vec<String> {
    app.db
        .run(move |c| {
            use diesel::prelude::*;
            Ok(diesel::sql_query(sql)
                .load::<Value>(c)?
                .into_iter()
                .map(|v| v.value)
                .collect())
        })
        .await
        .unwrap()
}

/// An account of the reception of `centre`: `accueil.a@exemple.fr`.
async fn add_accueil(app: &TestApp, centre: i64) {
    app.create_user(
        "accueil.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre, Role::Accueil)],
    )
    .await;
}

/// The id of the first request sent.
async fn first_request(app: &TestApp) -> String {
    texts(
        app,
        "SELECT CAST(id AS TEXT) AS value FROM preinscription_requests ORDER BY id",
    )
    .await
    .remove(0)
}

#[derive(diesel::QueryableByName)]
struct Value {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

#[tokio::test]
async fn reception_sees_only_its_centre_and_staff_pages_are_refused_to_others() {
    let w = world().await;
    let app = &w.app;
    add_accueil(app, w.centre_a).await;
    app.create_user(
        "anim.a@exemple.fr",
        PASSWORD,
        false,
        &[(w.centre_a, Role::Animateur)],
    )
    .await;
    let (activity, day) = open_activity(app, "referent.a@exemple.fr", w.centre_a, "5").await;
    let parent = app.new_client();
    let family = join(&parent, "samia@exemple.fr", "", "Inès").await;
    let child = child_of(app, &family).await;
    let field = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &format!("{family}/activite/{activity}"),
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let request_id = first_request(app).await;
    let a = w.centre_a;
    let list = format!("/preinscription/gestion/{a}");
    let detail = format!("/preinscription/gestion/{a}/demandes/{request_id}");

    // The reception of A: the list, the request with the health line, the staff PDF, decisions.
    let accueil = app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    assert!(accueil
        .get_text(&list, StatusCode::OK)
        .await
        .contains("Benali Samia"));
    let page = accueil.get_text(&detail, StatusCode::OK).await;
    assert!(page.contains("Allergie aux arachides"));
    let pdf = accueil.get(&format!("{detail}/fiche.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes().await.unwrap()).unwrap();
    assert!(text.contains("arachides"), "{text}");
    // Without QF the grid's rule applies (the highest band of Saffré: 18,20 € or more).
    assert!(!text.contains("11,30"), "{text}");
    let res = accueil
        .post_form(&format!("{detail}/statut"), &[("status", "validee")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(parent
        .get_text(&location_of_request(app).await, StatusCode::OK)
        .await
        .contains("Validée par le centre"));
    // The reception does not set up grids or activities.
    assert_eq!(
        accueil.get(&format!("{list}/grilles")).await.status(),
        StatusCode::FORBIDDEN
    );

    // The referent of B, an animator of A, a resident: no access to A's requests.
    for who in [
        "referent.b@exemple.fr",
        "anim.a@exemple.fr",
        "habitant.a@exemple.fr",
    ] {
        let c = app.new_client();
        c.login_ok(who, PASSWORD).await;
        assert_eq!(c.get(&list).await.status(), StatusCode::FORBIDDEN, "{who}");
        assert_eq!(
            c.get(&detail).await.status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
        let res = c
            .post_form(&format!("{detail}/statut"), &[("status", "refusee")])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
        let res = c
            .post_form(&format!("{list}/grilles"), &[("name", "x"), ("spec", GRID)])
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
    // Anonymous visitors are sent to sign in.
    let anon = app.new_client();
    let res = anon.get(&detail).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(location(&res).starts_with("/connexion"));
    // The referent of B cannot reach A's request through B's pages either.
    let b = app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let res = b
        .get(&format!(
            "/preinscription/gestion/{}/demandes/{request_id}",
            w.centre_b
        ))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The private page of the only request (read from its mail file).
async fn location_of_request(app: &TestApp) -> String {
    let mail = eventually(10, "the confirmation mail", || async {
        app.mail_files()
            .into_iter()
            .find(|m| m.contains("/preinscription/demande/"))
    })
    .await;
    link_in(&mail, "/preinscription/demande/")
}

#[tokio::test]
async fn grids_and_activities_are_checked_with_french_messages() {
    let w = world().await;
    let a = w.centre_a;
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = referent
        .post_form(
            &format!("/preinscription/gestion/{a}/grilles"),
            &[("name", "Essai"), ("spec", "{\"schedules\": [}")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Grille refusée"), "{page}");
    assert!(page.contains("value=\"Essai\""));

    let (_, _) = open_activity(&w.app, "referent.a@exemple.fr", a, "8").await;
    // Export gives back a grid the engine reads.
    let grid_id = w
        .app
        .db
        .run(move |c| Ok(csc_preinscription::grids::of_centre(c, a)?[0].id))
        .await
        .unwrap();
    let res = referent
        .get(&format!("/preinscription/gestion/{a}/grilles/{grid_id}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let json = res.text().await.unwrap();
    assert!(csc_pricing::Grid::from_json(&json).is_ok());

    let res = referent
        .post_form(
            &format!("/preinscription/gestion/{a}/activites"),
            &[
                ("title", ""),
                ("kind", "mercredis"),
                ("grid_id", "999999"),
                ("start", "2020-01-01"),
                ("end", "2020-01-10"),
                ("wd_3", "on"),
                ("g1_label", "Petits"),
                ("g1_age_min", "6"),
                ("g1_age_max", "3"),
                ("g1_capacity", "0"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    for msg in [
        "Indiquez le nom de l&#x27;activité.",
        "Choisissez la grille de tarifs.",
        "Cochez au moins une formule",
        "La date de début est déjà passée.",
        "Indiquez un nombre de places entre 1 et 500.",
    ] {
        assert!(page.contains(msg), "{msg} in {page}");
    }
    assert!(page.contains("value=\"Petits\""));
}

#[tokio::test]
async fn a_child_outside_the_age_groups_is_refused_with_the_reason() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "8").await;
    let parent = w.app.new_client();
    let mut fields = household_fields("nadia@exemple.fr", "700", "Léo");
    fields.retain(|(k, _)| *k != "c1_birth_date");
    fields.push(("c1_birth_date", "2024-03-01"));
    let res = parent
        .post_form("/preinscription/c/centre-a/adhesion", &fields)
        .await;
    let family = location(&res);
    let child = child_of(&w.app, &family).await;
    let page = parent
        .get_text(&format!("{family}/activite/{activity}"), StatusCode::OK)
        .await;
    assert!(
        page.contains("cet accueil reçoit les enfants selon leur âge"),
        "{page}"
    );
    let field = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &format!("{family}/activite/{activity}"),
            &[(field.as_str(), "journee"), ("action", "apercu")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // An unknown activity, or another centre's, is not found.
    assert_eq!(
        parent
            .get(&format!("{family}/activite/999999"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

/// A family of centre A (QF 825) with one day sent for its child; returns (family page, request page).
async fn family_with_request(
    app: &TestApp,
    activity: i64,
    day: &str,
    email: &str,
) -> (String, String) {
    let parent = app.new_client();
    let family = join(&parent, email, "825", "Inès").await;
    let child = child_of(app, &family).await;
    let field = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &format!("{family}/activite/{activity}"),
            &[(field.as_str(), "journee"), ("action", "envoyer")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    (family, location(&res))
}

#[tokio::test]
async fn administrators_export_the_period_as_xlsx_and_csv() {
    use calamine::{Data, Reader};
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;

    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let res = referent
        .get(&format!(
            "/preinscription/gestion/{a}/export?du={day}&au={day}&format=xlsx"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let days = book.worksheet_range("Jours").unwrap();
    let rows: Vec<_> = days.rows().collect();
    assert_eq!(rows.len(), 2, "a header and one day");
    assert_eq!(rows[0][3], Data::String("Prénom".into()));
    assert_eq!(rows[1][3], Data::String("Inès".into()));
    assert_eq!(rows[1][7], Data::String("Enfants".into()));
    assert_eq!(rows[1][9], Data::String("Tranche 5".into()));
    assert_eq!(rows[1][13], Data::Float(11.3));
    let families = book.worksheet_range("Familles").unwrap();
    let total = families.rows().nth(1).unwrap()[8].clone();
    assert_eq!(total, Data::Float(11.3));

    let res = referent
        .get(&format!("/preinscription/gestion/{a}/export?format=csv"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(csv.contains("Benali Samia;Benali;Inès;14/07/2018"), "{csv}");
    assert!(csv.contains(";11,30"), "{csv}");

    // A day before the period gives no row; a bad date is refused in French.
    let res = referent
        .get(&format!(
            "/preinscription/gestion/{a}/export?du=01/01/2020&au=02/01/2020&format=csv"
        ))
        .await;
    assert_eq!(res.text().await.unwrap().lines().count(), 1);
    let res = referent
        .get(&format!(
            "/preinscription/gestion/{a}/export?du=31/02/2020&format=csv"
        ))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("La date de début n&#x27;est pas valide"));

    // The reception and other centres' staff do not export.
    for who in ["accueil.a@exemple.fr", "referent.b@exemple.fr"] {
        let c = w.app.new_client();
        c.login_ok(who, PASSWORD).await;
        let res = c
            .get(&format!("/preinscription/gestion/{a}/export?format=xlsx"))
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn a_family_downloads_its_data_and_deleting_it_frees_its_places() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "1").await;
    let (family, request) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let (_, waiting) = family_with_request(&w.app, activity, &day, "nadia@exemple.fr").await;
    assert!(w
        .app
        .get_text(&waiting, StatusCode::OK)
        .await
        .contains("Liste d&#x27;attente"));

    let res = w.app.get(&format!("{family}/donnees.json")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let data: serde_json::Value = res.json().await.unwrap();
    assert_eq!(data["family"]["children"][0]["first_name"], "Inès");
    assert_eq!(
        data["family"]["children"][0]["health"],
        "Allergie aux arachides"
    );
    assert_eq!(data["requests"][0][1][0]["state"], "place");
    assert!(data["family"]["household"].get("token_hash").is_none());

    // Without the confirmation nothing is deleted.
    let res = w.app.post_form(&format!("{family}/supprimer"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.app.get(&family).await.status(), StatusCode::OK);

    let res = w
        .app
        .post_form(&format!("{family}/supprimer"), &[("confirm", "on")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.app.get(&family).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(w.app.get(&request).await.status(), StatusCode::NOT_FOUND);
    // The place went to the family waiting.
    assert!(w
        .app
        .get_text(&waiting, StatusCode::OK)
        .await
        .contains("Place réservée"));
    let children: i64 = texts(
        &w.app,
        "SELECT CAST(COUNT(*) AS TEXT) AS value FROM members_children",
    )
    .await[0]
        .parse::<i64>()
        .unwrap();
    assert_eq!(children, 1, "only the other family's child is left");

    // The retention job: nothing is old today; 25 months later, everything is.
    let now = csc_core::time::now();
    let kept = w
        .app
        .db
        .run(move |c| csc_preinscription::rgpd::purge(c, now, 24))
        .await
        .unwrap();
    assert_eq!(kept, 0);
    let later = now + chrono::Duration::days(25 * 31);
    let purged = w
        .app
        .db
        .run(move |c| csc_preinscription::rgpd::purge(c, later, 24))
        .await
        .unwrap();
    assert_eq!(purged, 1);
    assert_eq!(w.app.get(&waiting).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_qf_helper_computes_the_caf_way_and_stores_nothing() {
    let app = spawn_app_with(&csc::modules(), |_| {}).await;
    // (30 000 / 12 + 150) / 3 parts = 883,33 -> 883.
    let page = app
        .get_text(
            "/preinscription/calcul-qf?revenus=30+000&prestations=150&enfants=2&handicap=",
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("Votre quotient familial : 883 €"), "{page}");
    assert!(page.contains("3 parts"), "{page}");
    let res = app
        .get("/preinscription/calcul-qf?revenus=-5&enfants=2&handicap=3")
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Le revenu annuel imposable ne peut pas être négatif."),
        "{page}"
    );
    assert!(page.contains("value=\"-5\""), "the input is kept");
}

#[tokio::test]
async fn reception_changes_a_unit_and_wait_lists_a_request_and_families_are_told() {
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "1").await;
    let (_, first) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let (_, second) = family_with_request(&w.app, activity, &day, "nadia@exemple.fr").await;
    let ids = texts(&w.app, "SELECT CAST(request_id AS TEXT) || ':' || CAST(id AS TEXT) AS value FROM preinscription_lines ORDER BY id").await;
    let (request, line) = ids[0].split_once(':').unwrap();
    let detail = format!("/preinscription/gestion/{a}/demandes/{request}");
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;

    // Journée (11,30 €) -> demi-journée avec repas: 8,35 € in the Saffré grid, tranche 5.
    let res = accueil
        .post_form(
            &format!("{detail}/formule"),
            &[("line", line), ("unit", "demi_journee_repas")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = w.app.get_text(&first, StatusCode::OK).await;
    assert!(page.contains("8,35\u{a0}€"), "{page}");
    assert!(page.contains("la demi-journée avec repas"), "{page}");
    // A unit the activity does not offer is refused.
    let res = accueil
        .post_form(
            &format!("{detail}/formule"),
            &[("line", line), ("unit", "semaine")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Wait-listed: its place goes to the family waiting, which gets a mail.
    let res = accueil
        .post_form(&format!("{detail}/liste-attente"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(w
        .app
        .get_text(&second, StatusCode::OK)
        .await
        .contains("Place réservée"));
    assert!(w
        .app
        .get_text(&first, StatusCode::OK)
        .await
        .contains("Liste d&#x27;attente"));
    eventually(
        10,
        "the freed-place mail and one mail per change",
        || async {
            let mails = w.app.mail_files();
            let freed = mails.iter().any(|m| m.contains("Bonne nouvelle"));
            let changes = mails.iter().filter(|m| m.contains("a chang")).count();
            (freed && changes >= 2).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_referent_edits_a_grid_and_sets_how_long_memberships_last() {
    let w = world().await;
    let a = w.centre_a;
    open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    let referent = w.app.new_client();
    referent.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let grid_id = w
        .app
        .db
        .run(move |c| Ok(csc_preinscription::grids::of_centre(c, a)?[0].id))
        .await
        .unwrap();
    let page = referent
        .get_text(
            &format!("/preinscription/gestion/{a}/grilles?modifier={grid_id}"),
            StatusCode::OK,
        )
        .await;
    assert!(page.contains("value=\"Saffré 2025\""), "{page}");
    assert!(page.contains("Tranche 5"), "the grid's JSON is in the form");

    let res = referent
        .post_form(
            &format!("/preinscription/gestion/{a}/duree-adhesion"),
            &[("validity", "douze_mois")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let family = join(&w.app.new_client(), "samia@exemple.fr", "825", "Inès").await;
    let today = csc_core::time::today_paris();
    let (start, end) = csc_members::Validity::TwelveMonths.period(today);
    let page = w.app.get_text(&family, StatusCode::OK).await;
    let expected = format!(
        "du {} au {}",
        start.format("%d/%m/%Y"),
        end.format("%d/%m/%Y")
    );
    assert!(page.contains(&expected), "{expected} in {page}");
    // 22 € for a family of the area (the grid's « famille » fee).
    let fee = texts(
        &w.app,
        "SELECT CAST(fee_cents AS TEXT) AS value FROM members_memberships",
    )
    .await[0]
        .clone();
    assert_eq!(fee, "2200");
    // The reception does not change it.
    add_accueil(&w.app, a).await;
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let res = accueil
        .post_form(
            &format!("/preinscription/gestion/{a}/duree-adhesion"),
            &[("validity", "annee_scolaire")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_account_is_optional_and_finds_the_household_again() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "5").await;
    let (family, request) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let parent = w.app.new_client();

    // The family page offers the account; creating it mails a link to choose a password.
    let page = parent.get_text(&family, StatusCode::OK).await;
    assert!(page.contains("Un compte (facultatif)"));
    let res = parent.post_form(&format!("{family}/compte"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let mail = eventually(10, "the invitation mail", || async {
        w.app
            .mail_files()
            .into_iter()
            .find(|m| m.contains("/mot-de-passe/nouveau?jeton="))
    })
    .await;
    let link = link_in(&mail, "/mot-de-passe/nouveau?jeton=");
    let token = link.split("jeton=").nth(1).unwrap();
    let pw = "une phrase de famille";
    let res = parent
        .post_form(
            "/mot-de-passe/nouveau",
            &[("jeton", token), ("password", pw), ("confirmation", pw)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    parent.login_ok("samia@exemple.fr", pw).await;

    // Signed in, the family opens its household: a new link, the old one no longer works.
    let mine = parent
        .get_text("/preinscription/mes-foyers", StatusCode::OK)
        .await;
    assert!(mine.contains("Centre A — Inès"), "{mine}");
    let hid = texts(
        &w.app,
        "SELECT CAST(id AS TEXT) AS value FROM members_households",
    )
    .await[0]
        .clone();
    let res = parent
        .post_form(&format!("/preinscription/mes-foyers/{hid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let renewed = location(&res);
    assert_ne!(renewed, family);
    assert_eq!(parent.get(&family).await.status(), StatusCode::NOT_FOUND);
    assert!(parent
        .get_text(&renewed, StatusCode::OK)
        .await
        .contains("Inès Benali"));

    // From the household page, a request gets a new link too.
    let rid = first_request(&w.app).await;
    let res = parent
        .post_form(&format!("{renewed}/demandes/{rid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let new_request = location(&res);
    assert!(parent
        .get_text(&new_request, StatusCode::OK)
        .await
        .contains("Place réservée"));
    assert_eq!(parent.get(&request).await.status(), StatusCode::NOT_FOUND);

    // Another account cannot open this household.
    let other = w.app.new_client();
    other.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let res = other
        .post_form(&format!("/preinscription/mes-foyers/{hid}/ouvrir"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A second family with the address of an existing account: not attached unless signed in.
    let (second, _) = family_with_request(&w.app, activity, &day, "habitant.a@exemple.fr").await;
    let anon = w.app.new_client();
    anon.post_form(&format!("{second}/compte"), &[]).await;
    assert!(other
        .get_text("/preinscription/mes-foyers", StatusCode::OK)
        .await
        .contains("Aucun foyer"));
    let res = other.post_form(&format!("{second}/compte"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(other
        .get_text("/preinscription/mes-foyers", StatusCode::OK)
        .await
        .contains("Centre A — Inès"));
}

#[tokio::test]
async fn a_child_of_separated_parents_belongs_to_two_households() {
    use csc_members::household;
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    let (family, _) = family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let child = child_of(&w.app, &family).await;
    // The other parent's household, with the same child.
    let other = join(&w.app.new_client(), "karim@exemple.fr", "1200", "Yanis").await;
    let secret = other.rsplit('/').next().unwrap().to_string();
    let first = family.rsplit('/').next().unwrap().to_string();
    let (h1, h2) = w
        .app
        .db
        .run(move |c| {
            let h1 = household::by_secret(c, &first)?.id;
            let h2 = household::by_secret(c, &secret)?.id;
            household::link_child(c, h2, child)?;
            Ok((h1, h2))
        })
        .await
        .unwrap();
    let page = w.app.get_text(&other, StatusCode::OK).await;
    assert!(
        page.contains("Inès Benali") && page.contains("Yanis Benali"),
        "{page}"
    );
    // Deleting one household keeps the child for the other; deleting both removes it.
    let left = w
        .app
        .db
        .run(move |c| {
            csc_preinscription::rgpd::erase(c, h1)?;
            let after_first = household::households_of_child(c, child)?;
            csc_preinscription::rgpd::erase(c, h2)?;
            Ok((after_first, household::households_of_child(c, child)?))
        })
        .await
        .unwrap();
    assert_eq!(left.0, vec![h2]);
    assert!(left.1.is_empty());
}

#[tokio::test]
async fn the_reception_records_the_qf_proof() {
    let w = world().await;
    let a = w.centre_a;
    add_accueil(&w.app, a).await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", a, "5").await;
    family_with_request(&w.app, activity, &day, "samia@exemple.fr").await;
    let rid = first_request(&w.app).await;
    let detail = format!("/preinscription/gestion/{a}/demandes/{rid}");
    let accueil = w.app.new_client();
    accueil.login_ok("accueil.a@exemple.fr", PASSWORD).await;
    let res = accueil
        .post_form(
            &format!("{detail}/justificatif-qf"),
            &[("proof", "verifie")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = accueil.get_text(&detail, StatusCode::OK).await;
    assert!(
        page.contains("<option value=\"verifie\" selected>"),
        "{page}"
    );
    let res = accueil
        .post_form(
            &format!("{detail}/justificatif-qf"),
            &[("proof", "peut-etre")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let b = w.app.new_client();
    b.login_ok("referent.b@exemple.fr", PASSWORD).await;
    let res = b
        .post_form(&format!("{detail}/justificatif-qf"), &[("proof", "fourni")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_day_already_past_is_refused_with_the_choices_kept() {
    let w = world().await;
    let (activity, day) = open_activity(&w.app, "referent.a@exemple.fr", w.centre_a, "5").await;
    // The activity also opened yesterday (it started before today).
    let yesterday = in_days(-1);
    let days = format!("{yesterday},{day}");
    w.app
        .db
        .run(move |c| {
            use diesel::prelude::*;
            diesel::sql_query(format!(
                "UPDATE preinscription_activities SET days = '{days}' WHERE id = {activity}"
            ))
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    let parent = w.app.new_client();
    let family = join(&parent, "samia@exemple.fr", "825", "Inès").await;
    let child = child_of(&w.app, &family).await;
    let path = format!("{family}/activite/{activity}");
    let page = parent.get_text(&path, StatusCode::OK).await;
    assert!(page.contains("Passé"), "the past day offers no choice");
    let past = format!("d_{child}_{yesterday}");
    let future = format!("d_{child}_{day}");
    let res = parent
        .post_form(
            &path,
            &[
                (past.as_str(), "journee"),
                (future.as_str(), "demi_journee_repas"),
                ("action", "envoyer"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("Ce jour est déjà passé"), "{page}");
    assert!(
        page.contains("<option value=\"demi_journee_repas\" selected>"),
        "the other choice is kept"
    );
}
