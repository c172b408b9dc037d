use reqwest::StatusCode;

use crate::helpers::{world, PASSWORD};

#[tokio::test]
async fn a_form_without_csrf_token_is_refused() {
    let w = world().await;
    let c = w.app.new_client();
    c.get("/connexion").await;
    let res = c
        .post_raw_form(
            "/connexion",
            &[("email", "admin@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("Le formulaire a expiré"));
    assert!(c.cookie("csc_session").is_none());
}

#[tokio::test]
async fn a_form_with_a_wrong_csrf_token_is_refused() {
    let w = world().await;
    let c = w.app.new_client();
    c.get("/connexion").await;
    let res = c
        .post_raw_form(
            "/connexion",
            &[
                ("email", "admin@exemple.fr"),
                ("password", PASSWORD),
                ("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_token_without_the_matching_cookie_is_refused() {
    // An attacker's page can copy a token of its own, but not the victim's cookie.
    let w = world().await;
    let attacker = w.app.new_client();
    let token = attacker.csrf_token().await;
    let victim = w.app.new_client();
    victim.login_ok("admin@exemple.fr", PASSWORD).await;
    let fresh = w.app.new_client();
    let res = fresh
        .post_raw_form(
            "/connexion",
            &[
                ("email", "admin@exemple.fr"),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Signed-in state-changing forms are protected the same way.
    let new = "une toute nouvelle phrase";
    let res = victim
        .post_raw_form(
            "/mon-compte/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("password", new),
                ("confirmation", new),
                ("csrf_token", &token),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = victim.post_raw_form("/deconnexion", &[]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        victim.get("/mon-compte").await.status(),
        StatusCode::OK,
        "still signed in, password unchanged"
    );
}

#[tokio::test]
async fn the_right_token_is_accepted() {
    let w = world().await;
    let c = w.app.new_client();
    let res = c
        .post_form(
            "/connexion",
            &[("email", "admin@exemple.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
