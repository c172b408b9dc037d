//! The reception's decisions on a request: validate, refuse, wait-list, change a day's unit,
//! cancel a day, membership paid, QF proof. Each decision on the request itself mails the family.

use std::sync::Arc;

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::{Db, DbConn};
use csc_mail::Mailer;
use serde::Deserialize;

use super::{done, staff_centre};
use crate::requests::{self, Request};
use crate::{activities, grids, notify, RECEPTION};

/// The shape every decision shares: the reception of the request's centre only (checked before
/// the form's `input`, so others learn nothing from it); `act` runs in one blocking call with the
/// request and the input; then back to the request's page with `message`.
async fn decide<T, F>(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    (centre_id, id): (i64, i64),
    input: Result<T, AppError>,
    message: &str,
    act: F,
) -> Result<HttpResponse, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, Request, T) -> Result<(), AppError> + Send + 'static,
{
    staff_centre(db, who, centre_id, &RECEPTION).await?;
    let input = input?;
    db.run(move |c| {
        let r = requests::get(c, centre_id, id)?;
        act(c, r, input)
    })
    .await?;
    done(
        req,
        &format!("/preinscription/gestion/{centre_id}/demandes/{id}"),
        message,
    )
}

/// Mails the families who got a freed place, then this family about its request's change.
fn tell(c: &mut DbConn, mailer: &Mailer, r: &Request, promoted: &[i64]) -> Result<(), AppError> {
    notify::place_freed(c, mailer, promoted)?;
    let changed = requests::get(c, r.centre_id, r.id)?;
    notify::status_changed(c, mailer, changed)
}

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
    let status = Some(form.into_inner().status)
        .filter(|s| s == "validee" || s == "refusee")
        .ok_or_else(|| AppError::bad_request("Décision inconnue."));
    let mailer: Arc<Mailer> = mailer.into_inner();
    let message = "La décision est enregistrée et la famille est prévenue par e-mail.";
    decide(
        &req,
        &who,
        &db,
        path.into_inner(),
        status,
        message,
        move |c, r, status| {
            if r.status == "annulee" {
                return Err(AppError::Conflict(
                    "Cette demande a été annulée par la famille.".into(),
                ));
            }
            let promoted = if status == "refusee" {
                requests::cancel_days(c, r.id, None)?
            } else {
                Vec::new()
            };
            requests::set_status(c, r.centre_id, r.id, &status)?;
            tell(c, &mailer, &r, &promoted)
        },
    )
    .await
}

/// `POST …/demandes/{id}/adhesion/{membership}`: the membership is paid and valid.
pub(super) async fn membership_validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, membership) = path.into_inner();
    let message = "L'adhésion est validée.";
    decide(
        &req,
        &who,
        &db,
        (centre_id, id),
        Ok(()),
        message,
        move |c, r, ()| {
            let mine = csc_members::membership::of_household(c, r.household_id)?
                .iter()
                .any(|m| m.id == membership);
            if !mine {
                return Err(AppError::NotFound);
            }
            csc_members::membership::validate(c, centre_id, membership)?;
            Ok(())
        },
    )
    .await
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
    let line = Ok(form.into_inner().line);
    let mailer = mailer.into_inner();
    let message = "Le jour est annulé ; la famille est prévenue.";
    decide(
        &req,
        &who,
        &db,
        path.into_inner(),
        line,
        message,
        move |c, r, line| {
            if !requests::lines(c, r.id)?
                .iter()
                .any(|l| l.id == line && l.state != "annulee")
            {
                return Err(AppError::NotFound);
            }
            let promoted = requests::cancel_days(c, r.id, Some(&[line]))?;
            tell(c, &mailer, &r, &promoted)
        },
    )
    .await
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
    let mailer = mailer.into_inner();
    let message = "La demande est en liste d'attente ; la famille est prévenue.";
    decide(
        &req,
        &who,
        &db,
        path.into_inner(),
        Ok(()),
        message,
        move |c, r, ()| {
            if r.status == "annulee" || r.status == "refusee" {
                return Err(AppError::Conflict(
                    "Cette demande est annulée ou refusée.".into(),
                ));
            }
            let promoted = requests::wait_list(c, r.id)?;
            tell(c, &mailer, &r, &promoted)
        },
    )
    .await
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
    let UnitForm { line, unit } = form.into_inner();
    let unit = csc_pricing::Unit::parse(&unit)
        .map(|u| (line, u))
        .map_err(|_| AppError::bad_request("Choisissez une des formules proposées."));
    let mailer = mailer.into_inner();
    let message = "La formule est changée et le prix recalculé ; la famille est prévenue.";
    decide(
        &req,
        &who,
        &db,
        path.into_inner(),
        unit,
        message,
        move |c, r, (line, unit)| {
            let activity = activities::get(c, r.centre_id, r.activity_id)?;
            let groups = activities::groups(c, activity.id)?;
            let household = csc_members::household::get(c, r.centre_id, r.household_id)?;
            let kids = csc_members::household::children(c, household.id)?;
            let candidates = requests::candidates(&activity, &groups, kids);
            let lines = requests::lines(c, r.id)?;
            let grid = grids::get(c, r.centre_id, activity.grid_id)?.grid()?;
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
            tell(c, &mailer, &r, &[])
        },
    )
    .await
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
    let proof = Some(form.into_inner().proof)
        .filter(|p| {
            csc_members::household::QF_PROOFS
                .iter()
                .any(|(c, _)| c == p)
        })
        .ok_or_else(|| AppError::bad_request("Choisissez l'état du justificatif."));
    let message = "L'état du justificatif de quotient familial est enregistré.";
    decide(
        &req,
        &who,
        &db,
        path.into_inner(),
        proof,
        message,
        move |c, r, proof| {
            csc_members::household::set_qf_proof(c, r.household_id, &proof)?;
            Ok(())
        },
    )
    .await
}
