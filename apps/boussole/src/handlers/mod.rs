//! Routes of the Boussole: the parents' search, map and sheets (public), the coordinator's
//! management of places and hours (the centre's referent, or an admin), the JSON API.

mod agenda;
mod api;
mod manage;
mod public;

use csc_core::Role;
use csc_web::{Access, Routes};

/// Who coordinates the network: the referent of a centre (and federation admins).
pub const COORDINATORS: &[Role] = &[Role::Referent];

/// The app's pages, relative to `/boussole`.
pub fn routes(r: &mut Routes) {
    r.get("", Access::Public, public::search)
        .get("/lieux/{id}", Access::Public, public::place)
        .get("/lieux/{id}/agenda.ics", Access::Public, agenda::place_feed)
        .get("/agenda", Access::Public, agenda::page)
        .get("/agenda.ics", Access::Public, agenda::territory_feed)
        .get(
            "/agenda/communes/{code}/agenda.ics",
            Access::Public,
            agenda::commune_feed,
        )
        .get("/export/structures.csv", Access::Public, public::export_csv)
        .get(
            "/export/structures.json",
            Access::Public,
            public::export_structures,
        )
        .get(
            "/export/services.json",
            Access::Public,
            public::export_services,
        )
        .get("/gestion", Access::Staff(COORDINATORS), manage::index)
        .get(
            "/gestion/agenda",
            Access::Staff(COORDINATORS),
            manage::agenda_form,
        )
        .post(
            "/gestion/agenda",
            Access::Staff(COORDINATORS),
            manage::agenda_create,
        )
        .get(
            "/gestion/lieux/{id}",
            Access::Staff(COORDINATORS),
            manage::edit,
        )
        .post(
            "/gestion/lieux/{id}/horaires",
            Access::Staff(COORDINATORS),
            manage::save_hours,
        )
        .post(
            "/gestion/lieux/{id}/fermetures",
            Access::Staff(COORDINATORS),
            manage::add_closure,
        );
}

/// The JSON API, relative to `/api/v1/boussole`.
pub fn api_routes(r: &mut Routes) {
    r.get("/lieux", Access::Public, api::lieux);
}

/// Errors as (field, message) pairs, for the templates' error summary and fields.
fn field_errors<F: AsRef<str>>(list: &[(F, String)]) -> csc_web::FieldErrors {
    let mut e = csc_web::FieldErrors::new();
    for (field, message) in list {
        e.add(field.as_ref(), message.clone());
    }
    e
}
