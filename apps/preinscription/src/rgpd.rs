//! The families' rights and the retention of their data: a family downloads what the centre
//! keeps about it, or has it deleted; a daily job deletes the households whose last request is
//! older than the configured duration (`FAMILY_DATA_MONTHS`, 24 months by default).

use chrono::{Months, NaiveDateTime};
use csc_core::AppError;
use csc_db::DbConn;
use csc_members::{household, Family};
use diesel::prelude::*;
use serde::Serialize;

use crate::requests::{self, Line, Request};
use crate::schema::preinscription_requests as r;

/// Everything kept about a family, as it downloads it.
#[derive(Debug, Serialize)]
pub struct FamilyData {
    pub family: Family,
    pub requests: Vec<(Request, Vec<Line>)>,
}

/// What the centre keeps about the household.
pub fn export(
    conn: &mut DbConn,
    household_id: i64,
    centre_id: i64,
) -> Result<FamilyData, AppError> {
    let h = household::get(conn, centre_id, household_id)?;
    let family = household::family(conn, h)?;
    let mut list = Vec::new();
    for req in requests::of_household(conn, household_id)? {
        let lines = requests::lines(conn, req.id)?;
        list.push((req, lines));
    }
    Ok(FamilyData {
        family,
        requests: list,
    })
}

/// Deletes a household now: its open days are cancelled first (their places go to the waiting
/// list); returns the requests that got a freed place.
pub fn erase(conn: &mut DbConn, household_id: i64) -> Result<Vec<i64>, AppError> {
    let mut promoted = Vec::new();
    let mut registrations = Vec::new();
    for req in requests::of_household(conn, household_id)? {
        promoted.extend(requests::cancel_days(conn, req.id, None)?);
        registrations.extend(requests::registrations_of(conn, req.id)?);
    }
    household::delete(conn, household_id)?;
    csc_activities::registrations::delete(conn, &registrations)?;
    // The household's own requests are gone with it.
    let remaining: Vec<i64> = r::table
        .filter(r::id.eq_any(&promoted))
        .select(r::id)
        .load(conn)?;
    promoted.retain(|id| remaining.contains(id));
    Ok(promoted)
}

/// Deletes the households with no request changed since `months` months before `now` and
/// created before then. Returns how many were deleted.
pub fn purge(conn: &mut DbConn, now: NaiveDateTime, months: u32) -> Result<usize, AppError> {
    let Some(cutoff) = now.checked_sub_months(Months::new(months)) else {
        return Ok(0);
    };
    let recent: Vec<i64> = r::table
        .filter(r::updated_at.ge(cutoff))
        .select(r::household_id)
        .distinct()
        .load(conn)?;
    let old = household::created_before(conn, cutoff)?;
    let mut n = 0;
    for id in old.into_iter().filter(|id| !recent.contains(id)) {
        // Past requests only (nothing recent): their places need not be given back, but their
        // registrations go with them.
        let mut registrations = Vec::new();
        for req in requests::of_household(conn, id)? {
            registrations.extend(requests::registrations_of(conn, req.id)?);
        }
        household::delete(conn, id)?;
        csc_activities::registrations::delete(conn, &registrations)?;
        n += 1;
    }
    Ok(n)
}
