//! The planning of a centre (`/animconnect/centre/{centre}`): periods, each group's week grid
//! with its staffing warnings, sessions, copies, the pedagogical project and its coverage, the
//! team, the week's material list. The director (referent) edits everything; an animator the
//! groups they lead; every animator of the centre reads.

use std::collections::{BTreeMap, HashSet};

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Days, NaiveDate};
use csc_auth::centres::{self, Centre};
use csc_core::{AppError, Coded, Identity, Role};
use csc_db::Db;
use csc_web::flash::{self, Level};
use csc_web::forms::{optional, required};
use csc_web::routes::{Access, Routes};
use csc_web::{render_status, FieldErrors};
use serde::{Deserialize, Serialize};
use tera::Context;

use crate::planning::{self, NewPeriod, Period, SessionData};
use crate::staffing::Qualification;
use crate::{materials, project, sheets, MOUNT, STAFF};

const DIRECTOR: [Role; 1] = [Role::Referent];

pub fn routes(r: &mut Routes) {
    let staff = Access::Staff(&STAFF);
    let director = Access::Staff(&DIRECTOR);
    let period = "/centre/{centre}/periodes/{id}";
    r.get("/centre/{centre}", staff, home)
        .post("/centre/{centre}/periodes", director, create_period)
        .post("/centre/{centre}/reglages", director, save_settings)
        .get(period, staff, week)
        .get(format!("{period}/seance"), staff, session_page)
        .post(format!("{period}/seance"), staff, session_save)
        .post(format!("{period}/copier-semaine"), staff, copy_week)
        .post(format!("{period}/copier"), director, copy_period)
        .get(format!("{period}/couverture"), staff, coverage)
        .get(format!("{period}/materiel"), staff, material)
        .get("/centre/{centre}/projet", staff, project_page)
        .post("/centre/{centre}/projet", director, project_add)
        .post(
            "/centre/{centre}/projet/{id}/supprimer",
            director,
            project_delete,
        )
        .get("/centre/{centre}/equipe", staff, team_page)
        .post("/centre/{centre}/equipe", director, team_add)
        .post("/centre/{centre}/equipe/{id}", director, team_update)
        .get("/vacances", Access::Admin, holidays_page)
        .post("/vacances", Access::Admin, holidays_add);
}

fn period_url(centre: i64, period: i64) -> String {
    format!("{MOUNT}/centre/{centre}/periodes/{period}")
}

fn base(centre: &Centre, who: &Identity, title: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("title", title);
    ctx.insert("managed", centre);
    ctx.insert("is_director", &who.has_any_role(centre.id, &DIRECTOR));
    ctx
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

/// May `who` change the planning of `group` in `centre`? The director always; an animator for
/// the groups they lead.
async fn may_edit(db: &Db, who: &Identity, centre: i64, group: i64) -> Result<bool, AppError> {
    if who.has_any_role(centre, &DIRECTOR) {
        return Ok(true);
    }
    let uid = who.user_id;
    let led = db
        .run(move |c| planning::groups_led_by(c, centre, uid))
        .await?;
    Ok(led.contains(&group))
}

// ---------------------------------------------------------------------------------------------
// Home: periods and settings

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PeriodForm {
    title: String,
    activity: String,
    first_day: String,
    last_day: String,
}

async fn home_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    form: &PeriodForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let (periods, activities, settings) = db
        .run(move |c| {
            Ok((
                planning::periods(c, cid)?,
                csc_activities::of_centre(c, cid)?,
                planning::settings(c, cid)?,
            ))
        })
        .await?;
    let mut ctx = base(&centre, who, &format!("Plannings — {}", centre.name));
    ctx.insert("periods", &periods);
    ctx.insert(
        "activities",
        &activities
            .iter()
            .map(|a| csc_web::forms::RowChoice::new(a.id, &a.title))
            .collect::<Vec<_>>(),
    );
    ctx.insert("settings", &settings);
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/home.html", ctx)
}

/// `GET /animconnect/centre/{centre}`.
async fn home(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &STAFF).await?;
    home_view(
        &req,
        &who,
        &db,
        centre,
        &PeriodForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /animconnect/centre/{centre}/periodes`.
async fn create_period(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<PeriodForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &DIRECTOR).await?;
    let form = form.into_inner();
    let cid = centre.id;
    let activities = db
        .run(move |c| Ok(csc_activities::of_centre(c, cid)?))
        .await?;
    let mut e = FieldErrors::new();
    let title = e.check("title", required(&form.title, 120, "le nom de la période"));
    let activity = form
        .activity
        .parse::<i64>()
        .ok()
        .filter(|id| activities.iter().any(|a| a.id == *id));
    if activity.is_none() {
        e.add(
            "activity",
            "Choisissez l'activité du calendrier que cette période planifie.",
        );
    }
    let first = parse_day(&form.first_day);
    let last = parse_day(&form.last_day);
    if first.is_none() {
        e.add("first_day", "Indiquez le premier jour (jj/mm/aaaa).");
    }
    if last.is_none() {
        e.add("last_day", "Indiquez le dernier jour (jj/mm/aaaa).");
    }
    if let (Some(a), Some(b)) = (first, last) {
        if b < a {
            e.add("last_day", "Le dernier jour vient avant le premier.");
        } else if (b - a).num_days() > 400 {
            e.add("last_day", "Une période dure un an au plus.");
        }
    }
    match (title, activity, first, last) {
        (Some(title), Some(activity_id), Some(first_day), Some(last_day)) if e.is_empty() => {
            let new = NewPeriod {
                activity_id,
                title,
                first_day,
                last_day,
                slots: planning::default_slots(),
            };
            let id = db
                .write(move |c| planning::create_period(c, cid, &new))
                .await?;
            flash::redirect_with(
                &req,
                &period_url(cid, id),
                Level::Success,
                "La période est créée avec les créneaux habituels de la journée.",
            )
        }
        _ => {
            home_view(
                &req,
                &who,
                &db,
                centre,
                &form,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    pedt: String,
    project_summary: String,
}

/// `POST /animconnect/centre/{centre}/reglages`: PEDT and the project in short.
async fn save_settings(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &DIRECTOR).await?;
    let summary = match optional(&form.project_summary, 1500) {
        Ok(s) => s,
        Err(m) => {
            let cid = centre.id;
            return flash::redirect_with(&req, &format!("{MOUNT}/centre/{cid}"), Level::Error, &m);
        }
    };
    let settings = planning::CentreSettings {
        pedt: !form.pedt.is_empty(),
        project_summary: summary,
    };
    let cid = centre.id;
    db.write(move |c| planning::save_settings(c, cid, &settings))
        .await?;
    flash::redirect_with(
        &req,
        &format!("{MOUNT}/centre/{cid}"),
        Level::Success,
        "Les réglages sont enregistrés.",
    )
}

// ---------------------------------------------------------------------------------------------
// The week grid

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WeekQuery {
    groupe: String,
    semaine: String,
}

/// The period, its groups, and the group and week asked (the first group, the week of the
/// first day by default).
async fn period_and_group(
    db: &Db,
    centre: i64,
    id: i64,
    group: &str,
    week: &str,
) -> Result<(Period, Vec<csc_activities::Group>, i64, NaiveDate), AppError> {
    let (period, groups) = db
        .run(move |c| {
            let p = planning::period(c, centre, id)?;
            let g = csc_activities::groups(c, p.activity_id)?;
            Ok((p, g))
        })
        .await?;
    let group_id = match group.parse::<i64>() {
        Ok(g) if groups.iter().any(|x| x.id == g) => g,
        Ok(_) => return Err(AppError::NotFound),
        Err(_) => groups.first().map_or(0, |g| g.id),
    };
    let monday = parse_day(week).map(planning::monday_of).unwrap_or_else(|| {
        let today = csc_core::time::today_paris();
        if today >= period.first_day && today <= period.last_day {
            planning::monday_of(today)
        } else {
            planning::monday_of(period.first_day)
        }
    });
    Ok((period, groups, group_id, monday))
}

/// `GET …/periodes/{id}?groupe=&semaine=`.
async fn week(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<WeekQuery>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    let centre = centres::managed(&db, &who, cid, &STAFF).await?;
    let (period, groups, group_id, monday) =
        period_and_group(&db, cid, id, &q.groupe, &q.semaine).await?;
    let can_edit = may_edit(&db, &who, cid, group_id).await?;
    let p = period.clone();
    let (grid, warnings, periods) = db
        .run(move |c| {
            let grid = planning::week_grid(c, &p, group_id, monday)?;
            let warnings = planning::warnings(c, &p, monday, monday + Days::new(6))?;
            Ok((grid, warnings, planning::periods(c, cid)?))
        })
        .await?;
    let mine: Vec<_> = warnings.iter().filter(|w| w.group_id == group_id).collect();
    let others = warnings.len() - mine.len();
    let mut ctx = base(&centre, &who, &format!("{} — planning", period.title));
    ctx.insert("period", &period);
    ctx.insert("groups", &groups);
    ctx.insert("group_id", &group_id);
    ctx.insert("grid", &grid);
    ctx.insert("warnings", &mine);
    ctx.insert("other_warnings", &others);
    ctx.insert("can_edit", &can_edit);
    ctx.insert("monday", &monday.format("%Y-%m-%d").to_string());
    ctx.insert("monday_label", &csc_core::time::format_date_long(monday));
    ctx.insert(
        "prev",
        &(monday - Days::new(7)).format("%Y-%m-%d").to_string(),
    );
    ctx.insert(
        "next",
        &(monday + Days::new(7)).format("%Y-%m-%d").to_string(),
    );
    ctx.insert("has_prev", &(monday > period.first_day));
    ctx.insert("has_next", &(monday + Days::new(7) <= period.last_day));
    ctx.insert(
        "weeks",
        &planning::weeks(&period)
            .into_iter()
            .map(|w| {
                (
                    w.format("%Y-%m-%d").to_string(),
                    format!("semaine du {}", csc_core::time::format_date_long(w)),
                )
            })
            .collect::<Vec<_>>(),
    );
    ctx.insert("periods", &periods);
    render_status(&req, StatusCode::OK, "animconnect/week.html", ctx)
}

// ---------------------------------------------------------------------------------------------
// A session (a cell of the grid)

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct CellQuery {
    groupe: String,
    jour: String,
    creneau: String,
}

/// The session form as sent (leads as `lead_ID`, objectives as `obj_ID`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
struct SessionForm(BTreeMap<String, String>);

impl SessionForm {
    fn get(&self, k: &str) -> &str {
        self.0.get(k).map_or("", String::as_str)
    }
}

struct CellContext {
    period: Period,
    group: csc_activities::Group,
    day: NaiveDate,
    slot: planning::Slot,
}

async fn cell_context(
    db: &Db,
    cid: i64,
    id: i64,
    group: &str,
    day: &str,
    slot: &str,
) -> Result<CellContext, AppError> {
    let (group, day, slot) = (
        group.parse::<i64>().map_err(|_| AppError::NotFound)?,
        parse_day(day).ok_or(AppError::NotFound)?,
        slot.parse::<i64>().map_err(|_| AppError::NotFound)?,
    );
    db.run(move |c| {
        let period = planning::period(c, cid, id)?;
        let group = csc_activities::groups(c, period.activity_id)?
            .into_iter()
            .find(|g| g.id == group)
            .ok_or(AppError::NotFound)?;
        let slot = planning::slots(c, period.id)?
            .into_iter()
            .find(|s| s.id == slot)
            .ok_or(AppError::NotFound)?;
        if !planning::days(c, &period)?.iter().any(|d| d.day == day) {
            return Err(AppError::NotFound);
        }
        Ok(CellContext {
            period,
            group,
            day,
            slot,
        })
    })
    .await
}

#[allow(clippy::too_many_arguments)]
async fn session_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    cell: CellContext,
    values: &SessionForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let me = who.clone();
    let (team, objectives, library) = db
        .run(move |c| {
            let team = planning::team(c, cid)?;
            let objectives = project::tree(c, cid)?;
            // The sheets this user may plan: the library's most used, readable ones.
            let (sheets, _) = sheets::search(
                c,
                &me,
                &sheets::Query {
                    sort: Some(sheets::Sort::Title),
                    ..sheets::Query::default()
                },
            )?;
            Ok((team, objectives, sheets))
        })
        .await?;
    let mut ctx = base(&centre, who, &format!("Séance — {}", cell.group.label));
    ctx.insert("period", &cell.period);
    ctx.insert("group", &cell.group);
    ctx.insert("day", &cell.day.format("%Y-%m-%d").to_string());
    ctx.insert("day_label", &csc_core::time::format_date_long(cell.day));
    ctx.insert("slot", &cell.slot);
    ctx.insert("team", &team);
    ctx.insert("objectives", &objectives);
    ctx.insert(
        "library",
        &library
            .iter()
            .map(|s| csc_web::forms::RowChoice::new(s.id, &s.title))
            .collect::<Vec<_>>(),
    );
    ctx.insert("values", &values.0);
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/session.html", ctx)
}

/// `GET …/periodes/{id}/seance?groupe=&jour=&creneau=`.
async fn session_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<CellQuery>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    let centre = centres::managed(&db, &who, cid, &STAFF).await?;
    let cell = cell_context(&db, cid, id, &q.groupe, &q.jour, &q.creneau).await?;
    if !may_edit(&db, &who, cid, cell.group.id).await? {
        return Err(AppError::Forbidden);
    }
    let (pid, gid, day, sid) = (cell.period.id, cell.group.id, cell.day, cell.slot.id);
    let existing = db
        .run(move |c| {
            Ok(planning::cells(c, pid, day, day, &[gid])?
                .into_iter()
                .find(|x| x.session.slot_id == sid))
        })
        .await?;
    let mut values = SessionForm::default();
    if let Some(x) = existing {
        let v = &mut values.0;
        if let Some(s) = x.session.sheet_id {
            v.insert("sheet".into(), s.to_string());
        }
        if let Some(s) = x.session.plan_b_sheet_id {
            v.insert("plan_b".into(), s.to_string());
        }
        v.insert("title".into(), x.session.title.clone());
        v.insert("place".into(), x.session.place.clone());
        v.insert("notes".into(), x.session.notes.clone());
        for l in x.leads {
            v.insert(format!("lead_{l}"), "on".into());
        }
        for o in x.objectives {
            v.insert(format!("obj_{o}"), "on".into());
        }
    }
    session_view(
        &req,
        &who,
        &db,
        centre,
        cell,
        &values,
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST …/periodes/{id}/seance`: writes the cell, or empties it (« Vider »).
async fn session_save(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<SessionForm>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    let centre = centres::managed(&db, &who, cid, &STAFF).await?;
    let form = form.into_inner();
    let cell = cell_context(
        &db,
        cid,
        id,
        form.get("groupe"),
        form.get("jour"),
        form.get("creneau"),
    )
    .await?;
    if !may_edit(&db, &who, cid, cell.group.id).await? {
        return Err(AppError::Forbidden);
    }
    let back = format!(
        "{}?groupe={}&semaine={}",
        period_url(cid, id),
        cell.group.id,
        planning::monday_of(cell.day).format("%Y-%m-%d")
    );
    let (pid, gid, day, sid) = (cell.period.id, cell.group.id, cell.day, cell.slot.id);
    if !form.get("vider").is_empty() {
        db.write(move |c| {
            if let Some(x) = planning::cells(c, pid, day, day, &[gid])?
                .into_iter()
                .find(|x| x.session.slot_id == sid)
            {
                planning::delete_session(c, pid, x.session.id)?;
            }
            Ok(())
        })
        .await?;
        return flash::redirect_with(&req, &back, Level::Success, "Le créneau est vidé.");
    }
    let me = who.clone();
    let (team, objectives) = db
        .run(move |c| Ok((planning::team(c, cid)?, project::tree(c, cid)?)))
        .await?;
    let mut e = FieldErrors::new();
    let sheet_field = |name: &str, e: &mut FieldErrors| -> Option<i64> {
        let v = form.get(name).trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                e.add(name, "Choisissez une fiche de la liste.");
                None
            }
        }
    };
    let sheet = sheet_field("sheet", &mut e);
    let plan_b = sheet_field("plan_b", &mut e);
    // A sheet one may not read cannot be planned.
    for (name, id) in [("sheet", sheet), ("plan_b", plan_b)] {
        if let Some(id) = id {
            let me = me.clone();
            if db.run(move |c| sheets::readable(c, &me, id)).await.is_err() {
                e.add(name, "Cette fiche n'existe pas ou ne vous est pas ouverte.");
            }
        }
    }
    let title = e
        .check("title", optional(form.get("title"), 120))
        .unwrap_or_default();
    if sheet.is_none() && title.is_empty() {
        e.add("title", "Choisissez une fiche ou écrivez ce qui est prévu.");
    }
    let place = e
        .check("place", optional(form.get("place"), 120))
        .unwrap_or_default();
    let notes = e
        .check("notes", optional(form.get("notes"), 1000))
        .unwrap_or_default();
    let leads: Vec<i64> = team
        .iter()
        .filter(|m| !form.get(&format!("lead_{}", m.id)).is_empty())
        .map(|m| m.id)
        .collect();
    let chosen: Vec<i64> = objectives
        .iter()
        .filter(|o| !form.get(&format!("obj_{}", o.id)).is_empty())
        .map(|o| o.id)
        .collect();
    if e.is_empty() {
        let data = SessionData {
            group_id: gid,
            day,
            slot_id: sid,
            sheet_id: sheet,
            title,
            place,
            plan_b_sheet_id: plan_b,
            notes,
            leads,
            objectives: chosen,
        };
        let period = cell.period.clone();
        match db
            .write(move |c| planning::save_session(c, &period, &data))
            .await?
        {
            Ok(_) => {
                return flash::redirect_with(
                    &req,
                    &back,
                    Level::Success,
                    "La séance est enregistrée.",
                )
            }
            Err(planning::Refusal::Field(f, m)) => e.add(f, m),
        }
    }
    session_view(
        &req,
        &who,
        &db,
        centre,
        cell,
        &form,
        &e,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Copies

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CopyWeekForm {
    from: String,
    to: String,
    target: String,
    groupe: String,
    all_groups: String,
}

/// `POST …/periodes/{id}/copier-semaine`: a week onto another (of this period or another one:
/// a « semaine type »), for one group or all.
async fn copy_week(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CopyWeekForm>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    centres::managed(&db, &who, cid, &STAFF).await?;
    let all = !form.all_groups.is_empty();
    let group = form.groupe.parse::<i64>().ok();
    let target_id = form.target.parse::<i64>().unwrap_or(id);
    let is_director = who.has_any_role(cid, &DIRECTOR);
    if all && !is_director {
        return Err(AppError::Forbidden);
    }
    if let (false, Some(g)) = (all, group) {
        if !may_edit(&db, &who, cid, g).await? {
            return Err(AppError::Forbidden);
        }
    }
    let back = period_url(cid, id);
    let (Some(from), Some(to)) = (parse_day(&form.from), parse_day(&form.to)) else {
        return flash::redirect_with(
            &req,
            &back,
            Level::Error,
            "Choisissez la semaine à copier et la semaine où la copier.",
        );
    };
    if group.is_none() && !all {
        return flash::redirect_with(&req, &back, Level::Error, "Choisissez le groupe.");
    }
    let done = db
        .write(move |c| {
            let source = planning::period(c, cid, id)?;
            let target = planning::period(c, cid, target_id)?;
            planning::copy_week(
                c,
                &source,
                from,
                &target,
                to,
                if all { None } else { group },
            )
        })
        .await?;
    let mut msg = format!(
        "{} séance{} copiée{}.",
        done.sessions,
        plural(done.sessions),
        plural(done.sessions)
    );
    if done.days_skipped > 0 {
        msg.push_str(&format!(
            " {} jour{} sans accueil dans la semaine d'arrivée : rien n'y est copié.",
            done.days_skipped,
            plural(done.days_skipped)
        ));
    }
    let to_url = format!(
        "{}?{}semaine={}",
        period_url(cid, target_id),
        group.map(|g| format!("groupe={g}&")).unwrap_or_default(),
        planning::monday_of(to).format("%Y-%m-%d")
    );
    flash::redirect_with(&req, &to_url, Level::Success, &msg)
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CopyPeriodForm {
    title: String,
    first_day: String,
    last_day: String,
}

/// `POST …/periodes/{id}/copier`: the whole period to new dates.
async fn copy_period(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<CopyPeriodForm>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    centres::managed(&db, &who, cid, &DIRECTOR).await?;
    let back = period_url(cid, id);
    let title = match required(&form.title, 120, "le nom de la nouvelle période") {
        Ok(t) => t,
        Err(m) => return flash::redirect_with(&req, &back, Level::Error, &m),
    };
    let (Some(first), Some(last)) = (parse_day(&form.first_day), parse_day(&form.last_day)) else {
        return flash::redirect_with(
            &req,
            &back,
            Level::Error,
            "Indiquez le premier et le dernier jour de la nouvelle période.",
        );
    };
    if last < first {
        return flash::redirect_with(
            &req,
            &back,
            Level::Error,
            "Le dernier jour vient avant le premier.",
        );
    }
    let (new, done) = db
        .write(move |c| {
            let source = planning::period(c, cid, id)?;
            planning::copy_period(c, &source, &title, first, last)
        })
        .await?;
    flash::redirect_with(
        &req,
        &period_url(cid, new),
        Level::Success,
        &format!(
            "La période est copiée : {} séance{}.",
            done.sessions,
            plural(done.sessions)
        ),
    )
}

// ---------------------------------------------------------------------------------------------
// Coverage and material

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RangeQuery {
    semaine: String,
}

/// `GET …/periodes/{id}/couverture[?semaine=]`: the project's coverage for a week or the period.
async fn coverage(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<RangeQuery>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    let centre = centres::managed(&db, &who, cid, &STAFF).await?;
    let week = parse_day(&q.semaine).map(planning::monday_of);
    let (period, report) = db
        .run(move |c| {
            let p = planning::period(c, cid, id)?;
            let (from, to) = match week {
                Some(w) => (w, w + Days::new(6)),
                None => (p.first_day, p.last_day),
            };
            let r = project::coverage(c, &p, from, to)?;
            Ok((p, r))
        })
        .await?;
    let mut ctx = base(
        &centre,
        &who,
        &format!("Projet pédagogique — {}", period.title),
    );
    ctx.insert("period", &period);
    ctx.insert("report", &report);
    ctx.insert(
        "scope",
        &week.map_or_else(
            || "toute la période".to_string(),
            |w| format!("la semaine du {}", csc_core::time::format_date_long(w)),
        ),
    );
    render_status(&req, StatusCode::OK, "animconnect/coverage.html", ctx)
}

/// `GET …/periodes/{id}/materiel?semaine=`: the week's material, summed across groups.
async fn material(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    q: web::Query<RangeQuery>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    let centre = centres::managed(&db, &who, cid, &STAFF).await?;
    let asked = parse_day(&q.semaine);
    let (period, monday, lines) = db
        .run(move |c| {
            let p = planning::period(c, cid, id)?;
            let monday = planning::monday_of(asked.unwrap_or(p.first_day));
            let names: BTreeMap<i64, String> = csc_activities::groups(c, p.activity_id)?
                .into_iter()
                .map(|g| (g.id, g.label))
                .collect();
            let lines = materials::week(c, &p, monday, &names)?;
            Ok((p, monday, lines))
        })
        .await?;
    let mut ctx = base(&centre, &who, &format!("Matériel — {}", period.title));
    ctx.insert("period", &period);
    ctx.insert("lines", &lines);
    ctx.insert("monday_label", &csc_core::time::format_date_long(monday));
    render_status(&req, StatusCode::OK, "animconnect/material.html", ctx)
}

// ---------------------------------------------------------------------------------------------
// Pedagogical project

async fn project_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let tree = db.run(move |c| project::tree(c, cid)).await?;
    let mut ctx = base(
        &centre,
        who,
        &format!("Projet pédagogique — {}", centre.name),
    );
    let parents: Vec<_> = tree
        .iter()
        .filter(|o| o.level.below().is_some())
        .map(|o| csc_web::forms::RowChoice::new(o.id, format!("{} : {}", o.level.label(), o.title)))
        .collect();
    ctx.insert("tree", &tree);
    ctx.insert("parents", &parents);
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/project.html", ctx)
}

/// `GET /animconnect/centre/{centre}/projet`.
async fn project_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &STAFF).await?;
    project_view(&req, &who, &db, centre, &FieldErrors::new(), StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ObjectiveForm {
    parent: String,
    title: String,
}

/// `POST /animconnect/centre/{centre}/projet`.
async fn project_add(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<ObjectiveForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &DIRECTOR).await?;
    let mut e = FieldErrors::new();
    let title = e.check("title", required(&form.title, 200, "l'intitulé"));
    let parent = form.parent.parse::<i64>().ok();
    let cid = centre.id;
    if let Some(title) = title {
        match db
            .write(move |c| project::add(c, cid, parent, &title))
            .await?
        {
            Ok(_) => {
                return flash::redirect_with(
                    &req,
                    &format!("{MOUNT}/centre/{cid}/projet"),
                    Level::Success,
                    "L'objectif est ajouté.",
                )
            }
            Err(m) => e.add("parent", m),
        }
    }
    project_view(
        &req,
        &who,
        &db,
        centre,
        &e,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /animconnect/centre/{centre}/projet/{id}/supprimer`.
async fn project_delete(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    centres::managed(&db, &who, cid, &DIRECTOR).await?;
    db.write(move |c| project::delete(c, cid, id)).await?;
    flash::redirect_with(
        &req,
        &format!("{MOUNT}/centre/{cid}/projet"),
        Level::Success,
        "L'objectif et ses sous-objectifs sont retirés du projet.",
    )
}

// ---------------------------------------------------------------------------------------------
// Team

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TeamQuery {
    periode: String,
}

async fn team_view(
    req: &HttpRequest,
    who: &Identity,
    db: &Db,
    centre: Centre,
    period: Option<i64>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let cid = centre.id;
    let (team, periods, leads, chosen, days, groups, works) = db
        .run(move |c| {
            let team = planning::team(c, cid)?;
            let periods = planning::periods(c, cid)?;
            let chosen = match period {
                Some(id) => Some(planning::period(c, cid, id)?),
                None => periods.first().cloned(),
            };
            let (days, groups) = match &chosen {
                Some(p) => (
                    planning::days(c, p)?
                        .into_iter()
                        .map(|s| s.day)
                        .collect::<Vec<_>>(),
                    csc_activities::groups(c, p.activity_id)?,
                ),
                None => (Vec::new(), Vec::new()),
            };
            let works = planning::working_days(c, &team.iter().map(|m| m.id).collect::<Vec<_>>())?;
            Ok((
                team,
                periods,
                planning::group_leads(c, cid)?,
                chosen,
                days,
                groups,
                works,
            ))
        })
        .await?;
    let rows: Vec<_> = team
        .iter()
        .map(|m| {
            let worked: Vec<(String, String, bool)> = days
                .iter()
                .map(|d| {
                    (
                        d.format("%Y-%m-%d").to_string(),
                        csc_core::time::format_date_long(*d),
                        works.get(&m.id).is_some_and(|w| w.contains(d)),
                    )
                })
                .collect();
            let led: HashSet<i64> = leads.iter().filter(|l| l.0 == m.id).map(|l| l.1).collect();
            let group_rows: Vec<(i64, String, bool)> = groups
                .iter()
                .map(|g| (g.id, g.label.clone(), led.contains(&g.id)))
                .collect();
            (m, worked, group_rows, !works.contains_key(&m.id))
        })
        .collect();
    let mut ctx = base(&centre, who, &format!("Équipe — {}", centre.name));
    ctx.insert("rows", &rows);
    ctx.insert("periods", &periods);
    ctx.insert("chosen", &chosen);
    ctx.insert("qualifications", &Qualification::choices());
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/team.html", ctx)
}

/// `GET /animconnect/centre/{centre}/equipe[?periode=]`.
async fn team_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    q: web::Query<TeamQuery>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &STAFF).await?;
    team_view(
        &req,
        &who,
        &db,
        centre,
        q.periode.parse().ok(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberForm {
    name: String,
    qualification: String,
    director: String,
    email: String,
}

/// `POST /animconnect/centre/{centre}/equipe`: a new member.
async fn team_add(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<i64>,
    form: web::Form<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let centre = centres::managed(&db, &who, path.into_inner(), &DIRECTOR).await?;
    let mut e = FieldErrors::new();
    let name = e.check("name", required(&form.name, 80, "le nom"));
    let q = e.check(
        "qualification",
        Qualification::parse(&form.qualification)
            .ok_or_else(|| "Choisissez la qualification.".to_string()),
    );
    // The member's account, when given: so they find the groups they lead.
    let email = form.email.trim().to_string();
    let user = if email.is_empty() {
        None
    } else {
        match csc_core::Email::parse(&email) {
            Ok(addr) => {
                let found = db
                    .run(move |c| Ok(csc_auth::users::by_email(c, &addr)?))
                    .await?;
                match found {
                    Some(u) => Some(u.id),
                    None => {
                        e.add("email", "Aucun compte n'a cette adresse : laissez vide ou invitez d'abord la personne.");
                        None
                    }
                }
            }
            Err(_) => {
                e.add("email", "Cette adresse n'est pas valide.");
                None
            }
        }
    };
    let cid = centre.id;
    match (name, q) {
        (Some(name), Some(q)) if e.is_empty() => {
            let director = !form.director.is_empty();
            db.write(move |c| planning::add_member(c, cid, &name, q, director, user))
                .await?;
            flash::redirect_with(
                &req,
                &format!("{MOUNT}/centre/{cid}/equipe"),
                Level::Success,
                "La personne est ajoutée à l'équipe.",
            )
        }
        _ => {
            team_view(
                &req,
                &who,
                &db,
                centre,
                None,
                &e,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /animconnect/centre/{centre}/equipe/{id}`: the days a member works in a period and the
/// groups they lead (`day_YYYY-MM-DD`, `group_ID`).
async fn team_update(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    path: web::Path<(i64, i64)>,
    form: web::Form<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let (cid, id) = path.into_inner();
    centres::managed(&db, &who, cid, &DIRECTOR).await?;
    let form = form.into_inner();
    let period = form.get("periode").and_then(|p| p.parse::<i64>().ok());
    db.write(move |c| {
        let team = planning::team(c, cid)?;
        if !team.iter().any(|m| m.id == id) {
            return Err(AppError::NotFound);
        }
        if let Some(pid) = period {
            let p = planning::period(c, cid, pid)?;
            let days: Vec<NaiveDate> = form
                .keys()
                .filter_map(|k| k.strip_prefix("day_"))
                .filter_map(parse_day)
                .filter(|d| *d >= p.first_day && *d <= p.last_day)
                .collect();
            planning::set_days(c, id, p.first_day, p.last_day, &days)?;
            let all: Vec<i64> = csc_activities::groups(c, p.activity_id)?
                .into_iter()
                .map(|g| g.id)
                .collect();
            let led: Vec<i64> = all
                .iter()
                .copied()
                .filter(|g| form.contains_key(&format!("group_{g}")))
                .collect();
            planning::set_group_leads(c, id, &all, &led)?;
        }
        Ok(())
    })
    .await?;
    let to = match period {
        Some(p) => format!("{MOUNT}/centre/{cid}/equipe?periode={p}"),
        None => format!("{MOUNT}/centre/{cid}/equipe"),
    };
    flash::redirect_with(
        &req,
        &to,
        Level::Success,
        "Les jours et les groupes sont enregistrés.",
    )
}

// ---------------------------------------------------------------------------------------------
// School holidays beyond the shipped data (the federation's admin)

/// The names of school holidays, as the official calendar gives them.
const HOLIDAY_NAMES: [&str; 6] = [
    "Vacances de la Toussaint",
    "Vacances de Noël",
    "Vacances d'hiver",
    "Vacances de printemps",
    "Pont de l'Ascension",
    "Vacances d'été",
];

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct HolidayForm {
    name: String,
    first_day: String,
    last_day: String,
}

async fn holidays_view(
    req: &HttpRequest,
    db: &Db,
    form: &HolidayForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let added = db.run(planning::school_holidays).await?;
    let range = csc_calendar::school_data_range();
    let mut ctx = Context::new();
    ctx.insert("title", "Vacances scolaires de la zone B");
    ctx.insert("added", &added);
    ctx.insert("data_first", &range.start().format("%d/%m/%Y").to_string());
    ctx.insert("data_last", &range.end().format("%d/%m/%Y").to_string());
    ctx.insert(
        "names",
        &HOLIDAY_NAMES
            .iter()
            .map(|n| csc_web::forms::RowChoice::new(n, *n))
            .collect::<Vec<_>>(),
    );
    ctx.insert("values", form);
    ctx.insert("errors", errors);
    render_status(req, status, "animconnect/holidays.html", ctx)
}

/// `GET /animconnect/vacances`: the school holidays known, and a form to add a school year's.
async fn holidays_page(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    holidays_view(
        &req,
        &db,
        &HolidayForm::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /animconnect/vacances`: one span of holidays.
async fn holidays_add(
    req: HttpRequest,
    who: Identity,
    db: web::Data<Db>,
    form: web::Form<HolidayForm>,
) -> Result<HttpResponse, AppError> {
    who.require_admin()?;
    let form = form.into_inner();
    let mut e = FieldErrors::new();
    if !HOLIDAY_NAMES.contains(&form.name.as_str()) {
        e.add("name", "Choisissez les vacances dans la liste.");
    }
    let first = parse_day(&form.first_day);
    let last = parse_day(&form.last_day);
    if first.is_none() {
        e.add(
            "first_day",
            "Indiquez le premier jour sans école (jj/mm/aaaa).",
        );
    }
    if last.is_none() {
        e.add(
            "last_day",
            "Indiquez le dernier jour sans école (jj/mm/aaaa).",
        );
    }
    if let (Some(a), Some(b)) = (first, last) {
        if b < a {
            e.add("last_day", "Le dernier jour vient avant le premier.");
        } else if (b - a).num_days() > 70 {
            e.add("last_day", "Des vacances durent 70 jours au plus.");
        }
    }
    if let (Some(a), Some(b), true) = (first, last, e.is_empty()) {
        let name = form.name.clone();
        match db
            .write(move |c| planning::add_school_holiday(c, &name, a, b))
            .await?
        {
            Ok(()) => {
                return flash::redirect_with(
                    &req,
                    &format!("{MOUNT}/vacances"),
                    Level::Success,
                    "Les vacances sont ajoutées : les plannings en tiennent compte.",
                )
            }
            Err(m) => e.add("first_day", m),
        }
    }
    holidays_view(&req, &db, &form, &e, StatusCode::UNPROCESSABLE_ENTITY).await
}
