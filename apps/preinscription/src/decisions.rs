//! The reception's decisions on a request, as one service: each decision changes the request
//! and queues the mails it causes in the caller's transaction (`Db::write`), so the family is
//! told exactly when the change is saved.

use csc_core::AppError;
use csc_db::DbConn;
use csc_mail::Mailer;
use csc_members::QfProof;
use csc_pricing::Unit;

use crate::requests::{self, DayState, Request, RequestStatus};
use crate::{activities, grids, notify};

/// What the reception decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The request is accepted (its reserved days stay reserved).
    Validate,
    /// The request is refused: its places go to the children waiting.
    Refuse,
    /// The reserved days go behind the children waiting.
    WaitList,
    /// One day is cancelled; its place goes to the first child waiting.
    CancelDay { line: i64 },
    /// One day changes unit and is priced again with the grid.
    ChangeUnit { line: i64, unit: Unit },
    /// A membership of the household is paid.
    MembershipPaid { membership: i64 },
    /// Where the household's QF proof stands.
    QfProof(QfProof),
}

impl Decision {
    /// The reception's verdict from the submitted status code (validated or refused only).
    pub fn verdict(code: &str) -> Result<Self, AppError> {
        match RequestStatus::parse(code) {
            Some(RequestStatus::Validated) => Ok(Self::Validate),
            Some(RequestStatus::Refused) => Ok(Self::Refuse),
            _ => Err(AppError::bad_request("Décision inconnue.")),
        }
    }

    /// What the reception is told once the decision is saved.
    pub fn message(self) -> &'static str {
        match self {
            Self::Validate | Self::Refuse => {
                "La décision est enregistrée et la famille est prévenue par e-mail."
            }
            Self::WaitList => "La demande est en liste d'attente ; la famille est prévenue.",
            Self::CancelDay { .. } => "Le jour est annulé ; la famille est prévenue.",
            Self::ChangeUnit { .. } => {
                "La formule est changée et le prix recalculé ; la famille est prévenue."
            }
            Self::MembershipPaid { .. } => "L'adhésion est validée.",
            Self::QfProof(_) => "L'état du justificatif de quotient familial est enregistré.",
        }
    }
}

/// Applies `decision` to request `id` of the centre and queues the mails it causes: the
/// families who got a freed place, then this family when its request changed.
pub fn decide(
    conn: &mut DbConn,
    mailer: &Mailer,
    centre_id: i64,
    id: i64,
    decision: Decision,
) -> Result<(), AppError> {
    let r = requests::get(conn, centre_id, id)?;
    let promoted = match decision {
        Decision::Validate | Decision::Refuse => {
            if r.status == RequestStatus::Cancelled {
                return Err(AppError::Conflict(
                    "Cette demande a été annulée par la famille.".into(),
                ));
            }
            let (status, promoted) = if decision == Decision::Refuse {
                (
                    RequestStatus::Refused,
                    requests::cancel_days(conn, r.id, None)?,
                )
            } else {
                // Its days holding a seat are now expected on the roll call.
                let days = requests::registrations_of(conn, r.id)?;
                csc_activities::registrations::confirm(conn, &days, true)?;
                (RequestStatus::Validated, Vec::new())
            };
            requests::set_status(conn, r.centre_id, r.id, status)?;
            promoted
        }
        Decision::WaitList => {
            if !r.status.is_open() {
                return Err(AppError::Conflict(
                    "Cette demande est annulée ou refusée.".into(),
                ));
            }
            requests::wait_list(conn, r.id)?
        }
        Decision::CancelDay { line } => {
            let active = requests::lines(conn, r.id)?
                .iter()
                .any(|l| l.id == line && l.state != DayState::Cancelled);
            if !active {
                return Err(AppError::NotFound);
            }
            requests::cancel_days(conn, r.id, Some(&[line]))?
        }
        Decision::ChangeUnit { line, unit } => {
            change_unit(conn, &r, line, unit)?;
            Vec::new()
        }
        Decision::MembershipPaid { membership } => {
            let mine = csc_members::membership::of_household(conn, r.household_id)?
                .iter()
                .any(|m| m.id == membership);
            if !mine {
                return Err(AppError::NotFound);
            }
            csc_members::membership::validate(conn, centre_id, membership)?;
            return Ok(());
        }
        Decision::QfProof(proof) => {
            csc_members::household::set_qf_proof(conn, r.household_id, proof)?;
            return Ok(());
        }
    };
    notify::seat_freed(conn, mailer, &promoted)?;
    let changed = requests::get(conn, r.centre_id, r.id)?;
    notify::status_changed(conn, mailer, changed)
}

/// Prices day `line` again in `unit` with the activity's grid, and records it.
fn change_unit(conn: &mut DbConn, r: &Request, line: i64, unit: Unit) -> Result<(), AppError> {
    let activity = activities::get(conn, r.centre_id, r.activity_id)?;
    let groups = activities::groups(conn, activity.id)?;
    let household = csc_members::household::get(conn, r.centre_id, r.household_id)?;
    let kids = csc_members::household::children(conn, household.id)?;
    let candidates = requests::candidates(&activity, &groups, kids);
    let lines = requests::lines(conn, r.id)?;
    let grid = grids::get(conn, r.centre_id, activity.grid_id)?.grid()?;
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
    requests::change_unit(conn, r.id, line, unit, &quote)?;
    Ok(())
}
