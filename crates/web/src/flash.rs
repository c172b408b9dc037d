//! One-time messages shown on the next page ("Le centre a été enregistré."), kept in a cookie.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

const COOKIE: &str = "csc_flash";

/// A message and its kind (`succes`, `info`, `erreur`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Flash {
    pub level: String,
    pub message: String,
}

/// The flash message this request came with, if any.
pub fn read(req: &HttpRequest) -> Option<Flash> {
    let raw = req.cookie(COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(raw.value()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// [`redirect`] with the cookie's `Secure` flag from the suite's settings.
pub fn redirect_from(
    req: &HttpRequest,
    location: &str,
    level: &str,
    message: &str,
) -> Result<HttpResponse, csc_core::AppError> {
    let secure = crate::render::ui(req)?.secure_cookies;
    Ok(redirect(location, level, message, secure))
}

/// A 303 redirect to `location` that shows `message` on the next page.
pub fn redirect(location: &str, level: &str, message: &str, secure: bool) -> HttpResponse {
    let value = serde_json::to_vec(&Flash {
        level: level.into(),
        message: message.into(),
    })
    .map(|v| URL_SAFE_NO_PAD.encode(v))
    .unwrap_or_default();
    let cookie = Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .cookie(cookie)
        .finish()
}

/// A plain 303 redirect after a form.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// The cookie that clears the flash once shown.
pub fn removal(secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, "")
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}
