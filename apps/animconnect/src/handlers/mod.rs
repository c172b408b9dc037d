//! Routes of `/animconnect`: the library of sheets (staff of the centres).

mod sheets;

use csc_web::routes::Routes;

pub fn routes(r: &mut Routes) {
    sheets::routes(r);
}
