//! Routes of Biens communs, relative to `/biens-communs`, and its JSON API.

pub mod api;
mod loans;
mod pages;
mod resident;
mod staff;

use csc_core::{AppError, Role};
use csc_web::routes::Routes;

use crate::ledger::LedgerError;

/// Who runs a centre's time bank: the referent, the reception, the animators.
pub(crate) const STAFF: &[Role] = &[Role::Referent, Role::Accueil, Role::Animateur];

pub fn routes(r: &mut Routes) {
    pages::routes(r);
    resident::routes(r);
    staff::routes(r);
    loans::routes(r);
}

/// A fresh token for a form: sent back with it, it is the idempotency key of what it records,
/// so a double click records once.
pub(crate) fn form_token() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 16];
    rand::rng().fill_bytes(&mut raw);
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// The French message of a refusal or of a plain error the user can act on; other errors stay
/// errors.
pub(crate) fn ledger_message(e: LedgerError) -> Result<String, AppError> {
    match e {
        LedgerError::Refused(r) => Ok(r.message().to_string()),
        LedgerError::App(AppError::BadRequest(m) | AppError::Conflict(m)) => Ok(m),
        LedgerError::App(AppError::NotFound) => {
            Ok("Ce membre ou ce compte est introuvable.".into())
        }
        LedgerError::App(e) => Err(e),
        LedgerError::Retry(e) => Err(AppError::from(e)),
    }
}
