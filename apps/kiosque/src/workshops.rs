//! Digital workshops (ateliers numériques) of a centre and the residents' sign-ups.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use csc_core::{time, AppError, Email, Phone};
use csc_db::DbConn;
use csc_web::forms::{int_in, optional, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::{kiosque_signups as s, kiosque_workshops as w};
use csc_db::exactly_one;

csc_core::coded! {
    /// Whom a workshop is for.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Level {
        Beginner = ("debutant", "Débutant : je découvre"),
        Intermediate = ("intermediaire", "Intermédiaire : je me débrouille"),
        Advanced = ("avance", "Avancé : je veux aller plus loin"),
    }
}

csc_db::sql_coded!(Level);

/// Days a sign-up is kept after its workshop (then deleted).
pub const SIGNUP_RETENTION_DAYS: i64 = 30;

/// A workshop.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = w)]
pub struct Workshop {
    pub id: i64,
    pub centre_id: i64,
    pub title: String,
    pub topic: String,
    pub level: Level,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    pub seats: i32,
    pub description: String,
    pub created_at: NaiveDateTime,
}

/// A resident's sign-up: a first name and a way to be reached, nothing more.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = s)]
pub struct Signup {
    pub id: i64,
    pub workshop_id: i64,
    pub first_name: String,
    pub phone: String,
    pub email: String,
    pub created_at: NaiveDateTime,
}

/// A workshop as listed, with its seats taken and its date in words.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    #[serde(flatten)]
    pub workshop: Workshop,
    pub taken: i64,
    pub left: i64,
    pub when: String,
    pub past: bool,
}

/// The workshop form as posted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct WorkshopForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub time: String,
    #[serde(default)]
    pub duration_minutes: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub description: String,
}

/// A checked workshop.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = w)]
pub struct WorkshopData {
    pub title: String,
    pub topic: String,
    pub level: Level,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub place: String,
    pub seats: i32,
    pub description: String,
}

impl WorkshopForm {
    /// Every field checked at once; `now` is the current UTC time (a new date must be later).
    pub fn parse(&self, now: NaiveDateTime) -> Result<WorkshopData, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check("title", required(&self.title, 120, "le titre de l'atelier"));
        let topic = e.check("topic", optional(&self.topic, 120));
        let level = e.check(
            "level",
            Level::parse(&self.level).ok_or_else(|| "Choisissez un niveau.".to_string()),
        );
        let date = e.check(
            "date",
            NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .map_err(|_| "Indiquez la date au format jj/mm/aaaa.".to_string()),
        );
        let hour = e.check(
            "time",
            NaiveTime::parse_from_str(self.time.trim(), "%H:%M")
                .map_err(|_| "Indiquez l'heure au format hh:mm, par exemple 14:00.".to_string()),
        );
        let starts_at = match (date, hour) {
            (Some(d), Some(h)) => match time::paris_to_utc(d.and_time(h)) {
                Some(t) if t > now => Some(t),
                Some(_) => {
                    e.add("date", "La date de l'atelier est déjà passée.");
                    None
                }
                None => {
                    e.add(
                        "time",
                        "Cette heure n'existe pas ce jour-là (changement d'heure).",
                    );
                    None
                }
            },
            _ => None,
        };
        let duration = e.check(
            "duration_minutes",
            int_in(&self.duration_minutes, 15..=480, "la durée en minutes"),
        );
        let place = e.check("place", optional(&self.place, 120));
        let seats = e.check("seats", int_in(&self.seats, 1..=200, "le nombre de places"));
        let description = e.check("description", optional(&self.description, 1000));
        match (
            title,
            topic,
            level,
            starts_at,
            duration,
            place,
            seats,
            description,
        ) {
            (
                Some(title),
                Some(topic),
                Some(level),
                Some(starts_at),
                Some(duration_minutes),
                Some(place),
                Some(seats),
                Some(description),
            ) if e.is_empty() => Ok(WorkshopData {
                title,
                topic,
                level,
                starts_at,
                duration_minutes,
                place,
                seats,
                description,
            }),
            _ => Err(e),
        }
    }
}

/// The sign-up form as posted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SignupForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub contact: String,
}

/// A checked sign-up: first name, phone, e-mail (one of the two).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignupData {
    pub first_name: String,
    pub phone: String,
    pub email: String,
}

impl SignupForm {
    /// The contact is a phone number or an e-mail address.
    pub fn parse(&self) -> Result<SignupData, FieldErrors> {
        let mut e = FieldErrors::new();
        let first_name = e.check("first_name", required(&self.first_name, 40, "votre prénom"));
        let contact = self.contact.trim();
        let reach = if contact.is_empty() {
            e.add(
                "contact",
                "Indiquez un numéro de téléphone ou une adresse e-mail pour vous prévenir en cas de changement.",
            );
            None
        } else if contact.contains('@') {
            e.check(
                "contact",
                Email::parse(contact).map(|m| (String::new(), String::from(m))),
            )
        } else {
            e.check(
                "contact",
                Phone::parse(contact)
                    .map(|p| (String::from(p), String::new()))
                    .map_err(|_| {
                        "Indiquez un numéro de téléphone à 10 chiffres (06 12 34 56 78) ou une adresse e-mail."
                            .to_string()
                    }),
            )
        };
        match (first_name, reach) {
            (Some(first_name), Some((phone, email))) => Ok(SignupData {
                first_name,
                phone,
                email,
            }),
            _ => Err(e),
        }
    }
}

fn listed(conn: &mut DbConn, ws: Vec<Workshop>, now: NaiveDateTime) -> QueryResult<Vec<Listed>> {
    let ids: Vec<i64> = ws.iter().map(|w| w.id).collect();
    let counts: Vec<(i64, i64)> = s::table
        .filter(s::workshop_id.eq_any(ids))
        .group_by(s::workshop_id)
        .select((s::workshop_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(ws
        .into_iter()
        .map(|w| {
            let taken = counts
                .iter()
                .find(|(id, _)| *id == w.id)
                .map_or(0, |(_, n)| *n);
            Listed {
                taken,
                left: (i64::from(w.seats) - taken).max(0),
                when: time::format_paris_long(w.starts_at),
                past: w.starts_at <= now,
                workshop: w,
            }
        })
        .collect())
}

/// The centre's coming workshops (the public list).
pub fn upcoming(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Listed>> {
    let now = time::now();
    let ws = w::table
        .filter(w::centre_id.eq(centre_id))
        .filter(w::starts_at.gt(now))
        .select(Workshop::as_select())
        .order(w::starts_at)
        .load(conn)?;
    listed(conn, ws, now)
}

/// Every workshop of the centre from `since` on (the referent's list).
pub fn all_since(
    conn: &mut DbConn,
    centre_id: i64,
    since: NaiveDateTime,
) -> QueryResult<Vec<Listed>> {
    let ws = w::table
        .filter(w::centre_id.eq(centre_id))
        .filter(w::starts_at.ge(since))
        .select(Workshop::as_select())
        .order(w::starts_at)
        .load(conn)?;
    listed(conn, ws, time::now())
}

/// One workshop of the centre, listed.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<Listed, AppError> {
    let ws: Workshop = w::table
        .filter(w::id.eq(id))
        .filter(w::centre_id.eq(centre_id))
        .select(Workshop::as_select())
        .first(conn)?;
    listed(conn, vec![ws], time::now())?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Adds a workshop.
pub fn create(conn: &mut DbConn, centre_id: i64, data: &WorkshopData) -> QueryResult<i64> {
    diesel::insert_into(w::table)
        .values((
            data,
            w::centre_id.eq(centre_id),
            w::created_at.eq(time::now()),
        ))
        .returning(w::id)
        .get_result(conn)
}

/// Changes a workshop of the centre.
pub fn update(
    conn: &mut DbConn,
    centre_id: i64,
    id: i64,
    data: &WorkshopData,
) -> Result<(), AppError> {
    let n = diesel::update(
        w::table
            .filter(w::id.eq(id))
            .filter(w::centre_id.eq(centre_id)),
    )
    .set(data)
    .execute(conn)?;
    exactly_one(n)
}

/// Removes a workshop of the centre and its sign-ups.
pub fn delete(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let n = diesel::delete(
            w::table
                .filter(w::id.eq(id))
                .filter(w::centre_id.eq(centre_id)),
        )
        .execute(conn)?;
        if n != 1 {
            return Err(AppError::NotFound);
        }
        diesel::delete(s::table.filter(s::workshop_id.eq(id))).execute(conn)?;
        Ok(())
    })
}

/// The sign-ups of a workshop, in order of arrival.
pub fn signups(conn: &mut DbConn, workshop_id: i64) -> QueryResult<Vec<Signup>> {
    s::table
        .filter(s::workshop_id.eq(workshop_id))
        .select(Signup::as_select())
        .order(s::id)
        .load(conn)
}

/// Why a sign-up was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Full,
    Started,
}

/// A resident signs up to workshop `workshop_id` of the centre: a seat is taken, and the
/// resident who gave an address gets the confirmation mail, in the caller's transaction.
/// Returns the workshop, and the sign-up's id or why there is no seat.
pub fn register(
    conn: &mut DbConn,
    mailer: &csc_mail::Mailer,
    centre: &csc_auth::centres::Centre,
    workshop_id: i64,
    data: &SignupData,
) -> Result<(Listed, Result<i64, Refusal>), AppError> {
    let workshop = get(conn, centre.id, workshop_id)?;
    let outcome = sign_up(conn, centre.id, workshop_id, data)?;
    if outcome.is_ok() && !data.email.is_empty() {
        let to = Email::parse(&data.email).map_err(AppError::bad_request)?;
        let mut ctx = tera::Context::new();
        ctx.insert("first_name", &data.first_name);
        ctx.insert("workshop", &workshop);
        ctx.insert("centre", centre);
        mailer.enqueue(conn, &to, "kiosque/inscription", &ctx, &[])?;
    }
    Ok((workshop, outcome))
}

/// Signs a resident up when a seat is left (never more sign-ups than seats, even when many sign
/// up at once: the workshop row is written first, which serialises the sign-ups).
pub fn sign_up(
    conn: &mut DbConn,
    centre_id: i64,
    workshop_id: i64,
    data: &SignupData,
) -> Result<Result<i64, Refusal>, AppError> {
    conn.write_transaction(|conn| {
        let n = diesel::update(
            w::table
                .filter(w::id.eq(workshop_id))
                .filter(w::centre_id.eq(centre_id)),
        )
        .set(w::seats.eq(w::seats))
        .execute(conn)?;
        if n != 1 {
            return Err(AppError::NotFound);
        }
        let (seats, starts_at): (i32, NaiveDateTime) = w::table
            .find(workshop_id)
            .select((w::seats, w::starts_at))
            .first(conn)?;
        if starts_at <= time::now() {
            return Ok(Err(Refusal::Started));
        }
        let taken: i64 = s::table
            .filter(s::workshop_id.eq(workshop_id))
            .count()
            .get_result(conn)?;
        if taken >= i64::from(seats) {
            return Ok(Err(Refusal::Full));
        }
        let id = diesel::insert_into(s::table)
            .values((
                s::workshop_id.eq(workshop_id),
                s::first_name.eq(&data.first_name),
                s::phone.eq(&data.phone),
                s::email.eq(&data.email),
                s::created_at.eq(time::now()),
            ))
            .returning(s::id)
            .get_result(conn)?;
        Ok(Ok(id))
    })
}

/// Removes a sign-up of a workshop of the centre.
pub fn remove_signup(
    conn: &mut DbConn,
    centre_id: i64,
    workshop_id: i64,
    id: i64,
) -> Result<(), AppError> {
    get(conn, centre_id, workshop_id)?;
    let n = diesel::delete(
        s::table
            .filter(s::id.eq(id))
            .filter(s::workshop_id.eq(workshop_id)),
    )
    .execute(conn)?;
    exactly_one(n)
}

/// Deletes the sign-ups of workshops that ended more than [`SIGNUP_RETENTION_DAYS`] ago.
pub fn purge_old_signups(conn: &mut DbConn) -> QueryResult<usize> {
    let cutoff = time::now() - Duration::days(SIGNUP_RETENTION_DAYS);
    let old: Vec<i64> = w::table
        .filter(w::starts_at.lt(cutoff))
        .select(w::id)
        .load(conn)?;
    diesel::delete(s::table.filter(s::workshop_id.eq_any(old))).execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signup_needs_a_first_name_and_a_way_to_be_reached() {
        let ok = SignupForm {
            first_name: " Fatima ".into(),
            contact: "06 12 34 56 78".into(),
        };
        assert_eq!(
            ok.parse().unwrap(),
            SignupData {
                first_name: "Fatima".into(),
                phone: "06 12 34 56 78".into(),
                email: String::new()
            }
        );
        let mail = SignupForm {
            first_name: "Jean".into(),
            contact: "jean@example.org".into(),
        };
        assert_eq!(mail.parse().unwrap().email, "jean@example.org");
        let bad = SignupForm {
            first_name: String::new(),
            contact: "12".into(),
        };
        let e = bad.parse().unwrap_err();
        assert!(e.get("first_name").is_some() && e.get("contact").is_some());
    }

    #[test]
    fn a_workshop_is_in_the_future_and_has_seats() {
        let now = time::now();
        let form = WorkshopForm {
            title: "Créer son adresse e-mail".into(),
            level: Level::Beginner.code().into(),
            date: "2020-01-01".into(),
            time: "14:00".into(),
            duration_minutes: "90".into(),
            seats: "0".into(),
            ..WorkshopForm::default()
        };
        let e = form.parse(now).unwrap_err();
        assert!(e.get("date").unwrap().contains("passée"));
        assert!(e.get("seats").is_some());
        let good = WorkshopForm {
            date: "2099-01-07".into(),
            seats: "8".into(),
            ..form
        };
        let d = good.parse(now).unwrap();
        // 14:00 in Paris in winter is 13:00 UTC.
        assert_eq!(d.starts_at.format("%H:%M").to_string(), "13:00");
    }
}
