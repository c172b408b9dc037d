//! Places and the waiting list: sending a request, cancelling days, handing freed places on. The
//! seats and the waiting list are the shared calendar's (`csc_activities::registrations`); a
//! request's day is the price of one registration.

use csc_auth::tokens::{digest, random_secret};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::Household;
use csc_pricing::Unit;
use diesel::prelude::*;

use csc_activities::registrations;

use super::{lines_of, DayState, Priced, PricedLine, RequestStatus};
use crate::activities::Activity;
use crate::schema::{preinscription_lines as l, preinscription_requests as r};

/// A request just sent.
#[derive(Debug, Clone)]
pub struct Sent {
    pub request_id: i64,
    /// The secret of the request's private link (only in the family's mail and page).
    pub secret: String,
    pub placed: usize,
    pub waiting: usize,
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
                let reg =
                    registrations::register(conn, p.group_id, p.day, p.child_id, crate::KEY, now)?;
                if reg.state == DayState::Placed {
                    placed += 1;
                } else {
                    waiting += 1;
                }
                diesel::insert_into(l::table)
                    .values((
                        l::request_id.eq(request_id),
                        l::registration_id.eq(reg.id),
                        l::unit.eq(p.unit.code()),
                        l::price_cents.eq(p.price_cents),
                        l::band.eq(&p.band),
                        l::explanation.eq(&p.explanation),
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

/// The requests that the days of these registrations belong to.
fn requests_of(conn: &mut DbConn, registration_ids: &[i64]) -> QueryResult<Vec<i64>> {
    let mut ids: Vec<i64> = l::table
        .filter(l::registration_id.eq_any(registration_ids))
        .select(l::request_id)
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
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
        let gone: Vec<i64> = lines_of(conn, &[request_id])?
            .into_iter()
            .filter(|x| x.state != DayState::Cancelled)
            .filter(|x| only.is_none_or(|ids| ids.contains(&x.id)))
            .map(|x| x.registration_id)
            .collect();
        let promoted = registrations::cancel(conn, &gone)?;
        if refresh_total(conn, request_id)? == 0 {
            diesel::update(r::table.find(request_id))
                .set(r::status.eq(RequestStatus::Cancelled))
                .execute(conn)?;
        }
        let mut promoted = requests_of(conn, &promoted)?;
        promoted.retain(|id| *id != request_id);
        Ok(promoted)
    })
}

/// The reception puts a request on the waiting list: its reserved days give their places to the
/// children already waiting and queue behind them. Returns the requests that got a place.
pub fn wait_list(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<i64>> {
    conn.write_transaction(|conn| {
        let now = time::now();
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(now))
            .execute(conn)?;
        let held: Vec<i64> = l::table
            .filter(l::request_id.eq(request_id))
            .select(l::registration_id)
            .load(conn)?;
        let promoted = registrations::to_waiting_list(conn, &held, now)?;
        requests_of(conn, &promoted)
    })
}

/// The registrations of a request's days (to confirm them when the request is validated).
pub fn registrations_of(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<i64>> {
    l::table
        .filter(l::request_id.eq(request_id))
        .select(l::registration_id)
        .load(conn)
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
        let open = lines_of(conn, &[request_id])?
            .iter()
            .any(|x| x.id == line_id && x.state != DayState::Cancelled);
        if !open {
            return Err(AppError::NotFound);
        }
        let n = diesel::update(l::table.find(line_id))
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
    let prices: Vec<i64> = lines_of(conn, &[request_id])?
        .into_iter()
        .filter(|x| x.state != DayState::Cancelled)
        .map(|x| x.price_cents)
        .collect();
    // The days' prices come from checked grids (bounded amounts): their sum cannot overflow, and
    // is kept at the largest amount if it ever did rather than wrapping round.
    let total = prices
        .iter()
        .try_fold(0i64, |sum, p| sum.checked_add(*p))
        .unwrap_or(i64::MAX);
    diesel::update(r::table.find(request_id))
        .set(r::total_cents.eq(total))
        .execute(conn)?;
    Ok(prices.len())
}
