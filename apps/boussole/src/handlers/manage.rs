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

fn agenda_page(
    req: &HttpRequest,
    status: StatusCode,
    places: &[crate::places::Place],
    values: &HashMap<String, String>,
    errors: &[(String, String)],
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Ajouter un événement à l'agenda");
    ctx.insert("places", places);
    ctx.insert("v", values);
    ctx.insert("errors", &super::field_errors(errors));
    render_status(req, status, "boussole/manage_agenda.html", ctx)
}

/// `GET /boussole/gestion/agenda`: the form of a new event.
pub async fn agenda_form(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let places = db.run(|c| Ok(store::all(c)?)).await?;
    let mut values = HashMap::new();
    values.insert("semaines".to_string(), "1".to_string());
    agenda_page(&req, StatusCode::OK, &places, &values, &[])
}

/// `POST /boussole/gestion/agenda`: the coordinator adds an event, published at once.
pub async fn agenda_create(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    posted: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    coordinator(&who)?;
    let places = db.run(|c| Ok(store::all(c)?)).await?;
    let get = |k: &str| {
        posted
            .get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut bad = |f: &str, m: &str| errors.push((f.to_string(), m.to_string()));
    let title: String = get("titre").chars().take(200).collect();
    if title.is_empty() {
        bad("titre", "Indiquez le titre de l'événement.");
    }
    let place = get("lieu")
        .parse::<i64>()
        .ok()
        .and_then(|id| places.iter().find(|p| p.id == id));
    if place.is_none() {
        bad("lieu", "Choisissez le lieu de l'événement.");
    }
    let day = day(&get("date"));
    if day.is_none() {
        bad("date", "Date : écrivez-la jj/mm/aaaa.");
    }
    let hour = |k: &str| chrono::NaiveTime::parse_from_str(&get(k).replace('h', ":"), "%H:%M").ok();
    let (start, end) = (hour("debut"), hour("fin"));
    if start.is_none() {
        bad("debut", "Heure de début : écrivez-la 14:00.");
    }
    if end.is_none() {
        bad("fin", "Heure de fin : écrivez-la 16:00.");
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            bad("fin", "La fin de l'événement est avant son début.");
        }
    }
    let weeks = get("semaines").parse::<i32>().unwrap_or(0);
    if !(1..=52).contains(&weeks) {
        bad(
            "semaines",
            "Nombre de séances : de 1 (une fois) à 52 (chaque semaine pendant un an).",
        );
    }
    let mut exdates = Vec::new();
    for d in get("sauf").split([',', ' ', ';']).filter(|d| !d.is_empty()) {
        match self::day(d) {
            Some(x) => exdates.push(x.to_string()),
            None => bad(
                "sauf",
                "Jours sans séance : des dates jj/mm/aaaa séparées par des virgules.",
            ),
        }
    }
    let age = |k: &str, default: i32| match get(k).as_str() {
        "" => Some(default),
        "grossesse" => Some(-1),
        a => a.parse::<i32>().ok().filter(|v| (0..=18).contains(v)),
    };
    let (age_min, age_max) = (age("age_min", -1), age("age_max", 18));
    if age_min.is_none() || age_max.is_none() || age_min > age_max {
        bad(
            "age_min",
            "Âges : de 0 à 18 ans (ou « grossesse »), le minimum avant le maximum.",
        );
    }
    let moment = |t: Option<chrono::NaiveTime>| {
        day.zip(t)
            .and_then(|(d, t)| csc_core::time::paris_to_utc(d.and_time(t)))
    };
    match (place, moment(start), moment(end), age_min, age_max) {
        (Some(p), Some(starts_at), Some(ends_at), Some(age_min), Some(age_max))
            if errors.is_empty() =>
        {
            let data = crate::agenda::EventData {
                place_id: Some(p.id),
                commune_code: p.commune_code.clone(),
                title,
                description: get("description").chars().take(2000).collect(),
                location: format!("{}, {} {}", p.name, p.postcode, p.commune),
                starts_at,
                ends_at,
                weekly_count: weeks,
                exdates: exdates.join(" "),
                age_min,
                age_max,
                free: posted.get("payant").is_none(),
                registration: get("inscription").chars().take(200).collect(),
            };
            db.write(move |c| {
                crate::agenda::create(c, &data, crate::agenda::EventStatus::Published)
            })
            .await?;
            flash::redirect_with(
                &req,
                &format!("{}/agenda", crate::MOUNT),
                flash::Level::Success,
                "L'événement est publié dans l'agenda.",
            )
        }
        _ => agenda_page(
            &req,
            StatusCode::UNPROCESSABLE_ENTITY,
            &places,
            &posted,
            &errors,
        ),
    }
}
