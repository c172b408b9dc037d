//! `csc boussole import FICHIER.csv` through the real binary on the test database: comma or
//! semicolon files, published places, re-import by `id`, and a bad file that writes nothing.

use std::process::Command;

use csc_testkit::{spawn_app, TestApp};
use serde_json::json;

use super::lieux::lieux;
use crate::helpers::scalar;

fn run_import(app: &TestApp, content: &str) -> (Option<i32>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("structures.csv");
    std::fs::write(&file, content).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_csc"))
        .args(["boussole", "import"])
        .arg(&file)
        .env_remove("CSC_CONFIG")
        .env("RUST_LOG", "off")
        .env("DATABASE_URL", app.test_db.url())
        .env("DATA_DIR", dir.path())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const SEMICOLONS: &str = "id;nom;adresse;code_postal;commune;code_insee;latitude;longitude;horaires_accueil;description;telephone\n\
    di-1;LAEP La Ribambelle;12 rue de Lannoy;59100;Roubaix;59512;50,6942;3,1746;\"Mo-Fr 09:00-12:00,14:00-17:30; PH off\";Accueil enfants-parents;03 20 00 00 00\n\
    di-2;PMI Tourcoing centre;3 place de la Victoire;59200;Tourcoing;59599;50.72391;3.16135;;Consultations;\n";

#[tokio::test]
async fn import_publishes_and_reimport_updates_by_id() {
    let app = spawn_app(&csc::modules()).await;
    let (code, out, err) = run_import(&app, SEMICOLONS);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "2 lieu(x) importé(s) et publié(s) : 2 créé(s), 0 mis à jour.\n"
    );
    let (_, v) = lieux(&app, "code_postal=59100&rayon=5").await;
    assert_eq!(v["lieux"][0]["nom"], "LAEP La Ribambelle");
    assert_eq!(v["lieux"][0]["distance_km"], json!(0.0));
    assert_eq!(v["lieux"][1]["nom"], "PMI Tourcoing centre");
    // The same ids again, comma-separated, one renamed, one new.
    let commas = "id,nom,adresse,code_postal,commune,code_insee,latitude,longitude,horaires_accueil,description\n\
        di-1,LAEP La Ribambelle (Roubaix),12 rue de Lannoy,59100,Roubaix,59512,50.6942,3.1746,Mo-Fr 09:00-12:00,\n\
        di-3,RPE de Lille,,59000,Lille,59350,,,,Relais petite enfance\n";
    let (code, out, err) = run_import(&app, commas);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "2 lieu(x) importé(s) et publié(s) : 1 créé(s), 1 mis à jour.\n"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_places").await,
        3
    );
    let (_, v) = lieux(&app, "commune=59350&rayon=15").await;
    let names: Vec<&str> = v["lieux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["nom"].as_str().unwrap())
        .collect();
    // Lille's place got the commune's centre.
    assert_eq!(
        names,
        [
            "RPE de Lille",
            "LAEP La Ribambelle (Roubaix)",
            "PMI Tourcoing centre"
        ]
    );
}

#[tokio::test]
async fn a_file_with_bad_lines_is_reported_line_by_line_and_nothing_is_written() {
    let app = spawn_app(&csc::modules()).await;
    let bad = "id;nom;adresse;code_postal;commune;code_insee;latitude;longitude;horaires_accueil;description\n\
        ok-1;Bon lieu;;59100;Roubaix;59512;50.69;3.17;;\n\
        ok-2;Heures fausses;;59100;Roubaix;59512;50.69;3.17;Lu-Ve 9h-12h;\n\
        ok-3;Paris;;5910;Paris;75056;48.85;2.35;;\n\
        ok-4;Au large;;59100;Roubaix;59512;45.0;-30.0;;\n";
    let (code, out, err) = run_import(&app, bad);
    assert_eq!(code, Some(1));
    assert_eq!(out, "");
    assert!(
        err.starts_with("Erreur : le fichier a 3 erreur(s) ; rien n'a été importé.\n"),
        "{err}"
    );
    assert!(
        err.contains("ligne 3 : horaires_accueil : horaires non reconnus"),
        "{err}"
    );
    assert!(
        err.contains("ligne 4 : code_postal « 5910 » : 5 chiffres attendus"),
        "{err}"
    );
    assert!(
        err.contains("ligne 5 : coordonnées 45, -30 hors de France"),
        "{err}"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM boussole_places").await,
        0
    );
    // A file without the data·inclusion columns.
    let (code, _, err) = run_import(&app, "nom,ville\nX,Lille\n");
    assert_eq!(code, Some(1));
    assert!(
        err.contains("colonne(s) manquante(s) : id, adresse, code_postal"),
        "{err}"
    );
}

#[tokio::test]
async fn the_export_in_data_inclusion_fields_reads_back_with_the_import() {
    let app = super::lieux::territory().await;
    let csv = app
        .get_text("/boussole/export/structures.csv", reqwest::StatusCode::OK)
        .await;
    assert!(csv.starts_with("id,nom,adresse,code_postal,commune,code_insee,latitude,longitude,"));
    // Published places only.
    let rows = csc_boussole::import::parse(&csv).unwrap();
    let ids: Vec<&str> = rows.iter().map(|r| r.ext_id.as_str()).collect();
    assert_eq!(ids, ["laep", "pmi", "rpe", "clas"]);
    assert_eq!(rows[0].hours, "Mo-Fr 09:00-12:00; PH off");
    assert_eq!((rows[1].latitude, rows[1].longitude), (50.72391, 3.16135));
    let structures: serde_json::Value = app
        .get("/boussole/export/structures.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(structures[0]["id"], "laep");
    assert_eq!(structures[0]["latitude"], json!(50.69421));
    let services: serde_json::Value = app
        .get("/boussole/export/services.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(services.as_array().unwrap().len(), 4);
    assert_eq!(services[0]["structure_id"], "laep");
    assert_eq!(
        services[0]["thematiques"],
        json!(["famille--soutien-a-la-parentalite"])
    );
    // Exported then imported elsewhere: the same directory.
    let other = spawn_app(&csc::modules()).await;
    let (code, out, err) = run_import(&other, &csv);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        "4 lieu(x) importé(s) et publié(s) : 4 créé(s), 0 mis à jour.\n"
    );
}
