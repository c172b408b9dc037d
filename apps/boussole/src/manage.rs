//! The coordinator's changes to places: hours and closures.

use chrono::NaiveDate;
use csc_core::{time, AppError};
use csc_db::{exactly_one, DbConn};
use diesel::prelude::*;

use crate::places::{Place, StoredClosure};
use crate::schema::{boussole_closures as cl, boussole_places as p};

/// Every place, by name.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Place>> {
    p::table
        .order((p::name, p::id))
        .select(Place::as_select())
        .load(conn)
}

/// A place and its closures not yet over.
pub fn get(conn: &mut DbConn, id: i64) -> Result<(Place, Vec<StoredClosure>), AppError> {
    let place = p::table
        .filter(p::id.eq(id))
        .select(Place::as_select())
        .first(conn)?;
    let closures = cl::table
        .filter(cl::place_id.eq(id))
        .filter(cl::end_day.ge(time::today_paris()))
        .order(cl::start_day)
        .select(StoredClosure::as_select())
        .load(conn)?;
    Ok((place, closures))
}

/// New hours (an OSM value the form wrote).
pub fn set_hours(conn: &mut DbConn, id: i64, osm: &str) -> Result<(), AppError> {
    let n = diesel::update(p::table.filter(p::id.eq(id)))
        .set((p::hours.eq(osm), p::updated_at.eq(time::now())))
        .execute(conn)?;
    exactly_one(n)
}

/// A temporary closure.
pub fn add_closure(
    conn: &mut DbConn,
    id: i64,
    start: NaiveDate,
    end: NaiveDate,
    reason: &str,
) -> Result<(), AppError> {
    let known: i64 = p::table.filter(p::id.eq(id)).count().get_result(conn)?;
    if known == 0 {
        return Err(AppError::NotFound);
    }
    diesel::insert_into(cl::table)
        .values((
            cl::place_id.eq(id),
            cl::start_day.eq(start),
            cl::end_day.eq(end),
            cl::reason.eq(reason),
            cl::created_at.eq(time::now()),
        ))
        .execute(conn)?;
    Ok(())
}
