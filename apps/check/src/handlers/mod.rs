//! Routes of `/check`: the staff's pages, per centre. Every page checks that the user works in
//! the centre of the path (animateur, accueil, referent; admins).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use csc_auth::centres::{self, managed, Centre};
use csc_core::{time, AppError, Coded, Identity};
use csc_db::Db;
use csc_web::flash::Level;
use csc_web::routes::{Access, Routes};
use csc_web::{flash, render};
use serde::Deserialize;
use tera::Context;

use crate::model::{AgeBand, AttendanceState};
use crate::{monthly, rollcall, MOUNT, STAFF};

mod reports;

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(&STAFF);
    let s = "/equipe/{centre}/seances/{session}";
    r.get("", Access::Public, welcome)
        .get("/equipe", staff, index)
        .get("/equipe/{centre}", staff, centre_page)
        .get(s, staff, session_page)
        .post(format!("{s}/pointer"), staff, tap)
        .post(format!("{s}/famille"), staff, family_tap)
        .post(format!("{s}/nouveau"), staff, newcomer)
        .post(format!("{s}/carte"), staff, card)
        .post(format!("{s}/compteur"), staff, counter);
    reports::routes(r);
}

fn base(centre: &Centre, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("centre", centre);
    ctx
}

/// `GET /check`: what Check is, and the way in for the staff.
async fn welcome(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("title", "Check : les présences des activités");
    render(&req, "check/welcome.html", ctx)
}

/// `GET /check/equipe`: the centres this user works in.
async fn index(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    let me = who.clone();
    let mine = db.run(move |c| centres::staffed_by(c, &me, &STAFF)).await?;
    if mine.len() == 1 && !who.is_admin {
        return Ok(flash::see_other(&format!("{MOUNT}/equipe/{}", mine[0].id)));
    }
    let mut ctx = Context::new();
    ctx.insert("title", "Check : choisir un centre");
    ctx.insert("centres", &mine);
    render(&req, "check/index.html", ctx)
}

#[derive(serde::Serialize)]
struct ActivityLine {
    id: i64,
    title: String,
    kind: String,
    today: Vec<rollcall::SessionView>,
    next: Option<String>,
}

/// `GET /check/equipe/{centre}`: the activities and today's sessions. With one activity and one
/// session today (a ludothèque), straight to its roll call.
async fn centre_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    q: web::Query<AllQuery>,
) -> Result<HttpResponse, AppError> {
    let centre = managed(&db, &who, path.into_inner(), &STAFF).await?;
    let cid = centre.id;
    let today = time::today_paris();
    let lines = db
        .run(move |c| {
            let mut out = Vec::new();
            for a in csc_activities::of_centre(c, cid)? {
                let sessions =
                    monthly::sessions_between(c, a.id, today, today.succ_opt().unwrap_or(today))?;
                let mut views = Vec::new();
                for s in sessions {
                    views.push(rollcall::session(c, cid, s.id)?);
                }
                let next = monthly::sessions_between(c, a.id, today, NaiveDate::MAX)?
                    .into_iter()
                    .find(|s| s.day > today)
                    .map(|s| s.day.format("%d/%m/%Y").to_string());
                out.push(ActivityLine {
                    id: a.id,
                    title: a.title,
                    kind: a.kind.label().to_string(),
                    today: views,
                    next,
                });
            }
            Ok(out)
        })
        .await?;
    if q.tout.is_none() && lines.len() == 1 && lines[0].today.len() == 1 {
        return Ok(flash::see_other(&format!(
            "{MOUNT}/equipe/{cid}/seances/{}",
            lines[0].today[0].id
        )));
    }
    let mut ctx = base(&centre, &format!("Check — {}", centre.name));
    ctx.insert("activities", &lines);
    ctx.insert("month", &crate::report::month_of(today));
    render(&req, "check/centre.html", ctx)
}

#[derive(Deserialize)]
struct AllQuery {
    tout: Option<String>,
}

/// `GET /check/equipe/{centre}/seances/{session}`: the roll call.
async fn session_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    let centre = managed(&db, &who, centre_id, &STAFF).await?;
    let (session, roster, tallies, expected) = db
        .run(move |c| {
            let s = rollcall::session(c, centre_id, session_id)?;
            let roster = rollcall::roster(c, centre_id, session_id)?;
            let t = rollcall::tallies(c, session_id)?;
            let expected = rollcall::expected(c, s.activity_id, s.day)?;
            Ok((s, roster, t, expected))
        })
        .await?;
    let laep = session.kind == "laep";
    let counters: Vec<(String, String, i32)> = crate::report::TALLY_COUNTERS
        .iter()
        .map(|(k, l)| {
            let v = tallies.iter().find(|(c, _)| c == k).map_or(0, |(_, v)| *v);
            (k.to_string(), l.to_string(), v)
        })
        .collect();
    let present = roster
        .iter()
        .filter(|l| l.state == Some(AttendanceState::Present))
        .count();
    let mut ctx = base(&centre, &format!("Appel — {}", session.activity));
    ctx.insert("session", &session);
    ctx.insert("day", &session.day.format("%d/%m/%Y").to_string());
    ctx.insert(
        "hours",
        &match (session.starts_at, session.ends_at) {
            (Some(a), Some(b)) => format!("de {} à {}", rollcall::hm(a), rollcall::hm(b)),
            _ => String::new(),
        },
    );
    ctx.insert("roster", &roster);
    ctx.insert("expected", &expected);
    ctx.insert("present", &present);
    ctx.insert("laep", &laep);
    ctx.insert("counters", &counters);
    ctx.insert("states", &AttendanceState::choices());
    ctx.insert(
        "bands",
        &AgeBand::ALL
            .iter()
            .map(|b| (b.code(), b.label()))
            .collect::<Vec<_>>(),
    );
    render(&req, "check/session.html", ctx)
}

fn back(
    req: &HttpRequest,
    centre: i64,
    session: i64,
    r: Result<String, AppError>,
) -> Result<HttpResponse, AppError> {
    let to = format!("{MOUNT}/equipe/{centre}/seances/{session}");
    match r {
        Ok(msg) => flash::redirect_with(req, &to, Level::Success, &msg),
        Err(e @ (AppError::Conflict(_) | AppError::BadRequest(_) | AppError::Denied(_))) => {
            let status = match e {
                AppError::Denied(_) => actix_web::http::StatusCode::FORBIDDEN,
                AppError::Conflict(_) => actix_web::http::StatusCode::CONFLICT,
                _ => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            };
            let mut ctx = Context::new();
            ctx.insert("title", "Appel : action refusée");
            ctx.insert("message", &e.to_string());
            ctx.insert("back", &to);
            csc_web::render::render_status(req, status, "check/refused.html", ctx)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct TapForm {
    person: i64,
    action: String,
}

/// `POST …/pointer`: present, absent (justified or not), departure, or undo.
async fn tap(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<TapForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    managed(&db, &who, centre_id, &STAFF).await?;
    let TapForm { person, action } = form.into_inner();
    let r = db
        .write(move |c| {
            Ok(match action.as_str() {
                "annuler" => rollcall::undo(c, centre_id, session_id, person),
                "depart" => rollcall::depart(c, centre_id, session_id, person),
                code => match AttendanceState::parse(code) {
                    Some(state) => rollcall::mark(c, centre_id, session_id, person, state),
                    None => Err(AppError::BadRequest("Action inconnue.".into())),
                },
            })
        })
        .await?;
    back(&req, centre_id, session_id, r)
}

#[derive(Deserialize)]
struct FamilyForm {
    family: i64,
}

/// `POST …/famille`: the whole family present, one visit.
async fn family_tap(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<FamilyForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    managed(&db, &who, centre_id, &STAFF).await?;
    let family = form.family;
    let r = db
        .write(move |c| Ok(rollcall::family_visit(c, centre_id, session_id, family)))
        .await?;
    back(&req, centre_id, session_id, r)
}

#[derive(Deserialize)]
struct CardForm {
    code: String,
}

/// `POST …/carte`: a family card scanned (the scanner types the card's code).
async fn card(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CardForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    managed(&db, &who, centre_id, &STAFF).await?;
    let code = form.into_inner().code;
    let r = db
        .write(move |c| Ok(rollcall::scan(c, centre_id, session_id, &code)))
        .await?;
    back(&req, centre_id, session_id, r)
}

#[derive(Deserialize)]
struct NewcomerForm {
    first_name: String,
    last_name: String,
    /// A birth year (4 digits) or an age band code, or `adulte`.
    age: String,
    #[serde(default)]
    family: String,
}

/// `POST …/nouveau`: a newcomer in three fields (and the family, optional).
async fn newcomer(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<NewcomerForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    managed(&db, &who, centre_id, &STAFF).await?;
    let f = form.into_inner();
    let mut errors = Vec::new();
    if f.first_name.trim().is_empty() || f.first_name.len() > 60 {
        errors.push("Prénom : indiquez-le (60 caractères au plus).");
    }
    if f.last_name.trim().is_empty() || f.last_name.len() > 60 {
        errors.push("Nom ou initiale : indiquez au moins l'initiale.");
    }
    let age = f.age.trim();
    let this_year = chrono::Datelike::year(&time::today_paris());
    let (adult, birth_year, band) = if age == "adulte" {
        (true, None, None)
    } else if let Some(b) = AgeBand::parse(age) {
        (false, None, Some(b))
    } else {
        match age.parse::<i32>() {
            Ok(y) if (this_year - 17..=this_year).contains(&y) => (false, Some(y), None),
            Ok(y) if (1900..this_year - 17).contains(&y) => (true, Some(y), None),
            _ => {
                errors.push("Année de naissance ou tranche d'âge : choisissez une tranche ou écrivez l'année (2019).");
                (false, None, None)
            }
        }
    };
    if !errors.is_empty() {
        return back(
            &req,
            centre_id,
            session_id,
            Err(AppError::BadRequest(errors.join(" "))),
        );
    }
    let n = rollcall::Newcomer {
        first_name: f.first_name,
        last_name: f.last_name,
        adult,
        birth_year,
        band,
        family: f.family,
    };
    let r = db
        .write(move |c| Ok(rollcall::newcomer(c, centre_id, session_id, &n)))
        .await?;
    back(&req, centre_id, session_id, r)
}

#[derive(Deserialize)]
struct CounterForm {
    counter: String,
    delta: i32,
}

/// `POST …/compteur`: +1 / −1 on an anonymous counter (LAEP).
async fn counter(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CounterForm>,
) -> Result<HttpResponse, AppError> {
    let (centre_id, session_id) = path.into_inner();
    managed(&db, &who, centre_id, &STAFF).await?;
    let CounterForm { counter, delta } = form.into_inner();
    let delta = delta.signum();
    let r = db
        .write(move |c| {
            Ok(rollcall::tally(c, centre_id, session_id, &counter, delta)
                .map(|()| "Compté.".to_string()))
        })
        .await?;
    back(&req, centre_id, session_id, r)
}
