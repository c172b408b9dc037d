//! Glossaire: the forgiving search (page and JSON API) on a lexicon of our own, the import (command
//! line and admin upload), requests, claims, the workshop flow, the daily digest by real SMTP.

use csc_glossaire::MOUNT;
use csc_testkit::TestApp;
use reqwest::StatusCode;

mod import;
mod search;
mod workshop;

/// `path` under the glossary's mount.
pub(super) fn g(path: &str) -> String {
    format!("{MOUNT}{path}")
}

/// Our lexicon: digital words with their aliases, and two parenting acronyms.
pub(super) const LEXICON: &str = "lexique;terme;alias;classe;definition;exemple;categorie
numérique;wifi;wi-fi;nom;Une connexion à internet sans fil.;Le wifi de la médiathèque est gratuit.;internet
numérique;wiki;;nom;Un site que tout le monde peut écrire ensemble.;;internet
numérique;hameçonnage;phishing;nom;Un faux message qui cherche à voler vos codes.;;sécurité
numérique;navigateur;;nom;Le logiciel pour aller sur internet.;;internet
numérique;mot de passe;mdp;nom;Le code secret pour entrer dans un compte.;;sécurité
numérique;capture d'écran;;nom;Une photo de ce qu'il y a sur l'écran.;;matériel
numérique;courriel;e-mail|mail|mél;nom;Une lettre envoyée par internet.;;internet
numérique;clavier;;nom;Les touches pour écrire.;;matériel
numérique;internet;;nom;Le grand réseau qui relie les ordinateurs du monde.;;internet
numérique;application;appli;nom;Un programme sur le téléphone.;;internet
parentalité;PMI;;sigle;Protection maternelle et infantile : des médecins et des puéricultrices pour les petits.;;santé
parentalité;CAF;;sigle;Caisse d'allocations familiales.;;démarches
";

/// Imports `csv` as an admin would (published at once).
pub(super) async fn load(app: &TestApp, csv: &str) {
    let lines = csc_glossaire::import::parse(csv.as_bytes()).unwrap();
    app.db
        .write(move |c| csc_glossaire::import::apply(c, &lines, false, None))
        .await
        .unwrap();
}

/// `GET /api/v1/glossaire/recherche` with these parameters: status and body.
pub(super) async fn api(app: &TestApp, params: &[(&str, &str)]) -> (StatusCode, serde_json::Value) {
    let res = app
        .client
        .http
        .get(app.url("/api/v1/glossaire/recherche"))
        .query(params)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap())
}

/// The (terme, correspondance) pairs found for `q`, best first.
pub(super) async fn found(app: &TestApp, q: &str) -> Vec<(String, String)> {
    let (status, body) = api(app, &[("q", q)]).await;
    assert_eq!(status, StatusCode::OK, "{q}: {body}");
    body["resultats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["terme"].as_str().unwrap().to_string(),
                r["correspondance"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The best result for `q`, or ("", "") when nothing is found.
pub(super) async fn best(app: &TestApp, q: &str) -> (String, String) {
    found(app, q).await.into_iter().next().unwrap_or_default()
}
