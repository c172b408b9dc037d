//! Routes of `/preinscription`: the families' pages (no account, private links) and the staff's.

mod account;
mod family;
mod qf;
mod staff;

use csc_web::routes::Routes;

pub fn routes(r: &mut Routes) {
    family::routes(r);
    account::routes(r);
    qf::routes(r);
    staff::routes(r);
}
