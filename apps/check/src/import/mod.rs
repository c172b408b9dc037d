//! Import of past attendance (item 5): a dry run lists what would be created, the duplicates
//! and the errors line by line; a confirmed import writes everything in one transaction, or
//! nothing when a line is wrong; an import can be undone as a whole.
//!
//! A record is the same when its day, its session (name compared as a key) and its person
//! (first name and name compared as keys) are the same: importing a file twice creates nothing.

pub mod read;

use std::collections::{HashMap, HashSet};

use crate::schema::{activities as a, activity_sessions as se};
use chrono::{NaiveDate, NaiveTime};
use csc_activities::ActivityKind;
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

pub use read::{ImportLine, LineError, Mapping, Table};

use crate::model::{AttendanceState, PersonRole};
use crate::schema::{
    check_attendance as ca, check_families as cf, check_imports as ci, check_people as cp,
    check_sessions as cs,
};
use crate::text;

/// What an import found (and did, when confirmed). Its JSON is the one of
/// `csc check import --json`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Outcome {
    pub a_creer: usize,
    pub doublons: usize,
    pub erreurs: Vec<LineError>,
    /// Set when the import was confirmed and written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub import: Option<i64>,
    /// The activity did not exist (and was created when confirmed).
    pub activite_creee: bool,
}

/// The activity of the centre with this name (compared as a key).
pub fn find_activity(conn: &mut DbConn, centre_id: i64, name: &str) -> QueryResult<Option<i64>> {
    let rows: Vec<(i64, String)> = a::table
        .filter(a::centre_id.eq(centre_id))
        .select((a::id, a::title))
        .load(conn)?;
    let k = text::key(name);
    Ok(rows
        .into_iter()
        .find(|(_, t)| text::key(t) == k)
        .map(|r| r.0))
}

fn kind_from_name(name: &str) -> ActivityKind {
    let k = text::key(name);
    if k.contains("ludo") {
        ActivityKind::Ludotheque
    } else if k.contains("laep") || k.contains("enfants-parents") {
        ActivityKind::Laep
    } else if k.contains("alsh") || k.contains("loisirs") || k.contains("mercredi") {
        ActivityKind::Wednesdays
    } else {
        ActivityKind::Workshop
    }
}

/// A session's key: its day and its name as a key.
type SessionKey = (NaiveDate, String);

/// Whether a session named so is reserved to a group: its name ends with « (groupe) ».
pub fn reserved_name(name: &str) -> bool {
    text::key(name).ends_with("(groupe)")
}

struct Known {
    sessions: HashMap<SessionKey, i64>,
    families: HashMap<String, i64>,
    people: HashMap<String, i64>,
    records: HashSet<(i64, i64)>,
}

fn known(conn: &mut DbConn, centre_id: i64, activity_id: Option<i64>) -> QueryResult<Known> {
    let mut k = Known {
        sessions: HashMap::new(),
        families: cf::table
            .filter(cf::centre_id.eq(centre_id))
            .select((cf::label_key, cf::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect(),
        people: cp::table
            .filter(cp::centre_id.eq(centre_id))
            .select((cp::name_key, cp::id))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .collect(),
        records: HashSet::new(),
    };
    if let Some(aid) = activity_id {
        let rows: Vec<(i64, NaiveDate, Option<String>)> = se::table
            .left_join(cs::table.on(cs::session_id.eq(se::id)))
            .filter(se::activity_id.eq(aid))
            .select((se::id, se::day, cs::name_key.nullable()))
            .load(conn)?;
        for (id, day, name) in rows {
            k.sessions
                .entry((day, name.unwrap_or_default()))
                .or_insert(id);
        }
        k.records = ca::table
            .inner_join(se::table)
            .filter(se::activity_id.eq(aid))
            .select((ca::session_id, ca::person_id))
            .load::<(i64, i64)>(conn)?
            .into_iter()
            .collect();
    }
    Ok(k)
}

/// Sorts the lines into those to create and the duplicates (of the database or of an earlier
/// line of the file).
fn sort<'a>(lines: &'a [ImportLine], k: &Known) -> (Vec<&'a ImportLine>, usize) {
    let mut seen: HashSet<(SessionKey, String)> = HashSet::new();
    let mut new = Vec::new();
    let mut dups = 0;
    for l in lines {
        let skey = (l.day, text::key(&l.session));
        let pkey = text::person_key(&l.first_name, &l.last_name);
        let in_db = match (k.sessions.get(&skey), k.people.get(&pkey)) {
            (Some(s), Some(p)) => k.records.contains(&(*s, *p)),
            _ => false,
        };
        if in_db || !seen.insert((skey, pkey)) {
            dups += 1;
        } else {
            new.push(l);
        }
    }
    (new, dups)
}

/// The dry run, or the import when `confirm` (only when no line is wrong: all or nothing).
/// Runs inside the caller's transaction.
pub fn run(
    conn: &mut DbConn,
    centre_id: i64,
    activity_name: &str,
    file_name: &str,
    lines: &[ImportLine],
    errors: Vec<LineError>,
    confirm: bool,
) -> Result<Outcome, AppError> {
    let activity = find_activity(conn, centre_id, activity_name)?;
    let k = known(conn, centre_id, activity)?;
    let (new, doublons) = sort(lines, &k);
    let mut out = Outcome {
        a_creer: new.len(),
        doublons,
        erreurs: errors,
        import: None,
        activite_creee: activity.is_none(),
    };
    if !confirm || !out.erreurs.is_empty() {
        return Ok(out);
    }
    if activity_name.trim().is_empty() {
        return Err(AppError::BadRequest("Le nom de l'activité manque.".into()));
    }
    let activity_id = match activity {
        Some(id) => id,
        None => csc_activities::create(
            conn,
            centre_id,
            &csc_activities::NewActivity {
                title: activity_name.trim().to_string(),
                kind: kind_from_name(activity_name),
                description: String::new(),
                groups: vec![],
                days: vec![],
                hours: None,
            },
        )?,
    };
    let import_id: i64 = diesel::insert_into(ci::table)
        .values((
            ci::centre_id.eq(centre_id),
            ci::activity_id.eq(activity_id),
            ci::file_name.eq(file_name),
            ci::created_count.eq(i32::try_from(new.len()).unwrap_or(i32::MAX)),
            ci::activity_created.eq(activity.is_none()),
            ci::created_at.eq(time::now()),
        ))
        .returning(ci::id)
        .get_result(conn)?;
    write(conn, centre_id, activity_id, import_id, &new, k)?;
    out.import = Some(import_id);
    Ok(out)
}

#[derive(Insertable)]
#[diesel(table_name = cf, treat_none_as_default_value = false)]
struct NewFamily {
    centre_id: i64,
    label: String,
    label_key: String,
    card_token: String,
    import_id: Option<i64>,
    created_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = cp, treat_none_as_default_value = false)]
struct NewPerson {
    centre_id: i64,
    family_id: Option<i64>,
    first_name: String,
    last_name: String,
    name_key: String,
    role: PersonRole,
    birth_date: Option<NaiveDate>,
    import_id: Option<i64>,
    created_at: chrono::NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = ca, treat_none_as_default_value = false)]
struct NewAttendance {
    session_id: i64,
    person_id: i64,
    family_id: Option<i64>,
    state: AttendanceState,
    arrived_at: Option<NaiveTime>,
    left_at: Option<NaiveTime>,
    recorded_at: chrono::NaiveDateTime,
    import_id: Option<i64>,
}

/// Inserts rows 500 at a time (well under both backends' limits on bound parameters).
macro_rules! insert_batches {
    ($conn:expr, $table:expr, $rows:expr) => {
        for chunk in $rows.chunks(500) {
            match $conn {
                DbConn::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
                DbConn::Pg(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
        }
    };
}

/// A new family card's secret.
pub fn new_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn write(
    conn: &mut DbConn,
    centre_id: i64,
    activity_id: i64,
    import_id: i64,
    new: &[&ImportLine],
    mut k: Known,
) -> Result<(), AppError> {
    let now = time::now();
    // Sessions: few, one insert each.
    for l in new {
        let key = (l.day, text::key(&l.session));
        if k.sessions.contains_key(&key) {
            continue;
        }
        let id: i64 = diesel::insert_into(se::table)
            .values((
                se::activity_id.eq(activity_id),
                se::day.eq(l.day),
                se::starts_at.eq(l.starts_at),
                se::ends_at.eq(l.ends_at),
            ))
            .returning(se::id)
            .get_result(conn)?;
        diesel::insert_into(cs::table)
            .values((
                cs::session_id.eq(id),
                cs::name.eq(l.session.trim()),
                cs::name_key.eq(&key.1),
                cs::reserved.eq(reserved_name(&l.session)),
                cs::closed.eq(false),
                cs::import_id.eq(Some(import_id)),
            ))
            .execute(conn)?;
        k.sessions.insert(key, id);
    }
    // Families, then people, in batches; their ids read back by their import.
    let mut families = Vec::new();
    for l in new {
        let key = text::key(&l.family);
        if !key.is_empty() && !k.families.contains_key(&key) {
            k.families.insert(key.clone(), 0);
            families.push(NewFamily {
                centre_id,
                label: l.family.trim().to_string(),
                label_key: key,
                card_token: new_token(),
                import_id: Some(import_id),
                created_at: now,
            });
        }
    }
    insert_batches!(conn, cf::table, families);
    let created: Vec<(String, i64)> = cf::table
        .filter(cf::import_id.eq(import_id))
        .select((cf::label_key, cf::id))
        .load(conn)?;
    k.families.extend(created);
    let family_of = |k: &Known, l: &ImportLine| k.families.get(&text::key(&l.family)).copied();
    let mut people = Vec::new();
    for l in new {
        let key = text::person_key(&l.first_name, &l.last_name);
        if !k.people.contains_key(&key) {
            k.people.insert(key.clone(), 0);
            people.push(NewPerson {
                centre_id,
                family_id: family_of(&k, l),
                first_name: l.first_name.trim().to_string(),
                last_name: l.last_name.trim().to_string(),
                name_key: key,
                role: l.role,
                birth_date: l.birth,
                import_id: Some(import_id),
                created_at: now,
            });
        }
    }
    insert_batches!(conn, cp::table, people);
    let created: Vec<(String, i64)> = cp::table
        .filter(cp::import_id.eq(import_id))
        .select((cp::name_key, cp::id))
        .load(conn)?;
    k.people.extend(created);
    let mut rows = Vec::with_capacity(new.len());
    for l in new {
        let session_id = k.sessions[&(l.day, text::key(&l.session))];
        let person_id = k.people[&text::person_key(&l.first_name, &l.last_name)];
        rows.push(NewAttendance {
            session_id,
            person_id,
            family_id: family_of(&k, l),
            state: l.state,
            arrived_at: None,
            left_at: None,
            recorded_at: now,
            import_id: Some(import_id),
        });
    }
    insert_batches!(conn, ca::table, rows);
    Ok(())
}

/// An import as listed on the import page.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ImportRow {
    pub id: i64,
    pub activity_id: i64,
    pub file_name: String,
    pub created_count: i32,
    pub created_at: chrono::NaiveDateTime,
}

/// The imports of a centre, newest first.
pub fn list(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<ImportRow>> {
    ci::table
        .filter(ci::centre_id.eq(centre_id))
        .order(ci::id.desc())
        .select((
            ci::id,
            ci::activity_id,
            ci::file_name,
            ci::created_count,
            ci::created_at,
        ))
        .load(conn)
}

/// Undoes an import whole: its attendance, then the sessions, people and families it created
/// that nothing else uses any more, and the activity it created if it is left empty.
/// Returns the number of attendance records deleted.
pub fn undo(conn: &mut DbConn, centre_id: i64, import_id: i64) -> Result<usize, AppError> {
    let (activity_id, activity_created): (i64, bool) = ci::table
        .filter(ci::id.eq(import_id))
        .filter(ci::centre_id.eq(centre_id))
        .select((ci::activity_id, ci::activity_created))
        .first(conn)?;
    let deleted = diesel::delete(ca::table.filter(ca::import_id.eq(import_id))).execute(conn)?;
    let used_sessions = ca::table.select(ca::session_id);
    let sessions: Vec<i64> = cs::table
        .filter(cs::import_id.eq(import_id))
        .filter(cs::session_id.ne_all(used_sessions))
        .select(cs::session_id)
        .load(conn)?;
    for chunk in sessions.chunks(500) {
        diesel::delete(se::table.filter(se::id.eq_any(chunk))).execute(conn)?;
    }
    let used_people = ca::table.select(ca::person_id);
    diesel::delete(
        cp::table
            .filter(cp::import_id.eq(import_id))
            .filter(cp::id.ne_all(used_people)),
    )
    .execute(conn)?;
    let used_families = cp::table
        .filter(cp::family_id.is_not_null())
        .select(cp::family_id.assume_not_null());
    let used_families2 = ca::table
        .filter(ca::family_id.is_not_null())
        .select(ca::family_id.assume_not_null());
    diesel::delete(
        cf::table
            .filter(cf::import_id.eq(import_id))
            .filter(cf::id.ne_all(used_families))
            .filter(cf::id.ne_all(used_families2)),
    )
    .execute(conn)?;
    diesel::delete(ci::table.filter(ci::id.eq(import_id))).execute(conn)?;
    if activity_created {
        let left: i64 = se::table
            .filter(se::activity_id.eq(activity_id))
            .count()
            .get_result(conn)?;
        if left == 0 {
            diesel::delete(a::table.filter(a::id.eq(activity_id))).execute(conn)?;
        }
    }
    Ok(deleted)
}
