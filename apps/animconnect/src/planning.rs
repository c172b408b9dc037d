//! The planning of a centre: periods (« Mercredis de septembre à décembre ») on an activity of the
//! shared calendar, the time slots of their days, and each group's sessions (a sheet or a free
//! title, a place, a plan B, who leads). Weeks and periods are copied; the staffing of each
//! group, day and slot is checked against the rules of `staffing`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};
use csc_activities::{Group, Session};
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{
    animconnect_centres as ce, animconnect_group_leads as gl, animconnect_periods as p,
    animconnect_session_leads as sl, animconnect_session_objectives as sob,
    animconnect_sessions as se, animconnect_sheets as sh, animconnect_slots as sk,
    animconnect_team as tm, animconnect_team_days as td,
};
use crate::sheets;
use crate::staffing::{self, Headcount, Qualification, Reception, Team};

/// A period of planning.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = p)]
pub struct Period {
    pub id: i64,
    pub centre_id: i64,
    pub activity_id: i64,
    pub title: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub created_at: NaiveDateTime,
}

/// A time slot of a period's days.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = sk)]
pub struct Slot {
    pub id: i64,
    pub period_id: i64,
    pub position: i32,
    pub label: String,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
    pub explained: String,
}

/// A planned session as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = se)]
pub struct Planned {
    pub id: i64,
    pub period_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub slot_id: i64,
    pub sheet_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub plan_b_sheet_id: Option<i64>,
    pub notes: String,
}

/// A member of a centre's team.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tm)]
pub struct Member {
    pub id: i64,
    pub centre_id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub qualification: Qualification,
    pub director: bool,
}

/// The slots a new period gets, as most accueils de loisirs cut their day.
pub const DEFAULT_SLOTS: [(&str, &str, &str, &str); 5] = [
    (
        "Accueil",
        "08:00",
        "09:30",
        "Les enfants arrivent à leur rythme : jeux libres, on se dit bonjour.",
    ),
    (
        "Matin",
        "09:30",
        "11:45",
        "L'activité du matin, en petits groupes.",
    ),
    (
        "Repas",
        "11:45",
        "13:30",
        "Le déjeuner ensemble, puis un moment libre.",
    ),
    (
        "Temps calme",
        "13:30",
        "14:30",
        "Sieste pour les plus petits, lecture et jeux calmes pour les autres.",
    ),
    (
        "Après-midi",
        "14:30",
        "17:00",
        "L'activité de l'après-midi, puis le goûter.",
    ),
];

/// A period to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPeriod {
    pub activity_id: i64,
    pub title: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub slots: Vec<(String, NaiveTime, NaiveTime, String)>,
}

fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap_or(NaiveTime::MIN)
}

/// The default slots, as `NewPeriod` takes them.
pub fn default_slots() -> Vec<(String, NaiveTime, NaiveTime, String)> {
    DEFAULT_SLOTS
        .iter()
        .map(|(l, a, b, e)| (l.to_string(), hm(a), hm(b), e.to_string()))
        .collect()
}

/// Creates a period with its slots; its id.
pub fn create_period(c: &mut DbConn, centre_id: i64, new: &NewPeriod) -> Result<i64, AppError> {
    let id: i64 = diesel::insert_into(p::table)
        .values((
            p::centre_id.eq(centre_id),
            p::activity_id.eq(new.activity_id),
            p::title.eq(&new.title),
            p::first_day.eq(new.first_day),
            p::last_day.eq(new.last_day),
            p::created_at.eq(csc_core::time::now()),
        ))
        .returning(p::id)
        .get_result(c)?;
    for (i, (label, start, end, explained)) in new.slots.iter().enumerate() {
        diesel::insert_into(sk::table)
            .values((
                sk::period_id.eq(id),
                sk::position.eq(i as i32),
                sk::label.eq(label),
                sk::starts_at.eq(start),
                sk::ends_at.eq(end),
                sk::explained.eq(explained),
            ))
            .execute(c)?;
    }
    Ok(id)
}

/// The centre's periods, latest first.
pub fn periods(c: &mut DbConn, centre_id: i64) -> Result<Vec<Period>, AppError> {
    Ok(p::table
        .filter(p::centre_id.eq(centre_id))
        .order((p::first_day.desc(), p::id))
        .select(Period::as_select())
        .load(c)?)
}

/// One period of the centre (not found when it is another centre's).
pub fn period(c: &mut DbConn, centre_id: i64, id: i64) -> Result<Period, AppError> {
    Ok(p::table
        .filter(p::id.eq(id).and(p::centre_id.eq(centre_id)))
        .select(Period::as_select())
        .first(c)?)
}

/// The slots of a period, in order.
pub fn slots(c: &mut DbConn, period_id: i64) -> Result<Vec<Slot>, AppError> {
    Ok(sk::table
        .filter(sk::period_id.eq(period_id))
        .order((sk::position, sk::id))
        .select(Slot::as_select())
        .load(c)?)
}

/// The days of a period: the days its activity opens between its first and last day, with the
/// calendar's session (hours when known).
pub fn days(c: &mut DbConn, period: &Period) -> Result<Vec<Session>, AppError> {
    let mut out: Vec<Session> = csc_activities::sessions(c, period.activity_id)?
        .into_iter()
        .filter(|s| s.day >= period.first_day && s.day <= period.last_day)
        .collect();
    out.dedup_by_key(|s| s.day);
    Ok(out)
}

/// The Monday of `day`'s week.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The Mondays of the weeks a period covers.
pub fn weeks(period: &Period) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut w = monday_of(period.first_day);
    while w <= period.last_day {
        out.push(w);
        w = w + Days::new(7);
    }
    out
}

/// A planned session with what a page shows of it.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    pub session: Planned,
    pub sheet_title: Option<String>,
    pub plan_b_title: Option<String>,
    pub leads: Vec<i64>,
    pub lead_names: Vec<String>,
    pub objectives: Vec<i64>,
}

impl Cell {
    /// What the session is called: its sheet's title, or its free title.
    pub fn label(&self) -> String {
        match (&self.sheet_title, self.session.title.trim()) {
            (_, t) if !t.is_empty() => t.to_string(),
            (Some(s), _) => s.clone(),
            (None, _) => "Activité libre".into(),
        }
    }
}

/// The sessions of a period between two days (both included), of some groups (all when empty).
pub fn cells(
    c: &mut DbConn,
    period_id: i64,
    from: NaiveDate,
    to: NaiveDate,
    groups: &[i64],
) -> Result<Vec<Cell>, AppError> {
    let mut q = se::table
        .filter(se::period_id.eq(period_id))
        .filter(se::day.ge(from).and(se::day.le(to)))
        .into_boxed();
    if !groups.is_empty() {
        q = q.filter(se::group_id.eq_any(groups.to_vec()));
    }
    let rows: Vec<Planned> = q
        .order((se::day, se::group_id, se::slot_id))
        .select(Planned::as_select())
        .load(c)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let sheet_ids: Vec<i64> = rows
        .iter()
        .flat_map(|r| [r.sheet_id, r.plan_b_sheet_id])
        .flatten()
        .collect();
    let titles: HashMap<i64, String> = sh::table
        .filter(sh::id.eq_any(&sheet_ids))
        .select((sh::id, sh::title))
        .load::<(i64, String)>(c)?
        .into_iter()
        .collect();
    let leads: Vec<(i64, i64, String)> = sl::table
        .inner_join(tm::table)
        .filter(sl::session_id.eq_any(&ids))
        .order((sl::session_id, tm::name))
        .select((sl::session_id, tm::id, tm::name))
        .load(c)?;
    let objectives: Vec<(i64, i64)> = sob::table
        .filter(sob::session_id.eq_any(&ids))
        .select((sob::session_id, sob::objective_id))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|session| {
            let mine: Vec<&(i64, i64, String)> =
                leads.iter().filter(|l| l.0 == session.id).collect();
            Cell {
                sheet_title: session.sheet_id.and_then(|i| titles.get(&i).cloned()),
                plan_b_title: session
                    .plan_b_sheet_id
                    .and_then(|i| titles.get(&i).cloned()),
                leads: mine.iter().map(|l| l.1).collect(),
                lead_names: mine.iter().map(|l| l.2.clone()).collect(),
                objectives: objectives
                    .iter()
                    .filter(|o| o.0 == session.id)
                    .map(|o| o.1)
                    .collect(),
                session,
            }
        })
        .collect())
}

/// A session to write in a cell of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionData {
    pub group_id: i64,
    pub day: NaiveDate,
    pub slot_id: i64,
    pub sheet_id: Option<i64>,
    pub title: String,
    pub place: String,
    pub plan_b_sheet_id: Option<i64>,
    pub notes: String,
    pub leads: Vec<i64>,
    pub objectives: Vec<i64>,
}

/// Why a session cannot be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A field of the form, and the French message to show next to it.
    Field(&'static str, String),
}

/// Writes the session of a cell (replacing what was there); refuses an animator who already
/// leads another group's session at overlapping hours that day. Returns the session's id.
pub fn save_session(
    c: &mut DbConn,
    period: &Period,
    d: &SessionData,
) -> Result<Result<i64, Refusal>, AppError> {
    let slots = slots(c, period.id)?;
    let Some(slot) = slots.iter().find(|s| s.id == d.slot_id) else {
        return Ok(Err(Refusal::Field(
            "slot",
            "Ce créneau n'existe pas.".into(),
        )));
    };
    // Another session of the same day led by one of these animators, overlapping this slot.
    if !d.leads.is_empty() {
        let others: Vec<(i64, i64, i64, String, String)> = sl::table
            .inner_join(se::table)
            .inner_join(tm::table)
            .filter(sl::member_id.eq_any(&d.leads))
            .filter(se::day.eq(d.day))
            .filter(se::group_id.ne(d.group_id).or(se::slot_id.ne(d.slot_id)))
            .select((se::slot_id, se::group_id, tm::id, tm::name, se::title))
            .load(c)?;
        let all_slots: Vec<Slot> = sk::table
            .filter(sk::id.eq_any(others.iter().map(|o| o.0).collect::<Vec<_>>()))
            .select(Slot::as_select())
            .load(c)?;
        for (slot_id, _group, _member, name, _title) in &others {
            if let Some(o) = all_slots.iter().find(|s| s.id == *slot_id) {
                if o.starts_at < slot.ends_at && slot.starts_at < o.ends_at {
                    return Ok(Err(Refusal::Field(
                        "leads",
                        format!(
                            "{name} anime déjà une autre séance ce jour-là de {} à {} : une personne ne peut pas mener deux séances en même temps.",
                            o.starts_at.format("%H:%M"),
                            o.ends_at.format("%H:%M")
                        ),
                    )));
                }
            }
        }
    }
    let old: Option<Planned> = se::table
        .filter(se::group_id.eq(d.group_id))
        .filter(se::day.eq(d.day))
        .filter(se::slot_id.eq(d.slot_id))
        .select(Planned::as_select())
        .first(c)
        .optional()?;
    let mut touched: Vec<i64> = [d.sheet_id, d.plan_b_sheet_id]
        .into_iter()
        .flatten()
        .collect();
    if let Some(o) = &old {
        touched.extend([o.sheet_id, o.plan_b_sheet_id].into_iter().flatten());
        diesel::delete(se::table.find(o.id)).execute(c)?;
    }
    let id = insert_session(c, period.id, d)?;
    sheets::recount_uses(c, &touched)?;
    Ok(Ok(id))
}

fn insert_session(c: &mut DbConn, period_id: i64, d: &SessionData) -> Result<i64, AppError> {
    let id: i64 = diesel::insert_into(se::table)
        .values((
            se::period_id.eq(period_id),
            se::group_id.eq(d.group_id),
            se::day.eq(d.day),
            se::slot_id.eq(d.slot_id),
            se::sheet_id.eq(d.sheet_id),
            se::title.eq(&d.title),
            se::place.eq(&d.place),
            se::plan_b_sheet_id.eq(d.plan_b_sheet_id),
            se::notes.eq(&d.notes),
        ))
        .returning(se::id)
        .get_result(c)?;
    for m in &d.leads {
        diesel::insert_into(sl::table)
            .values((sl::session_id.eq(id), sl::member_id.eq(m)))
            .execute(c)?;
    }
    for o in &d.objectives {
        diesel::insert_into(sob::table)
            .values((sob::session_id.eq(id), sob::objective_id.eq(o)))
            .execute(c)?;
    }
    Ok(id)
}

/// Empties a cell.
pub fn delete_session(c: &mut DbConn, period_id: i64, id: i64) -> Result<(), AppError> {
    let old: Planned = se::table
        .filter(se::id.eq(id).and(se::period_id.eq(period_id)))
        .select(Planned::as_select())
        .first(c)?;
    diesel::delete(se::table.find(id)).execute(c)?;
    let touched: Vec<i64> = [old.sheet_id, old.plan_b_sheet_id]
        .into_iter()
        .flatten()
        .collect();
    sheets::recount_uses(c, &touched)
}

/// What a copy did: sessions written, and source days without a matching day in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Copied {
    pub sessions: usize,
    pub days_skipped: usize,
}

fn data_of(cell: &Cell, group_id: i64, day: NaiveDate, slot_id: i64) -> SessionData {
    SessionData {
        group_id,
        day,
        slot_id,
        sheet_id: cell.session.sheet_id,
        title: cell.session.title.clone(),
        place: cell.session.place.clone(),
        plan_b_sheet_id: cell.session.plan_b_sheet_id,
        notes: cell.session.notes.clone(),
        leads: cell.leads.clone(),
        objectives: cell.objectives.clone(),
    }
}

/// Copies the week of `from` (a Monday) onto the week of `to` in `target` (the same period or
/// another one of the centre, same slots by position, same groups): each session goes to the
/// same weekday; the target week's sessions of those groups are replaced; a day the target
/// does not open is skipped. `group` limits the copy to one group.
pub fn copy_week(
    c: &mut DbConn,
    source: &Period,
    from: NaiveDate,
    target: &Period,
    to: NaiveDate,
    group: Option<i64>,
) -> Result<Copied, AppError> {
    let from = monday_of(from);
    let to = monday_of(to);
    let groups: Vec<i64> = group.into_iter().collect();
    let src = cells(c, source.id, from, from + Days::new(6), &groups)?;
    let target_days: HashSet<NaiveDate> = days(c, target)?.into_iter().map(|s| s.day).collect();
    let slot_map = slot_map(c, source.id, target.id)?;
    // Clear the target week of the groups concerned.
    let src_groups: Vec<i64> = if groups.is_empty() {
        src.iter().map(|x| x.session.group_id).collect()
    } else {
        groups.clone()
    };
    let old: Vec<Planned> = se::table
        .filter(se::period_id.eq(target.id))
        .filter(se::day.ge(to).and(se::day.le(to + Days::new(6))))
        .filter(se::group_id.eq_any(&src_groups))
        .select(Planned::as_select())
        .load(c)?;
    let mut touched: Vec<i64> = old
        .iter()
        .flat_map(|o| [o.sheet_id, o.plan_b_sheet_id])
        .flatten()
        .collect();
    diesel::delete(se::table.filter(se::id.eq_any(old.iter().map(|o| o.id).collect::<Vec<_>>())))
        .execute(c)?;
    let mut done = Copied {
        sessions: 0,
        days_skipped: 0,
    };
    let mut skipped: HashSet<NaiveDate> = HashSet::new();
    for cell in &src {
        let offset = (cell.session.day - from).num_days();
        let day = to + Days::new(offset as u64);
        let Some(slot) = slot_map.get(&cell.session.slot_id) else {
            continue;
        };
        if !target_days.contains(&day) {
            skipped.insert(day);
            continue;
        }
        insert_session(
            c,
            target.id,
            &data_of(cell, cell.session.group_id, day, *slot),
        )?;
        touched.extend(
            [cell.session.sheet_id, cell.session.plan_b_sheet_id]
                .into_iter()
                .flatten(),
        );
        done.sessions += 1;
    }
    done.days_skipped = skipped.len();
    touched.sort_unstable();
    touched.dedup();
    sheets::recount_uses(c, &touched)?;
    Ok(done)
}

/// Source slot id → target slot id, by position.
fn slot_map(c: &mut DbConn, source: i64, target: i64) -> Result<HashMap<i64, i64>, AppError> {
    let a = slots(c, source)?;
    let b = slots(c, target)?;
    Ok(a.iter().zip(b.iter()).map(|(x, y)| (x.id, y.id)).collect())
}

/// Copies a whole period to a new one (same activity, slots and groups) starting on
/// `first_day`: each session keeps its week and weekday from the start; days the activity does
/// not open in the new period are skipped. The new period's id and what was copied.
pub fn copy_period(
    c: &mut DbConn,
    source: &Period,
    title: &str,
    first_day: NaiveDate,
    last_day: NaiveDate,
) -> Result<(i64, Copied), AppError> {
    let slots_src = slots(c, source.id)?;
    let id = create_period(
        c,
        source.centre_id,
        &NewPeriod {
            activity_id: source.activity_id,
            title: title.to_string(),
            first_day,
            last_day,
            slots: slots_src
                .iter()
                .map(|s| (s.label.clone(), s.starts_at, s.ends_at, s.explained.clone()))
                .collect(),
        },
    )?;
    let target = period(c, source.centre_id, id)?;
    let shift = monday_of(first_day) - monday_of(source.first_day);
    let mut total = Copied {
        sessions: 0,
        days_skipped: 0,
    };
    for week in weeks(source) {
        let to = week + shift;
        if to > last_day {
            break;
        }
        let done = copy_week(c, source, week, &target, to, None)?;
        total.sessions += done.sessions;
        total.days_skipped += done.days_skipped;
    }
    Ok((id, total))
}

/// The centre's Anim'Connect settings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CentreSettings {
    pub pedt: bool,
    pub project_summary: String,
}

pub fn settings(c: &mut DbConn, centre_id: i64) -> Result<CentreSettings, AppError> {
    let row: Option<(bool, String)> = ce::table
        .find(centre_id)
        .select((ce::pedt, ce::project_summary))
        .first(c)
        .optional()?;
    Ok(
        row.map_or_else(CentreSettings::default, |(pedt, project_summary)| {
            CentreSettings {
                pedt,
                project_summary,
            }
        }),
    )
}

pub fn save_settings(c: &mut DbConn, centre_id: i64, s: &CentreSettings) -> Result<(), AppError> {
    diesel::delete(ce::table.find(centre_id)).execute(c)?;
    diesel::insert_into(ce::table)
        .values((
            ce::centre_id.eq(centre_id),
            ce::pedt.eq(s.pedt),
            ce::project_summary.eq(&s.project_summary),
        ))
        .execute(c)?;
    Ok(())
}

/// The team of a centre, by name.
pub fn team(c: &mut DbConn, centre_id: i64) -> Result<Vec<Member>, AppError> {
    Ok(tm::table
        .filter(tm::centre_id.eq(centre_id))
        .order((tm::name, tm::id))
        .select(Member::as_select())
        .load(c)?)
}

/// Adds a member to the team; their id.
pub fn add_member(
    c: &mut DbConn,
    centre_id: i64,
    name: &str,
    q: Qualification,
    director: bool,
    user_id: Option<i64>,
) -> Result<i64, AppError> {
    Ok(diesel::insert_into(tm::table)
        .values((
            tm::centre_id.eq(centre_id),
            tm::name.eq(name),
            tm::qualification.eq(q),
            tm::director.eq(director),
            tm::user_id.eq(user_id),
        ))
        .returning(tm::id)
        .get_result(c)?)
}

/// Sets the days a member works within `[from, to]` (days outside are kept).
pub fn set_days(
    c: &mut DbConn,
    member: i64,
    from: NaiveDate,
    to: NaiveDate,
    days: &[NaiveDate],
) -> Result<(), AppError> {
    diesel::delete(
        td::table
            .filter(td::member_id.eq(member))
            .filter(td::day.ge(from).and(td::day.le(to))),
    )
    .execute(c)?;
    for d in days {
        diesel::insert_into(td::table)
            .values((td::member_id.eq(member), td::day.eq(d)))
            .execute(c)?;
    }
    Ok(())
}

/// The days each member works: a member with no day recorded works every day.
pub fn working_days(
    c: &mut DbConn,
    members: &[i64],
) -> Result<HashMap<i64, HashSet<NaiveDate>>, AppError> {
    let rows: Vec<(i64, NaiveDate)> = td::table
        .filter(td::member_id.eq_any(members))
        .select((td::member_id, td::day))
        .load(c)?;
    let mut out: HashMap<i64, HashSet<NaiveDate>> = HashMap::new();
    for (m, d) in rows {
        out.entry(m).or_default().insert(d);
    }
    Ok(out)
}

/// Sets which of `within` (the groups of one activity) a member leads; their other groups are
/// kept. An animator edits the planning of the groups they lead.
pub fn set_group_leads(
    c: &mut DbConn,
    member: i64,
    within: &[i64],
    groups: &[i64],
) -> Result<(), AppError> {
    diesel::delete(
        gl::table
            .filter(gl::member_id.eq(member))
            .filter(gl::group_id.eq_any(within)),
    )
    .execute(c)?;
    for g in groups {
        diesel::insert_into(gl::table)
            .values((gl::group_id.eq(g), gl::member_id.eq(member)))
            .execute(c)?;
    }
    Ok(())
}

/// The groups the account `user_id` leads in the centre.
pub fn groups_led_by(c: &mut DbConn, centre_id: i64, user_id: i64) -> Result<Vec<i64>, AppError> {
    Ok(gl::table
        .inner_join(tm::table)
        .filter(tm::centre_id.eq(centre_id))
        .filter(tm::user_id.eq(user_id))
        .select(gl::group_id)
        .load(c)?)
}

/// The groups each member leads.
pub fn group_leads(c: &mut DbConn, centre_id: i64) -> Result<Vec<(i64, i64)>, AppError> {
    Ok(gl::table
        .inner_join(tm::table)
        .filter(tm::centre_id.eq(centre_id))
        .select((gl::member_id, gl::group_id))
        .load(c)?)
}

/// A staffing warning of a group on a day and slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub group_id: i64,
    pub day: NaiveDate,
    pub slot: String,
    /// « mercredi 12 mars 2025, après-midi (Maternelles) : il manque 1 animateur·rice … »
    pub message: String,
}

/// Children expected per (group, day): (under 6, 6 or more) on that day, from the registrations
/// of the pré-inscription; `estimated` when there are none and the group's places stand in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Expected {
    pub headcount: Headcount,
    pub estimated: bool,
}

/// Age in whole years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    let mut years = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The expected children of every group of the period's activity, per day.
pub fn expected(
    c: &mut DbConn,
    period: &Period,
    groups: &[Group],
) -> Result<HashMap<(i64, NaiveDate), Expected>, AppError> {
    let rows = csc_activities::registrations::expected_children(c, period.activity_id)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let births = csc_members::household::birth_dates(c, &ids)?;
    let mut out: HashMap<(i64, NaiveDate), Expected> = HashMap::new();
    for (group, day, child) in rows {
        let Some(birth) = births.get(&child) else {
            continue;
        };
        let e = out.entry((group, day)).or_insert(Expected {
            headcount: Headcount::default(),
            estimated: false,
        });
        if age_on(*birth, day) < 6 {
            e.headcount.under_six += 1;
        } else {
            e.headcount.six_and_over += 1;
        }
    }
    // Days without registrations: the group's places, by its age band.
    for day in days(c, period)? {
        for g in groups {
            out.entry((g.id, day.day)).or_insert_with(|| {
                let places = u32::try_from(g.capacity).unwrap_or(0);
                let headcount = if g.age_max < 6 {
                    Headcount {
                        under_six: places,
                        six_and_over: 0,
                    }
                } else if g.age_min >= 6 {
                    Headcount {
                        under_six: 0,
                        six_and_over: places,
                    }
                } else {
                    // A band across 6: the younger years' share of the places.
                    let span = (g.age_max - g.age_min + 1).max(1) as u32;
                    let young = (6 - g.age_min).max(0) as u32;
                    let under = places * young / span;
                    Headcount {
                        under_six: under,
                        six_and_over: places - under,
                    }
                };
                Expected {
                    headcount,
                    estimated: true,
                }
            });
        }
    }
    Ok(out)
}

/// The staffing warnings of a period between two days: for every group, day and slot with a
/// session, the session's leads against what the group's expected children require.
pub fn warnings(
    c: &mut DbConn,
    period: &Period,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Warning>, AppError> {
    let settings = settings(c, period.centre_id)?;
    let extra = school_holidays(c)?;
    let groups = csc_activities::groups(c, period.activity_id)?;
    let slots = slots(c, period.id)?;
    let day_list: Vec<Session> = days(c, period)?
        .into_iter()
        .filter(|d| d.day >= from && d.day <= to)
        .collect();
    let expected = expected(c, period, &groups)?;
    let cells = cells(c, period.id, from, to, &[])?;
    let members: HashMap<i64, Member> = team(c, period.centre_id)?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let works = working_days(c, &members.keys().copied().collect::<Vec<_>>())?;
    let (first, last) = match (slots.first(), slots.iter().map(|s| s.ends_at).max()) {
        (Some(f), Some(l)) => (f.starts_at, l),
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    for day in &day_list {
        let start = day.starts_at.unwrap_or(first);
        let end = day.ends_at.unwrap_or(last);
        // The centre's minors that day, for the director's rule.
        let centre_total: u32 = groups
            .iter()
            .filter_map(|g| expected.get(&(g.id, day.day)))
            .map(|e| e.headcount.total())
            .sum();
        for g in &groups {
            let Some(exp) = expected.get(&(g.id, day.day)) else {
                continue;
            };
            for slot in &slots {
                let cell = cells.iter().find(|x| {
                    x.session.group_id == g.id
                        && x.session.day == day.day
                        && x.session.slot_id == slot.id
                });
                let Some(cell) = cell else { continue };
                let reception = Reception {
                    date: day.day,
                    start,
                    end,
                    pedt: settings.pedt,
                };
                let leads: Vec<&Member> =
                    cell.leads.iter().filter_map(|l| members.get(l)).collect();
                let director = leads.iter().any(|m| m.director);
                let Ok(mut req) =
                    staffing::requirement_with(reception, exp.headcount, false, &extra)
                else {
                    continue;
                };
                // The director counts when the centre receives 50 minors or fewer that day.
                req.director_counts = director && centre_total <= staffing::DIRECTOR_COUNTS_UP_TO;
                req.director_refused = director && centre_total > staffing::DIRECTOR_COUNTS_UP_TO;
                let animators: Vec<Qualification> = leads
                    .iter()
                    .filter(|m| !m.director)
                    .filter(|m| works.get(&m.id).is_none_or(|d| d.contains(&day.day)))
                    .map(|m| m.qualification)
                    .collect();
                let verdict = staffing::check(&req, Team::of(&animators));
                let absent: Vec<&str> = leads
                    .iter()
                    .filter(|m| works.get(&m.id).is_some_and(|d| !d.contains(&day.day)))
                    .map(|m| m.name.as_str())
                    .collect();
                let mut reasons = verdict.reasons;
                for name in absent {
                    reasons.push(format!("{name} ne travaille pas ce jour-là"));
                }
                if !reasons.is_empty() {
                    out.push(Warning {
                        group_id: g.id,
                        day: day.day,
                        slot: slot.label.clone(),
                        message: format!(
                            "{}, {} ({}) : {}.",
                            capitalised(&csc_core::time::format_date_long(day.day)),
                            slot.label.to_lowercase(),
                            g.label,
                            reasons.join(" ; ")
                        ),
                    });
                }
            }
        }
    }
    Ok(out)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The week grid of one group: for each day of the week the period opens, each slot's cell.
#[derive(Debug, Clone, Serialize)]
pub struct WeekGrid {
    pub monday: NaiveDate,
    /// Each day: its date, in words, and the calendar's session of that day (Check's roll call).
    pub days: Vec<(NaiveDate, String, i64)>,
    pub rows: Vec<(Slot, Vec<Option<Cell>>)>,
}

/// The grid of `group` for the week of `monday`.
pub fn week_grid(
    c: &mut DbConn,
    period: &Period,
    group: i64,
    monday: NaiveDate,
) -> Result<WeekGrid, AppError> {
    let monday = monday_of(monday);
    let sunday = monday + Days::new(6);
    let sessions: Vec<Session> = days(c, period)?
        .into_iter()
        .filter(|s| s.day >= monday && s.day <= sunday)
        .collect();
    let day_list: Vec<NaiveDate> = sessions.iter().map(|s| s.day).collect();
    let slots = slots(c, period.id)?;
    let cells = cells(c, period.id, monday, sunday, &[group])?;
    let mut by_key: BTreeMap<(NaiveDate, i64), Cell> = BTreeMap::new();
    for cell in cells {
        by_key.insert((cell.session.day, cell.session.slot_id), cell);
    }
    let rows = slots
        .into_iter()
        .map(|slot| {
            let row = day_list
                .iter()
                .map(|d| by_key.remove(&(*d, slot.id)))
                .collect();
            (slot, row)
        })
        .collect();
    Ok(WeekGrid {
        monday,
        days: sessions
            .iter()
            .map(|s| {
                (
                    s.day,
                    capitalised(&csc_core::time::format_date_long(s.day)),
                    s.id,
                )
            })
            .collect(),
        rows,
    })
}

/// The school holidays the admin added beyond the shipped data: (name, first day, last day).
pub fn school_holidays(c: &mut DbConn) -> Result<Vec<(String, NaiveDate, NaiveDate)>, AppError> {
    use crate::schema::animconnect_school_holidays as h;
    Ok(h::table
        .order(h::first_day)
        .select((h::name, h::first_day, h::last_day))
        .load(c)?)
}

/// Adds a span of school holidays; refused when it overlaps known ones.
pub fn add_school_holiday(
    c: &mut DbConn,
    name: &str,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Result<(), String>, AppError> {
    use crate::schema::animconnect_school_holidays as h;
    let overlaps_data = csc_calendar::school_holidays()
        .iter()
        .any(|s| s.first <= last && first <= s.last);
    let overlaps_added = school_holidays(c)?
        .iter()
        .any(|(_, a, b)| *a <= last && first <= *b);
    if overlaps_data || overlaps_added {
        return Ok(Err(
            "Ces dates chevauchent des vacances déjà connues.".into()
        ));
    }
    diesel::insert_into(h::table)
        .values((
            h::name.eq(name),
            h::first_day.eq(first),
            h::last_day.eq(last),
            h::created_at.eq(csc_core::time::now()),
        ))
        .execute(c)?;
    Ok(Ok(()))
}
