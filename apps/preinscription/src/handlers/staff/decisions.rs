//! The reception's decisions on a request: validate, refuse, wait-list, change a day's unit,
//! cancel a day, membership paid, QF proof. Each handler parses its form into a [`Decision`];
//! [`decisions::decide`] applies it with its mails in one transaction.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_mail::Mailer;
use csc_members::QfProof;
use serde::Deserialize;

use super::{done, staff_centre};
use crate::decisions::{self, Decision};
use crate::RECEPTION;

/// The shape every decision shares: the reception of the request's centre only (checked before
/// the form's `decision`, so others learn nothing from it), one write, then back to the
/// request's page.
async fn decide(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    mailer: web::Data<Mailer>,
    (centre_id, id): (i64, i64),
    decision: Result<Decision, AppError>,
) -> Result<HttpResponse, AppError> {
    staff_centre(db, who, centre_id, &RECEPTION).await?;
    let decision = decision?;
    let mailer = mailer.into_inner();
    db.write(move |c| decisions::decide(c, &mailer, centre_id, id, decision))
        .await?;
    done(
        req,
        &format!("{}/gestion/{centre_id}/demandes/{id}", crate::MOUNT),
        decision.message(),
    )
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
    let decision = Decision::verdict(&form.status);
    decide(&req, &who, &db, mailer, path.into_inner(), decision).await
}

/// `POST …/demandes/{id}/adhesion/{membership}`: the membership is paid and valid.
pub(super) async fn membership_validate(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, id, membership) = path.into_inner();
    let decision = Ok(Decision::MembershipPaid { membership });
    decide(&req, &who, &db, mailer, (centre_id, id), decision).await
}

/// The day of a request a decision is about (checked after the reception's role).
#[derive(Debug, Deserialize)]
pub(super) struct LineForm {
    #[serde(default)]
    line: Option<i64>,
}

fn line_of(line: Option<i64>) -> Result<i64, AppError> {
    line.ok_or_else(|| AppError::bad_request("Choisissez le jour de la demande."))
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
    let decision = line_of(form.line).map(|line| Decision::CancelDay { line });
    decide(&req, &who, &db, mailer, path.into_inner(), decision).await
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
    decide(
        &req,
        &who,
        &db,
        mailer,
        path.into_inner(),
        Ok(Decision::WaitList),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(super) struct UnitForm {
    #[serde(default)]
    line: Option<i64>,
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
    let decision = line_of(line).and_then(|line| {
        csc_pricing::Unit::parse(&unit)
            .map(|unit| Decision::ChangeUnit { line, unit })
            .map_err(|_| AppError::bad_request("Choisissez une des formules proposées."))
    });
    decide(&req, &who, &db, mailer, path.into_inner(), decision).await
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
    mailer: web::Data<Mailer>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ProofForm>,
) -> Result<HttpResponse, AppError> {
    let decision = QfProof::parse(&form.proof)
        .map(Decision::QfProof)
        .ok_or_else(|| AppError::bad_request("Choisissez l'état du justificatif."));
    decide(&req, &who, &db, mailer, path.into_inner(), decision).await
}
