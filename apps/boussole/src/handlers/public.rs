//! The parents' pages: the search with its map and list, and a place's sheet.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::Db;
use csc_web::render;
use serde::Serialize;
use tera::Context;

use crate::communes::{self, Origin};
use crate::hours::{self, OpeningHours};
use crate::places::{self, Found};
use crate::search::{self, SearchParams};
use crate::{map, paris_now};

/// A service as the pages show it.
#[derive(Serialize)]
struct ServiceView {
    name: String,
    kind: String,
    ages: String,
    themes: Vec<&'static str>,
    free: bool,
    access: &'static str,
    languages: String,
    description: String,
}

/// A place as the pages show it.
#[derive(Serialize)]
struct PlaceView {
    n: usize,
    id: i64,
    name: String,
    address: String,
    postcode: String,
    commune: String,
    phone: String,
    email: String,
    website: String,
    accessibility: String,
    description: String,
    distance: Option<String>,
    /// « Ouvert maintenant, ferme à 12 h 00 » / « Fermé, ouvre le … ».
    status: Option<String>,
    open: bool,
    /// Each weekday's hours, Monday first, this week.
    week: Vec<(String, String)>,
    closures: Vec<String>,
    services: Vec<ServiceView>,
    updated: String,
}

fn status_text(found: &Found) -> Option<(String, bool)> {
    let s = found.status?;
    let next = s.next_change.map(|t| {
        let at = hours::french_moment(t);
        if s.open {
            format!(", ferme {at}")
        } else {
            format!(", ouvre {at}")
        }
    });
    let head = if s.open {
        "Ouvert maintenant"
    } else {
        "Fermé maintenant"
    };
    Some((format!("{head}{}", next.unwrap_or_default()), s.open))
}

fn view(n: usize, f: &Found, now: NaiveDateTime) -> PlaceView {
    let (status, open) = status_text(f).map_or((None, false), |(t, o)| (Some(t), o));
    let today = now.date();
    let week = OpeningHours::parse(&f.place.hours)
        .map(|h| {
            let monday = today
                - chrono::Days::new(u64::from(
                    chrono::Datelike::weekday(&today).num_days_from_monday(),
                ));
            (0..7u64)
                .map(|i| {
                    let d = monday + chrono::Days::new(i);
                    let cs: Vec<_> = f.closures.iter().map(|c| c.closure()).collect();
                    let mut text = hours::french_spans(&hours::spans_on(&h, &cs, d));
                    if let Some(name) = csc_calendar::public_holiday(d) {
                        text = format!("{text} ({name}, jour férié)");
                    }
                    (
                        format!("{} {}", hours::JOURS[i as usize], d.format("%d/%m")),
                        text,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let closures = f
        .closures
        .iter()
        .filter(|c| c.closure().shown_on(today))
        .map(|c| {
            let reason = if c.reason.is_empty() {
                String::new()
            } else {
                format!(" : {}", c.reason)
            };
            format!(
                "Fermeture exceptionnelle du {} au {}{reason}",
                c.start_day.format("%d/%m/%Y"),
                c.end_day.format("%d/%m/%Y")
            )
        })
        .collect();
    let months = (today
        .signed_duration_since(time::to_paris(f.place.updated_at).date())
        .num_days()
        / 30)
        .max(0);
    PlaceView {
        n,
        id: f.place.id,
        name: f.place.name.clone(),
        address: f.place.address.clone(),
        postcode: f.place.postcode.clone(),
        commune: f.place.commune.clone(),
        phone: f.place.phone.clone(),
        email: f.place.email.clone(),
        website: f.place.website.clone(),
        accessibility: f.place.accessibility.clone(),
        description: f.place.description.clone(),
        distance: f
            .distance_km
            .map(|d| format!("{:.1} km", d).replace('.', ",")),
        status,
        open,
        week,
        closures,
        services: f
            .services
            .iter()
            .map(|s| ServiceView {
                name: s.name.clone(),
                kind: s.kind.label().into(),
                ages: s.ages_label(),
                themes: s
                    .theme_list()
                    .iter()
                    .map(|t| csc_core::coded::Coded::label(*t))
                    .collect(),
                free: s.free,
                access: csc_core::coded::Coded::label(s.access),
                languages: s.languages.clone(),
                description: s.description.clone(),
            })
            .collect(),
        updated: if months == 0 {
            "mis à jour ce mois-ci".into()
        } else {
            format!("mis à jour il y a {months} mois")
        },
    }
}

/// `GET /boussole`: the search form; with a search, the map and the same places as a list.
pub async fn search(
    req: HttpRequest,
    db: web::Data<Db>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let now = paris_now();
    let mut ctx = Context::new();
    ctx.insert("title", "Boussole des parents");
    ctx.insert("themes", &search::theme_choices());
    ctx.insert("communes", communes::all());
    ctx.insert("p", &params);
    ctx.insert("searched", &!params.is_empty());
    let mut status = actix_web::http::StatusCode::OK;
    match params.parse(now) {
        Err(errors) => {
            status = actix_web::http::StatusCode::BAD_REQUEST;
            ctx.insert("errors", &super::field_errors(&errors));
        }
        Ok(s) if params.is_empty() => {
            let _ = s;
        }
        Ok(s) => match s.origin {
            Origin::Choose(list) => {
                ctx.insert("choose", &list);
            }
            origin => {
                if let Origin::At(c) = origin {
                    ctx.insert("origin", &c.name);
                }
                ctx.insert(
                    "radius",
                    &format!("{}", s.query.radius_km).replace('.', ","),
                );
                let q = s.query;
                let found = db.run(move |c| Ok(places::search(c, &q)?)).await?;
                let views: Vec<PlaceView> = found
                    .iter()
                    .enumerate()
                    .map(|(i, f)| view(i + 1, f, now))
                    .collect();
                let pins: Vec<(String, f64, f64)> = found
                    .iter()
                    .map(|f| (f.place.name.clone(), f.place.latitude, f.place.longitude))
                    .collect();
                ctx.insert("map", &map::of(&pins));
                ctx.insert("places", &views);
            }
        },
    }
    if !ctx.contains_key("errors") {
        ctx.insert("errors", &csc_web::FieldErrors::new());
    }
    csc_web::render_status(&req, status, "boussole/search.html", ctx)
}

/// `GET /boussole/lieux/{id}`: a place's sheet.
pub async fn place(
    req: HttpRequest,
    db: web::Data<Db>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = id.into_inner().parse().map_err(|_| AppError::NotFound)?;
    let now = paris_now();
    let mut found = db
        .run(move |c| Ok(places::published(c, id, now.date())?))
        .await?
        .ok_or(AppError::NotFound)?;
    found.status = places::status_of(&found.place, &found.closures, now);
    let v = view(1, &found, now);
    let mut ctx = Context::new();
    ctx.insert("title", &v.name);
    ctx.insert("place", &v);
    render(&req, "boussole/place.html", ctx)
}

/// `GET /boussole/export/structures.csv`: the published structures (data·inclusion fields).
pub async fn export_csv(db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let body = db
        .run(|c| crate::export::structures_csv(c).map_err(AppError::Internal))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"boussole-structures.csv\"",
        ))
        .body(body))
}

/// `GET /boussole/export/structures.json`.
pub async fn export_structures(db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let v = db.run(|c| Ok(crate::export::structures_json(c)?)).await?;
    Ok(HttpResponse::Ok().json(v))
}

/// `GET /boussole/export/services.json`.
pub async fn export_services(db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let v = db.run(|c| Ok(crate::export::services_json(c)?)).await?;
    Ok(HttpResponse::Ok().json(v))
}
