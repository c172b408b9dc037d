//! Loads one month of an activity from the database and computes its report.

use std::collections::{HashMap, HashSet};

use crate::schema::{activities as a, activity_sessions as se};
use chrono::{NaiveDate, NaiveTime};
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::model::{AgeBand, AttendanceState, PersonRole};
use crate::report::{self, FamilyInfo, Report, SessionRow, Visit};
use crate::schema::{
    check_aggregates as ag, check_attendance as ca, check_families as cf, check_people as cp,
    check_sessions as cs, check_tallies as ct,
};

/// A session as loaded: id, day, start, end, reserved (when Check knows it).
type SessionTuple = (
    i64,
    NaiveDate,
    Option<NaiveTime>,
    Option<NaiveTime>,
    Option<bool>,
);

/// A presence as loaded: session, day, start, person, role, birth, band, family.
type VisitTuple = (
    i64,
    NaiveDate,
    Option<NaiveTime>,
    i64,
    PersonRole,
    Option<NaiveDate>,
    String,
    Option<i64>,
);

/// The sessions of an activity between two days (`to` excluded), with Check's flags.
pub fn sessions_between(
    conn: &mut DbConn,
    activity_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<SessionRow>> {
    let rows: Vec<SessionTuple> = se::table
        .left_join(cs::table.on(cs::session_id.eq(se::id)))
        .filter(se::activity_id.eq(activity_id))
        .filter(se::day.ge(from))
        .filter(se::day.lt(to))
        .order((se::day, se::starts_at, se::id))
        .select((
            se::id,
            se::day,
            se::starts_at,
            se::ends_at,
            cs::reserved.nullable(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, day, starts_at, ends_at, reserved)| SessionRow {
            id,
            day,
            starts_at,
            ends_at,
            reserved: reserved.unwrap_or(false),
        })
        .collect())
}

/// The monthly report of an activity; `month` is `2025-03`. A month whose attendance was
/// deleted after the retention period comes from its stored aggregate.
pub fn monthly(conn: &mut DbConn, activity_id: i64, month: &str) -> Result<Report, AppError> {
    let (from, to) = report::month_bounds(month).map_err(AppError::BadRequest)?;
    let title: String = a::table
        .filter(a::id.eq(activity_id))
        .select(a::title)
        .first(conn)?;
    let sessions = sessions_between(conn, activity_id, from, to)?;
    let rows: Vec<VisitTuple> = ca::table
        .inner_join(se::table)
        .inner_join(cp::table)
        .filter(se::activity_id.eq(activity_id))
        .filter(se::day.ge(from))
        .filter(se::day.lt(to))
        .filter(ca::state.eq(AttendanceState::Present))
        .select((
            ca::session_id,
            se::day,
            se::starts_at,
            ca::person_id,
            cp::role,
            cp::birth_date,
            cp::age_band,
            ca::family_id,
        ))
        .load(conn)?;
    if rows.is_empty() {
        let stored: Option<String> = ag::table
            .filter(ag::activity_id.eq(activity_id))
            .filter(ag::month.eq(month.trim()))
            .select(ag::report)
            .first(conn)
            .optional()?;
        if let Some(json) = stored {
            if let Ok(r) = serde_json::from_str::<StoredReport>(&json) {
                return Ok(r.into_report(title, month.trim()));
            }
        }
    }
    let visits: Vec<Visit> = rows
        .into_iter()
        .map(
            |(session_id, day, starts_at, person_id, role, birth, band, family_id)| Visit {
                session_id,
                day,
                starts_at,
                person_id,
                adult: role == PersonRole::Adult,
                birth,
                band: AgeBand::parse(&band),
                family_id,
            },
        )
        .collect();
    let family_ids: Vec<i64> = visits
        .iter()
        .filter_map(|v| v.family_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut families = HashMap::new();
    let mut seen_before = HashSet::new();
    for chunk in family_ids.chunks(5000) {
        let infos: Vec<(i64, String, String, String)> = cf::table
            .filter(cf::id.eq_any(chunk))
            .select((cf::id, cf::town, cf::qpv, cf::regime))
            .load(conn)?;
        for (id, town, qpv, regime) in infos {
            let qpv = match qpv.as_str() {
                "oui" => Some(true),
                "non" => Some(false),
                _ => None,
            };
            families.insert(id, FamilyInfo { town, qpv, regime });
        }
        // Families seen at a public session of this activity before the month are not new.
        let before: Vec<(Option<i64>, Option<bool>)> = ca::table
            .inner_join(se::table)
            .left_join(cs::table.on(cs::session_id.eq(ca::session_id)))
            .filter(se::activity_id.eq(activity_id))
            .filter(se::day.lt(from))
            .filter(ca::state.eq(AttendanceState::Present))
            .filter(ca::family_id.eq_any(chunk))
            .select((ca::family_id, cs::reserved.nullable()))
            .distinct()
            .load(conn)?;
        seen_before.extend(
            before
                .into_iter()
                .filter(|(_, reserved)| *reserved != Some(true))
                .filter_map(|(f, _)| f),
        );
    }
    let session_ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let mut tallies = Vec::new();
    for chunk in session_ids.chunks(5000) {
        let rows: Vec<(i64, String, i32)> = ct::table
            .filter(ct::session_id.eq_any(chunk))
            .select((ct::session_id, ct::counter, ct::value))
            .load(conn)?;
        tallies.extend(rows.into_iter().map(|(s, c, v)| (s, c, i64::from(v))));
    }
    let mut r = report::compute(&sessions, &visits, &families, &seen_before, &tallies);
    r.activite = title;
    r.mois = month.trim().to_string();
    Ok(r)
}

/// A stored aggregate: the report's JSON.
#[derive(serde::Deserialize)]
struct StoredReport(serde_json::Value);

impl StoredReport {
    fn into_report(self, title: String, month: &str) -> Report {
        let mut r: Report = serde_json::from_value(self.0).unwrap_or_default();
        r.activite = title;
        r.mois = month.to_string();
        r
    }
}
