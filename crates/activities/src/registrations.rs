//! Children registered to a group on a day: a seat is held, or the child waits for one; a
//! cancelled registration frees its seat for the first child waiting. A registration confirmed
//! by the centre (a validated pré-inscription) and holding its seat is expected on the day's roll
//! call.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{activity_groups as g, activity_registrations as r, activity_seats as s};

csc_core::coded! {
    /// Where a child's registration to a group on a day stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum RegistrationState {
        Placed = ("place", "Place réservée"),
        Waiting = ("attente", "Liste d'attente"),
        Cancelled = ("annulee", "Annulé"),
    }
}

csc_db::sql_coded!(RegistrationState);

/// A child's registration to a group on a day.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = r)]
pub struct Registration {
    pub id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub child_id: i64,
    pub state: RegistrationState,
    /// The centre confirmed it (a validated request): expected on the roll call when placed.
    pub confirmed: bool,
    /// The app that made it (`preinscription`, `check`…).
    pub app: String,
    pub created_at: NaiveDateTime,
}

/// Takes one seat of a group's day; false when the day is full.
fn take_seat(conn: &mut DbConn, group_id: i64, day: NaiveDate) -> QueryResult<bool> {
    let n = diesel::update(
        s::table
            .filter(s::group_id.eq(group_id))
            .filter(s::day.eq(day))
            .filter(s::taken.lt(s::capacity)),
    )
    .set(s::taken.eq(s::taken + 1))
    .execute(conn)?;
    Ok(n == 1)
}

fn free_seat(conn: &mut DbConn, group_id: i64, day: NaiveDate) -> QueryResult<()> {
    diesel::update(
        s::table
            .filter(s::group_id.eq(group_id))
            .filter(s::day.eq(day))
            .filter(s::taken.gt(0)),
    )
    .set(s::taken.eq(s::taken - 1))
    .execute(conn)
    .map(|_| ())
}

/// Registers a child to a group on a day for `app`: a seat is taken when one is left, else the
/// child waits. A child already registered that day (not cancelled) is a unique violation.
/// Inside the caller's write transaction (places are taken in the order the caller chooses:
/// keep it the same everywhere, by group then day, so that PostgreSQL never deadlocks).
pub fn register(
    conn: &mut DbConn,
    group_id: i64,
    day: NaiveDate,
    child_id: i64,
    app: &str,
    at: NaiveDateTime,
) -> QueryResult<Registration> {
    let state = if take_seat(conn, group_id, day)? {
        RegistrationState::Placed
    } else {
        RegistrationState::Waiting
    };
    diesel::insert_into(r::table)
        .values((
            r::group_id.eq(group_id),
            r::day.eq(day),
            r::child_id.eq(child_id),
            r::state.eq(state),
            r::confirmed.eq(false),
            r::app.eq(app),
            r::created_at.eq(at),
        ))
        .get_result::<Registration>(conn)
}

/// These registrations.
pub fn get_many(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Registration>> {
    r::table
        .filter(r::id.eq_any(ids))
        .order(r::id)
        .select(Registration::as_select())
        .load(conn)
}

/// Gives a freed seat to the first child waiting for this group and day, unless their
/// registration is one of `keep_waiting`; returns that registration.
fn promote_first_waiting(
    conn: &mut DbConn,
    group_id: i64,
    day: NaiveDate,
    keep_waiting: &HashSet<i64>,
) -> QueryResult<Option<i64>> {
    let waiting: Vec<i64> = r::table
        .filter(r::group_id.eq(group_id))
        .filter(r::day.eq(day))
        .filter(r::state.eq(RegistrationState::Waiting))
        .order((r::created_at, r::id))
        .select(r::id)
        .load(conn)?;
    let Some(first) = waiting.into_iter().find(|id| !keep_waiting.contains(id)) else {
        return Ok(None);
    };
    if !take_seat(conn, group_id, day)? {
        return Ok(None);
    }
    diesel::update(r::table.find(first))
        .set(r::state.eq(RegistrationState::Placed))
        .execute(conn)?;
    Ok(Some(first))
}

/// Cancels these registrations (those not cancelled yet): each seat they held goes to the first
/// child waiting for the same group and day. Returns the registrations that got a seat.
pub fn cancel(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<i64>> {
    let mut gone: Vec<Registration> = get_many(conn, ids)?
        .into_iter()
        .filter(|x| x.state != RegistrationState::Cancelled)
        .collect();
    gone.sort_by_key(|x| (x.group_id, x.day));
    let mut promoted = Vec::new();
    for x in gone {
        diesel::update(r::table.find(x.id))
            .set(r::state.eq(RegistrationState::Cancelled))
            .execute(conn)?;
        if x.state == RegistrationState::Placed {
            free_seat(conn, x.group_id, x.day)?;
            if let Some(p) = promote_first_waiting(conn, x.group_id, x.day, &HashSet::new())? {
                promoted.push(p);
            }
        }
    }
    Ok(promoted)
}

/// Puts these registrations' held seats behind the children already waiting: each seat goes to
/// the first of them (never to one of `ids`), and the registration waits from `now`. Returns the
/// registrations that got a seat.
pub fn to_waiting_list(
    conn: &mut DbConn,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    let mut held: Vec<Registration> = get_many(conn, ids)?
        .into_iter()
        .filter(|x| x.state == RegistrationState::Placed)
        .collect();
    held.sort_by_key(|x| (x.group_id, x.day));
    let mine: HashSet<i64> = ids.iter().copied().collect();
    let mut promoted = Vec::new();
    for x in held {
        diesel::update(r::table.find(x.id))
            .set((
                r::state.eq(RegistrationState::Waiting),
                r::created_at.eq(now),
            ))
            .execute(conn)?;
        free_seat(conn, x.group_id, x.day)?;
        if let Some(p) = promote_first_waiting(conn, x.group_id, x.day, &mine)? {
            promoted.push(p);
        }
    }
    Ok(promoted)
}

/// Deletes these registrations (the family's data is erased): their days are cancelled first
/// by the caller when their seats must go to others.
pub fn delete(conn: &mut DbConn, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(r::table.filter(r::id.eq_any(ids))).execute(conn)
}

/// The centre confirms (or no longer confirms) these registrations.
pub fn confirm(conn: &mut DbConn, ids: &[i64], confirmed: bool) -> QueryResult<usize> {
    diesel::update(r::table.filter(r::id.eq_any(ids)))
        .set(r::confirmed.eq(confirmed))
        .execute(conn)
}

/// The children expected in a group on a day: confirmed, holding their seat.
pub fn expected(conn: &mut DbConn, group_id: i64, day: NaiveDate) -> QueryResult<Vec<i64>> {
    r::table
        .filter(r::group_id.eq(group_id))
        .filter(r::day.eq(day))
        .filter(r::state.eq(RegistrationState::Placed))
        .filter(r::confirmed.eq(true))
        .order(r::child_id)
        .select(r::child_id)
        .load(conn)
}

/// The children each group of an activity expects, day by day: (group, day, child), confirmed
/// and holding their seat.
pub fn expected_children(
    conn: &mut DbConn,
    activity_id: i64,
) -> QueryResult<Vec<(i64, NaiveDate, i64)>> {
    r::table
        .inner_join(g::table)
        .filter(g::activity_id.eq(activity_id))
        .filter(r::state.eq(RegistrationState::Placed))
        .filter(r::confirmed.eq(true))
        .order((r::day, r::group_id, r::child_id))
        .select((r::group_id, r::day, r::child_id))
        .load(conn)
}

/// How many children each group of an activity expects, day by day: (group, day, count).
pub fn expected_counts(
    conn: &mut DbConn,
    activity_id: i64,
) -> QueryResult<Vec<(i64, NaiveDate, i64)>> {
    r::table
        .inner_join(g::table)
        .filter(g::activity_id.eq(activity_id))
        .filter(r::state.eq(RegistrationState::Placed))
        .filter(r::confirmed.eq(true))
        .group_by((r::group_id, r::day))
        .order((r::day, r::group_id))
        .select((r::group_id, r::day, diesel::dsl::count_star()))
        .load(conn)
}
