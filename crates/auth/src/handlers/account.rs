//! « Mon compte »: who I am, my roles, changing my password.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::{flash, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::config::AuthConfig;
use crate::{notifications, password, service};

/// A mail topic as the account page shows it.
#[derive(Debug, Serialize)]
struct TopicChoice {
    key: &'static str,
    label: &'static str,
    on: bool,
}

async fn page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    status: StatusCode,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let topics = csc_web::render::ui(req)?.topics_for(who);
    let uid = who.user_id;
    let off = db
        .run(move |c| Ok(notifications::turned_off(c, uid)?))
        .await?;
    let topics: Vec<TopicChoice> = topics
        .into_iter()
        .map(|t| TopicChoice {
            key: t.key,
            label: t.label,
            on: !off.iter().any(|k| k == t.key),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Mon compte");
    ctx.insert("errors", errors);
    ctx.insert("min_len", &password::MIN_LEN);
    ctx.insert("topics", &topics);
    render_status(req, status, "auth/account.html", ctx)
}

/// `GET /mon-compte`
pub async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    page(&req, &who, &db, StatusCode::OK, &FieldErrors::new()).await
}

/// `POST /mon-compte/courriels`: the mail topics the user keeps (checked boxes `t_{key}`).
pub async fn set_topics(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let topics = csc_web::render::ui(&req)?.topics_for(&who);
    let form = form.into_inner();
    let uid = who.user_id;
    db.write(move |c| {
        for t in topics {
            notifications::set(c, uid, t.key, form.contains_key(&format!("t_{}", t.key)))?;
        }
        Ok(())
    })
    .await?;
    flash::redirect_with(
        &req,
        "/mon-compte#courriels",
        flash::Level::Success,
        "Vos choix de courriels sont enregistrés.",
    )
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
        return page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, &errors).await;
    }
    let hash = password::hash(&form.password)?;
    let (uid, sid) = (who.user_id, who.session_id.clone());
    let client = csc_web::client_addr(&req, auth.trust_proxy);
    let result = db
        .write(move |c| service::change_password(c, uid, &sid, &form.current, &hash, &client))
        .await?;
    match result {
        Ok(()) => Ok(flash::redirect(
            "/mon-compte",
            flash::Level::Success,
            "Votre mot de passe a été changé. Vos autres appareils ont été déconnectés.",
            auth.secure_cookies,
        )),
        Err(msg) => {
            errors.add("current", msg);
            page(&req, &who, &db, StatusCode::UNPROCESSABLE_ENTITY, &errors).await
        }
    }
}
