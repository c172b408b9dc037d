//! The near-me search and its JSON API on places of known coordinates: distances (great-circle,
//! 2 decimals) and order, the radius, the child's age, the theme, « ouvert maintenant », the
//! postcode shared by Capinghem and Lille, and French errors.

use csc_boussole::import::{self, PlaceData};
use csc_boussole::places::{self, Access, ServiceData, ServiceKind};
use csc_testkit::{spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A place of the test territory: (data·inclusion id, name, commune, code, lat, lon, hours).
pub(crate) fn place(
    id: &str,
    name: &str,
    commune: &str,
    code: &str,
    lat: f64,
    lon: f64,
    hours: &str,
) -> PlaceData {
    PlaceData {
        ext_id: id.into(),
        name: name.into(),
        description: String::new(),
        address: "1 rue de l'Exemple".into(),
        postcode: "59000".into(),
        commune: commune.into(),
        commune_code: code.into(),
        latitude: lat,
        longitude: lon,
        phone: String::new(),
        email: String::new(),
        website: String::new(),
        accessibility: String::new(),
        hours: hours.into(),
    }
}

fn service(name: &str, kind: ServiceKind, theme: &str, ages: (i32, i32)) -> ServiceData {
    ServiceData {
        place_id: 0,
        name: name.into(),
        kind,
        description: String::new(),
        themes: format!("famille--{theme}"),
        age_min: ages.0,
        age_max: ages.1,
        audience: String::new(),
        free: true,
        access: Access::WalkIn,
        languages: "français".into(),
    }
}

/// Four published places around Roubaix and Lille, and an unpublished one.
pub(crate) async fn territory() -> TestApp {
    let app = spawn_app(&csc::modules()).await;
    app.db
        .write(|c| {
            let rows = vec![
                // At the centre of Roubaix (the origin of 59100).
                place("laep", "LAEP Les Petits Pas", "Roubaix", "59512", 50.69421, 3.17456, "Mo-Fr 09:00-12:00; PH off"),
                // In Tourcoing: 3.43 km from Roubaix.
                place("pmi", "PMI de Tourcoing", "Tourcoing", "59599", 50.72391, 3.16135, "Mo-Sa 08:00-18:00"),
                // At the centre of Lille: 10.76 km from Roubaix.
                place("rpe", "Relais petite enfance de Lille", "Lille", "59350", 50.63391, 3.05512, ""),
                // In Armentières: 20.68 km from Roubaix, 7.42 from Capinghem.
                place("clas", "Aide aux devoirs d'Armentières", "Armentières", "59017", 50.6883, 2.8811, "Mo-Fr 16:00-18:00"),
            ];
            import::save(c, &rows)?;
            let services = [
                ("laep", service("Accueil enfants-parents", ServiceKind::Welcome, "soutien-a-la-parentalite", (0, 3))),
                ("pmi", service("Consultations de PMI", ServiceKind::Support, "accompagnement-femme-enceinte-bebe-jeune-enfant", (-1, 6))),
                ("rpe", service("Relais petite enfance", ServiceKind::Information, "garde-denfants", (0, 3))),
                ("clas", service("Accompagnement à la scolarité", ServiceKind::Workshop, "soutien-aux-familles", (6, 15))),
            ];
            for (ext, mut sv) in services {
                sv.place_id = places::id_of_ext(c, ext)?.unwrap();
                places::add_service(c, &sv)?;
            }
            // A place waiting for moderation is never found.
            diesel::sql_query(
                "INSERT INTO boussole_places (ext_id, name, postcode, commune, latitude, longitude, published, created_at, updated_at) \
                 VALUES ('cache', 'Lieu non publié', '59100', 'Roubaix', 50.69421, 3.17456, FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            )
            .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    app
}

use diesel::RunQueryDsl;

pub(crate) async fn lieux(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let res = app.get(&format!("/api/v1/boussole/lieux?{query}")).await;
    let status = res.status();
    (status, res.json().await.unwrap())
}

fn names_and_distances(v: &Value) -> Vec<(String, Value)> {
    v["lieux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["nom"].as_str().unwrap().to_string(),
                l["distance_km"].clone(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, f64)]) -> Vec<(String, Value)> {
    list.iter()
        .map(|(n, d)| (n.to_string(), json!(d)))
        .collect()
}

#[tokio::test]
async fn nearest_first_within_the_radius_with_distances_to_the_hundredth() {
    let app = territory().await;
    let (status, v) = lieux(&app, "code_postal=59100&rayon=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        names_and_distances(&v),
        pairs(&[("LAEP Les Petits Pas", 0.0), ("PMI de Tourcoing", 3.43)])
    );
    let first = &v["lieux"][0];
    assert_eq!(first["commune"], "Roubaix");
    assert_eq!(first["services"][0]["nom"], "Accueil enfants-parents");
    assert!(first["id"].is_i64());
    // A larger radius takes Lille in, then Armentières.
    let (_, v) = lieux(&app, "code_postal=59100&rayon=11").await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[
            ("LAEP Les Petits Pas", 0.0),
            ("PMI de Tourcoing", 3.43),
            ("Relais petite enfance de Lille", 10.76)
        ])
    );
    let (_, v) = lieux(&app, "code_postal=59100&rayon=10.75").await;
    assert_eq!(v["lieux"].as_array().unwrap().len(), 2);
    let (_, v) = lieux(&app, "code_postal=59100&rayon=25").await;
    assert_eq!(v["lieux"].as_array().unwrap().len(), 4);
    assert_eq!(v["lieux"][3]["distance_km"], json!(20.68));
    // By official commune code: from the centre of Lille.
    let (_, v) = lieux(&app, "commune=59350&rayon=13").await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[
            ("Relais petite enfance de Lille", 0.0),
            ("LAEP Les Petits Pas", 10.76),
            ("PMI de Tourcoing", 12.5)
        ])
    );
}

#[tokio::test]
async fn the_childs_age_and_the_theme_choose_the_services() {
    let app = territory().await;
    // 4 years old: the PMI (pregnancy to 6) only.
    let (_, v) = lieux(&app, "code_postal=59100&rayon=25&age=4").await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[("PMI de Tourcoing", 3.43)])
    );
    assert_eq!(v["lieux"][0]["services"][0]["age_max"], 6);
    // 2 years old: three places; 10: Armentières only.
    let (_, v) = lieux(&app, "code_postal=59100&rayon=25&age=2").await;
    assert_eq!(v["lieux"].as_array().unwrap().len(), 3);
    let (_, v) = lieux(&app, "code_postal=59100&rayon=25&age=10").await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[("Aide aux devoirs d'Armentières", 20.68)])
    );
    // A theme, with or without its `famille--` prefix.
    let (_, v) = lieux(
        &app,
        "code_postal=59100&rayon=25&theme=famille--garde-denfants",
    )
    .await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[("Relais petite enfance de Lille", 10.76)])
    );
    let (_, v) = lieux(
        &app,
        "code_postal=59100&rayon=25&theme=garde-denfants&age=5",
    )
    .await;
    assert_eq!(v["lieux"], json!([]));
}

#[tokio::test]
async fn a_postcode_of_two_communes_asks_which_one() {
    let app = territory().await;
    let (status, v) = lieux(&app, "code_postal=59160&rayon=10").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v,
        json!({"choisir_commune": [{"code": "59128", "nom": "Capinghem"}, {"code": "59350", "nom": "Lille"}]})
    );
    // Once chosen, distances from Capinghem.
    let (_, v) = lieux(&app, "code_postal=59160&commune=59128&rayon=8").await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[
            ("Relais petite enfance de Lille", 6.7),
            ("Aide aux devoirs d'Armentières", 7.42)
        ])
    );
}

#[tokio::test]
async fn open_now_at_a_given_moment() {
    let app = territory().await;
    // Ascension Thursday, 10:00: the LAEP is closed (PH off), the PMI is open; the RPE has no hours.
    let (_, v) = lieux(&app, "code_postal=59100&rayon=11&date=2026-05-14T10:00").await;
    let open: Vec<Value> = v["lieux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["ouvert_maintenant"].clone())
        .collect();
    assert_eq!(open, [json!(false), json!(true), Value::Null]);
    assert_eq!(v["lieux"][0]["prochain_changement"], "2026-05-15T09:00");
    let (_, v) = lieux(
        &app,
        "code_postal=59100&rayon=11&date=2026-05-14T10:00&ouvert=1",
    )
    .await;
    assert_eq!(
        names_and_distances(&v),
        pairs(&[("PMI de Tourcoing", 3.43)])
    );
    // The next morning, both.
    let (_, v) = lieux(
        &app,
        "code_postal=59100&rayon=11&date=2026-05-15T10:00&ouvert=1",
    )
    .await;
    assert_eq!(v["lieux"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_searches_are_french_400s() {
    let app = territory().await;
    for (query, expected) in [
        ("code_postal=5910", "5 chiffres"),
        (
            "code_postal=59999",
            "Aucune commune de la Métropole européenne de Lille n'a le code postal 59999",
        ),
        ("code_postal=75001", "hors du territoire"),
        (
            "commune=75056",
            "n'est pas dans la Métropole européenne de Lille",
        ),
        ("code_postal=59100&rayon=abc", "Rayon « abc »"),
        ("code_postal=59100&rayon=0", "Rayon « 0 »"),
        ("code_postal=59100&age=30", "Âge « 30 »"),
        (
            "code_postal=59100&theme=cuisine",
            "Thème « cuisine » inconnu",
        ),
    ] {
        let (status, v) = lieux(&app, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let msg = v["error"].as_str().unwrap();
        assert!(msg.contains(expected), "{query}: {msg}");
    }
}
