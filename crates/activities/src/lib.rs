//! The shared activity calendar of the suite: what a centre runs (an accueil de loisirs on
//! Wednesdays, a holiday week, a ludothèque's opening hours, a LAEP…), its groups by age with
//! their seats, its sessions (a day, with hours when known), and the children registered to a
//! group on a day. The pré-inscription books registrations, Anim'Connect plans the sessions with
//! the number of children expected, Check takes attendance on them.
//!
//! Seats are taken by `UPDATE … SET taken = taken + 1 WHERE taken < capacity` on the row of the
//! group and day: the database decides, so concurrent registrations never overbook.

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod registrations;
pub mod schema;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

pub use registrations::{Registration, RegistrationState};

use schema::{activities as a, activity_groups as g, activity_seats as s, activity_sessions as se};

csc_core::coded! {
    /// What kind of activity it is.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum ActivityKind {
        Wednesdays = ("mercredis", "Mercredis"),
        Holidays = ("vacances", "Vacances scolaires"),
        Stay = ("sejour", "Séjour"),
        Ludotheque = ("ludotheque", "Ludothèque"),
        Laep = ("laep", "Lieu d'accueil enfants-parents"),
        Workshop = ("atelier", "Atelier ou sortie"),
    }
}

csc_db::sql_coded!(ActivityKind);

/// An activity of a centre.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = a)]
pub struct Activity {
    pub id: i64,
    pub centre_id: i64,
    pub title: String,
    pub kind: ActivityKind,
    pub description: String,
    pub created_at: NaiveDateTime,
}

/// A group of an activity: an age band with its seats per day.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = g)]
pub struct Group {
    pub id: i64,
    pub activity_id: i64,
    pub label: String,
    pub age_min: i32,
    pub age_max: i32,
    pub capacity: i32,
}

impl Group {
    /// Whether a child of `age` belongs here.
    pub fn takes(&self, age: u8) -> bool {
        (self.age_min..=self.age_max).contains(&i32::from(age))
    }
}

/// One session of an activity: a day, with its hours when they are known.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = se)]
pub struct Session {
    pub id: i64,
    pub activity_id: i64,
    pub day: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
}

/// A group to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub label: String,
    pub age_min: i32,
    pub age_max: i32,
    pub capacity: i32,
}

/// An activity to create: its groups, and its sessions (days, with the same hours each day
/// when given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivity {
    pub title: String,
    pub kind: ActivityKind,
    pub description: String,
    pub groups: Vec<NewGroup>,
    pub days: Vec<NaiveDate>,
    pub hours: Option<(NaiveTime, NaiveTime)>,
}

/// Creates an activity with its groups, a session per day, and the seats of each group and day.
pub fn create(conn: &mut DbConn, centre_id: i64, new: &NewActivity) -> QueryResult<i64> {
    conn.write_transaction(|conn| {
        let id: i64 = diesel::insert_into(a::table)
            .values((
                a::centre_id.eq(centre_id),
                a::title.eq(&new.title),
                a::kind.eq(new.kind),
                a::description.eq(&new.description),
                a::created_at.eq(time::now()),
            ))
            .returning(a::id)
            .get_result(conn)?;
        for day in &new.days {
            diesel::insert_into(se::table)
                .values((
                    se::activity_id.eq(id),
                    se::day.eq(day),
                    se::starts_at.eq(new.hours.map(|h| h.0)),
                    se::ends_at.eq(new.hours.map(|h| h.1)),
                ))
                .execute(conn)?;
        }
        for group in &new.groups {
            let group_id: i64 = diesel::insert_into(g::table)
                .values((
                    g::activity_id.eq(id),
                    g::label.eq(&group.label),
                    g::age_min.eq(group.age_min),
                    g::age_max.eq(group.age_max),
                    g::capacity.eq(group.capacity),
                ))
                .returning(g::id)
                .get_result(conn)?;
            for day in &new.days {
                diesel::insert_into(s::table)
                    .values((
                        s::group_id.eq(group_id),
                        s::day.eq(day),
                        s::capacity.eq(group.capacity),
                        s::taken.eq(0),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(id)
    })
}

/// One activity of the centre (404 when it is another centre's).
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Activity, AppError> {
    Ok(a::table
        .filter(a::id.eq(id))
        .filter(a::centre_id.eq(centre_id))
        .select(Activity::as_select())
        .first(conn)?)
}

/// Every activity of the centre, whatever service runs it.
pub fn of_centre(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Activity>> {
    a::table
        .filter(a::centre_id.eq(centre_id))
        .order(a::id)
        .select(Activity::as_select())
        .load(conn)
}

/// The groups of an activity, youngest first.
pub fn groups(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Group>> {
    g::table
        .filter(g::activity_id.eq(activity_id))
        .order((g::age_min, g::id))
        .select(Group::as_select())
        .load(conn)
}

/// The sessions of an activity, in order.
pub fn sessions(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Session>> {
    se::table
        .filter(se::activity_id.eq(activity_id))
        .order((se::day, se::starts_at, se::id))
        .select(Session::as_select())
        .load(conn)
}

/// The days each of these activities opens, in order, by activity.
pub fn days_of(
    conn: &mut DbConn,
    activity_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, Vec<NaiveDate>>> {
    let rows: Vec<(i64, NaiveDate)> = se::table
        .filter(se::activity_id.eq_any(activity_ids))
        .order((se::activity_id, se::day))
        .select((se::activity_id, se::day))
        .load(conn)?;
    let mut out: std::collections::HashMap<i64, Vec<NaiveDate>> = std::collections::HashMap::new();
    for (id, day) in rows {
        let days = out.entry(id).or_default();
        if days.last() != Some(&day) {
            days.push(day);
        }
    }
    Ok(out)
}

/// Seats of one group and day.
#[derive(Debug, Clone, Serialize)]
pub struct Occupancy {
    pub group_id: i64,
    pub day: NaiveDate,
    pub capacity: i32,
    pub taken: i32,
}

/// The seats of every group of an activity, day by day.
pub fn occupancy(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Occupancy>> {
    let rows: Vec<(i64, NaiveDate, i32, i32)> = s::table
        .inner_join(g::table)
        .filter(g::activity_id.eq(activity_id))
        .order((s::day, s::group_id))
        .select((s::group_id, s::day, s::capacity, s::taken))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(group_id, day, capacity, taken)| Occupancy {
            group_id,
            day,
            capacity,
            taken,
        })
        .collect())
}
