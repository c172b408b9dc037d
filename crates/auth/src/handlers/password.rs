//! Forgotten password and setting a password from a mailed link (reset or invitation).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Email};
use csc_db::Db;
use csc_mail::Mailer;
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::config::AuthConfig;
use crate::{password, service, tokens};

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

/// `GET /mot-de-passe-oublie`
pub async fn forgot_page(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Mot de passe oublié");
    ctx.insert("values", &ForgotForm::default());
    render(&req, "auth/forgot.html", ctx)
}

/// `POST /mot-de-passe-oublie`
pub async fn forgot_submit(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    auth: web::Data<AuthConfig>,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(msg) => {
            let mut errors = FieldErrors::new();
            errors.add("email", msg);
            let mut ctx = Context::new();
            ctx.insert("title", "Mot de passe oublié");
            ctx.insert("values", &form.into_inner());
            ctx.insert("errors", &errors);
            return render_status(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                "auth/forgot.html",
                ctx,
            );
        }
    };
    let mailer = mailer.into_inner();
    db.write(move |c| service::request_reset(c, &mailer, &email))
        .await?;
    Ok(flash::redirect(
        "/connexion",
        flash::Level::Info,
        "Si un compte existe avec cette adresse, un courriel vient de lui être envoyé avec un lien \
         pour choisir un nouveau mot de passe. Le lien est valable une heure.",
        auth.secure_cookies,
    ))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub jeton: String,
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    pub jeton: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirmation: String,
}

fn new_password_page(
    req: &HttpRequest,
    status: StatusCode,
    token: &str,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Choisir mon mot de passe");
    ctx.insert("token", token);
    ctx.insert("errors", errors);
    ctx.insert("min_len", &password::MIN_LEN);
    render_status(req, status, "auth/new_password.html", ctx)
}

/// `GET /mot-de-passe/nouveau?jeton=…`
pub async fn new_password(
    req: HttpRequest,
    db: web::Data<Db>,
    q: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = q.into_inner().jeton;
    let t = token.clone();
    db.run(move |c| tokens::peek(c, &t)).await?;
    new_password_page(&req, StatusCode::OK, &token, &FieldErrors::new())
}

/// `POST /mot-de-passe/nouveau`
pub async fn new_password_submit(
    req: HttpRequest,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    form: web::Form<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    if let Err(msg) = password::check_new(&form.password, &form.confirmation) {
        let mut errors = FieldErrors::new();
        errors.add("password", msg);
        return new_password_page(&req, StatusCode::UNPROCESSABLE_ENTITY, &form.jeton, &errors);
    }
    let hash = password::hash(&form.password)?;
    let token = form.jeton;
    db.write(move |c| service::set_password_with_token(c, &token, &hash))
        .await?;
    Ok(flash::redirect(
        "/connexion",
        flash::Level::Success,
        "Votre mot de passe est enregistré. Vous pouvez maintenant vous connecter.",
        auth.secure_cookies,
    ))
}
