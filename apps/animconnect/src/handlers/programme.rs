//! The programme for families (`/animconnect/programme/{slug}`): public, a week per group with
//! each time of the day explained in plain words, the pedagogical project in short, and an iCal
//! feed per group. No child's name and no staff contact appear.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Days, NaiveDate, NaiveDateTime};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Settings};
use csc_db::Db;
use csc_web::render_status;
use csc_web::routes::{Access, Routes};
use icalendar::{Calendar, Component, Event, EventLike};
use serde::Deserialize;
use tera::Context;

use crate::planning::{self, Period};
use crate::MOUNT;

pub fn routes(r: &mut Routes) {
    r.get("", Access::Public, index)
        .get("/", Access::Public, index)
        .get("/programme/{slug}", Access::Public, centre_page)
        .get(
            "/programme/{slug}/groupe/{group}",
            Access::Public,
            group_week,
        )
        .get(
            "/programme/{slug}/groupe/{group}/agenda.ics",
            Access::Public,
            ical,
        );
}

/// A group of the centre with its activity's periods.
struct GroupOf {
    centre: Centre,
    group: csc_activities::Group,
    periods: Vec<Period>,
}

async fn group_of(db: &Db, slug: String, group: &str) -> Result<GroupOf, AppError> {
    let group_id: i64 = group.parse().map_err(|_| AppError::NotFound)?;
    db.run(move |c| {
        let centre = centres::by_slug(c, &slug)?;
        let periods = planning::periods(c, centre.id)?;
        for p in &periods {
            if let Some(g) = csc_activities::groups(c, p.activity_id)?
                .into_iter()
                .find(|g| g.id == group_id)
            {
                let periods = periods
                    .iter()
                    .filter(|x| x.activity_id == p.activity_id)
                    .cloned()
                    .collect();
                return Ok(GroupOf {
                    centre,
                    group: g,
                    periods,
                });
            }
        }
        Err(AppError::NotFound)
    })
    .await
}

/// `GET /animconnect`: the centres whose programme is published, and the teams' way in.
async fn index(req: HttpRequest, db: web::Data<Db>) -> Result<HttpResponse, AppError> {
    let published = db
        .run(|c| {
            let mut out = Vec::new();
            for centre in centres::list(c)? {
                if !planning::periods(c, centre.id)?.is_empty() {
                    out.push(centre);
                }
            }
            Ok(out)
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", "Anim'Connect");
    ctx.insert("centres", &published);
    render_status(&req, StatusCode::OK, "animconnect/index.html", ctx)
}

/// `GET /animconnect/programme/{slug}`: the centre's groups, period by period.
async fn centre_page(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = path.into_inner();
    let (centre, rows, settings) = db
        .run(move |c| {
            let centre = centres::by_slug(c, &slug)?;
            let today = csc_core::time::today_paris();
            // Current and coming periods; when there are none, the last one published.
            let all = planning::periods(c, centre.id)?;
            let mut shown: Vec<Period> = all
                .iter()
                .filter(|p| p.last_day >= today)
                .cloned()
                .collect();
            if shown.is_empty() {
                shown.extend(all.into_iter().max_by_key(|p| p.last_day));
            }
            let mut rows = Vec::new();
            for p in shown {
                let groups = csc_activities::groups(c, p.activity_id)?;
                rows.push((p, groups));
            }
            let settings = planning::settings(c, centre.id)?;
            Ok((centre, rows, settings))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("title", &format!("Programme — {}", centre.name));
    ctx.insert("centre", &centre);
    ctx.insert("rows", &rows);
    ctx.insert("summary", &settings.project_summary);
    render_status(&req, StatusCode::OK, "animconnect/programme.html", ctx)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WeekQuery {
    semaine: String,
}

/// `GET /animconnect/programme/{slug}/groupe/{group}?semaine=`: the group's week.
async fn group_week(
    req: HttpRequest,
    db: web::Data<Db>,
    path: web::Path<(String, String)>,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, group) = path.into_inner();
    let found = group_of(&db, slug, &group).await?;
    let today = csc_core::time::today_paris();
    let asked = NaiveDate::parse_from_str(q.semaine.trim(), "%Y-%m-%d").ok();
    // The period of the week asked, else the current or next one, else the last one.
    let pick = |day: NaiveDate| {
        found
            .periods
            .iter()
            .find(|p| day >= planning::monday_of(p.first_day) && day <= p.last_day)
    };
    let period = asked
        .and_then(pick)
        .or_else(|| {
            found
                .periods
                .iter()
                .filter(|p| p.last_day >= today)
                .min_by_key(|p| p.first_day)
        })
        .or_else(|| found.periods.iter().max_by_key(|p| p.last_day))
        .cloned()
        .ok_or(AppError::NotFound)?;
    let monday = planning::monday_of(asked.unwrap_or(
        if today >= period.first_day && today <= period.last_day {
            today
        } else {
            period.first_day
        },
    ));
    let (p, gid, cid) = (period.clone(), found.group.id, found.centre.id);
    let (grid, settings) = db
        .run(move |c| {
            Ok((
                planning::week_grid(c, &p, gid, monday)?,
                planning::settings(c, cid)?,
            ))
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert(
        "title",
        &format!("{} — programme de la semaine", found.group.label),
    );
    ctx.insert("centre", &found.centre);
    ctx.insert("group", &found.group);
    ctx.insert("period", &period);
    ctx.insert("grid", &grid);
    ctx.insert("summary", &settings.project_summary);
    ctx.insert("monday_label", &csc_core::time::format_date_long(monday));
    let prev = monday - Days::new(7);
    let next = monday + Days::new(7);
    ctx.insert(
        "prev",
        &(prev + Days::new(6) >= period.first_day).then(|| prev.format("%Y-%m-%d").to_string()),
    );
    ctx.insert(
        "next",
        &(next <= period.last_day).then(|| next.format("%Y-%m-%d").to_string()),
    );
    render_status(&req, StatusCode::OK, "animconnect/programme_week.html", ctx)
}

fn utc(day: NaiveDate, t: chrono::NaiveTime) -> NaiveDateTime {
    csc_core::time::paris_to_utc(day.and_time(t)).unwrap_or_else(|| day.and_time(t))
}

/// `GET /animconnect/programme/{slug}/groupe/{group}/agenda.ics`: every planned session of the
/// group, in UTC, for a phone's calendar.
async fn ical(
    db: web::Data<Db>,
    settings: web::Data<Settings>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, group) = path.into_inner();
    let found = group_of(&db, slug, &group).await?;
    let gid = found.group.id;
    let periods = found.periods.clone();
    let rows = db
        .run(move |c| {
            let mut out = Vec::new();
            for p in &periods {
                let slots = planning::slots(c, p.id)?;
                for cell in planning::cells(c, p.id, p.first_day, p.last_day, &[gid])? {
                    if let Some(slot) = slots.iter().find(|s| s.id == cell.session.slot_id) {
                        out.push((cell.clone(), slot.clone()));
                    }
                }
            }
            Ok(out)
        })
        .await?;
    let host = settings
        .base_url()
        .trim_end_matches('/')
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_string();
    let page = format!(
        "{}{MOUNT}/programme/{}/groupe/{}",
        settings.base_url().trim_end_matches('/'),
        found.centre.slug,
        gid
    );
    let mut cal = Calendar::new();
    cal.name(&format!("{} — {}", found.centre.name, found.group.label));
    let stamp = chrono::Utc::now();
    for (cell, slot) in rows {
        let mut e = Event::new();
        e.uid(&format!("animconnect-seance-{}@{host}", cell.session.id))
            .timestamp(stamp)
            .starts(utc(cell.session.day, slot.starts_at).and_utc())
            .ends(utc(cell.session.day, slot.ends_at).and_utc())
            .summary(&format!("{} — {}", slot.label, cell.label()))
            .description(&slot.explained)
            .url(&page);
        if !cell.session.place.is_empty() {
            e.location(&cell.session.place);
        }
        cal.push(e.done());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"programme-{}.ics\"", gid),
        ))
        .body(cal.done().to_string()))
}
