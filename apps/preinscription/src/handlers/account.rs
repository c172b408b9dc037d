//! The optional account, offered once the family has sent its form: it lets the family find its
//! household again without the mailed link. Families who lost a link get a new one.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres;
use csc_auth::service::{self, Invitation};
use csc_core::{AppError, Email, Identity, Role};
use csc_db::Db;
use csc_mail::Mailer;
use csc_members::household;
use csc_web::{flash, render};
use serde::Serialize;
use tera::Context;

use crate::requests;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/foyer/{secret}/compte", web::post().to(create_account))
        .route(
            "/foyer/{secret}/demandes/{id}/ouvrir",
            web::post().to(open_request),
        )
        .route("/mes-foyers", web::get().to(my_households))
        .route("/mes-foyers/{id}/ouvrir", web::post().to(open_household));
}

fn back(req: &HttpRequest, to: &str, level: &str, message: &str) -> Result<HttpResponse, AppError> {
    flash::redirect_from(req, to, level, message)
}

/// `POST /preinscription/foyer/{secret}/compte`: an account for the adult who filled the form.
/// A new account gets a mail to choose its password (which proves the address); an existing
/// one is attached only when its owner is signed in.
async fn create_account(
    req: HttpRequest,
    who: Option<Identity>,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let here = format!("/preinscription/foyer/{secret}");
    let mailer = mailer.into_inner();
    let outcome = db
        .run(move |c| {
            let h = household::by_secret(c, &secret)?;
            let adults = household::adults(c, h.id)?;
            let adult = adults.first().ok_or(AppError::NotFound)?;
            let email = Email::parse(&adult.email).map_err(AppError::BadRequest)?;
            if h.user_id.is_some() {
                return Ok("deja");
            }
            match csc_auth::users::by_email(c, &email)? {
                Some(user) => match who {
                    Some(me) if me.user_id == user.id => {
                        household::set_user(c, h.id, user.id)?;
                        Ok("rattache")
                    }
                    _ => Ok("existe"),
                },
                None => {
                    let centre = centres::get(c, h.centre_id)?;
                    let name = format!("{} {}", adult.first_name, adult.last_name);
                    service::invite(
                        c,
                        &mailer,
                        &Invitation {
                            email: &email,
                            display_name: &name,
                            centre_id: centre.id,
                            centre_name: &centre.name,
                            role: Role::Habitant,
                            invited_by: "la pré-inscription en ligne",
                        },
                    )?;
                    let user = csc_auth::users::by_email(c, &email)?.ok_or(AppError::NotFound)?;
                    household::set_user(c, h.id, user.id)?;
                    Ok("cree")
                }
            }
        })
        .await?;
    let (level, message) = match outcome {
        "cree" => ("succes", "Votre compte est créé : un e-mail vous a été envoyé pour choisir votre mot de passe."),
        "rattache" => ("succes", "Votre foyer est rattaché à votre compte."),
        "deja" => ("succes", "Votre foyer est déjà rattaché à un compte."),
        _ => ("erreur", "Un compte existe déjà avec cette adresse e-mail : connectez-vous, puis revenez sur cette page pour y rattacher votre foyer."),
    };
    back(&req, &format!("{here}#compte"), level, message)
}

/// A household as its account sees it.
#[derive(Debug, Serialize)]
struct Mine {
    id: i64,
    centre: String,
    children: Vec<String>,
}

/// `GET /preinscription/mes-foyers`: the households attached to the signed-in account.
async fn my_households(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let user = who.user_id;
    let mine = db
        .run(move |c| {
            let mut out = Vec::new();
            for h in household::of_user(c, user)? {
                out.push(Mine {
                    id: h.id,
                    centre: centres::get(c, h.centre_id)?.name,
                    children: household::children(c, h.id)?
                        .into_iter()
                        .map(|k| k.first_name)
                        .collect(),
                });
            }
            Ok(out)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Mes foyers");
    ctx.insert("mine", &mine);
    render(&req, "preinscription/mine.html", ctx)
}

/// `POST /preinscription/mes-foyers/{id}/ouvrir`: a new private link for the account's household.
async fn open_household(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let user = who.user_id;
    let secret = db
        .run(move |c| {
            if !household::of_user(c, user)?.iter().any(|h| h.id == id) {
                return Err(AppError::NotFound);
            }
            Ok(household::renew_secret(c, id)?)
        })
        .await?;
    Ok(flash::see_other(&format!("/preinscription/foyer/{secret}")))
}

/// `POST /preinscription/foyer/{secret}/demandes/{id}/ouvrir`: a new private link for one of the
/// household's requests (the link of the earlier mail stops working).
async fn open_request(
    db: web::Data<Db>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (secret, id) = path.into_inner();
    let new = db
        .run(move |c| {
            let h = household::by_secret(c, &secret)?;
            requests::renew_secret(c, h.id, id)
        })
        .await?;
    Ok(flash::see_other(&format!("/preinscription/demande/{new}")))
}
