//! Routes of Biens communs, relative to `/biens-communs`, and its JSON API.

pub mod api;
mod pages;

use csc_core::Role;
use csc_web::routes::Routes;

/// Who runs a centre's time bank: the referent, the reception, the animators.
pub(crate) const STAFF: &[Role] = &[Role::Referent, Role::Accueil, Role::Animateur];

pub fn routes(r: &mut Routes) {
    pages::routes(r);
}
