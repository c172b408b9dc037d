//! The families' journey: the centre's offer, the household form (adhésion), the family page,
//! the choice of days with the price shown before sending, the request's private page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::Coded;
use csc_core::{time, AppError};
use csc_db::Db;
use csc_mail::Mailer;
use csc_members::{household, Family, HouseholdForm, MAX_CHILDREN};
use csc_web::flash::Level;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render, render_status, FieldErrors};
use serde::Serialize;
use tera::Context;

use crate::activities::{self, Activity};
use crate::requests;
use crate::rgpd;

mod choice;
mod request;

use choice::*;
use request::*;

pub fn routes(r: &mut Routes) {
    use Access::{Public, Secret};
    r.get("", Public, index)
        .get("/", Public, index)
        .get("/c/{slug}", Public, centre_page)
        .get("/c/{slug}/adhesion", Public, household_form)
        .post("/c/{slug}/adhesion", Public, household_create)
        .get("/foyer/{secret}", Secret, family_page)
        .get("/foyer/{secret}/donnees.json", Secret, family_data)
        .post("/foyer/{secret}/supprimer", Secret, family_erase)
        .get("/foyer/{secret}/activite/{id}", Secret, choice_form)
        .post("/foyer/{secret}/activite/{id}", Secret, choice_post)
        .get("/demande/{secret}", Secret, request_page)
        .post("/demande/{secret}/annuler", Secret, request_cancel)
        .get("/demande/{secret}/recapitulatif.pdf", Secret, request_pdf);
}

/// `GET /preinscription`: the centres that open pre-registration.
async fn index(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let offers = db
        .run(|c| {
            let mut out = Vec::new();
            for centre in centres::list(c)? {
                let open = activities::of_centre(c, centre.id, true)?;
                if !open.is_empty() {
                    out.push((centre, open.len()));
                }
            }
            Ok(out)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Pré-inscription en ligne");
    ctx.insert("offers", &offers);
    render(&req, "preinscription/index.html", ctx)
}

/// `GET /preinscription/c/{slug}`: what the centre opens.
async fn centre_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (centre, open) = db
        .run(move |c| {
            let centre = centres::by_slug(c, &slug)?;
            let open = activities::of_centre(c, centre.id, true)?;
            Ok((centre, open))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Pré-inscription — {}", centre.name));
    ctx.insert("activities", &activity_views(&open));
    ctx.insert("centre", &centre);
    render(&req, "preinscription/centre.html", ctx)
}

/// An activity as families see it.
#[derive(Debug, Serialize)]
struct ActivityView<'a> {
    activity: &'a Activity,
    kind: &'static str,
    first: String,
    last: String,
    days: usize,
}

fn activity_views(list: &[Activity]) -> Vec<ActivityView<'_>> {
    list.iter()
        .map(|a| {
            let days = a.days();
            ActivityView {
                activity: a,
                kind: a.kind_label(),
                first: days
                    .first()
                    .map(|d| time::format_date_long(*d))
                    .unwrap_or_default(),
                last: days
                    .last()
                    .map(|d| time::format_date_long(*d))
                    .unwrap_or_default(),
                days: days.len(),
            }
        })
        .collect()
}

fn household_page(
    req: &HttpRequest,
    centre: &Centre,
    form: &HouseholdForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Adhésion au centre — {}", centre.name));
    ctx.insert("centre", centre);
    ctx.insert("values", &form.0);
    ctx.insert("errors", errors);
    ctx.insert("schemes", &csc_members::Scheme::choices());
    ctx.insert("children", &(1..=MAX_CHILDREN).collect::<Vec<_>>());
    render_status(req, status, "preinscription/household.html", ctx)
}

/// `GET /preinscription/c/{slug}/adhesion`.
async fn household_form(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let centre = db.run(move |c| centres::by_slug(c, &slug)).await?;
    household_page(
        &req,
        &centre,
        &HouseholdForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
}

/// `POST /preinscription/c/{slug}/adhesion`: the household is recorded, its membership asked
/// for, and the family gets the private link of its page.
async fn household_create(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<HouseholdForm>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let centre = db.run(move |c| centres::by_slug(c, &slug)).await?;
    let form = form.into_inner();
    let data = match form.parse(time::today_paris()) {
        Ok(d) => d,
        Err(e) => {
            return household_page(&req, &centre, &form, &e, StatusCode::UNPROCESSABLE_ENTITY)
        }
    };
    let mailer = mailer.into_inner();
    let secret = db
        .write(move |c| crate::families::join(c, &mailer, &centre, &data))
        .await?;
    flash::redirect_with(
        &req,
        &format!("{}/foyer/{secret}", crate::MOUNT),
        Level::Success,
        "Votre demande d'adhésion est enregistrée. Gardez le lien de cette page : il vous a aussi été envoyé par e-mail.",
    )
}

/// The household a secret opens, with its family and centre.
async fn open_family(db: &Db, secret: String) -> Result<(Centre, Family), AppError> {
    db.run(move |c| {
        let h = household::by_secret(c, &secret)?;
        let centre = centres::get(c, h.centre_id)?;
        Ok((centre, household::family(c, h)?))
    })
    .await
}

/// `GET /preinscription/foyer/{secret}`: the family's page.
async fn family_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let (centre, family) = open_family(&db, secret.clone()).await?;
    let (hid, cid) = (family.household.id, centre.id);
    let (open, sent) = db
        .run(move |c| {
            let open = activities::of_centre(c, cid, true)?;
            let mut sent = Vec::new();
            for r in requests::of_household(c, hid)? {
                let activity = activities::get(c, cid, r.activity_id)?;
                sent.push((
                    activity.title,
                    r.status.label(),
                    requests::euros(r.total_cents),
                    time::format_paris(r.created_at),
                    r.id,
                    r.status != requests::RequestStatus::Cancelled,
                ));
            }
            Ok((open, sent))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Votre foyer");
    ctx.insert("centre", &centre);
    ctx.insert("family", &family);
    ctx.insert("secret", &secret);
    ctx.insert("activities", &activity_views(&open));
    ctx.insert("sent", &sent);
    render(&req, "preinscription/family.html", ctx)
}

/// `GET /preinscription/foyer/{secret}/donnees.json`: what the centre keeps about the family.
async fn family_data(db: web::Data<Db>, path: web::Path<String>) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    let data = db
        .run(move |c| {
            let h = household::by_secret(c, &secret)?;
            rgpd::export(c, h.id, h.centre_id)
        })
        .await?;
    let json = serde_json::to_string_pretty(&data).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"mes-donnees-preinscription.json\"",
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(json))
}

/// The deletion form: the family confirms.
#[derive(Debug, serde::Deserialize)]
struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /preinscription/foyer/{secret}/supprimer`: the household and its requests are deleted
/// now; their places go to the waiting list.
async fn family_erase(
    req: HttpRequest,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<String>,
    form: web::Form<EraseForm>,
) -> Result<HttpResponse, AppError> {
    let secret = path.into_inner();
    // A wrong link opens nothing, even the reminder to confirm.
    open_family(&db, secret.clone()).await?;
    if form.confirm.is_empty() {
        return flash::redirect_with(
            &req,
            &format!("{}/foyer/{secret}#donnees", crate::MOUNT),
            Level::Error,
            "Cochez la case de confirmation pour supprimer les données de votre foyer.",
        );
    }
    let mailer = mailer.into_inner();
    db.write(move |c| crate::families::erase(c, &mailer, &secret))
        .await?;
    flash::redirect_with(
        &req,
        crate::MOUNT,
        Level::Success,
        "Les données de votre foyer et vos demandes sont supprimées. Les liens reçus par e-mail ne fonctionnent plus.",
    )
}
