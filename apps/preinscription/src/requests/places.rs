//! Places and the waiting list: sending a request, cancelling days, handing freed places on.

use chrono::NaiveDate;
use csc_auth::tokens::{digest, random_secret};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::Household;
use csc_pricing::Unit;
use diesel::prelude::*;

use super::{DayState, Line, Priced, PricedLine, RequestStatus};
use crate::activities::Activity;
use crate::schema::{
    preinscription_lines as l, preinscription_places as pl, preinscription_requests as r,
};

/// A request just sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub request_id: i64,
    /// The secret of the request's private link (only in the family's mail and page).
    pub secret: String,
    pub placed: usize,
    pub waiting: usize,
}

/// Takes one place of a group's day; false when the day is full.
fn take_place(conn: &mut DbConn, group_id: i64, day: NaiveDate) -> QueryResult<bool> {
    let n = diesel::update(
        pl::table
            .filter(pl::group_id.eq(group_id))
            .filter(pl::day.eq(day))
            .filter(pl::taken.lt(pl::capacity)),
    )
    .set(pl::taken.eq(pl::taken + 1))
    .execute(conn)?;
    Ok(n == 1)
}

fn free_place(conn: &mut DbConn, group_id: i64, day: NaiveDate) -> QueryResult<()> {
    diesel::update(
        pl::table
            .filter(pl::group_id.eq(group_id))
            .filter(pl::day.eq(day))
            .filter(pl::taken.gt(0)),
    )
    .set(pl::taken.eq(pl::taken - 1))
    .execute(conn)
    .map(|_| ())
}

/// Records the request: each day takes a place, or goes on the waiting list when the group is
/// full that day. A child already registered that day (a concurrent request) is a conflict.
pub fn send(
    conn: &mut DbConn,
    household: &Household,
    activity: &Activity,
    priced: &Priced,
) -> Result<Sent, AppError> {
    let secret = random_secret();
    let now = time::now();
    let mut lines: Vec<&PricedLine> = priced.lines.iter().collect();
    lines.sort_by_key(|p| (p.group_id, p.day, p.child_id));
    let (request_id, placed, waiting) = conn
        .write_transaction::<_, diesel::result::Error, _>(|conn| {
            // The first statement writes, so SQLite takes its write lock before any read.
            let request_id: i64 = diesel::insert_into(r::table)
                .values((
                    r::centre_id.eq(household.centre_id),
                    r::household_id.eq(household.id),
                    r::activity_id.eq(activity.id),
                    r::token_hash.eq(digest(&secret)),
                    r::status.eq(RequestStatus::Sent),
                    r::total_cents.eq(priced.total_cents),
                    r::created_at.eq(now),
                    r::updated_at.eq(now),
                ))
                .returning(r::id)
                .get_result(conn)?;
            let (mut placed, mut waiting) = (0, 0);
            for p in lines {
                let state = if take_place(conn, p.group_id, p.day)? {
                    placed += 1;
                    DayState::Placed
                } else {
                    waiting += 1;
                    DayState::Waiting
                };
                diesel::insert_into(l::table)
                    .values((
                        l::request_id.eq(request_id),
                        l::child_id.eq(p.child_id),
                        l::group_id.eq(p.group_id),
                        l::day.eq(p.day),
                        l::unit.eq(p.unit.code()),
                        l::price_cents.eq(p.price_cents),
                        l::band.eq(&p.band),
                        l::explanation.eq(&p.explanation),
                        l::state.eq(state),
                        l::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            Ok((request_id, placed, waiting))
        })
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(
                "Un des enfants est déjà inscrit à l'un de ces jours : vérifiez vos demandes."
                    .into(),
            ),
            other => other,
        })?;
    Ok(Sent {
        request_id,
        secret,
        placed,
        waiting,
    })
}

/// Cancels days of a request (all its days when `only` is `None`): their places go to the first
/// children waiting for the same group and day. Returns the requests that got a place, to tell
/// those families.
pub fn cancel_days(
    conn: &mut DbConn,
    request_id: i64,
    only: Option<&[i64]>,
) -> QueryResult<Vec<i64>> {
    conn.write_transaction(|conn| {
        // Write first (see `send`): mark the request as changed.
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(time::now()))
            .execute(conn)?;
        let mut q = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.ne(DayState::Cancelled))
            .select(Line::as_select())
            .into_boxed();
        if let Some(ids) = only {
            q = q.filter(l::id.eq_any(ids.to_vec()));
        }
        let mut gone: Vec<Line> = q.load(conn)?;
        gone.sort_by_key(|x| (x.group_id, x.day));
        let mut promoted = Vec::new();
        for line in gone {
            diesel::update(l::table.find(line.id))
                .set(l::state.eq(DayState::Cancelled))
                .execute(conn)?;
            if line.state == DayState::Placed {
                free_place(conn, line.group_id, line.day)?;
                if let Some(req) = promote_first_waiting(conn, line.group_id, line.day)? {
                    promoted.push(req);
                }
            }
        }
        if refresh_total(conn, request_id)? == 0 {
            diesel::update(r::table.find(request_id))
                .set(r::status.eq(RequestStatus::Cancelled))
                .execute(conn)?;
        }
        promoted.sort_unstable();
        promoted.dedup();
        promoted.retain(|id| *id != request_id);
        Ok(promoted)
    })
}

/// Gives a freed place to the first child waiting for this group and day; returns their request.
fn promote_first_waiting(
    conn: &mut DbConn,
    group_id: i64,
    day: NaiveDate,
) -> QueryResult<Option<i64>> {
    promote_first_waiting_except(conn, group_id, day, 0)
}

/// The same, leaving the days of request `except` waiting.
fn promote_first_waiting_except(
    conn: &mut DbConn,
    group_id: i64,
    day: NaiveDate,
    except: i64,
) -> QueryResult<Option<i64>> {
    let first: Option<(i64, i64)> = l::table
        .filter(l::group_id.eq(group_id))
        .filter(l::day.eq(day))
        .filter(l::state.eq(DayState::Waiting))
        .filter(l::request_id.ne(except))
        .order((l::created_at, l::id))
        .select((l::id, l::request_id))
        .first(conn)
        .optional()?;
    let Some((line_id, request_id)) = first else {
        return Ok(None);
    };
    if !take_place(conn, group_id, day)? {
        return Ok(None);
    }
    diesel::update(l::table.find(line_id))
        .set(l::state.eq(DayState::Placed))
        .execute(conn)?;
    Ok(Some(request_id))
}

/// The reception puts a request on the waiting list: its reserved days give their places to the
/// children already waiting and queue behind them. Returns the requests that got a place.
pub fn wait_list(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<i64>> {
    conn.write_transaction(|conn| {
        let now = time::now();
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(now))
            .execute(conn)?;
        let mut held: Vec<Line> = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.eq(DayState::Placed))
            .select(Line::as_select())
            .load(conn)?;
        held.sort_by_key(|x| (x.group_id, x.day));
        let mut promoted = Vec::new();
        for line in held {
            diesel::update(l::table.find(line.id))
                .set((l::state.eq(DayState::Waiting), l::created_at.eq(now)))
                .execute(conn)?;
            free_place(conn, line.group_id, line.day)?;
            if let Some(req) =
                promote_first_waiting_except(conn, line.group_id, line.day, request_id)?
            {
                promoted.push(req);
            }
        }
        promoted.sort_unstable();
        promoted.dedup();
        Ok(promoted)
    })
}

/// The reception changes the unit of one day (journée, demi-journée…) at the price `priced`.
pub fn change_unit(
    conn: &mut DbConn,
    request_id: i64,
    line_id: i64,
    unit: Unit,
    priced: &csc_pricing::Quote,
) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let n = diesel::update(
            l::table
                .filter(l::id.eq(line_id))
                .filter(l::request_id.eq(request_id))
                .filter(l::state.ne(DayState::Cancelled)),
        )
        .set((
            l::unit.eq(unit.code()),
            l::price_cents.eq(priced.unit_price.0),
            l::band.eq(priced.band.clone().unwrap_or_default()),
            l::explanation.eq(&priced.explanation.summary),
        ))
        .execute(conn)?;
        csc_db::exactly_one(n)?;
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(time::now()))
            .execute(conn)?;
        refresh_total(conn, request_id)?;
        Ok(())
    })
}

/// Sets the request's total to the prices of its days still asked for; returns how many there are.
fn refresh_total(conn: &mut DbConn, request_id: i64) -> QueryResult<usize> {
    let prices: Vec<i64> = l::table
        .filter(l::request_id.eq(request_id))
        .filter(l::state.ne(DayState::Cancelled))
        .select(l::price_cents)
        .load(conn)?;
    diesel::update(r::table.find(request_id))
        .set(r::total_cents.eq(prices.iter().sum::<i64>()))
        .execute(conn)?;
    Ok(prices.len())
}
