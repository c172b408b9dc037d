//! The network coordinator's pages (a centre's referent, or an admin): every place, its hours
//! written through the form, its temporary closures.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use csc_core::{AppError, Identity};
use csc_db::Db;
use csc_web::{flash, render, render_status};
use tera::Context;

use super::COORDINATORS;
use crate::hours::form;
use crate::manage as store;

/// The coordinator is a referent of some centre, or an admin.
fn coordinator(who: &Identity) -> Result<(), AppError> {
    if who.is_admin || !who.centres_with_any(COORDINATORS).is_empty() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /boussole/gestion`: every place, published or not.
pub async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let list = db.run(|c| Ok(store::all(c)?)).await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Gérer la Boussole");
    ctx.insert("places", &list);
    render(&req, "boussole/manage_index.html", ctx)
}

/// The closure form as posted, and its errors.
#[derive(Default)]
struct ClosureForm {
    values: HashMap<String, String>,
    errors: Vec<(String, String)>,
}

fn edit_page(
    req: &HttpRequest,
    status: StatusCode,
    (place, closures): &(crate::places::Place, Vec<crate::places::StoredClosure>),
    hours: &form::Posted,
    closure: &ClosureForm,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Horaires — {}", place.name));
    ctx.insert("place", place);
    ctx.insert("rows", &hours.rows);
    ctx.insert("holidays_closed", &hours.holidays_closed);
    let no_errors = Vec::new();
    ctx.insert(
        "errors",
        &super::field_errors(hours.osm.as_ref().err().unwrap_or(&no_errors)),
    );
    ctx.insert("closure", &closure.values);
    ctx.insert("closure_errors", &super::field_errors(&closure.errors));
    ctx.insert("closures", closures);
    render_status(req, status, "boussole/manage_place.html", ctx)
}

fn stored_hours(place: &crate::places::Place) -> form::Posted {
    let (rows, holidays_closed) = form::rows_of(&place.hours);
    form::Posted {
        rows,
        holidays_closed,
        osm: Ok(place.hours.clone()),
    }
}

/// `GET /boussole/gestion/lieux/{id}`: the hours form and the closures of a place.
pub async fn edit(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let id = id_of(&id)?;
    let stored = db.run(move |c| store::get(c, id)).await?;
    let hours = stored_hours(&stored.0);
    edit_page(
        &req,
        StatusCode::OK,
        &stored,
        &hours,
        &ClosureForm::default(),
    )
}

/// `POST /boussole/gestion/lieux/{id}/horaires`: the form writes the OSM value.
pub async fn save_hours(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    id: web::Path<String>,
    posted: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let id = id_of(&id)?;
    let stored = db.run(move |c| store::get(c, id)).await?;
    let hours = form::read(&posted);
    match hours.osm.clone() {
        Err(_) => edit_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &stored,
            &hours,
            &ClosureForm::default(),
        ),
        Ok(osm) => {
            db.write(move |c| store::set_hours(c, id, &osm)).await?;
            flash::redirect_with(
                &req,
                &format!("{}/gestion/lieux/{id}", crate::MOUNT),
                flash::Level::Success,
                "Les horaires ont été enregistrés.",
            )
        }
    }
}

fn day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(t, "%Y-%m-%d"))
        .ok()
}

/// `POST /boussole/gestion/lieux/{id}/fermetures`: a temporary closure (first and last day).
pub async fn add_closure(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    id: web::Path<String>,
    posted: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let id = id_of(&id)?;
    let get = |k: &str| {
        posted
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let start = day(&get("debut"));
    let end = day(&get("fin"));
    if start.is_none() {
        errors.push((
            "debut".to_string(),
            "Premier jour : écrivez une date jj/mm/aaaa.".to_string(),
        ));
    }
    if end.is_none() {
        errors.push((
            "fin".to_string(),
            "Dernier jour : écrivez une date jj/mm/aaaa.".to_string(),
        ));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errors.push((
                "fin".to_string(),
                "Le dernier jour de fermeture est avant le premier.".to_string(),
            ));
        }
    }
    let reason: String = get("motif").chars().take(200).collect();
    match (start, end) {
        (Some(s), Some(e)) if errors.is_empty() => {
            db.write(move |c| store::add_closure(c, id, s, e, &reason))
                .await?;
            flash::redirect_with(
                &req,
                &format!("{}/gestion/lieux/{id}", crate::MOUNT),
                flash::Level::Success,
                "La fermeture a été enregistrée ; elle est annoncée aux parents 15 jours avant.",
            )
        }
        _ => {
            let stored = db.run(move |c| store::get(c, id)).await?;
            let hours = stored_hours(&stored.0);
            let closure = ClosureForm {
                values: posted.into_inner(),
                errors,
            };
            edit_page(
                &req,
                StatusCode::UNPROCESSABLE_ENTITY,
                &stored,
                &hours,
                &closure,
            )
        }
    }
}
