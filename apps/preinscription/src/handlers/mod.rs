//! Routes of `/preinscription`: the families' pages (no account, private links) and the staff's.

mod account;
mod family;
mod qf;
mod staff;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    family::configure(cfg);
    account::configure(cfg);
    qf::configure(cfg);
    staff::configure(cfg);
}
