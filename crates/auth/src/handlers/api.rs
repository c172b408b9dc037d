//! The JSON API of accounts: get a Bearer token, who am I, revoke the token.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Email, Identity};
use csc_db::Db;
use serde::Deserialize;

use super::login::issue;
use crate::config::AuthConfig;
use crate::service::{self, LoginOutcome};
use crate::sessions;

#[derive(Deserialize)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
}

/// `POST /api/v1/jetons` `{email, password}` -> `{token, expires_at}`.
pub async fn create_token(
    req: HttpRequest,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    body: web::Json<TokenRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let email = Email::parse(&body.email).map_err(AppError::BadRequest)?;
    let client = csc_web::client_addr(&req, auth.trust_proxy);
    let hours = auth.session_hours;
    match db.write(move |c| service::login(c, &email, &body.password, &client, hours)).await? {
        LoginOutcome::Success { user, session_id, expires } => {
            let token = issue(&auth, user.id, session_id, expires)?;
            Ok(HttpResponse::Created()
                .insert_header(("Cache-Control", "no-store"))
                .json(serde_json::json!({
                "token": token,
                "expires_at": expires.and_utc().to_rfc3339(),
            })))
        }
        LoginOutcome::BadCredentials => Ok(HttpResponse::build(StatusCode::UNAUTHORIZED)
            .json(serde_json::json!({ "error": "Adresse e-mail ou mot de passe incorrect.", "status": 401 }))),
        LoginOutcome::Blocked(until) => {
            // Whole seconds until the block ends, at least one (RFC 9110 `Retry-After`).
            let wait = (until - csc_core::time::now()).num_seconds().max(1);
            Ok(HttpResponse::build(StatusCode::TOO_MANY_REQUESTS)
                .insert_header(("Retry-After", wait.to_string()))
                .json(serde_json::json!({
                    "error": "Trop de tentatives de connexion. Réessayez dans quelques minutes.",
                    "status": 429,
                })))
        }
    }
}

/// `GET /api/v1/moi`
pub async fn me(who: Identity) -> HttpResponse {
    // Personal data: never kept by a browser or a proxy.
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(&who)
}

/// `DELETE /api/v1/jetons/courant`
pub async fn revoke_current(who: Identity, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let sid = who.session_id.clone();
    db.run(move |c| sessions::revoke(c, &sid).map_err(Into::into))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
