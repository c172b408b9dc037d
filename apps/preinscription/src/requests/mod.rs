//! A family's request: the days chosen for each child, priced by the centre's grid, places taken
//! or the waiting list, then followed by the family (private link) and the reception.
//!
//! Places are taken by `UPDATE … SET taken = taken + 1 WHERE taken < capacity` on the row of the
//! group and day: the database decides, so concurrent requests never overbook (rows are updated
//! in one order to avoid deadlocks on PostgreSQL; SQLite serialises writers).

use chrono::{NaiveDate, NaiveDateTime};
use csc_auth::tokens::{digest, random_secret};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::Child;
use csc_pricing::Unit;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::activities::Group;
use crate::schema::{preinscription_lines as l, preinscription_requests as r};

mod choice;
mod pricing;
mod seats;
mod submit;

pub use choice::*;
pub use pricing::*;
pub use seats::*;
pub use submit::*;

csc_core::coded! {
    /// Where a family's request stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum RequestStatus {
        Sent = ("envoyee", "Envoyée, en attente de réponse du centre"),
        Validated = ("validee", "Validée par le centre"),
        Refused = ("refusee", "Refusée"),
        Cancelled = ("annulee", "Annulée"),
    }
}

/// Where one day of a request stands: its registration's state in the shared calendar (a seat is
/// reserved, the child waits for one, or the day is cancelled).
pub use csc_activities::RegistrationState as DayState;

csc_db::sql_coded!(RequestStatus);

impl RequestStatus {
    /// Whether the reception may still decide on it (validate, refuse, wait-list).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::Validated)
    }
}

/// A stored request.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = r)]
pub struct Request {
    pub id: i64,
    pub centre_id: i64,
    pub household_id: i64,
    pub activity_id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub status: RequestStatus,
    pub total_cents: i64,
    pub staff_note: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A stored day of a request: its price here, the child, group, day and state of its
/// registration in the shared calendar.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Line {
    pub id: i64,
    pub request_id: i64,
    pub registration_id: i64,
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: String,
    pub price_cents: i64,
    pub band: String,
    pub explanation: String,
    pub state: DayState,
    pub created_at: NaiveDateTime,
}

/// A requested day as the pré-inscription stores it (its registration is the calendar's).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = l)]
pub(crate) struct LineRow {
    pub id: i64,
    pub request_id: i64,
    pub registration_id: i64,
    pub unit: String,
    pub price_cents: i64,
    pub band: String,
    pub explanation: String,
    pub created_at: NaiveDateTime,
}

/// The days with their registrations (child, group, day, state), in the order of `rows`.
pub(crate) fn with_registrations(conn: &mut DbConn, rows: Vec<LineRow>) -> QueryResult<Vec<Line>> {
    let ids: Vec<i64> = rows.iter().map(|x| x.registration_id).collect();
    let regs = csc_activities::registrations::get_many(conn, &ids)?;
    Ok(rows
        .into_iter()
        .filter_map(|x| {
            let reg = regs.iter().find(|g| g.id == x.registration_id)?;
            Some(Line {
                id: x.id,
                request_id: x.request_id,
                registration_id: x.registration_id,
                child_id: reg.child_id,
                group_id: reg.group_id,
                day: reg.day,
                unit: x.unit,
                price_cents: x.price_cents,
                band: x.band,
                explanation: x.explanation,
                state: reg.state,
                created_at: x.created_at,
            })
        })
        .collect())
}

/// The days of these requests, with their registrations.
pub(crate) fn lines_of(conn: &mut DbConn, request_ids: &[i64]) -> QueryResult<Vec<Line>> {
    let rows: Vec<LineRow> = l::table
        .filter(l::request_id.eq_any(request_ids))
        .order(l::id)
        .select(LineRow::as_select())
        .load(conn)?;
    with_registrations(conn, rows)
}

/// The request a private-link secret opens; a cancelled request's link no longer works.
pub fn by_secret(conn: &mut DbConn, secret: &str) -> Result<Request, AppError> {
    if secret.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(r::table
        .filter(r::token_hash.eq(digest(secret)))
        .filter(r::status.ne(RequestStatus::Cancelled))
        .select(Request::as_select())
        .first(conn)?)
}

/// One request of the centre.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Request, AppError> {
    Ok(r::table
        .filter(r::id.eq(id))
        .filter(r::centre_id.eq(centre_id))
        .select(Request::as_select())
        .first(conn)?)
}

/// The days of a request, in order.
pub fn lines(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<Line>> {
    let mut lines = lines_of(conn, &[request_id])?;
    lines.sort_by_key(|x| (x.day, x.child_id));
    Ok(lines)
}

/// The requests of a household, latest first.
pub fn of_household(conn: &mut DbConn, household_id: i64) -> QueryResult<Vec<Request>> {
    r::table
        .filter(r::household_id.eq(household_id))
        .order(r::created_at.desc())
        .select(Request::as_select())
        .load(conn)
}

/// Sets the status of a request of the centre (the reception's decision).
pub fn set_status(
    conn: &mut DbConn,
    centre_id: i64,
    id: i64,
    status: RequestStatus,
) -> Result<(), AppError> {
    let n = diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::centre_id.eq(centre_id)),
    )
    .set((r::status.eq(status), r::updated_at.eq(time::now())))
    .execute(conn)?;
    csc_db::exactly_one(n)
}

/// How many requests have `status`, in one centre or all of them.
pub fn count_with_status(
    conn: &mut DbConn,
    centre_id: Option<i64>,
    status: RequestStatus,
) -> QueryResult<i64> {
    let mut q = r::table.filter(r::status.eq(status)).into_boxed();
    if let Some(id) = centre_id {
        q = q.filter(r::centre_id.eq(id));
    }
    q.count().get_result(conn)
}

/// A request in the reception's list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub request: Request,
    pub family: String,
    pub activity: String,
    pub placed: i64,
    pub waiting: i64,
    pub total: String,
    pub sent: String,
}

/// Filters of the reception's list.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ListFilter {
    #[serde(default)]
    pub statut: String,
    #[serde(default)]
    pub activite: String,
}

/// The centre's requests, latest first, filtered.
pub fn list(conn: &mut DbConn, centre_id: i64, f: &ListFilter) -> QueryResult<Vec<Listed>> {
    use csc_members::household;
    let mut q = r::table
        .filter(r::centre_id.eq(centre_id))
        .select(Request::as_select())
        .order(r::created_at.desc())
        .limit(500)
        .into_boxed();
    if let Some(status) = RequestStatus::parse(&f.statut) {
        q = q.filter(r::status.eq(status));
    }
    if let Ok(id) = f.activite.parse::<i64>() {
        q = q.filter(r::activity_id.eq(id));
    }
    let requests: Vec<Request> = q.load(conn)?;
    let titles: Vec<(i64, String)> = csc_activities::of_centre(conn, centre_id)?
        .into_iter()
        .map(|a| (a.id, a.title))
        .collect();
    let rows: Vec<(Request, String)> = requests
        .into_iter()
        .map(|r| {
            let title = titles
                .iter()
                .find(|(id, _)| *id == r.activity_id)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            (r, title)
        })
        .collect();
    let ids: Vec<i64> = rows.iter().map(|(r, _)| r.id).collect();
    let days = lines_of(conn, &ids)?;
    let households: Vec<i64> = rows.iter().map(|(r, _)| r.household_id).collect();
    let contacts = household::contacts(conn, &households)?;
    let mut out = Vec::with_capacity(rows.len());
    for (request, activity) in rows {
        let count = |s: DayState| {
            let n = days
                .iter()
                .filter(|x| x.request_id == request.id && x.state == s)
                .count();
            i64::try_from(n).unwrap_or(i64::MAX)
        };
        let family = contacts
            .iter()
            .find(|a| a.household_id == request.household_id)
            .map(|a| format!("{} {}", a.last_name, a.first_name))
            .unwrap_or_default();
        out.push(Listed {
            family,
            activity,
            placed: count(DayState::Placed),
            waiting: count(DayState::Waiting),
            total: euros(request.total_cents),
            sent: time::format_paris(request.created_at),
            request,
        });
    }
    Ok(out)
}

/// A day of a request as shown to the family and the staff.
#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub id: i64,
    pub child: String,
    pub group: String,
    pub day: String,
    pub unit: &'static str,
    pub unit_code: String,
    pub price: String,
    pub explanation: String,
    pub state: DayState,
    /// Whether the day still counts (not cancelled).
    pub active: bool,
}

/// The days of a request, readable.
pub fn line_views(lines: &[Line], children: &[Child], groups: &[Group]) -> Vec<LineView> {
    lines
        .iter()
        .map(|x| LineView {
            id: x.id,
            child: children
                .iter()
                .find(|c| c.id == x.child_id)
                .map(|c| c.first_name.clone())
                .unwrap_or_default(),
            group: groups
                .iter()
                .find(|g| g.id == x.group_id)
                .map(|g| g.label.clone())
                .unwrap_or_default(),
            day: time::format_date_long(x.day),
            unit: Unit::parse(&x.unit).map_or("", Unit::label),
            unit_code: x.unit.clone(),
            price: euros(x.price_cents),
            explanation: x.explanation.clone(),
            state: x.state,
            active: x.state != DayState::Cancelled,
        })
        .collect()
}

/// A request by id, whatever its centre (mails after a freed place, tests).
pub fn get_any(conn: &mut DbConn, id: i64) -> Result<Request, AppError> {
    Ok(r::table.find(id).select(Request::as_select()).first(conn)?)
}

/// Gives a request of the household a new private link (the one in the earlier mail stops
/// working); returns its secret.
pub fn renew_secret(conn: &mut DbConn, household_id: i64, id: i64) -> Result<String, AppError> {
    let secret = random_secret();
    let n = diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::household_id.eq(household_id))
            .filter(r::status.ne(RequestStatus::Cancelled)),
    )
    .set(r::token_hash.eq(digest(&secret)))
    .execute(conn)?;
    csc_db::exactly_one(n)?;
    Ok(secret)
}
