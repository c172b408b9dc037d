//! The optional account, offered once the family has sent its form: it lets the family find its
//! household again without the mailed link. Families who lost a link get a new one.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres;
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_mail::Mailer;
use csc_members::household;
use csc_web::flash::Level;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render};
use serde::Serialize;
use tera::Context;

use crate::families::{self, AccountOutcome};
use crate::requests;

pub fn routes(r: &mut Routes) {
    r.post("/foyer/{secret}/compte", Access::Secret, create_account)
        .post(
            "/foyer/{secret}/demandes/{id}/ouvrir",
            Access::Secret,
            open_request,
        )
        .get("/mes-foyers", Access::SignedIn, my_households)
        .post("/mes-foyers/{id}/ouvrir", Access::SignedIn, open_household);
}

fn back(
    req: &HttpRequest,
    to: &str,
    level: Level,
    message: &str,
) -> Result<HttpResponse, AppError> {
    flash::redirect_with(req, to, level, message)
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
    let here = format!("{}/foyer/{secret}", crate::MOUNT);
    let mailer = mailer.into_inner();
    let signed_in = who.map(|w| w.user_id);
    let outcome = db
        .write(move |c| families::attach_account(c, &mailer, &secret, signed_in))
        .await?;
    let (level, message) = match outcome {
        AccountOutcome::Mailed => (Level::Success, "Un e-mail vient d'être envoyé à l'adresse de votre foyer : il vous explique comment accéder à votre compte. Pensez à regarder dans les courriers indésirables."),
        AccountOutcome::Attached => (Level::Success, "Votre foyer est rattaché à votre compte."),
        AccountOutcome::AlreadyAttached => (Level::Success, "Votre foyer est déjà rattaché à un compte."),
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
        .write(move |c| {
            if !household::of_user(c, user)?.iter().any(|h| h.id == id) {
                return Err(AppError::NotFound);
            }
            Ok(household::renew_secret(c, id)?)
        })
        .await?;
    Ok(flash::see_other(&format!(
        "{}/foyer/{secret}",
        crate::MOUNT
    )))
}

/// `POST /preinscription/foyer/{secret}/demandes/{id}/ouvrir`: a new private link for one of the
/// household's requests (the link of the earlier mail stops working).
async fn open_request(
    db: web::Data<Db>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (secret, id) = path.into_inner();
    let new = db
        .write(move |c| {
            let h = household::by_secret(c, &secret)?;
            requests::renew_secret(c, h.id, id)
        })
        .await?;
    Ok(flash::see_other(&format!("{}/demande/{new}", crate::MOUNT)))
}
