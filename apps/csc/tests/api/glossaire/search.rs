//! The search, worked examples of each branch, on the JSON API and the page.

use csc_testkit::spawn_app;
use reqwest::StatusCode;

use super::{api, best, found, g, load, LEXICON};

fn pair(t: &str, c: &str) -> (String, String) {
    (t.to_string(), c.to_string())
}

#[tokio::test]
async fn each_branch_of_the_search_with_worked_examples() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    let cases = [
        // exact, case and accents ignored
        ("wifi", "wifi", "exacte"),
        ("WIFI", "wifi", "exacte"),
        ("Hameconnage", "hameçonnage", "exacte"),
        ("HAMEÇONNAGE", "hameçonnage", "exacte"),
        // spaces, hyphens and apostrophes ignored
        ("Wi-Fi", "wifi", "exacte"),
        ("motdepasse", "mot de passe", "exacte"),
        ("mot-de-passe", "mot de passe", "exacte"),
        ("capture decran", "capture d'écran", "exacte"),
        ("capturedécran", "capture d'écran", "exacte"),
        // aliases
        ("phishing", "hameçonnage", "alias"),
        ("e-mail", "courriel", "alias"),
        ("Mél", "courriel", "alias"),
        ("appli", "application", "alias"),
        // French phonetics, also through an alias
        ("ouifi", "wifi", "phonetique"),
        ("fishing", "hameçonnage", "phonetique"),
        ("aplicassion", "application", "phonetique"),
        ("kouriel", "courriel", "phonetique"),
        // typos: one edit, a swap counting as one
        ("naviagteur", "navigateur", "approchee"),
        ("navigatuer", "navigateur", "approchee"),
        ("navigatur", "navigateur", "approchee"),
        ("clavjer", "clavier", "approchee"),
        ("intrnet", "internet", "approchee"),
        // two edits from 8 letters typed
        ("nvigatuer", "navigateur", "approchee"),
        ("ordinatr", "", ""),
    ];
    for (q, term, how) in cases {
        assert_eq!(best(&app, q).await, pair(term, how), "query « {q} »");
    }
}

#[tokio::test]
async fn typo_tolerance_reads_the_length_of_the_query() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    // 7 letters typed, 2 edits from « clavier » (7): too far.
    assert!(found(&app, "klavjer").await.is_empty());
    // 8 letters typed, 2 edits from « clavier » (7 letters): found, the query has 8.
    assert_eq!(best(&app, "clavjerr").await, pair("clavier", "approchee"));
    // 6 letters typed, 2 edits from « internet » (8 letters): not found, the query has 6.
    assert!(found(&app, "intrnt")
        .await
        .iter()
        .all(|(t, _)| t != "internet"));
    // 10 letters typed, 3 edits: too far.
    assert!(found(&app, "nvgiatuer")
        .await
        .iter()
        .all(|(t, _)| t != "navigateur"));
}

#[tokio::test]
async fn results_are_best_first_and_filtered_by_lexicon() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    // « wiki » is exact, « wifi » one edit away: exact first.
    let wiki = found(&app, "wiki").await;
    assert_eq!(wiki[0], pair("wiki", "exacte"));
    assert!(wiki.contains(&pair("wifi", "approchee")), "{wiki:?}");
    let (status, body) = api(&app, &[("q", "pmi"), ("lexique", "parentalité")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        serde_json::json!({"resultats": [{"terme": "PMI", "lexique": "parentalité", "correspondance": "exacte"}]})
    );
    let (_, body) = api(&app, &[("q", "pmi"), ("lexique", "parentalite")]).await;
    assert_eq!(body["resultats"][0]["terme"], "PMI");
    let (_, body) = api(&app, &[("q", "pmi"), ("lexique", "numerique")]).await;
    assert_eq!(body["resultats"], serde_json::json!([]));
    let (status, body) = api(&app, &[("q", "pmi"), ("lexique", "inconnu")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("n'existe pas"));
}

#[tokio::test]
async fn empty_and_overlong_searches_get_a_french_message() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    for q in ["", "   ", "?!", &"a".repeat(2000)] {
        let (status, body) = api(&app, &[("q", q)]).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
        assert!(
            body["error"].as_str().unwrap().starts_with("Tapez")
                || body["error"].as_str().unwrap().contains("trop longue")
        );
        let page = app
            .get(&format!("{}?q={}", g("/recherche"), q.replace(' ', "+")))
            .await;
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        assert!(page.text().await.unwrap().contains("field-error"));
    }
    let (status, body) = api(&app, &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "Tapez le mot que vous cherchez.");
}

#[tokio::test]
async fn the_page_shows_the_entry_or_offers_to_ask_for_the_word() {
    let app = spawn_app(&csc::modules()).await;
    load(&app, LEXICON).await;
    let page = app
        .get_text(&format!("{}?q=ouifi", g("/recherche")), StatusCode::OK)
        .await;
    assert!(page.contains(">wifi</a>"), "{page}");
    assert!(page.contains("Une connexion à internet sans fil."));
    let none = app
        .get_text(&format!("{}?q=bidouille", g("/recherche")), StatusCode::OK)
        .await;
    assert!(none.contains("Ce mot n'est pas encore dans le glossaire"));
    assert!(none.contains("Demander ce mot"));
    assert!(none.contains("name=\"mot\" type=\"text\" value=\"bidouille\""));
}
