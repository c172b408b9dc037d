//! Routes of `/animconnect`: the library of sheets and each centre's planning (staff
//! of the centres).

mod planning;
mod programme;
mod sheets;

use csc_web::routes::Routes;

pub fn routes(r: &mut Routes) {
    sheets::routes(r);
    planning::routes(r);
    programme::routes(r);
}
