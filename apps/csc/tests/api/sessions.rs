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

#[tokio::test]
async fn expired_tampered_and_unknown_tokens_are_refused() {
    let w = world().await;
    w.app.login_ok("referent.a@exemple.fr", PASSWORD).await;
    let good = w.app.cookie("csc_session").unwrap();
    assert_eq!(
        with_session(&w.app.address, &good)
            .get("/mon-compte")
            .await
            .status(),
        StatusCode::OK
    );

    // Same session id, same key, but expired.
    let payload = good.split('.').nth(1).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let key = EncodingKey::from_secret(&w.app.jwt_secret());
    let expired = encode(
        &Header::default(),
        &Claims {
            sub: claims["sub"].as_str().unwrap().into(),
            jti: claims["jti"].as_str().unwrap().into(),
            iat: now - 7200,
            exp: now - 3600,
        },
        &key,
    )
    .unwrap();
    assert_eq!(
        with_session(&w.app.address, &expired)
            .get("/mon-compte")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // A changed payload breaks the signature.
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    let forged =
        serde_json::json!({ "sub": "1", "jti": claims["jti"], "iat": now, "exp": now + 3600 });
    parts[1] = B64.encode(serde_json::to_vec(&forged).unwrap());
    let tampered = parts.join(".");
    assert_eq!(
        with_session(&w.app.address, &tampered)
            .get("/mon-compte")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Signed with another key.
    let other = encode(
        &Header::default(),
        &Claims {
            sub: claims["sub"].as_str().unwrap().into(),
            jti: claims["jti"].as_str().unwrap().into(),
            iat: now,
            exp: now + 3600,
        },
        &EncodingKey::from_secret(b"not the secret of this instance, not at all"),
    )
    .unwrap();
    assert_eq!(
        with_session(&w.app.address, &other)
            .get("/mon-compte")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    // Well signed, but never issued (no recorded session).
    let unknown = encode(
        &Header::default(),
        &Claims {
            sub: claims["sub"].as_str().unwrap().into(),
            jti: "jamais-emis".into(),
            iat: now,
            exp: now + 3600,
        },
        &key,
    )
    .unwrap();
    assert_eq!(
        with_session(&w.app.address, &unknown)
            .get("/mon-compte")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
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
