//! Routes of `/glossaire` (and of `/api/v1/glossaire`): the public search and entries, the
//! workshops of the structures, the admin's page.

mod admin;
mod api;
mod public;
mod workshop;

use actix_web::{HttpRequest, HttpResponse};
use csc_core::AppError;
use csc_web::routes::{Access, Routes};
use tera::Context;

use crate::{LEADERS, WORKSHOP};

/// The reading mode's cookie (very large text, high contrast).
pub(crate) const READING_COOKIE: &str = "glossaire_lecture";

pub fn routes(r: &mut Routes) {
    use Access::{Admin, Public, Staff};
    let team = Staff(&WORKSHOP);
    let leaders = Staff(&LEADERS);
    let ws = "/atelier/{centre}/ateliers/{id}";
    r.get("", Public, public::home)
        .get("/", Public, public::home)
        .get("/recherche", Public, public::search)
        .get("/mots/{id}", Public, public::entry)
        .post("/mots/{id}/avis", Public, public::feedback)
        .post("/demandes", Public, public::ask)
        .get("/lexiques/{slug}", Public, public::lexicon)
        .post("/lecture", Public, public::reading)
        .get("/atelier", team, workshop::index)
        .get("/atelier/{centre}", team, workshop::structure)
        .post("/atelier/{centre}/ateliers", leaders, workshop::open)
        .get(ws, team, workshop::show)
        .post(
            format!("{ws}/contributeurs"),
            leaders,
            workshop::add_contributor,
        )
        .post(format!("{ws}/autorisation"), leaders, workshop::authorise)
        .post(format!("{ws}/prendre"), team, workshop::claim)
        .post(format!("{ws}/rendre"), team, workshop::release)
        .post(format!("{ws}/brouillons"), team, workshop::create_draft)
        .get(format!("{ws}/brouillons/{{draft}}"), team, workshop::draft)
        .post(
            format!("{ws}/brouillons/{{draft}}"),
            team,
            workshop::update_draft,
        )
        .post(
            format!("{ws}/brouillons/{{draft}}/valider"),
            leaders,
            workshop::validate,
        )
        .post(
            format!("{ws}/brouillons/{{draft}}/renvoyer"),
            leaders,
            workshop::send_back,
        )
        .get("/admin", Admin, admin::index)
        .post("/admin/structures", Admin, admin::reference)
        .post("/admin/lexiques", Admin, admin::create_lexicon)
        .post("/admin/import", Admin, admin::import);
}

/// The JSON routes, under `/api/v1/glossaire`.
pub fn api_routes(r: &mut Routes) {
    r.get("/recherche", Access::Public, api::search);
}

/// Whether the visitor turned the reading mode on.
pub(crate) fn reading(req: &HttpRequest) -> bool {
    req.cookie(READING_COOKIE).is_some_and(|c| c.value() == "1")
}

/// Renders a page of the glossary with `status`, telling the layout about the reading mode.
pub(crate) fn page(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    name: &str,
    mut ctx: Context,
) -> Result<HttpResponse, AppError> {
    ctx.insert("reading", &reading(req));
    csc_web::render::render_status(req, status, name, ctx)
}
