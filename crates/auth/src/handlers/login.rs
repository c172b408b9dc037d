//! Sign-in and sign-out pages.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{time, AppError, Email, Identity};
use csc_db::Db;
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::config::AuthConfig;
use crate::jwt::Claims;
use crate::service::{self, LoginOutcome};
use crate::sessions;
use csc_web::local_path as safe_next;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default, skip_serializing)]
    pub password: String,
    #[serde(default)]
    pub suivant: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub suivant: Option<String>,
}

fn page(
    req: &HttpRequest,
    status: StatusCode,
    form: &LoginForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Se connecter");
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "auth/login.html", ctx)
}

/// `GET /connexion`
pub async fn login_page(
    req: HttpRequest,
    who: Option<Identity>,
    q: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(q.suivant.as_deref().unwrap_or("/"));
    if who.is_some() {
        return Ok(flash::see_other(&next));
    }
    let form = LoginForm {
        suivant: next,
        ..Default::default()
    };
    page(&req, StatusCode::OK, &form, &FieldErrors::new())
}

/// `POST /connexion`
pub async fn login_submit(
    req: HttpRequest,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let mut form = form.into_inner();
    form.suivant = safe_next(&form.suivant);
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(&form.email));
    if form.password.is_empty() {
        errors.add("password", "Indiquez votre mot de passe.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return page(&req, StatusCode::UNPROCESSABLE_ENTITY, &form, &errors);
    };
    let client = csc_web::client_addr(&req, auth.trust_proxy);
    let pw = std::mem::take(&mut form.password);
    let hours = auth.session_hours;
    let outcome = db
        .write(move |c| service::login(c, &email, &pw, &client, hours))
        .await?;
    match outcome {
        LoginOutcome::Success {
            user,
            session_id,
            expires,
        } => {
            let token = issue(&auth, user.id, session_id, expires)?;
            Ok(HttpResponse::SeeOther()
                .insert_header(("Location", form.suivant.clone()))
                .cookie(auth.session_cookie(token))
                .finish())
        }
        LoginOutcome::BadCredentials => {
            errors.add("email", "Adresse e-mail ou mot de passe incorrect.");
            page(&req, StatusCode::UNAUTHORIZED, &form, &errors)
        }
        LoginOutcome::Blocked(until) => {
            let minutes = ((until - time::now()).num_seconds().max(0) + 59) / 60;
            errors.add(
                "email",
                format!(
                    "Trop de tentatives de connexion. Par sécurité, réessayez dans {} minute{}. \
                     Si vous avez oublié votre mot de passe, utilisez le lien « Mot de passe oublié ».",
                    minutes.max(1),
                    if minutes > 1 { "s" } else { "" }
                ),
            );
            let mut res = page(&req, StatusCode::TOO_MANY_REQUESTS, &form, &errors)?;
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(minutes.max(1) * 60),
            );
            Ok(res)
        }
    }
}

/// Signs a session token.
pub fn issue(
    auth: &AuthConfig,
    user_id: i64,
    session_id: String,
    expires: chrono::NaiveDateTime,
) -> Result<String, AppError> {
    auth.keys
        .issue(&Claims {
            sub: user_id.to_string(),
            jti: session_id,
            iat: chrono::Utc::now().timestamp(),
            exp: expires.and_utc().timestamp(),
        })
        .map_err(AppError::Internal)
}

/// `GET /deconnexion`: a page with the button (signing out changes state, so it is a POST).
pub async fn logout_page(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Se déconnecter");
    render(&req, "auth/logout.html", ctx)
}

/// `POST /deconnexion`
pub async fn logout(
    who: Option<Identity>,
    db: web::Data<Db>,
    auth: web::Data<AuthConfig>,
) -> Result<HttpResponse, AppError> {
    if let Some(who) = who {
        let sid = who.session_id.clone();
        db.write(move |c| sessions::revoke(c, &sid).map_err(Into::into))
            .await?;
    }
    let mut res = flash::redirect(
        "/",
        flash::Level::Success,
        "Vous êtes déconnecté·e. À bientôt !",
        auth.secure_cookies,
    );
    res.add_cookie(&auth.removal_cookie())
        .map_err(AppError::internal)?;
    Ok(res)
}
