use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use csc_testkit::TestClient;
use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::StatusCode;

use crate::helpers::{world, PASSWORD};

fn with_session(address: &str, token: &str) -> TestClient {
    let c = TestClient::new(address);
    let url = reqwest::Url::parse(address).unwrap();
    c.jar
        .add_cookie_str(&format!("csc_session={token}; Path=/"), &url);
    c
}

#[tokio::test]
async fn sign_out_revokes_the_token_even_if_the_cookie_is_kept() {
    let w = world().await;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let token = w.app.cookie("csc_session").unwrap();
    let res = w.app.post_form("/deconnexion", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        w.app.get("/mon-compte").await.status(),
        StatusCode::SEE_OTHER
    );
    // A copy of the old cookie is refused too.
    let replay = with_session(&w.app.address, &token);
    let res = replay.get("/mon-compte").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(csc_testkit::location(&res).starts_with("/connexion"));
}

#[tokio::test]
async fn changing_the_password_revokes_the_other_sessions() {
    let w = world().await;
    let phone = w.app.new_client();
    phone.login_ok("referent.a@exemple.fr", PASSWORD).await;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let new = "une toute nouvelle phrase";
    let res = w
        .app
        .post_form(
            "/mon-compte/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("password", new),
                ("confirmation", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        w.app.get("/mon-compte").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        phone.get("/mon-compte").await.status(),
        StatusCode::SEE_OTHER,
        "the other is closed"
    );
    assert_eq!(
        w.app
            .new_client()
            .login("referent.a@exemple.fr", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    w.app
        .new_client()
        .login_ok("referent.a@exemple.fr", new)
        .await;
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let w = world().await;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let new = "une toute nouvelle phrase";
    let res = w
        .app
        .post_form(
            "/mon-compte/mot-de-passe",
            &[
                ("current", "faux"),
                ("password", new),
                ("confirmation", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Le mot de passe actuel n"));
    let res = w
        .app
        .post_form(
            "/mon-compte/mot-de-passe",
            &[
                ("current", PASSWORD),
                ("password", "court"),
                ("confirmation", "court"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("au moins 10 caractères"));
}

#[derive(serde::Serialize)]
struct Claims {
    sub: String,
    jti: String,
    iat: i64,
    exp: i64,
}

fn forge(sub: &str, jti: &str, iat: i64, exp: i64, secret: &[u8]) -> String {
    let claims = Claims {
        sub: sub.into(),
        jti: jti.into(),
        iat,
        exp,
    };
    encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .unwrap()
}

async fn signed_in_with(address: &str, token: &str) -> bool {
    with_session(address, token)
        .get("/mon-compte")
        .await
        .status()
        == StatusCode::OK
}

#[tokio::test]
async fn expired_tampered_and_unknown_tokens_are_refused() {
    let w = world().await;
    let address = &w.app.address;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let good = w.app.cookie("csc_session").unwrap();
    assert!(signed_in_with(address, &good).await);

    let payload = good.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
    let (sub, jti) = (
        claims["sub"].as_str().unwrap(),
        claims["jti"].as_str().unwrap(),
    );
    let now = chrono::Utc::now().timestamp();
    let secret = w.app.jwt_secret();

    // The same session, signed with the right key, as a sanity check of `forge`…
    assert!(signed_in_with(address, &forge(sub, jti, now, now + 3600, &secret)).await);
    // …but expired.
    assert!(!signed_in_with(address, &forge(sub, jti, now - 7200, now - 3600, &secret)).await);
    // Signed with another key.
    let other_key = b"not the secret of this instance, not at all";
    assert!(!signed_in_with(address, &forge(sub, jti, now, now + 3600, other_key)).await);
    // Well signed, but never issued (no recorded session).
    assert!(
        !signed_in_with(
            address,
            &forge(sub, "jamais-emis", now, now + 3600, &secret)
        )
        .await
    );
    // A changed payload breaks the signature.
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    let forged = serde_json::json!({ "sub": "1", "jti": jti, "iat": now, "exp": now + 3600 });
    parts[1] = B64.encode(serde_json::to_vec(&forged).unwrap());
    assert!(!signed_in_with(address, &parts.join(".")).await);
}

#[tokio::test]
async fn the_api_takes_bearer_tokens_and_answers_json() {
    let w = world().await;
    let http = reqwest::Client::new();
    let res = http
        .post(w.app.url("/api/v1/jetons"))
        .json(&serde_json::json!({ "email": "referent.a@exemple.fr", "password": PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let token = res.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let me = http
        .get(w.app.url("/api/v1/moi"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["email"], "referent.a@exemple.fr");
    assert_eq!(me["roles"][0]["role"], "referent");

    let anon = http.get(w.app.url("/api/v1/moi")).send().await.unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = anon.json().await.unwrap();
    assert_eq!(body["error"], "Veuillez vous connecter pour continuer.");

    let res = http
        .delete(w.app.url("/api/v1/jetons/courant"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let again = http
        .get(w.app.url("/api/v1/moi"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED, "revoked token");

    let bad = http
        .post(w.app.url("/api/v1/jetons"))
        .json(&serde_json::json!({ "email": "referent.a@exemple.fr", "password": "faux" }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNAUTHORIZED);
}
