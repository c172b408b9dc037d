//! One-time messages shown on the next page ("Le centre a été enregistré."), kept in a cookie.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

const COOKIE: &str = "csc_flash";

csc_core::coded! {
    /// The kind of a message. Its code is kept in the cookie (so it must not change while
    /// cookies live) and names the message's style (`flash-succes`).
    pub enum Level {
        Success = ("succes", "Succès"),
        Info = ("info", "Information"),
        Error = ("erreur", "Erreur"),
    }
}

/// A message and its kind, as templates read it (`flash.level.code`, `flash.message`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Flash {
    pub level: Level,
    pub message: String,
}

/// The cookie's content: the level by its code.
#[derive(Serialize, Deserialize)]
struct Stored {
    level: String,
    message: String,
}

/// The flash message this request came with, if any.
pub fn read(req: &HttpRequest) -> Option<Flash> {
    let raw = req.cookie(COOKIE)?;
    let bytes = URL_SAFE_NO_PAD.decode(raw.value()).ok()?;
    let stored: Stored = serde_json::from_slice(&bytes).ok()?;
    Some(Flash {
        level: Level::parse(&stored.level).unwrap_or(Level::Info),
        message: stored.message,
    })
}

/// [`redirect`] with the cookie's `Secure` flag from the suite's settings.
pub fn redirect_with(
    req: &HttpRequest,
    location: &str,
    level: Level,
    message: &str,
) -> Result<HttpResponse, csc_core::AppError> {
    let secure = crate::render::ui(req)?.secure_cookies;
    Ok(redirect(location, level, message, secure))
}

/// A 303 redirect to `location` that shows `message` on the next page.
pub fn redirect(location: &str, level: Level, message: &str, secure: bool) -> HttpResponse {
    let value = serde_json::to_vec(&Stored {
        level: level.code().into(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn read_back(res: &HttpResponse) -> Option<Flash> {
        let cookie = res.cookies().find(|c| c.name() == COOKIE)?;
        read(&TestRequest::default().cookie(cookie).to_http_request())
    }

    #[test]
    fn a_message_comes_back_with_its_level() {
        let message = "Rien n'a changé : « \"x\" »\n";
        let res = redirect("/", Level::Error, message, false);
        assert_eq!(
            read_back(&res),
            Some(Flash {
                level: Level::Error,
                message: message.into()
            })
        );
    }

    #[test]
    fn cookies_written_before_the_level_type_are_still_read() {
        // The cookie's shape before `Level`: the level's code as a plain string.
        let old = serde_json::json!({ "level": Level::Success.code(), "message": "Enregistré." });
        let old = URL_SAFE_NO_PAD.encode(old.to_string());
        let req = TestRequest::default()
            .cookie(Cookie::new(COOKIE, old))
            .to_http_request();
        assert_eq!(read(&req).map(|f| f.level), Some(Level::Success));
        let unknown = URL_SAFE_NO_PAD.encode(r#"{"level":"autre","message":"x"}"#);
        let req = TestRequest::default()
            .cookie(Cookie::new(COOKIE, unknown))
            .to_http_request();
        assert_eq!(read(&req).map(|f| f.level), Some(Level::Info));
    }
}
