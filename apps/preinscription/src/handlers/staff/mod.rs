//! The staff's pages (`/preinscription/gestion/{centre}`): the reception follows requests
//! (validate, refuse, cancel a day, staff PDF); the referent sets up tariff grids and activities.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::flash::Level;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render};
use tera::Context;

use crate::requests::{self, ListFilter, RequestStatus};
use crate::{activities, summary, MANAGERS, RECEPTION};

mod decisions;
mod setup;

use decisions::*;
use setup::*;

pub fn routes(r: &mut Routes) {
    let reception = Access::Staff(&RECEPTION);
    let managers = Access::Staff(&MANAGERS);
    let request = "/gestion/{centre}/demandes/{id}";
    r.get("/gestion", reception, index)
        .get("/gestion/{centre}", reception, list)
        .get(request, reception, show)
        .get(format!("{request}/fiche.pdf"), reception, staff_pdf)
        .post(format!("{request}/statut"), reception, set_status)
        .post(
            format!("{request}/adhesion/{{membership}}"),
            reception,
            membership_validate,
        )
        .post(format!("{request}/justificatif-qf"), reception, qf_proof)
        .post(format!("{request}/liste-attente"), reception, wait_list)
        .post(format!("{request}/formule"), reception, change_unit)
        .post(format!("{request}/annuler-jour"), reception, cancel_day)
        .get("/gestion/{centre}/activites", managers, activities_page)
        .post("/gestion/{centre}/activites", managers, activity_create)
        .post(
            "/gestion/{centre}/activites/{id}/{action}",
            managers,
            activity_open,
        )
        .get("/gestion/{centre}/grilles", managers, grids_page)
        .post("/gestion/{centre}/grilles", managers, grid_import)
        .post("/gestion/{centre}/duree-adhesion", managers, set_validity)
        .get("/gestion/{centre}/grilles/{id}", managers, grid_export)
        .get("/gestion/{centre}/export", managers, export);
}

use csc_auth::centres::managed as staff_centre;

fn base(centre: &Centre, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("managed", centre);
    ctx.insert("can_manage", &who.has_any_role(centre.id, &MANAGERS));
    ctx
}

fn done(req: &HttpRequest, location: &str, message: &str) -> Result<HttpResponse, AppError> {
    flash::redirect_with(req, location, Level::Success, message)
}

/// `GET /preinscription/gestion`: the centres this user follows.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db
        .run(move |c| centres::staffed_by(c, &me, &RECEPTION))
        .await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(flash::see_other(&format!(
            "{}/gestion/{}",
            crate::MOUNT,
            mine[0].id
        )));
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Pré-inscriptions : choisir un centre");
    ctx.insert("centres", &mine);
    render(&req, "preinscription/staff_index.html", ctx)
}

/// `GET /preinscription/gestion/{centre}?statut=&activite=`: the requests.
async fn list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    filter: web::Query<ListFilter>,
) -> Result<HttpResponse, AppError> {
    let centre = staff_centre(&db, &who, path.into_inner(), &RECEPTION).await?;
    let filter = filter.into_inner();
    let (cid, f) = (centre.id, filter.clone());
    let (rows, acts) = db
        .run(move |c| {
            Ok((
                requests::list(c, cid, &f)?,
                activities::of_centre(c, cid, false)?,
            ))
        })
        .await?;
    let mut ctx = base(
        &centre,
        &who,
        &format!("Pré-inscriptions — {}", centre.name),
    );
    ctx.insert("rows", &rows);
    ctx.insert("activities", &acts);
    ctx.insert("statuses", &<RequestStatus as csc_core::Coded>::choices());
    ctx.insert("filter", &filter);
    render(&req, "preinscription/staff_list.html", ctx)
}

/// `GET /preinscription/gestion/{centre}/demandes/{id}`.
async fn show(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    let centre = staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let doc = db
        .run(move |c| {
            let r = requests::get(c, centre_id, id)?;
            summary::load(c, r, true)
        })
        .await?;
    let mut ctx = base(&centre, &who, &format!("Demande n° {}", doc.request.id));
    let units: Vec<(&str, &str)> = doc
        .activity
        .units()
        .into_iter()
        .map(|u| (u.code(), u.label()))
        .collect();
    ctx.insert("units", &units);
    ctx.insert(
        "proofs",
        &<csc_members::QfProof as csc_core::Coded>::choices(),
    );
    ctx.insert("validated", &RequestStatus::Validated);
    ctx.insert("refused", &RequestStatus::Refused);
    ctx.insert("doc", &doc);
    render(&req, "preinscription/staff_request.html", ctx)
}

/// `GET …/demandes/{id}/fiche.pdf`: the reception's copy (with health information).
async fn staff_pdf(
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let pdf = db
        .run(move |c| {
            let r = requests::get(c, centre_id, id)?;
            summary::pdf(&summary::load(c, r, true)?)
        })
        .await?;
    Ok(summary::pdf_response(id, pdf))
}
