//! CSRF protection for every state-changing request (double-submit token).
//!
//! A random token lives in an HttpOnly `SameSite=Lax` cookie; every form carries it in the hidden
//! field `csrf_token` (multipart forms in the action's query string, scripts in `X-CSRF-Token`).
//! Requests authenticated by a Bearer token under `/api` carry no ambient credential and are exempt.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::HttpMessage;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use csc_core::AppError;
use futures_util::StreamExt;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Name of the cookie and of the form field.
pub const COOKIE: &str = "csc_csrf";
/// Name of the hidden form field.
pub const FIELD: &str = "csrf_token";
/// Largest url-encoded form body read for the token check.
pub const FORM_LIMIT: usize = 256 * 1024;

/// The CSRF token of the current request, for templates.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn valid_format(t: &str) -> bool {
    t.len() == 43
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn expired() -> AppError {
    AppError::Denied(
        "Le formulaire a expiré ou n'a pas été envoyé depuis ce site. Rechargez la page et recommencez."
            .into(),
    )
}

/// The middleware, for `middleware::from_fn(csrf::protect(secure))`.
pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let secure = req
        .app_data::<actix_web::web::Data<crate::Ui>>()
        .map(|u| u.secure_cookies)
        .unwrap_or(false);
    let existing = req
        .cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|t| valid_format(t));
    let token = existing.clone().unwrap_or_else(new_token);
    req.extensions_mut().insert(CsrfToken(token.clone()));

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !exempt(&req) {
        let submitted = match submitted_token(&mut req).await {
            Ok(t) => t,
            Err(e) => return Ok(req.error_response(e).map_into_right_body()),
        };
        let ok = match (&existing, &submitted) {
            (Some(cookie), Some(sent)) => bool::from(cookie.as_bytes().ct_eq(sent.as_bytes())),
            _ => false,
        };
        if !ok {
            tracing::info!(path = req.path(), "CSRF check failed");
            return Ok(req.error_response(expired()).map_into_right_body());
        }
    }

    let mut res = next.call(req).await?;
    if existing.is_none() {
        let cookie = Cookie::build(COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        res.response_mut().add_cookie(&cookie)?;
    }
    Ok(res.map_into_left_body())
}

/// Under `/api`, a Bearer token is no ambient credential, and a JSON body cannot be sent by
/// another site's form (it would need a CORS preflight, which the suite never grants).
fn exempt(req: &ServiceRequest) -> bool {
    if !req.path().starts_with("/api/") {
        return false;
    }
    let header_starts = |name: header::HeaderName, prefix: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with(prefix))
    };
    header_starts(header::AUTHORIZATION, "Bearer ")
        || header_starts(header::CONTENT_TYPE, "application/json")
}

/// Finds the token in the header, the query string, or an url-encoded body (which is read, its
/// text checked, and put back, wherever the token is).
async fn submitted_token(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    let from_body = read_form(req).await?;
    if let Some(h) = req
        .headers()
        .get("X-CSRF-Token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok(Some(h.to_string()));
    }
    if let Some(t) = find_field(req.query_string().as_bytes()) {
        return Ok(Some(t));
    }
    Ok(from_body)
}

/// Reads an url-encoded body (put back for the handler), refusing what no form field may hold;
/// returns the token it carries.
async fn read_form(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(None);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|_| AppError::bad_request("L'envoi du formulaire a été interrompu."))?;
        if body.len() + chunk.len() > FORM_LIMIT {
            return Err(AppError::PayloadTooLarge(
                "Le formulaire envoyé est trop volumineux.".into(),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    let body: Bytes = body.freeze();
    match form_text(&body) {
        FormText::Clean => {}
        FormText::NotUtf8 => {
            return Err(AppError::bad_request(
                "Le formulaire envoyé n'a pas pu être lu : il contient des caractères illisibles. Rechargez la page et recommencez.",
            ))
        }
        FormText::Control => {
            return Err(AppError::bad_request(
                "Le formulaire contient un caractère invisible qui n'est pas accepté (un caractère de contrôle, souvent venu d'un copier-coller). Retapez le texte concerné, puis envoyez à nouveau.",
            ))
        }
    }
    let token = find_field(&body);
    req.set_payload(Payload::from(body));
    Ok(token)
}

/// What the text of a url-encoded form holds.
#[derive(Debug, PartialEq, Eq)]
enum FormText {
    Clean,
    /// A name or value is not UTF-8 once decoded (browsers always send UTF-8; anything else would
    /// be silently altered by a lossy decoder).
    NotUtf8,
    /// A control character other than a tab or a line break (a NUL byte, say, which PostgreSQL
    /// refuses in text and SQLite cuts the value at): refused here, once for every form.
    Control,
}

fn form_text(raw: &[u8]) -> FormText {
    for pair in raw.split(|b| *b == b'&') {
        let plus_as_space: Vec<u8> = pair
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let decoded: Vec<u8> = percent_encoding::percent_decode(&plus_as_space).collect();
        let Ok(text) = std::str::from_utf8(&decoded) else {
            return FormText::NotUtf8;
        };
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        {
            return FormText::Control;
        }
    }
    FormText::Clean
}

fn find_field(raw: &[u8]) -> Option<String> {
    url::form_urlencoded::parse(raw)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_well_formed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert!(valid_format(&a), "{a}");
        assert!(!valid_format("short"));
    }

    #[test]
    fn token_is_found_among_form_fields() {
        assert_eq!(
            find_field(b"name=x&csrf_token=abc%2Bd&z=1"),
            Some("abc+d".to_string())
        );
        assert_eq!(find_field(b"name=x"), None);
    }

    #[test]
    fn invalid_utf8_in_forms_is_detected() {
        assert_eq!(
            form_text(b"nom=Ren%C3%A9e&ville=Lille+Sud"),
            FormText::Clean
        );
        assert_eq!(form_text(b"nom=%FF%FE"), FormText::NotUtf8);
        assert_eq!(form_text(&[b'n', b'=', 0xff]), FormText::NotUtf8);
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_line_breaks_kept() {
        assert_eq!(form_text(b"note=ligne+1%0D%0Aligne%092"), FormText::Clean);
        for bad in [
            &b"nom=A%00B"[..],
            b"nom=%1B%5B31m",
            b"nom=%7F",
            b"nom=%C2%85",
            b"n%00om=x",
        ] {
            assert_eq!(form_text(bad), FormText::Control, "{bad:?}");
        }
    }
}
