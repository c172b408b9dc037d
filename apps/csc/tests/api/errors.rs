use reqwest::StatusCode;

use crate::helpers::{world, PASSWORD};

#[tokio::test]
async fn unknown_pages_and_ids_are_french_404s() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("admin@exemple.fr", PASSWORD).await;
    for path in [
        "/nulle-part",
        "/admin/centres/999999",
        "/admin/centres/abc",
        "/admin/utilisateurs/424242",
        "/centres/inconnu/logo",
    ] {
        let res = c.get(path).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        let body = res.text().await.unwrap();
        assert!(body.contains("Page introuvable"), "{path}: {body}");
        assert!(body.contains("<html lang=\"fr\">"));
    }
    let res = c.get("/api/v1/inconnu").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], 404);
}

#[tokio::test]
async fn invalid_utf8_in_a_form_is_a_french_400() {
    let w = world().await;
    let c = w.app.new_client();
    let token = c.csrf_token().await;
    let body = format!("email=%FF%FE%FD&password=x&csrf_token={token}");
    let res = c
        .http
        .post(c.url("/connexion"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Le formulaire envoyé n&#x27;a pas pu être lu"));
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let w = world().await;
    let c = w.app.new_client();
    c.login_ok("admin@exemple.fr", PASSWORD).await;
    let huge = "a".repeat(300 * 1024);
    let res = c.post_form("/admin/centres", &[("name", &huge)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.text().await.unwrap().contains("trop volumineux"));
    // Bigger than the handler limit but within the CSRF reader's: still a clean 413.
    let big = "a".repeat(100 * 1024);
    let res = c.post_form("/admin/centres", &[("name", &big)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let json = c
        .http
        .post(c.url("/api/v1/jetons"))
        .header("content-type", "application/json")
        .body(format!("{{\"email\":\"{}\"}}", "a".repeat(400 * 1024)))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn malformed_json_gets_a_json_400() {
    let w = world().await;
    let res = reqwest::Client::new()
        .post(w.app.url("/api/v1/jetons"))
        .header("content-type", "application/json")
        .body("{pas du json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        body["error"],
        "Les données JSON envoyées ne sont pas valides."
    );
}

#[tokio::test]
async fn wrong_methods_are_answered_in_french() {
    let w = world().await;
    let res = w
        .app
        .http
        .delete(w.app.url("/connexion"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}
