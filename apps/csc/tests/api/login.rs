use csc_testkit::location;
use reqwest::StatusCode;

use crate::helpers::{age_login_failures, world, PASSWORD};

#[tokio::test]
async fn sign_in_with_the_right_password_opens_a_session() {
    let w = world().await;
    let res = w.app.login("referent.a@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let set_cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("csc_session="));
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let page = w.app.get_text("/mon-compte", StatusCode::OK).await;
    assert!(page.contains("referent.a@exemple.fr"));
    assert!(page.contains("Centre A"));
}

#[tokio::test]
async fn sign_in_goes_back_to_the_asked_page_but_never_to_another_site() {
    let w = world().await;
    let c = w.app.new_client();
    let res = c.get("/admin/centres").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/connexion?suivant=%2Fadmin%2Fcentres");
    let res = c
        .post_form(
            "/connexion",
            &[
                ("email", "admin@exemple.fr"),
                ("password", PASSWORD),
                ("suivant", "/admin/centres"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/admin/centres");
    let c2 = w.app.new_client();
    let res = c2
        .post_form(
            "/connexion",
            &[
                ("email", "admin@exemple.fr"),
                ("password", PASSWORD),
                ("suivant", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/");
}

#[tokio::test]
async fn wrong_password_is_refused_in_french_and_keeps_the_address() {
    let w = world().await;
    let res = w
        .app
        .login("referent.a@exemple.fr", "pas le bon mot de passe")
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res
        .headers()
        .get("set-cookie")
        .is_none_or(|c| !c.to_str().unwrap().contains("csc_session")));
    let body = res.text().await.unwrap();
    assert!(body.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(
        body.contains("value=\"referent.a@exemple.fr\""),
        "the typed address is kept"
    );
    assert_eq!(
        w.app.get("/mon-compte").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn unknown_account_gets_the_same_answer_as_a_wrong_password() {
    let w = world().await;
    let res = w.app.login("personne@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Adresse e-mail ou mot de passe incorrect."));
}

#[tokio::test]
async fn empty_or_malformed_sign_in_fields_are_explained_next_to_the_field() {
    let w = world().await;
    let res = w.app.login("pas-une-adresse", "").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("Cette adresse e-mail n&#x27;est pas valide")
            || body.contains("Cette adresse e-mail n'est pas valide"),
        "{body}"
    );
    assert!(body.contains("Indiquez votre mot de passe."));
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(body.contains("value=\"pas-une-adresse\""));
}

#[tokio::test]
async fn repeated_failures_block_the_account_for_a_while_only() {
    let w = world().await;
    for _ in 0..5 {
        let res = w
            .app
            .login("referent.a@exemple.fr", "mauvais mot de passe")
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while blocked…
    let res = w.app.login("referent.a@exemple.fr", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Trop de tentatives de connexion"));
    // …other accounts are not affected…
    w.app
        .new_client()
        .login_ok("referent.b@exemple.fr", PASSWORD)
        .await;
    // …and the block lifts by itself once the window has passed.
    age_login_failures(&w.app, 16).await;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
}

#[tokio::test]
async fn many_failures_from_one_address_block_that_address() {
    let w = world().await;
    for i in 0..30 {
        let res = w
            .app
            .login(&format!("inconnu{i}@exemple.fr"), "mauvais mot de passe")
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let res = w
        .app
        .new_client()
        .login("referent.b@exemple.fr", PASSWORD)
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    age_login_failures(&w.app, 16).await;
    w.app
        .new_client()
        .login_ok("referent.b@exemple.fr", PASSWORD)
        .await;
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in() {
    let w = world().await;
    let admin = w.app.new_client();
    admin.login_ok("admin@exemple.fr", PASSWORD).await;
    let habitant = w.app.new_client();
    habitant.login_ok("habitant.a@exemple.fr", PASSWORD).await;
    let id: i64 = {
        let users = admin.get_text("/admin/utilisateurs", StatusCode::OK).await;
        let at = users.find("habitant.a@exemple.fr").unwrap();
        let before = &users[..at];
        let start = before.rfind("/admin/utilisateurs/").unwrap() + "/admin/utilisateurs/".len();
        before[start..].split('"').next().unwrap().parse().unwrap()
    };
    let res = admin
        .post_form(&format!("/admin/utilisateurs/{id}/desactiver"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        habitant.get("/mon-compte").await.status(),
        StatusCode::SEE_OTHER,
        "sessions closed"
    );
    let res = w
        .app
        .new_client()
        .login("habitant.a@exemple.fr", PASSWORD)
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
