//! Attendance older than the centre's retention (default 3 years, the funders' audit window)
//! is aggregated (the monthly report of each month kept) and then deleted, whole months only.

use std::collections::BTreeSet;

use crate::schema::{activities as a, activity_sessions as se};
use chrono::{Datelike, Months, NaiveDate};
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::schema::{check_aggregates as ag, check_attendance as ca, check_centre_settings as st};

/// Default retention in years.
pub const DEFAULT_YEARS: i32 = 3;

/// The retention of a centre, in years.
pub fn years(conn: &mut DbConn, centre_id: i64) -> QueryResult<i32> {
    Ok(st::table
        .filter(st::centre_id.eq(centre_id))
        .select(st::retention_years)
        .first(conn)
        .optional()?
        .unwrap_or(DEFAULT_YEARS))
}

/// Sets the retention of a centre (1 to 10 years).
pub fn set_years(conn: &mut DbConn, centre_id: i64, years: i32) -> Result<(), AppError> {
    if !(1..=10).contains(&years) {
        return Err(AppError::BadRequest(
            "La durée de conservation va de 1 à 10 ans.".into(),
        ));
    }
    diesel::delete(st::table.filter(st::centre_id.eq(centre_id))).execute(conn)?;
    diesel::insert_into(st::table)
        .values((st::centre_id.eq(centre_id), st::retention_years.eq(years)))
        .execute(conn)?;
    Ok(())
}

/// The first day kept: the first of the month, `years` before `today`'s month.
pub fn cutoff(today: NaiveDate, years: i32) -> NaiveDate {
    let first = today.with_day(1).unwrap_or(today);
    first
        .checked_sub_months(Months::new(12 * u32::try_from(years.max(0)).unwrap_or(0)))
        .unwrap_or(first)
}

/// Aggregates then deletes every centre's old attendance; returns the rows deleted.
pub fn purge(conn: &mut DbConn, today: NaiveDate) -> Result<usize, AppError> {
    let acts: Vec<(i64, i64)> = a::table.select((a::id, a::centre_id)).load(conn)?;
    let mut deleted = 0;
    for (activity_id, centre_id) in acts {
        let limit = cutoff(today, years(conn, centre_id)?);
        let old: Vec<(i64, NaiveDate)> = se::table
            .filter(se::activity_id.eq(activity_id))
            .filter(se::day.lt(limit))
            .select((se::id, se::day))
            .load(conn)?;
        if old.is_empty() {
            continue;
        }
        let months: BTreeSet<String> = old
            .iter()
            .map(|(_, d)| crate::report::month_of(*d))
            .collect();
        for month in months {
            let report = crate::monthly::monthly(conn, activity_id, &month)?;
            let json = serde_json::to_string(&report).map_err(AppError::internal)?;
            diesel::delete(
                ag::table
                    .filter(ag::activity_id.eq(activity_id))
                    .filter(ag::month.eq(&month)),
            )
            .execute(conn)?;
            diesel::insert_into(ag::table)
                .values((
                    ag::activity_id.eq(activity_id),
                    ag::month.eq(&month),
                    ag::report.eq(json),
                ))
                .execute(conn)?;
        }
        let ids: Vec<i64> = old.into_iter().map(|(id, _)| id).collect();
        for chunk in ids.chunks(500) {
            deleted +=
                diesel::delete(ca::table.filter(ca::session_id.eq_any(chunk))).execute(conn)?;
        }
    }
    Ok(deleted)
}
