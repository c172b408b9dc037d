//! The agenda's pages and iCal feeds.

use actix_web::{web, HttpRequest, HttpResponse};
use csc_core::{time, AppError, Settings};
use csc_db::Db;
use csc_web::render;
use serde::Serialize;
use tera::Context;

use crate::agenda::{self, ical, Scope};
use crate::communes;

async fn ics(
    name: String,
    scope: Scope,
    db: web::Data<Db>,
    settings: web::Data<Settings>,
) -> Result<HttpResponse, AppError> {
    let since = time::now() - chrono::Duration::days(31);
    let events = db
        .run(move |c| Ok(agenda::published(c, &scope, since)?))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(ical::calendar(&name, &events, settings.base_url())))
}

/// `GET /boussole/agenda.ics`: the whole territory.
pub async fn territory_feed(
    db: web::Data<Db>,
    settings: web::Data<Settings>,
) -> Result<HttpResponse, AppError> {
    ics(
        format!("Boussole des parents — {}", communes::TERRITORY),
        Scope::Territory,
        db,
        settings,
    )
    .await
}

/// `GET /boussole/agenda/communes/{code}/agenda.ics`.
pub async fn commune_feed(
    db: web::Data<Db>,
    settings: web::Data<Settings>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let c = communes::by_code(&code).ok_or(AppError::NotFound)?;
    ics(
        format!("Boussole des parents — {}", c.name),
        Scope::Commune(c.code.clone()),
        db,
        settings,
    )
    .await
}

/// `GET /boussole/lieux/{id}/agenda.ics`.
pub async fn place_feed(
    db: web::Data<Db>,
    settings: web::Data<Settings>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let today = time::today_paris();
    let place = db
        .run(move |c| Ok(crate::places::published(c, id, today)?))
        .await?
        .ok_or(AppError::NotFound)?;
    ics(
        format!("Boussole des parents — {}", place.place.name),
        Scope::Place(id),
        db,
        settings,
    )
    .await
}

#[derive(Serialize)]
struct Occurrence {
    day: String,
    hours: String,
    title: String,
    description: String,
    location: String,
    ages: String,
    free: bool,
    registration: String,
    place_id: Option<i64>,
}

/// `GET /boussole/agenda`: the next two months, occurrence by occurrence.
pub async fn page(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let now = time::now();
    let events = db
        .run(move |c| Ok(agenda::published(c, &Scope::Territory, now)?))
        .await?;
    let today = time::today_paris();
    let until = today + chrono::Days::new(62);
    let mut list: Vec<(chrono::NaiveDateTime, Occurrence)> = Vec::new();
    for ev in &events {
        let length = ev.ends_at - ev.starts_at;
        for start in ev.occurrences() {
            if start.date() < today || start.date() > until {
                continue;
            }
            let end = start + length;
            list.push((
                start,
                Occurrence {
                    day: format!(
                        "{} {}",
                        crate::hours::JOURS[chrono::Datelike::weekday(&start.date())
                            .num_days_from_monday()
                            as usize],
                        start.format("%d/%m/%Y")
                    ),
                    hours: format!(
                        "{} – {}",
                        crate::hours::french_time(start.time()),
                        crate::hours::french_time(end.time())
                    ),
                    title: ev.title.clone(),
                    description: ev.description.clone(),
                    location: ev.location.clone(),
                    ages: if ev.age_min < 0 {
                        format!("de la grossesse à {} ans", ev.age_max)
                    } else {
                        format!("de {} à {} ans", ev.age_min, ev.age_max)
                    },
                    free: ev.free,
                    registration: ev.registration.clone(),
                    place_id: ev.place_id,
                },
            ));
        }
    }
    list.sort_by_key(|(t, _)| *t);
    let occurrences: Vec<Occurrence> = list.into_iter().map(|(_, o)| o).collect();
    let mut ctx = Context::new();
    ctx.insert("title", "Agenda des parents");
    ctx.insert("occurrences", &occurrences);
    render(&req, "boussole/agenda.html", ctx)
}
