//! What a centre opens to pre-registration: an activity of the shared calendar
//! (`csc_activities`: Wednesdays, school-holiday weeks, stays; its opening days, its groups by
//! age with their seats per day) with the pré-inscription's offer: the units families may
//! choose, the tariff grid that prices them, the postcodes of its residents, open or not.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use csc_activities::ActivityKind;
use csc_core::AppError;
use csc_db::DbConn;
use csc_members::form::parse_date;
use csc_pricing::Unit;
use csc_web::forms::{int_in, optional, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::preinscription_offers as o;

pub use csc_activities::{Group, Occupancy};

/// The kinds of activity the pré-inscription opens (the calendar knows others).
pub const KINDS: [ActivityKind; 3] = [
    ActivityKind::Wednesdays,
    ActivityKind::Holidays,
    ActivityKind::Stay,
];

/// Groups an activity form offers.
pub const MAX_GROUPS: usize = 3;

/// Most opening days of one activity (a school year of Wednesdays is about 36).
const MAX_DAYS: usize = 120;

/// The pré-inscription's offer of an activity.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = o)]
struct Offer {
    activity_id: i64,
    grid_id: i64,
    units: String,
    resident_postcodes: String,
    open: bool,
}

/// An activity as the pré-inscription offers it.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub id: i64,
    pub centre_id: i64,
    pub title: String,
    pub kind: ActivityKind,
    pub description: String,
    pub grid_id: i64,
    pub units: String,
    /// The opening days, in order.
    pub days: Vec<NaiveDate>,
    pub resident_postcodes: String,
    pub open: bool,
    pub created_at: NaiveDateTime,
}

impl Activity {
    fn of(a: csc_activities::Activity, offer: Offer, days: Vec<NaiveDate>) -> Self {
        Self {
            id: a.id,
            centre_id: a.centre_id,
            title: a.title,
            kind: a.kind,
            description: a.description,
            grid_id: offer.grid_id,
            units: offer.units,
            days,
            resident_postcodes: offer.resident_postcodes,
            open: offer.open,
            created_at: a.created_at,
        }
    }

    /// The opening days, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        self.days.clone()
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
        self.kind.label()
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
    pub kind: ActivityKind,
    pub description: String,
    pub grid_id: i64,
    pub units: Vec<Unit>,
    pub days: Vec<NaiveDate>,
    pub resident_postcodes: String,
    pub groups: Vec<GroupData>,
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
            ActivityKind::parse(self.get("kind"))
                .filter(|k| KINDS.contains(k))
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
            let age_min = e.check(
                &f("age_min"),
                int_in(self.get(&f("age_min")), 0..=25, "l'âge minimum"),
            );
            let age_max = e.check(
                &f("age_max"),
                int_in(self.get(&f("age_max")), 0..=25, "l'âge maximum"),
            );
            let capacity = e.check(
                &f("capacity"),
                int_in(self.get(&f("capacity")), 1..=500, "les places"),
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
        match csc_core::Postcode::parse(piece).map(|p| p.to_string()) {
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

/// Creates the activity in the shared calendar (groups, a session and seats per group and day)
/// with its offer, open to families.
pub fn create(conn: &mut DbConn, centre_id: i64, data: &ActivityData) -> QueryResult<i64> {
    conn.write_transaction(|conn| {
        let id = csc_activities::create(
            conn,
            centre_id,
            &csc_activities::NewActivity {
                title: data.title.clone(),
                kind: data.kind,
                description: data.description.clone(),
                groups: data
                    .groups
                    .iter()
                    .map(|g| csc_activities::NewGroup {
                        label: g.label.clone(),
                        age_min: g.age_min,
                        age_max: g.age_max,
                        capacity: g.capacity,
                    })
                    .collect(),
                days: data.days.clone(),
                hours: None,
            },
        )?;
        let units: Vec<&str> = data.units.iter().map(|u| u.code()).collect();
        diesel::insert_into(o::table)
            .values((
                o::activity_id.eq(id),
                o::grid_id.eq(data.grid_id),
                o::units.eq(units.join(",")),
                o::resident_postcodes.eq(&data.resident_postcodes),
                o::open.eq(true),
            ))
            .execute(conn)?;
        Ok(id)
    })
}

/// Opens or closes an activity of the centre to new requests.
pub fn set_open(conn: &mut DbConn, centre_id: i64, id: i64, open: bool) -> Result<(), AppError> {
    csc_activities::get(conn, centre_id, id)?;
    let n = diesel::update(o::table.find(id))
        .set(o::open.eq(open))
        .execute(conn)?;
    csc_db::exactly_one(n)
}

/// The centre's activities offered to pre-registration, by first day; only the open ones when
/// `open_only`.
pub fn of_centre(conn: &mut DbConn, centre_id: i64, open_only: bool) -> QueryResult<Vec<Activity>> {
    let shared = csc_activities::of_centre(conn, centre_id)?;
    let ids: Vec<i64> = shared.iter().map(|a| a.id).collect();
    let mut q = o::table
        .filter(o::activity_id.eq_any(&ids))
        .select(Offer::as_select())
        .into_boxed();
    if open_only {
        q = q.filter(o::open.eq(true));
    }
    let offers: Vec<Offer> = q.load(conn)?;
    let mut days = csc_activities::days_of(conn, &ids)?;
    let mut out: Vec<Activity> = shared
        .into_iter()
        .filter_map(|a| {
            let offer = offers.iter().find(|o| o.activity_id == a.id)?.clone();
            let d = days.remove(&a.id).unwrap_or_default();
            Some(Activity::of(a, offer, d))
        })
        .collect();
    out.sort_by(|x, y| (x.days.first(), x.id).cmp(&(y.days.first(), y.id)));
    Ok(out)
}

/// One activity of the centre offered to pre-registration.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Activity, AppError> {
    let a = csc_activities::get(conn, centre_id, id)?;
    let offer: Offer = o::table.find(id).select(Offer::as_select()).first(conn)?;
    let days = csc_activities::days_of(conn, &[id])?
        .remove(&id)
        .unwrap_or_default();
    Ok(Activity::of(a, offer, days))
}

/// The groups of an activity, youngest first.
pub fn groups(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Group>> {
    csc_activities::groups(conn, activity_id)
}

/// The seats of every group of an activity, day by day.
pub fn occupancy(conn: &mut DbConn, activity_id: i64) -> QueryResult<Vec<Occupancy>> {
    csc_activities::occupancy(conn, activity_id)
}
