//! The referent's pages (`/kiosque/gestion/{centre}`): portal personalisation, guides, local links,
//! kiosks, help directory; workshops for referents and animators.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{time, AppError, Identity};
use csc_db::Db;
use csc_web::forms::optional;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render, render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::{managed_centre, MANAGERS, WORKSHOP_STAFF};
use crate::kiosks;
use crate::links;
use crate::portal;

mod help_desks;
mod kiosk_pages;
mod procedures;
mod workshops;

use help_desks::*;
use kiosk_pages::*;
use procedures::*;
use workshops::*;

pub fn routes(r: &mut Routes) {
    let managers = Access::Staff(MANAGERS);
    let workshops = Access::Staff(WORKSHOP_STAFF);
    r.get("/gestion", workshops, index)
        .get("/gestion/{centre}", workshops, overview)
        .post("/gestion/{centre}/accueil", managers, set_welcome)
        .get("/gestion/{centre}/demarches", managers, procedures)
        .get(
            "/gestion/{centre}/demarches/{id}/fiche",
            managers,
            guide_form,
        )
        .post(
            "/gestion/{centre}/demarches/{id}/fiche",
            managers,
            guide_save,
        )
        .post(
            "/gestion/{centre}/demarches/{id}/{action}",
            managers,
            arrange,
        )
        .post("/gestion/{centre}/liens", managers, add_link)
        .post(
            "/gestion/{centre}/liens/{id}/supprimer",
            managers,
            remove_link,
        )
        .get("/gestion/{centre}/bornes", managers, kiosks_page)
        .post("/gestion/{centre}/bornes", managers, kiosk_create)
        .post("/gestion/{centre}/bornes/{id}", managers, kiosk_update)
        .post(
            "/gestion/{centre}/bornes/{id}/revoquer",
            managers,
            kiosk_revoke,
        )
        .get("/gestion/{centre}/aide", managers, help_desks)
        .post("/gestion/{centre}/aide", managers, help_desk_create)
        .get("/gestion/{centre}/aide/nouvelle", managers, help_desk_new)
        .get("/gestion/{centre}/aide/{id}", managers, help_desk_edit)
        .post("/gestion/{centre}/aide/{id}", managers, help_desk_update)
        .post(
            "/gestion/{centre}/aide/{id}/supprimer",
            managers,
            help_desk_delete,
        )
        .get("/gestion/{centre}/ateliers", workshops, workshops_page)
        .post("/gestion/{centre}/ateliers", workshops, workshop_create)
        .get("/gestion/{centre}/ateliers/{id}", workshops, workshop_show)
        .post(
            "/gestion/{centre}/ateliers/{id}",
            workshops,
            workshop_update,
        )
        .post(
            "/gestion/{centre}/ateliers/{id}/supprimer",
            workshops,
            workshop_delete,
        )
        .post(
            "/gestion/{centre}/ateliers/{id}/inscrits/{signup}/supprimer",
            workshops,
            signup_delete,
        );
}

/// After a change: the portals of this database are reloaded, then a redirect with a success
/// message.
pub(crate) fn done(
    req: &HttpRequest,
    location: &str,
    message: &str,
) -> Result<HttpResponse, AppError> {
    super::portal_cache(req)?.invalidate();
    flash::redirect_with(req, location, flash::Level::Success, message)
}

fn base_context(centre: &Centre, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("managed", centre);
    ctx.insert("can_manage", &who.has_any_role(centre.id, MANAGERS));
    ctx
}

/// `GET /kiosque/gestion`: the centres this user looks after.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db
        .run(move |c| centres::staffed_by(c, &me, WORKSHOP_STAFF))
        .await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(HttpResponse::SeeOther()
            .insert_header((
                "Location",
                format!("{}/gestion/{}", crate::MOUNT, mine[0].id),
            ))
            .finish());
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Gérer le kiosque");
    ctx.insert("centres", &mine);
    render(&req, "kiosque/manage_index.html", ctx)
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct WelcomeForm {
    #[serde(default)]
    welcome: String,
}

async fn overview_page(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    status: StatusCode,
    welcome: Option<(WelcomeForm, FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let id = centre.id;
    let (current, broken, kiosks, last_check) = db
        .run(move |c| {
            Ok((
                portal::welcome(c, id)?,
                links::broken(c, Some(id))?,
                kiosks::of_centre(c, id)?,
                links::last_run(c)?.map(time::format_paris),
            ))
        })
        .await?;
    let mut ctx = base_context(&centre, who, &format!("Kiosque — {}", centre.name));
    let (values, errors) =
        welcome.unwrap_or((WelcomeForm { welcome: current }, FieldErrors::new()));
    ctx.insert("values", &values);
    ctx.insert("errors", &errors);
    ctx.insert("broken", &broken);
    ctx.insert("last_check", &last_check);
    ctx.insert(
        "kiosk_count",
        &kiosks.iter().filter(|k| k.revoked_at.is_none()).count(),
    );
    render_status(req, status, "kiosque/manage.html", ctx)
}

/// `GET /kiosque/gestion/{centre}`.
async fn overview(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), WORKSHOP_STAFF).await?;
    overview_page(&req, &who, &db, centre, StatusCode::OK, None).await
}

/// `POST /kiosque/gestion/{centre}/accueil`: the welcome text of the portal.
async fn set_welcome(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<WelcomeForm>,
) -> Result<HttpResponse, AppError> {
    let centre = managed_centre(&db, &who, path.into_inner(), MANAGERS).await?;
    let form = form.into_inner();
    let text = match optional(&form.welcome, 500) {
        Ok(t) => t,
        Err(msg) => {
            let mut e = FieldErrors::new();
            e.add("welcome", msg);
            return overview_page(
                &req,
                &who,
                &db,
                centre,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((form, e)),
            )
            .await;
        }
    };
    let id = centre.id;
    db.write(move |c| Ok(portal::set_welcome(c, id, &text)?))
        .await?;
    done(
        &req,
        &format!("{}/gestion/{id}", crate::MOUNT),
        "Le texte d'accueil a été enregistré.",
    )
}
