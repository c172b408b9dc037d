//! Pré-inscription: the families' journey over HTTP, places and the waiting list under
//! concurrent requests, the reception's pages and who may see them.

use base64::Engine;
use csc_core::Role;
use csc_preinscription::MOUNT;
use csc_testkit::{eventually, location, spawn_app_with, SmtpSink, TestApp, TestClient};
use reqwest::StatusCode;

use crate::helpers::{link_in, preinscription, world, PASSWORD};

mod family;
mod places;
mod rgpd;
mod staff;

/// Les Copains d'abord (Saffré), 2025: QF bands, non-residents +2 €, family membership 22 €.
pub(super) const GRID: &str =
    include_str!("../../../../../crates/pricing/tests/grids/saffre-les-copains-dabord-2025.json");

/// A date `days` from today, as a date field sends it.
pub(super) fn in_days(days: i64) -> String {
    (csc_core::time::today_paris() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// The referent of `centre` imports the grid and opens an activity of one day (in 10 days)
/// for children of 3 to 11, `capacity` places; returns (activity id, day).
pub(super) async fn open_activity(
    app: &TestApp,
    referent: &str,
    centre: i64,
    capacity: &str,
) -> (i64, String) {
    let c = app.new_client();
    c.login_ok(referent, PASSWORD).await;
    let res = c
        .post_form(
            &format!("{MOUNT}/gestion/{centre}/grilles"),
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
            &format!("{MOUNT}/gestion/{centre}/activites"),
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

pub(super) fn household_fields<'a>(
    email: &'a str,
    qf: &'a str,
    child: &'a str,
) -> Vec<(&'a str, &'a str)> {
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
pub(super) async fn join(c: &TestClient, email: &str, qf: &str, child: &str) -> String {
    let res = c
        .post_form(
            &preinscription("/c/centre-a/adhesion"),
            &household_fields(email, qf, child),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with(&preinscription("/foyer/")), "{to}");
    to
}

/// The id of the only child of a family page's household.
pub(super) async fn child_of(app: &TestApp, family_path: &str) -> i64 {
    let secret = family_path.rsplit('/').next().unwrap().to_string();
    app.db
        .run(move |c| {
            let h = csc_members::household::by_secret(c, &secret)?;
            Ok(csc_members::household::children(c, h.id)?[0].id)
        })
        .await
        .unwrap()
}

pub(super) fn pdf_attachment(mail: &str) -> Vec<u8> {
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

/// The text values of a one-column query (`… AS value`).
pub(super) async fn texts(app: &TestApp, sql: &'static str) -> Vec<String> {
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
pub(super) async fn add_accueil(app: &TestApp, centre: i64) {
    app.create_user(
        "accueil.a@exemple.fr",
        PASSWORD,
        false,
        &[(centre, Role::Accueil)],
    )
    .await;
}

/// The id of the first request sent.
pub(super) async fn first_request(app: &TestApp) -> String {
    texts(
        app,
        "SELECT CAST(id AS TEXT) AS value FROM preinscription_requests ORDER BY id",
    )
    .await
    .remove(0)
}

#[derive(diesel::QueryableByName)]
pub(super) struct Value {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// The private page of the only request (read from its mail file).
pub(super) async fn location_of_request(app: &TestApp) -> String {
    let mail = eventually(10, "the confirmation mail", || async {
        app.mail_files()
            .into_iter()
            .find(|m| m.contains(&preinscription("/demande/")))
    })
    .await;
    link_in(&mail, &preinscription("/demande/"))
}

/// A family of centre A (QF 825) with one day sent for its child; returns (family page, request page).
pub(super) async fn family_with_request(
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
