//! The roll call of a session: a tap marks a person (or a whole family: one family visit),
//! undo removes the mark, a newcomer is added in three fields, a QR family card records the
//! family's visit once, an anonymous tally counts without names. Every tap checks that the
//! session and the person belong to the centre and that the session is open.

use crate::schema::{activities as a, activity_sessions as se};
use chrono::{NaiveDate, NaiveTime, Timelike};
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::model::{AgeBand, AttendanceState, PersonRole};
use crate::schema::{
    check_attendance as ca, check_families as cf, check_people as cp, check_sessions as cs,
    check_tallies as ct,
};
use crate::text;

/// A session as the roll call shows it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    pub id: i64,
    pub activity_id: i64,
    pub activity: String,
    pub kind: String,
    pub day: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub name: String,
    pub reserved: bool,
    pub closed: bool,
}

/// A session as loaded with its activity and Check's flags.
type SessionTuple = (
    i64,
    i64,
    NaiveDate,
    Option<NaiveTime>,
    Option<NaiveTime>,
    String,
    String,
    Option<String>,
    Option<bool>,
    Option<bool>,
);

/// The session of the centre (404 when it is another centre's).
pub fn session(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<SessionView, AppError> {
    let (sid, activity_id, day, starts_at, ends_at, title, kind, name, reserved, closed): SessionTuple = se::table
        .inner_join(a::table)
        .left_join(cs::table.on(cs::session_id.eq(se::id)))
        .filter(se::id.eq(id))
        .filter(a::centre_id.eq(centre_id))
        .select((
            se::id,
            se::activity_id,
            se::day,
            se::starts_at,
            se::ends_at,
            a::title,
            a::kind,
            cs::name.nullable(),
            cs::reserved.nullable(),
            cs::closed.nullable(),
        ))
        .first(conn)?;
    Ok(SessionView {
        id: sid,
        activity_id,
        activity: title,
        kind,
        day,
        starts_at,
        ends_at,
        name: name.unwrap_or_default(),
        reserved: reserved.unwrap_or(false),
        closed: closed.unwrap_or(false),
    })
}

fn open_session(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<SessionView, AppError> {
    let s = session(conn, centre_id, id)?;
    if s.closed {
        return Err(AppError::Conflict(
            "Cette séance est close : l'appel n'est plus modifiable.".into(),
        ));
    }
    Ok(s)
}

/// « 14 h 03 »
pub fn hm(t: NaiveTime) -> String {
    format!("{} h {:02}", t.hour(), t.minute())
}

/// One person on the roll call, with their mark if any.
#[derive(Debug, Clone, Serialize)]
pub struct RosterLine {
    pub person_id: i64,
    pub name: String,
    pub adult: bool,
    pub family_id: Option<i64>,
    pub family: String,
    pub state: Option<AttendanceState>,
    pub state_label: String,
    pub arrived_at: Option<String>,
    pub left_at: Option<String>,
}

/// The people of the centre for the roll call of a session: those marked first, then the
/// rest by family and name. Minors shown by first name and initial.
pub fn roster(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
) -> Result<Vec<RosterLine>, AppError> {
    let people: Vec<(i64, String, String, PersonRole, Option<i64>)> = cp::table
        .filter(cp::centre_id.eq(centre_id))
        .order((cp::family_id, cp::role, cp::first_name))
        .select((
            cp::id,
            cp::first_name,
            cp::last_name,
            cp::role,
            cp::family_id,
        ))
        .load(conn)?;
    let families: std::collections::HashMap<i64, String> = cf::table
        .filter(cf::centre_id.eq(centre_id))
        .select((cf::id, cf::label))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let marks: std::collections::HashMap<
        i64,
        (AttendanceState, Option<NaiveTime>, Option<NaiveTime>),
    > = ca::table
        .filter(ca::session_id.eq(session_id))
        .select((ca::person_id, ca::state, ca::arrived_at, ca::left_at))
        .load::<(i64, AttendanceState, Option<NaiveTime>, Option<NaiveTime>)>(conn)?
        .into_iter()
        .map(|(p, s, a, l)| (p, (s, a, l)))
        .collect();
    let mut out: Vec<RosterLine> = people
        .into_iter()
        .map(|(id, first, last, role, family_id)| {
            let adult = role == PersonRole::Adult;
            let name = if adult {
                format!("{first} {last}")
            } else {
                let initial: String = last.chars().take(1).collect();
                format!("{first} {initial}.")
            };
            let mark = marks.get(&id);
            RosterLine {
                person_id: id,
                name,
                adult,
                family_id,
                family: family_id
                    .and_then(|f| families.get(&f).cloned())
                    .unwrap_or_default(),
                state: mark.map(|m| m.0),
                state_label: mark.map(|m| m.0.label().to_string()).unwrap_or_default(),
                arrived_at: mark.and_then(|m| m.1).map(hm),
                left_at: mark.and_then(|m| m.2).map(hm),
            }
        })
        .collect();
    out.sort_by_key(|l| {
        (
            l.state.is_none(),
            l.family.clone(),
            !l.adult,
            l.name.clone(),
        )
    });
    Ok(out)
}

fn person_of_centre(
    conn: &mut DbConn,
    centre_id: i64,
    person_id: i64,
) -> Result<Option<i64>, AppError> {
    let family: Option<i64> = cp::table
        .filter(cp::id.eq(person_id))
        .filter(cp::centre_id.eq(centre_id))
        .select(cp::family_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::Denied("Cette personne n'est pas connue de ce centre.".into()))?;
    Ok(family)
}

/// Marks a person at a session. A second identical tap changes nothing and says when the
/// first was recorded.
pub fn mark(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    person_id: i64,
    state: AttendanceState,
) -> Result<String, AppError> {
    open_session(conn, centre_id, session_id)?;
    let family = person_of_centre(conn, centre_id, person_id)?;
    let existing: Option<(i64, AttendanceState, chrono::NaiveDateTime)> = ca::table
        .filter(ca::session_id.eq(session_id))
        .filter(ca::person_id.eq(person_id))
        .select((ca::id, ca::state, ca::recorded_at))
        .first(conn)
        .optional()?;
    let now = time::now();
    let clock = time::to_paris(now).time();
    match existing {
        Some((_, s, at)) if s == state => Ok(format!(
            "Déjà enregistré à {}.",
            hm(time::to_paris(at).time())
        )),
        Some((id, _, _)) => {
            diesel::update(ca::table.filter(ca::id.eq(id)))
                .set((ca::state.eq(state), ca::recorded_at.eq(now)))
                .execute(conn)?;
            Ok(format!("Enregistré : {}.", state.label()))
        }
        None => {
            diesel::insert_into(ca::table)
                .values((
                    ca::session_id.eq(session_id),
                    ca::person_id.eq(person_id),
                    ca::family_id.eq(family),
                    ca::state.eq(state),
                    ca::arrived_at.eq((state == AttendanceState::Present).then_some(clock)),
                    ca::recorded_at.eq(now),
                ))
                .execute(conn)?;
            Ok(format!("Enregistré : {}.", state.label()))
        }
    }
}

/// Records the departure time of a person present.
pub fn depart(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    person_id: i64,
) -> Result<String, AppError> {
    open_session(conn, centre_id, session_id)?;
    person_of_centre(conn, centre_id, person_id)?;
    let clock = time::to_paris(time::now()).time();
    let n = diesel::update(
        ca::table
            .filter(ca::session_id.eq(session_id))
            .filter(ca::person_id.eq(person_id))
            .filter(ca::state.eq(AttendanceState::Present)),
    )
    .set(ca::left_at.eq(Some(clock)))
    .execute(conn)?;
    if n == 0 {
        return Err(AppError::Conflict(
            "Cette personne n'est pas notée présente.".into(),
        ));
    }
    Ok(format!("Départ noté à {}.", hm(clock)))
}

/// Removes a person's mark (undo).
pub fn undo(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    person_id: i64,
) -> Result<String, AppError> {
    open_session(conn, centre_id, session_id)?;
    person_of_centre(conn, centre_id, person_id)?;
    diesel::delete(
        ca::table
            .filter(ca::session_id.eq(session_id))
            .filter(ca::person_id.eq(person_id)),
    )
    .execute(conn)?;
    Ok("Pointage annulé.".into())
}

/// The whole family present at a session, in one tap (one family visit). A family already
/// recorded is not recorded again: the answer says when it was.
pub fn family_visit(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    family_id: i64,
) -> Result<String, AppError> {
    open_session(conn, centre_id, session_id)?;
    let ok: i64 = cf::table
        .filter(cf::id.eq(family_id))
        .filter(cf::centre_id.eq(centre_id))
        .count()
        .get_result(conn)?;
    if ok == 0 {
        return Err(AppError::Denied(
            "Cette famille n'est pas connue de ce centre.".into(),
        ));
    }
    let first: Option<chrono::NaiveDateTime> = ca::table
        .filter(ca::session_id.eq(session_id))
        .filter(ca::family_id.eq(family_id))
        .select(diesel::dsl::min(ca::recorded_at))
        .first(conn)?;
    if let Some(at) = first {
        return Ok(format!(
            "Déjà enregistré à {}.",
            hm(time::to_paris(at).time())
        ));
    }
    let members: Vec<i64> = cp::table
        .filter(cp::family_id.eq(family_id))
        .select(cp::id)
        .load(conn)?;
    if members.is_empty() {
        return Err(AppError::Conflict(
            "Cette famille n'a encore personne d'inscrit.".into(),
        ));
    }
    let now = time::now();
    let clock = time::to_paris(now).time();
    for p in &members {
        diesel::insert_into(ca::table)
            .values((
                ca::session_id.eq(session_id),
                ca::person_id.eq(p),
                ca::family_id.eq(Some(family_id)),
                ca::state.eq(AttendanceState::Present),
                ca::arrived_at.eq(Some(clock)),
                ca::recorded_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(format!(
        "Visite de la famille enregistrée ({} personne(s)).",
        members.len()
    ))
}

/// A family card scanned at a session: the card must be of this centre.
pub fn scan(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    token: &str,
) -> Result<String, AppError> {
    let family: Option<(i64, i64)> = cf::table
        .filter(cf::card_token.eq(token.trim()))
        .select((cf::id, cf::centre_id))
        .first(conn)
        .optional()?;
    match family {
        None => Err(AppError::BadRequest("Carte inconnue.".into())),
        Some((_, c)) if c != centre_id => Err(AppError::Denied(
            "Cette carte est celle d'un autre centre : elle n'est pas acceptée ici.".into(),
        )),
        Some((id, _)) => family_visit(conn, centre_id, session_id, id),
    }
}

/// A newcomer: first name, name or initial, birth year or age band; the family optional.
#[derive(Debug, Clone)]
pub struct Newcomer {
    pub first_name: String,
    pub last_name: String,
    pub adult: bool,
    pub birth_year: Option<i32>,
    pub band: Option<AgeBand>,
    pub family: String,
}

/// Adds a newcomer (or finds them again by name) and marks them present.
pub fn newcomer(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    n: &Newcomer,
) -> Result<String, AppError> {
    open_session(conn, centre_id, session_id)?;
    let family_id = if text::key(&n.family).is_empty() {
        None
    } else {
        let key = text::key(&n.family);
        let found: Option<i64> = cf::table
            .filter(cf::centre_id.eq(centre_id))
            .filter(cf::label_key.eq(&key))
            .select(cf::id)
            .first(conn)
            .optional()?;
        Some(match found {
            Some(id) => id,
            None => diesel::insert_into(cf::table)
                .values((
                    cf::centre_id.eq(centre_id),
                    cf::label.eq(n.family.trim()),
                    cf::label_key.eq(&key),
                    cf::card_token.eq(crate::import::new_token()),
                    cf::created_at.eq(time::now()),
                ))
                .returning(cf::id)
                .get_result(conn)?,
        })
    };
    let key = text::person_key(&n.first_name, &n.last_name);
    let found: Option<i64> = cp::table
        .filter(cp::centre_id.eq(centre_id))
        .filter(cp::name_key.eq(&key))
        .select(cp::id)
        .first(conn)
        .optional()?;
    let person = match found {
        Some(id) => id,
        None => diesel::insert_into(cp::table)
            .values((
                cp::centre_id.eq(centre_id),
                cp::family_id.eq(family_id),
                cp::first_name.eq(n.first_name.trim()),
                cp::last_name.eq(n.last_name.trim()),
                cp::name_key.eq(&key),
                cp::role.eq(if n.adult {
                    PersonRole::Adult
                } else {
                    PersonRole::Child
                }),
                cp::birth_date.eq(n.birth_year.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))),
                cp::age_band.eq(n.band.map(AgeBand::code).unwrap_or("")),
                cp::created_at.eq(time::now()),
            ))
            .returning(cp::id)
            .get_result(conn)?,
    };
    mark(
        conn,
        centre_id,
        session_id,
        person,
        AttendanceState::Present,
    )
}

/// The anonymous counters of a session.
pub fn tallies(conn: &mut DbConn, session_id: i64) -> QueryResult<Vec<(String, i32)>> {
    ct::table
        .filter(ct::session_id.eq(session_id))
        .select((ct::counter, ct::value))
        .load(conn)
}

/// +1 or −1 on an anonymous counter (never below zero).
pub fn tally(
    conn: &mut DbConn,
    centre_id: i64,
    session_id: i64,
    counter: &str,
    delta: i32,
) -> Result<(), AppError> {
    open_session(conn, centre_id, session_id)?;
    if !crate::report::TALLY_COUNTERS
        .iter()
        .any(|(c, _)| *c == counter)
    {
        return Err(AppError::BadRequest("Compteur inconnu.".into()));
    }
    let current: Option<i32> = ct::table
        .filter(ct::session_id.eq(session_id))
        .filter(ct::counter.eq(counter))
        .select(ct::value)
        .first(conn)
        .optional()?;
    let value = (current.unwrap_or(0) + delta).max(0);
    match current {
        Some(_) => {
            diesel::update(
                ct::table
                    .filter(ct::session_id.eq(session_id))
                    .filter(ct::counter.eq(counter)),
            )
            .set(ct::value.eq(value))
            .execute(conn)?;
        }
        None => {
            diesel::insert_into(ct::table)
                .values((
                    ct::session_id.eq(session_id),
                    ct::counter.eq(counter),
                    ct::value.eq(value),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The children expected on this day (confirmed registrations of the pré-inscription or of the
/// planning), first name and initial, to be shown first on the roll call.
pub fn expected(conn: &mut DbConn, activity_id: i64, day: NaiveDate) -> QueryResult<Vec<String>> {
    use crate::schema::members_children as mc;
    let mut ids = Vec::new();
    for g in csc_activities::groups(conn, activity_id)? {
        ids.extend(csc_activities::registrations::expected(conn, g.id, day)?);
    }
    let rows: Vec<(String, String)> = mc::table
        .filter(mc::id.eq_any(&ids))
        .order((mc::first_name, mc::last_name))
        .select((mc::first_name, mc::last_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(f, l)| format!("{f} {}.", l.chars().next().unwrap_or(' ')))
        .collect())
}
