//! The reception's decisions on a request: validate, refuse, wait-list, change a day's unit,
//! cancel a day, membership paid, QF proof. Each change mails the family.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_mail::Mailer;
use serde::Deserialize;

use super::{done, staff_centre};
use crate::{activities, grids, notify, requests, RECEPTION};

#[derive(Debug, Deserialize)]
pub(super) struct StatusForm {
    #[serde(default)]
    status: String,
}

/// `POST …/demandes/{id}/statut`: validate or refuse; the family gets a mail.
pub(super) async fn set_status(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let status = form.into_inner().status;
    if status != "validee" && status != "refusee" {
        return Err(AppError::bad_request("Décision inconnue."));
    }
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if r.status == "annulee" {
            return Err(AppError::Conflict(
                "Cette demande a été annulée par la famille.".into(),
            ));
        }
        if status == "refusee" {
            let promoted = requests::cancel_days(c, id, None)?;
            notify::place_freed(c, &mailer, &promoted)?;
        }
        requests::set_status(c, centre_id, id, &status)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La décision est enregistrée et la famille est prévenue par e-mail.",
    )
}

/// `POST …/demandes/{id}/adhesion/{membership}`: the membership is paid and valid.
pub(super) async fn membership_validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, membership) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        let mine = csc_members::membership::of_household(c, r.household_id)?
            .iter()
            .any(|m| m.id == membership);
        if !mine {
            return Err(AppError::NotFound);
        }
        csc_members::membership::validate(c, centre_id, membership)?;
        Ok(())
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "L'adhésion est validée.",
    )
}

#[derive(Debug, Deserialize)]
pub(super) struct LineForm {
    line: i64,
}

/// `POST …/demandes/{id}/annuler-jour`: one day removed; its place goes to the waiting list.
pub(super) async fn cancel_day(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<LineForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let line = form.into_inner().line;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if !requests::lines(c, r.id)?
            .iter()
            .any(|l| l.id == line && l.state != "annulee")
        {
            return Err(AppError::NotFound);
        }
        let promoted = requests::cancel_days(c, r.id, Some(&[line]))?;
        notify::place_freed(c, &mailer, &promoted)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "Le jour est annulé ; la famille est prévenue.",
    )
}

/// `POST …/demandes/{id}/liste-attente`: the request's reserved days go behind the children
/// waiting; the families concerned are told.
pub(super) async fn wait_list(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        if r.status == "annulee" || r.status == "refusee" {
            return Err(AppError::Conflict(
                "Cette demande est annulée ou refusée.".into(),
            ));
        }
        let promoted = requests::wait_list(c, r.id)?;
        notify::place_freed(c, &mailer, &promoted)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La demande est en liste d'attente ; la famille est prévenue.",
    )
}

#[derive(Debug, Deserialize)]
pub(super) struct UnitForm {
    line: i64,
    #[serde(default)]
    unit: String,
}

/// `POST …/demandes/{id}/formule`: one day changes unit, priced again with the grid.
pub(super) async fn change_unit(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let UnitForm { line, unit } = form.into_inner();
    let unit = csc_pricing::Unit::parse(&unit)
        .map_err(|_| AppError::bad_request("Choisissez une des formules proposées."))?;
    let mailer = mailer.into_inner();
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        let activity = activities::get(c, centre_id, r.activity_id)?;
        let groups = activities::groups(c, activity.id)?;
        let household = csc_members::household::get(c, centre_id, r.household_id)?;
        let kids = csc_members::household::children(c, household.id)?;
        let candidates = requests::candidates(&activity, &groups, kids);
        let lines = requests::lines(c, r.id)?;
        let grid = grids::get(c, centre_id, activity.grid_id)?.grid()?;
        let quote = requests::reprice(
            &grid,
            &household,
            &activity,
            &candidates,
            &lines,
            line,
            unit,
        )
        .map_err(AppError::BadRequest)?;
        requests::change_unit(c, r.id, line, unit, &quote)?;
        let changed = requests::get(c, centre_id, id)?;
        notify::status_changed(c, &mailer, changed)
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "La formule est changée et le prix recalculé ; la famille est prévenue.",
    )
}

#[derive(Debug, Deserialize)]
pub(super) struct ProofForm {
    #[serde(default)]
    proof: String,
}

/// `POST …/demandes/{id}/justificatif-qf`: where the family's QF proof stands.
pub(super) async fn qf_proof(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ProofForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id) = path.into_inner();
    staff_centre(&db, &who, centre_id, &RECEPTION).await?;
    let proof = form.into_inner().proof;
    if !csc_members::household::QF_PROOFS
        .iter()
        .any(|(c, _)| *c == proof)
    {
        return Err(AppError::bad_request("Choisissez l'état du justificatif."));
    }
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        csc_members::household::set_qf_proof(c, r.household_id, &proof)?;
        Ok(())
    })
    .await?;
    done(
        &req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        "L'état du justificatif de quotient familial est enregistré.",
    )
}
