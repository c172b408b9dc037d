//! The parents' pages without JavaScript (search, map, list, sheet) and the coordinator's
//! hours form and closures.

use csc_testkit::TestApp;
use reqwest::StatusCode;

use super::lieux::territory;
use crate::helpers::{scalar, PASSWORD};

async fn text(app: &TestApp, path: &str, status: StatusCode) -> String {
    app.get_text(path, status).await
}

#[tokio::test]
async fn a_parent_finds_places_near_59100_on_the_map_and_in_the_list() {
    let app = territory().await;
    let page = text(&app, "/boussole", StatusCode::OK).await;
    assert!(page.contains("<h1>Boussole des parents</h1>"));
    let page = text(
        &app,
        "/boussole?code_postal=59100&rayon=11&age=2",
        StatusCode::OK,
    )
    .await;
    assert!(page.contains("<svg class=\"carte\""), "{page}");
    // Numbered markers and the list in the same order: LAEP (0 km), PMI, RPE.
    let laep = page.find(">LAEP Les Petits Pas</a>").unwrap();
    let pmi = page.find(">PMI de Tourcoing</a>").unwrap();
    let rpe = page.find(">Relais petite enfance de Lille</a>").unwrap();
    assert!(laep < pmi && pmi < rpe);
    assert!(page.contains("<title>1. LAEP Les Petits Pas</title>"));
    assert!(page.contains("<title>3. Relais petite enfance de Lille</title>"));
    assert!(page.contains("à 3,4 km"));
    // The postcode of two communes asks which one.
    let page = text(&app, "/boussole?code_postal=59160", StatusCode::OK).await;
    assert!(
        page.contains("Quelle commune ?")
            && page.contains(">Capinghem</a>")
            && page.contains(">Lille</a>")
    );
    // A bad postcode: the message next to the field, the input kept.
    let page = text(&app, "/boussole?code_postal=5910", StatusCode::BAD_REQUEST).await;
    assert!(
        page.contains("Le code postal « 5910 » n&#x27;est pas valide"),
        "{page}"
    );
    assert!(page.contains("value=\"5910\""));
}

#[tokio::test]
async fn a_place_sheet_shows_its_hours_services_and_coming_closures() {
    let app = territory().await;
    let id = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'laep'").await;
    let page = text(&app, &format!("/boussole/lieux/{id}"), StatusCode::OK).await;
    assert!(page.contains("<h1>LAEP Les Petits Pas</h1>"));
    assert!(page.contains("Accueil enfants-parents"));
    assert!(page.contains("de 0 à 3 ans"));
    assert!(page.contains("9 h 00 – 12 h 00"));
    assert!(page.contains("mis à jour ce mois-ci"));
    let hidden = scalar(
        &app,
        "SELECT id FROM boussole_places WHERE ext_id = 'cache'",
    )
    .await;
    text(
        &app,
        &format!("/boussole/lieux/{hidden}"),
        StatusCode::NOT_FOUND,
    )
    .await;
    text(&app, "/boussole/lieux/abc", StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn the_coordinator_writes_hours_through_the_form_and_adds_a_closure() {
    let app = territory().await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent@exemple.fr",
        PASSWORD,
        false,
        &[(centre, csc_core::Role::Referent)],
    )
    .await;
    app.create_user(
        "habitant@exemple.fr",
        PASSWORD,
        false,
        &[(centre, csc_core::Role::Habitant)],
    )
    .await;
    let id = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'rpe'").await;

    let parent = app.new_client();
    parent.login_ok("habitant@exemple.fr", PASSWORD).await;
    assert_eq!(
        parent.get("/boussole/gestion").await.status(),
        StatusCode::FORBIDDEN
    );

    app.login_ok("referent@exemple.fr", PASSWORD).await;
    let page = text(
        &app,
        &format!("/boussole/gestion/lieux/{id}"),
        StatusCode::OK,
    )
    .await;
    assert!(page.contains("Fermé les jours fériés"));
    let mut fields: Vec<(String, String)> = Vec::new();
    for d in 0..5 {
        fields.push((format!("j{d}_a_debut"), "9h".into()));
        fields.push((format!("j{d}_a_fin"), "12:00".into()));
        fields.push((format!("j{d}_b_debut"), "14:00".into()));
        fields.push((format!("j{d}_b_fin"), "17h30".into()));
    }
    fields.push(("j5_a_debut".into(), "09:00".into()));
    fields.push(("j5_a_fin".into(), "12:00".into()));
    fields.push(("feries".into(), "ferme".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let res = app
        .post_form(&format!("/boussole/gestion/lieux/{id}/horaires"), &refs)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let stored: String = app
        .db
        .run(move |c| {
            use diesel::prelude::*;
            Ok(diesel::sql_query(format!(
                "SELECT hours AS v FROM boussole_places WHERE id = {id}"
            ))
            .get_result::<Text>(c)?
            .v)
        })
        .await
        .unwrap();
    assert_eq!(
        stored,
        "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
    );

    // A bad range is named, the input kept.
    let res = app
        .post_form(
            &format!("/boussole/gestion/lieux/{id}/horaires"),
            &[("j0_a_debut", "12:00"), ("j0_a_fin", "09:00")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("lundi : la première plage doit finir après son début"));

    // A closure ending before it starts is refused; a good one is saved.
    let res = app
        .post_form(
            &format!("/boussole/gestion/lieux/{id}/fermetures"),
            &[("debut", "10/06/2030"), ("fin", "01/06/2030")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Le dernier jour de fermeture est avant le premier."));
    let res = app
        .post_form(
            &format!("/boussole/gestion/lieux/{id}/fermetures"),
            &[
                ("debut", "01/06/2030"),
                ("fin", "05/06/2030"),
                ("motif", "Travaux"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_closures").await,
        1
    );
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

#[tokio::test]
async fn the_demo_holds_sixty_places_across_the_metropolis() {
    let app = csc_testkit::spawn_app(&csc::modules()).await;
    let modules = csc::modules();
    app.db
        .write(move |c| csc::demo::load(c, &modules).map(|_| ()))
        .await
        .unwrap();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_places WHERE published").await,
        60
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(DISTINCT commune_code) FROM boussole_places"
        )
        .await,
        20
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_services").await,
        60
    );
    // Loading it again adds nothing.
    let modules = csc::modules();
    app.db
        .write(move |c| csc::demo::load(c, &modules).map(|_| ()))
        .await
        .unwrap();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_places").await,
        60
    );
    let page = app
        .get_text("/boussole?code_postal=59100&rayon=3", StatusCode::OK)
        .await;
    assert!(page.contains("Roubaix"));
}

#[tokio::test]
async fn the_coordinator_publishes_a_weekly_workshop_in_the_agenda() {
    let app = territory().await;
    let centre = app.create_centre("centre-a", "Centre A").await;
    app.create_user(
        "referent@exemple.fr",
        PASSWORD,
        false,
        &[(centre, csc_core::Role::Referent)],
    )
    .await;
    app.create_user(
        "habitant@exemple.fr",
        PASSWORD,
        false,
        &[(centre, csc_core::Role::Habitant)],
    )
    .await;
    let laep = scalar(&app, "SELECT id FROM boussole_places WHERE ext_id = 'laep'")
        .await
        .to_string();
    let parent = app.new_client();
    parent.login_ok("habitant@exemple.fr", PASSWORD).await;
    assert_eq!(
        parent.get("/boussole/gestion/agenda").await.status(),
        StatusCode::FORBIDDEN
    );

    app.login_ok("referent@exemple.fr", PASSWORD).await;
    text(&app, "/boussole/gestion/agenda", StatusCode::OK).await;
    // Ending before it starts: refused next to the field, the input kept.
    let res = app
        .post_form(
            "/boussole/gestion/agenda",
            &[
                ("titre", "Éveil musical"),
                ("lieu", &laep),
                ("date", "13/03/2027"),
                ("debut", "11:00"),
                ("fin", "10:00"),
                ("semaines", "5"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("La fin de l&#x27;événement est avant son début."),
        "{page}"
    );
    assert!(page.contains("value=\"Éveil musical\""));
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_events").await,
        0
    );
    let res = app
        .post_form(
            "/boussole/gestion/agenda",
            &[
                ("titre", "Éveil musical"),
                ("lieu", &laep),
                ("date", "13/03/2027"),
                ("debut", "10:00"),
                ("fin", "11:00"),
                ("semaines", "5"),
                ("sauf", "27/03/2027"),
                ("age_min", "0"),
                ("age_max", "3"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let ics = app.get_text("/boussole/agenda.ics", StatusCode::OK).await;
    assert!(ics.contains("SUMMARY:Éveil musical\r\n"));
    assert!(ics.contains("DTSTART;TZID=Europe/Paris:20270313T100000\r\n"));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=5\r\n"));
    assert!(ics.contains("EXDATE;TZID=Europe/Paris:20270327T100000\r\n"));
}
