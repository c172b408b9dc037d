//! « Mon compte »: who I am, my roles, changing my password.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::{flash, render_status, FieldErrors};
use serde::Deserialize;
use tera::Context;

use crate::config::AuthConfig;
use crate::{password, service};

fn page(
    req: &HttpRequest,
    status: StatusCode,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Mon compte");
    ctx.insert("errors", errors);
    ctx.insert("min_len", &password::MIN_LEN);
    render_status(req, status, "auth/account.html", ctx)
}

/// `GET /mon-compte`
pub async fn show(req: HttpRequest, _who: Identity) -> Result<HttpResponse, AppError> {
    page(&req, StatusCode::OK, &FieldErrors::new())
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirmation: String,
}

/// `POST /mon-compte/mot-de-passe`: other sessions of the account are revoked.
pub async fn change_password(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    if form.current.is_empty() {
        errors.add("current", "Indiquez votre mot de passe actuel.");
    }
    if let Err(msg) = password::check_new(&form.password, &form.confirmation) {
        errors.add("password", msg);
    }
    if !errors.is_empty() {
        return page(&req, StatusCode::UNPROCESSABLE_ENTITY, &errors);
    }
    let hash = password::hash(&form.password)?;
    let (uid, sid) = (who.user_id, who.session_id.clone());
    let result = db
        .write(move |c| service::change_password(c, uid, &sid, &form.current, &hash))
        .await?;
    match result {
        Ok(()) => Ok(flash::redirect(
            "/mon-compte",
            "succes",
            "Votre mot de passe a été changé. Vos autres appareils ont été déconnectés.",
            auth.secure_cookies,
        )),
        Err(msg) => {
            errors.add("current", msg);
            page(&req, StatusCode::UNPROCESSABLE_ENTITY, &errors)
        }
    }
}
