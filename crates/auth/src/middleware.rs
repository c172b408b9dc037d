//! The session middleware: reads the JWT (Bearer header or cookie), checks it is still recorded
//! and not revoked, and puts the user's `Identity` in the request.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage};
use csc_db::Db;

use crate::config::{AuthConfig, SESSION_COOKIE};
use crate::sessions;

/// For `middleware::from_fn(session)`.
pub async fn session(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if let Some(token) = token_of(&req) {
        let (Some(auth), Some(db)) = (
            req.app_data::<web::Data<AuthConfig>>(),
            req.app_data::<web::Data<Db>>(),
        ) else {
            return Err(csc_core::AppError::internal("auth is not configured").into());
        };
        if let Some((user_id, session_id)) = auth.keys.session_of(&token) {
            let identity = db
                .run(move |c| sessions::load(c, &session_id, user_id).map_err(Into::into))
                .await?;
            if let Some(identity) = identity {
                req.extensions_mut().insert(identity);
            }
        }
    }
    next.call(req).await
}

fn token_of(req: &ServiceRequest) -> Option<String> {
    if let Some(bearer) = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    req.cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}
