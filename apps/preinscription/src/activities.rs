//! What a centre opens to pre-registration: Wednesdays, school-holiday weeks, stays; each with
//! its opening days, its groups by age (with their places per day), the units families may
//! choose and the tariff grid that prices them.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_members::form::parse_date;
use csc_pricing::Unit;
use csc_web::forms::{optional, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::{
    preinscription_activities as a, preinscription_groups as gr, preinscription_places as pl,
};

/// Kinds of activity, with their French names.
pub const KINDS: [(&str, &str); 3] = [
    ("mercredis", "Mercredis"),
    ("vacances", "Vacances scolaires"),
    ("sejour", "Séjour"),
];

/// Groups an activity form offers.
pub const MAX_GROUPS: usize = 3;

/// Most opening days of one activity (a school year of Wednesdays is about 36).
const MAX_DAYS: usize = 120;

/// An activity.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = a)]
pub struct Activity {
    pub id: i64,
    pub centre_id: i64,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub grid_id: i64,
    pub units: String,
    pub days: String,
    pub resident_postcodes: String,
    pub open: bool,
    pub created_at: NaiveDateTime,
}

impl Activity {
    /// The opening days, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.days
            .split(',')
            .filter_map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
            .collect()
    }

    /// The units families may choose.
    pub fn units(&self) -> Vec<Unit> {
        self.units
            .split(',')
            .filter_map(|u| Unit::parse(u.trim()).ok())
            .collect()
    }

    /// Whether a family of this postcode pays the resident price (every family does when the
    /// activity names no postcode).
    pub fn is_resident(&self, postcode: &str) -> bool {
        let codes: Vec<&str> = self
            .resident_postcodes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        codes.is_empty() || codes.contains(&postcode.trim())
    }

    /// The French name of the kind.
    pub fn kind_label(&self) -> &'static str {
        KINDS
            .iter()
            .find(|(c, _)| *c == self.kind)
            .map_or("Accueil de loisirs", |(_, l)| l)
    }
}

/// A group of an activity.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = gr)]
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

/// The activity form as posted (field names: `title`, `kind`, `description`, `grid_id`,
/// `unit_{code}`, `start`, `end`, `wd_{1..7}` (Monday = 1), `closed`, `resident_postcodes`,
/// `gN_label`, `gN_age_min`, `gN_age_max`, `gN_capacity`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ActivityForm(pub BTreeMap<String, String>);

/// A group, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupData {
    pub label: String,
    pub age_min: i32,
    pub age_max: i32,
    pub capacity: i32,
}

/// An activity, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityData {
    pub title: String,
    pub kind: String,
    pub description: String,
    pub grid_id: i64,
    pub units: Vec<Unit>,
    pub days: Vec<NaiveDate>,
    pub resident_postcodes: String,
    pub groups: Vec<GroupData>,
}

fn int(v: &str, min: i32, max: i32, what: &str) -> Result<i32, String> {
    match v.trim().parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("Indiquez {what} entre {min} et {max}.")),
    }
}

impl ActivityForm {
    fn get(&self, k: &str) -> &str {
        self.0.get(k).map_or("", String::as_str)
    }

    /// Every field checked; `grids` are the ids of the centre's grids, `today` the Paris date.
    pub fn parse(&self, grids: &[i64], today: NaiveDate) -> Result<ActivityData, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check(
            "title",
            required(self.get("title"), 120, "le nom de l'activité"),
        );
        let kind = e.check(
            "kind",
            KINDS
                .iter()
                .find(|(c, _)| *c == self.get("kind"))
                .map(|(c, _)| (*c).to_string())
                .ok_or_else(|| "Choisissez le type d'activité.".to_string()),
        );
        let description = e.check("description", optional(self.get("description"), 1000));
        let grid_id = e.check(
            "grid_id",
            self.get("grid_id")
                .parse::<i64>()
                .ok()
                .filter(|id| grids.contains(id))
                .ok_or_else(|| "Choisissez la grille de tarifs.".to_string()),
        );
        let units: Vec<Unit> = Unit::ALL
            .into_iter()
            .filter(|u| !self.get(&format!("unit_{}", u.code())).is_empty())
            .collect();
        if units.is_empty() {
            e.add(
                "units",
                "Cochez au moins une formule (journée, demi-journée…).",
            );
        }
        let days = self.days(&mut e, today);
        let resident_postcodes = e.check(
            "resident_postcodes",
            parse_postcodes(self.get("resident_postcodes")),
        );
        let mut groups = Vec::new();
        for n in 1..=MAX_GROUPS {
            let f = |name: &str| format!("g{n}_{name}");
            if ["label", "age_min", "age_max", "capacity"]
                .iter()
                .all(|k| self.get(&f(k)).trim().is_empty())
            {
                continue;
            }
            let label = e.check(
                &f("label"),
                required(self.get(&f("label")), 60, "le nom du groupe"),
            );
            let age_min = e.check(&f("age_min"), int(self.get(&f("age_min")), 0, 25, "un âge"));
            let age_max = e.check(&f("age_max"), int(self.get(&f("age_max")), 0, 25, "un âge"));
            let capacity = e.check(
                &f("capacity"),
                int(self.get(&f("capacity")), 1, 500, "un nombre de places"),
            );
            if let (Some(label), Some(age_min), Some(age_max), Some(capacity)) =
                (label, age_min, age_max, capacity)
            {
                if age_max < age_min {
                    e.add(
                        &f("age_max"),
                        "L'âge maximum est plus petit que l'âge minimum.",
                    );
                } else {
                    groups.push(GroupData {
                        label,
                        age_min,
                        age_max,
                        capacity,
                    });
                }
            }
        }
        if groups.is_empty() && e.get("g1_label").is_none() {
            e.add(
                "g1_label",
                "Indiquez au moins un groupe, avec ses âges et ses places.",
            );
        }
        match (title, kind, description, grid_id, days, resident_postcodes) {
            (Some(title), Some(kind), Some(description), Some(grid_id), Some(days), Some(rp))
                if e.is_empty() =>
            {
                Ok(ActivityData {
                    title,
                    kind,
                    description,
                    grid_id,
                    units,
                    days,
                    resident_postcodes: rp,
                    groups,
                })
            }
            _ => Err(e),
        }
    }

    /// The opening days: every chosen weekday from `start` to `end`, less the closed days.
    fn days(&self, e: &mut FieldErrors, today: NaiveDate) -> Option<Vec<NaiveDate>> {
        let start = e.check(
            "start",
            parse_date(self.get("start"))
                .ok_or_else(|| "Indiquez la date de début, par exemple 06/01/2027.".to_string()),
        );
        let end = e.check(
            "end",
            parse_date(self.get("end")).ok_or_else(|| "Indiquez la date de fin.".to_string()),
        );
        let weekdays: Vec<Weekday> = (1..=7)
            .filter(|n| !self.get(&format!("wd_{n}")).is_empty())
            .filter_map(|n| Weekday::try_from(u8::try_from(n - 1).ok()?).ok())
            .collect();
        if weekdays.is_empty() {
            e.add("weekdays", "Cochez les jours d'ouverture de la semaine.");
        }
        let mut closed = Vec::new();
        for piece in self
            .get("closed")
            .split([',', ';', '\n', ' '])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match parse_date(piece) {
                Some(d) => closed.push(d),
                None => {
                    e.add(
                        "closed",
                        format!("« {piece} » n'est pas une date (jj/mm/aaaa)."),
                    );
                }
            }
        }
        let (start, end) = (start?, end?);
        if start < today {
            e.add("start", "La date de début est déjà passée.");
            return None;
        }
        if end < start {
            e.add("end", "La date de fin est avant la date de début.");
            return None;
        }
        let days: Vec<NaiveDate> = start
            .iter_days()
            .take_while(|d| *d <= end)
            .filter(|d| weekdays.contains(&d.weekday()) && !closed.contains(d))
            .take(MAX_DAYS + 1)
            .collect();
        if days.is_empty() && !weekdays.is_empty() {
            e.add("weekdays", "Aucun jour d'ouverture entre ces dates.");
            return None;
        }
        if days.len() > MAX_DAYS {
            e.add(
                "end",
                format!("{MAX_DAYS} jours d'ouverture au plus par activité."),
            );
            return None;
        }
        Some(days)
    }
}

fn parse_postcodes(input: &str) -> Result<String, String> {
    let mut codes = Vec::new();
    for piece in input
        .split([',', ';', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match csc_auth::centres::parse_postcode(piece) {
            Ok(c) => codes.push(c),
            Err(_) => {
                return Err(format!(
                    "« {piece} » n'est pas un code postal à 5 chiffres."
                ))
            }
        }
    }
    Ok(codes.join(","))
}

/// Creates an activity with its groups and a row of places per group and day.
pub fn create(conn: &mut DbConn, centre_id: i64, data: &ActivityData) -> QueryResult<i64> {
    conn.write_transaction(|conn| {
        let days: Vec<String> = data
            .days
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        let units: Vec<&str> = data.units.iter().map(|u| u.code()).collect();
        let id: i64 = diesel::insert_into(a::table)
            .values((
                a::centre_id.eq(centre_id),
                a::title.eq(&data.title),
                a::kind.eq(&data.kind),
                a::description.eq(&data.description),
                a::grid_id.eq(data.grid_id),
                a::units.eq(units.join(",")),
                a::days.eq(days.join(",")),
                a::resident_postcodes.eq(&data.resident_postcodes),
                a::open.eq(true),
                a::created_at.eq(time::now()),
            ))
            .returning(a::id)
            .get_result(conn)?;
        for g in &data.groups {
            let group_id: i64 = diesel::insert_into(gr::table)
                .values((
                    gr::activity_id.eq(id),
                    gr::label.eq(&g.label),
                    gr::age_min.eq(g.age_min),
                    gr::age_max.eq(g.age_max),
                    gr::capacity.eq(g.capacity),
                ))
                .returning(gr::id)
                .get_result(conn)?;
            for day in &data.days {
                diesel::insert_into(pl::table)
                    .values((
                        pl::group_id.eq(group_id),
                        pl::day.eq(day),
                        pl::capacity.eq(g.capacity),
                        pl::taken.eq(0),
                    ))
                    .execute(conn)?;
            }
        }
        Ok(id)
    })
}

/// Opens or closes an activity to new requests.
pub fn set_open(conn: &mut DbConn, centre_id: i64, id: i64, open: bool) -> Result<(), AppError> {
    let n = diesel::update(
        a::table
            .filter(a::id.eq(id))
            .filter(a::centre_id.eq(centre_id)),
    )
    .set(a::open.eq(open))
    .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The centre's activities; only the open ones when `open_only`.
pub fn of_centre(conn: &mut DbConn, centre_id: i64, open_only: bool) -> QueryResult<Vec<Activity>> {
    let mut q = a::table
        .filter(a::centre_id.eq(centre_id))
        .select(Activity::as_select())
        .order((a::days, a::id))
        .into_boxed();
    if open_only {
        q = q.filter(a::open.eq(true));
    }
    q.load(conn)
}

/// One activity of the centre.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Activity, AppError> {
    Ok(a::table
        .filter(a::id.eq(id))
        .filter(a::centre_id.eq(centre_id))
        .select(Activity::as_select())
        .first(conn)?)
}

/// The groups of an activity, youngest first.
pub fn groups(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Group>> {
    gr::table
        .filter(gr::activity_id.eq(activity_id))
        .order((gr::age_min, gr::id))
        .select(Group::as_select())
        .load(conn)
}

/// Places of one group and day: (capacity, taken).
#[derive(Debug, Clone, Serialize)]
pub struct Occupancy {
    pub group_id: i64,
    pub day: NaiveDate,
    pub capacity: i32,
    pub taken: i32,
}

/// The places of every group of an activity, day by day.
pub fn occupancy(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Occupancy>> {
    let rows: Vec<(i64, NaiveDate, i32, i32)> = pl::table
        .inner_join(gr::table)
        .filter(gr::activity_id.eq(activity_id))
        .order((pl::day, pl::group_id))
        .select((pl::group_id, pl::day, pl::capacity, pl::taken))
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
