//! A family's request: the days chosen for each child, priced by the centre's grid, places taken
//! or the waiting list, then followed by the family (private link) and the reception.
//!
//! Places are taken by `UPDATE … SET taken = taken + 1 WHERE taken < capacity` on the row of the
//! group and day: the database decides, so concurrent requests never overbook (rows are updated
//! in one order to avoid deadlocks on PostgreSQL; SQLite serialises writers).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use csc_auth::tokens::{digest, random_secret};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::household::age_on;
use csc_members::{Child, Household};
use csc_pricing::{Grid, Query, Unit};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::activities::{Activity, Group};
use crate::schema::{
    preinscription_lines as l, preinscription_places as pl, preinscription_requests as r,
};

/// Statuses of a request, with their French names.
pub const STATUSES: [(&str, &str); 4] = [
    ("envoyee", "Envoyée, en attente de réponse du centre"),
    ("validee", "Validée par le centre"),
    ("refusee", "Refusée"),
    ("annulee", "Annulée"),
];

/// The French name of a status.
pub fn status_label(code: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("Inconnu", |(_, l)| l)
}

/// A child as the choice form sees it: age on the activity's first day and group.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub child: Child,
    pub age: Option<u8>,
    pub group: Option<Group>,
    /// Why the child cannot come, when no group takes them.
    pub refusal: Option<String>,
}

/// The children of a family facing an activity.
pub fn candidates(activity: &Activity, groups: &[Group], children: Vec<Child>) -> Vec<Candidate> {
    let first = activity.days().first().copied();
    let ranges = groups
        .iter()
        .map(|g| format!("{} : {} à {} ans", g.label, g.age_min, g.age_max))
        .collect::<Vec<_>>()
        .join(", ");
    children
        .into_iter()
        .map(|child| {
            let age = first.and_then(|d| age_on(child.birth_date, d));
            let group = age.and_then(|a| groups.iter().find(|g| g.takes(a)).cloned());
            let refusal = match (age, &group) {
                (_, Some(_)) => None,
                (Some(a), None) => Some(format!(
                    "{} aura {a} ans au début de l'activité : cet accueil reçoit les enfants selon leur âge ({ranges}).",
                    child.first_name
                )),
                (None, None) => Some(format!(
                    "{} ne sera pas encore né(e) au début de l'activité.",
                    child.first_name
                )),
            };
            Candidate {
                child,
                age,
                group,
                refusal,
            }
        })
        .collect()
}

/// One chosen day for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: Unit,
}

/// The choice form: `d_{child id}_{aaaa-mm-jj}` = a unit code, or empty for « pas ce jour ».
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ChoiceForm(pub BTreeMap<String, String>);

/// The field name of a child's day.
pub fn field(child_id: i64, day: NaiveDate) -> String {
    format!("d_{child_id}_{}", day.format("%Y-%m-%d"))
}

impl ChoiceForm {
    /// The days chosen, checked against the activity: days of the activity still to come, units
    /// it offers, children it takes, and days the child is not registered yet (`already`).
    pub fn parse(
        &self,
        activity: &Activity,
        candidates: &[Candidate],
        already: &[(i64, NaiveDate)],
        today: NaiveDate,
    ) -> Result<Vec<Choice>, FieldErrors> {
        let mut e = FieldErrors::new();
        let days = activity.days();
        let units = activity.units();
        let mut choices = Vec::new();
        for (name, value) in &self.0 {
            let value = value.trim();
            let Some(rest) = name.strip_prefix("d_") else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let mut parts = rest.splitn(2, '_');
            let child_id = parts.next().and_then(|c| c.parse::<i64>().ok());
            let day = parts
                .next()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let (Some(child_id), Some(day)) = (child_id, day) else {
                e.add(
                    "choices",
                    "Un des jours choisis n'existe pas : rechargez la page.",
                );
                continue;
            };
            let Some(cand) = candidates.iter().find(|c| c.child.id == child_id) else {
                e.add(
                    "choices",
                    "Un des enfants choisis n'est pas dans votre foyer.",
                );
                continue;
            };
            let Some(group) = &cand.group else {
                e.add(
                    &format!("child_{child_id}"),
                    cand.refusal.clone().unwrap_or_default(),
                );
                continue;
            };
            if !days.contains(&day) {
                e.add(name, "Ce jour ne fait pas partie de l'activité.");
                continue;
            }
            if day <= today {
                e.add(
                    name,
                    "Ce jour est déjà passé ou c'est aujourd'hui : choisissez un jour à venir.",
                );
                continue;
            }
            let Some(unit) = Unit::parse(value).ok().filter(|u| units.contains(u)) else {
                e.add(name, "Choisissez une des formules proposées.");
                continue;
            };
            if already.contains(&(child_id, day)) {
                e.add(
                    name,
                    format!("{} est déjà inscrit(e) ce jour-là.", cand.child.first_name),
                );
                continue;
            }
            choices.push(Choice {
                child_id,
                group_id: group.id,
                day,
                unit,
            });
        }
        if choices.is_empty() && e.is_empty() {
            e.add("choices", "Choisissez au moins un jour pour un enfant.");
        }
        if e.is_empty() {
            choices.sort_by_key(|c| (c.group_id, c.day, c.child_id));
            Ok(choices)
        } else {
            Err(e)
        }
    }
}

/// A priced day.
#[derive(Debug, Clone, Serialize)]
pub struct PricedLine {
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: Unit,
    pub price_cents: i64,
    pub band: String,
    pub explanation: String,
}

/// What one child costs, explained.
#[derive(Debug, Clone, Serialize)]
pub struct ChildPrice {
    pub first_name: String,
    /// One line per unit: `3 × la journée : QF 825 -> tranche 801–900 -> 12,40 € …`.
    pub explanations: Vec<String>,
    pub total: String,
}

/// A priced request, before it is sent.
#[derive(Debug, Clone, Serialize)]
pub struct Priced {
    pub lines: Vec<PricedLine>,
    pub children: Vec<ChildPrice>,
    pub total_cents: i64,
    pub total: String,
}

/// Euros as French readers write them: `1 234,50 €`.
pub fn euros(cents: i64) -> String {
    csc_pricing::Cents(cents).to_string()
}

/// Prices every choice with the grid: rank of each child among the children of the request
/// (eldest first), the family's QF, resident or not, age on the first day.
pub fn price(
    grid: &Grid,
    household: &Household,
    activity: &Activity,
    candidates: &[Candidate],
    choices: &[Choice],
) -> Result<Priced, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut kids: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| choices.iter().any(|ch| ch.child_id == c.child.id))
        .collect();
    kids.sort_by_key(|c| (c.child.birth_date, c.child.id));
    let mut lines = Vec::new();
    let mut children = Vec::new();
    let mut total = 0i64;
    for (i, cand) in kids.iter().enumerate() {
        let mut per_unit: BTreeMap<&'static str, (u32, String, i64)> = BTreeMap::new();
        let mut child_total = 0i64;
        for ch in choices.iter().filter(|c| c.child_id == cand.child.id) {
            let query = query_for(household, activity, cand.age, i + 1, kids.len(), ch.unit);
            match grid.price(&query) {
                Ok(q) => {
                    let cents = q.unit_price.0;
                    let entry = per_unit.entry(ch.unit.label()).or_insert((
                        0,
                        q.explanation.summary.clone(),
                        cents,
                    ));
                    entry.0 += 1;
                    child_total += cents;
                    lines.push(PricedLine {
                        child_id: ch.child_id,
                        group_id: ch.group_id,
                        day: ch.day,
                        unit: ch.unit,
                        price_cents: cents,
                        band: q.band.unwrap_or_default(),
                        explanation: q.explanation.summary,
                    });
                }
                Err(err) => e.add(&format!("child_{}", cand.child.id), err.to_string()),
            }
        }
        total += child_total;
        children.push(ChildPrice {
            first_name: cand.child.first_name.clone(),
            explanations: per_unit
                .into_iter()
                .map(|(label, (n, summary, cents))| {
                    format!("{n} × {label} à {} : {summary}", euros(cents))
                })
                .collect(),
            total: euros(child_total),
        });
    }
    if e.is_empty() {
        Ok(Priced {
            lines,
            children,
            total_cents: total,
            total: euros(total),
        })
    } else {
        Err(e)
    }
}

/// What the grid is asked for one day of one child: the family's QF, resident or not, the
/// child's rank among the children of the request (eldest first) and age on the first day.
fn query_for(
    household: &Household,
    activity: &Activity,
    age: Option<u8>,
    rank: usize,
    registered: usize,
    unit: Unit,
) -> Query {
    Query {
        rank: u8::try_from(rank).unwrap_or(u8::MAX),
        resident: activity.is_resident(&household.postcode),
        children_registered: u8::try_from(registered).unwrap_or(u8::MAX),
        age,
        ..Query::new(unit, household.qf())
    }
}

/// Days each child of the household is already registered to (any request not cancelled).
pub fn registered_days(conn: &mut DbConn, child_ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDate)>> {
    l::table
        .filter(l::child_id.eq_any(child_ids))
        .filter(l::state.ne("annulee"))
        .select((l::child_id, l::day))
        .load(conn)
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
    pub status: String,
    pub total_cents: i64,
    pub staff_note: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A stored day of a request.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = l)]
pub struct Line {
    pub id: i64,
    pub request_id: i64,
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: String,
    pub price_cents: i64,
    pub band: String,
    pub explanation: String,
    pub state: String,
    pub created_at: NaiveDateTime,
}

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
        .transaction::<_, diesel::result::Error, _>(|conn| {
            // The first statement writes, so SQLite takes its write lock before any read.
            let request_id: i64 = diesel::insert_into(r::table)
                .values((
                    r::centre_id.eq(household.centre_id),
                    r::household_id.eq(household.id),
                    r::activity_id.eq(activity.id),
                    r::token_hash.eq(digest(&secret)),
                    r::status.eq("envoyee"),
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
                    "place"
                } else {
                    waiting += 1;
                    "attente"
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

/// The request a private-link secret opens; a cancelled request's link no longer works.
pub fn by_secret(conn: &mut DbConn, secret: &str) -> Result<Request, AppError> {
    if secret.len() > 64 {
        return Err(AppError::NotFound);
    }
    Ok(r::table
        .filter(r::token_hash.eq(digest(secret)))
        .filter(r::status.ne("annulee"))
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
    l::table
        .filter(l::request_id.eq(request_id))
        .order((l::day, l::child_id))
        .select(Line::as_select())
        .load(conn)
}

/// The requests of a household, latest first.
pub fn of_household(conn: &mut DbConn, household_id: i64) -> QueryResult<Vec<Request>> {
    r::table
        .filter(r::household_id.eq(household_id))
        .order(r::created_at.desc())
        .select(Request::as_select())
        .load(conn)
}

/// Cancels days of a request (all its days when `only` is `None`): their places go to the first
/// children waiting for the same group and day. Returns the requests that got a place, to tell
/// those families.
pub fn cancel_days(
    conn: &mut DbConn,
    request_id: i64,
    only: Option<&[i64]>,
) -> QueryResult<Vec<i64>> {
    conn.transaction(|conn| {
        // Write first (see `send`): mark the request as changed.
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(time::now()))
            .execute(conn)?;
        let mut q = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.ne("annulee"))
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
                .set(l::state.eq("annulee"))
                .execute(conn)?;
            if line.state == "place" {
                free_place(conn, line.group_id, line.day)?;
                if let Some(req) = promote_first_waiting(conn, line.group_id, line.day)? {
                    promoted.push(req);
                }
            }
        }
        let prices: Vec<i64> = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.ne("annulee"))
            .select(l::price_cents)
            .load(conn)?;
        diesel::update(r::table.find(request_id))
            .set(r::total_cents.eq(prices.iter().sum::<i64>()))
            .execute(conn)?;
        if prices.is_empty() {
            diesel::update(r::table.find(request_id))
                .set(r::status.eq("annulee"))
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
        .filter(l::state.eq("attente"))
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
        .set(l::state.eq("place"))
        .execute(conn)?;
    Ok(Some(request_id))
}

/// Sets the status of a request of the centre (the reception's decision).
pub fn set_status(
    conn: &mut DbConn,
    centre_id: i64,
    id: i64,
    status: &str,
) -> Result<(), AppError> {
    let n = diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::centre_id.eq(centre_id)),
    )
    .set((r::status.eq(status), r::updated_at.eq(time::now())))
    .execute(conn)?;
    crate::exactly_one(n)
}

/// A request in the reception's list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub request: Request,
    pub family: String,
    pub activity: String,
    pub status_label: &'static str,
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
    use crate::schema::preinscription_activities as a;
    use csc_members::household;
    let mut q = r::table
        .inner_join(a::table)
        .filter(r::centre_id.eq(centre_id))
        .select((Request::as_select(), a::title))
        .order(r::created_at.desc())
        .limit(500)
        .into_boxed();
    if STATUSES.iter().any(|(c, _)| *c == f.statut) {
        q = q.filter(r::status.eq(f.statut.clone()));
    }
    if let Ok(id) = f.activite.parse::<i64>() {
        q = q.filter(r::activity_id.eq(id));
    }
    let rows: Vec<(Request, String)> = q.load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (request, activity) in rows {
        let counts: Vec<(String, i64)> = l::table
            .filter(l::request_id.eq(request.id))
            .group_by(l::state)
            .select((l::state, diesel::dsl::count_star()))
            .load(conn)?;
        let count = |s: &str| counts.iter().find(|(k, _)| k == s).map_or(0, |(_, n)| *n);
        let family = household::adults(conn, request.household_id)?
            .first()
            .map(|a| format!("{} {}", a.last_name, a.first_name))
            .unwrap_or_default();
        out.push(Listed {
            family,
            activity,
            status_label: status_label(&request.status),
            placed: count("place"),
            waiting: count("attente"),
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
    pub state: String,
    pub state_label: &'static str,
}

/// The French name of a day's state.
pub fn state_label(code: &str) -> &'static str {
    match code {
        "place" => "Place réservée",
        "attente" => "Liste d'attente",
        _ => "Annulé",
    }
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
            state: x.state.clone(),
            state_label: state_label(&x.state),
        })
        .collect()
}

/// A request by id, whatever its centre (internal use: mails after a freed place).
pub(crate) fn get_any(conn: &mut DbConn, id: i64) -> Result<Request, AppError> {
    Ok(r::table.find(id).select(Request::as_select()).first(conn)?)
}

/// The reception puts a request on the waiting list: its reserved days give their places to the
/// children already waiting and queue behind them. Returns the requests that got a place.
pub fn wait_list(conn: &mut DbConn, request_id: i64) -> QueryResult<Vec<i64>> {
    conn.transaction(|conn| {
        let now = time::now();
        diesel::update(r::table.find(request_id))
            .set(r::updated_at.eq(now))
            .execute(conn)?;
        let mut held: Vec<Line> = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.eq("place"))
            .select(Line::as_select())
            .load(conn)?;
        held.sort_by_key(|x| (x.group_id, x.day));
        let mut promoted = Vec::new();
        for line in held {
            diesel::update(l::table.find(line.id))
                .set((l::state.eq("attente"), l::created_at.eq(now)))
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
    conn.transaction(|conn| {
        let n = diesel::update(
            l::table
                .filter(l::id.eq(line_id))
                .filter(l::request_id.eq(request_id))
                .filter(l::state.ne("annulee")),
        )
        .set((
            l::unit.eq(unit.code()),
            l::price_cents.eq(priced.unit_price.0),
            l::band.eq(priced.band.clone().unwrap_or_default()),
            l::explanation.eq(&priced.explanation.summary),
        ))
        .execute(conn)?;
        crate::exactly_one(n)?;
        let prices: Vec<i64> = l::table
            .filter(l::request_id.eq(request_id))
            .filter(l::state.ne("annulee"))
            .select(l::price_cents)
            .load(conn)?;
        diesel::update(r::table.find(request_id))
            .set((
                r::total_cents.eq(prices.iter().sum::<i64>()),
                r::updated_at.eq(time::now()),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Prices one day of a request again, as when it was sent: the child's rank among the children
/// of the request, the family's QF, resident or not, age on the first day.
pub fn reprice(
    grid: &Grid,
    household: &Household,
    activity: &Activity,
    candidates: &[Candidate],
    lines: &[Line],
    line_id: i64,
    unit: Unit,
) -> Result<csc_pricing::Quote, String> {
    let line = lines
        .iter()
        .find(|x| x.id == line_id && x.state != "annulee")
        .ok_or_else(|| "Ce jour n'est plus dans la demande.".to_string())?;
    if !activity.units().contains(&unit) {
        return Err("Cette formule n'est pas proposée pour cette activité.".into());
    }
    let mut kids: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| {
            lines
                .iter()
                .any(|x| x.child_id == c.child.id && x.state != "annulee")
        })
        .collect();
    kids.sort_by_key(|c| (c.child.birth_date, c.child.id));
    let rank = kids
        .iter()
        .position(|c| c.child.id == line.child_id)
        .ok_or_else(|| "Cet enfant n'est plus dans le foyer.".to_string())?;
    let query = query_for(
        household,
        activity,
        kids[rank].age,
        rank + 1,
        kids.len(),
        unit,
    );
    grid.price(&query).map_err(|e| e.to_string())
}

/// Gives a request of the household a new private link (the one in the earlier mail stops
/// working); returns its secret.
pub fn renew_secret(conn: &mut DbConn, household_id: i64, id: i64) -> Result<String, AppError> {
    let secret = random_secret();
    let n = diesel::update(
        r::table
            .filter(r::id.eq(id))
            .filter(r::household_id.eq(household_id))
            .filter(r::status.ne("annulee")),
    )
    .set(r::token_hash.eq(digest(&secret)))
    .execute(conn)?;
    crate::exactly_one(n)?;
    Ok(secret)
}
