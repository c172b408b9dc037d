//! The agenda: events and workshops of the network's places, published by the coordinator,
//! and their iCal feeds (RFC 5545) per territory, commune and place.

use chrono::{Days, NaiveDate, NaiveDateTime};
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::boussole_events as e;

csc_core::coded! {
    /// Where an event stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum EventStatus {
        Proposed = ("propose", "En attente de validation"),
        Published = ("publie", "Publié"),
        Refused = ("refuse", "Refusé"),
    }
}
csc_db::sql_coded!(EventStatus);

/// An event as stored (times in UTC).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = e)]
pub struct Event {
    pub id: i64,
    pub place_id: Option<i64>,
    pub commune_code: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub weekly_count: i32,
    pub exdates: String,
    pub age_min: i32,
    pub age_max: i32,
    pub free: bool,
    pub registration: String,
    pub status: EventStatus,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A checked event to add (times in UTC).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = e)]
pub struct EventData {
    pub place_id: Option<i64>,
    pub commune_code: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub weekly_count: i32,
    pub exdates: String,
    pub age_min: i32,
    pub age_max: i32,
    pub free: bool,
    pub registration: String,
}

impl EventData {
    /// The French reasons it cannot be saved.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.trim().is_empty() {
            out.push("Le titre est vide.".to_string());
        }
        if self.ends_at <= self.starts_at {
            out.push("La fin de l'événement est avant son début (ou à la même heure).".to_string());
        }
        if !(1..=52).contains(&self.weekly_count) {
            out.push("Une répétition chaque semaine compte de 1 à 52 fois.".to_string());
        }
        if self.age_min > self.age_max {
            out.push("L'âge minimum est au-dessus de l'âge maximum.".to_string());
        }
        out
    }
}

/// Adds an event (published when the coordinator adds it, proposed otherwise).
pub fn create(conn: &mut DbConn, data: &EventData, status: EventStatus) -> Result<i64, AppError> {
    let problems = data.problems();
    if !problems.is_empty() {
        return Err(AppError::BadRequest(problems.join(" ")));
    }
    let now = time::now();
    Ok(diesel::insert_into(e::table)
        .values((
            data,
            e::status.eq(status),
            e::created_at.eq(now),
            e::updated_at.eq(now),
        ))
        .returning(e::id)
        .get_result(conn)?)
}

/// Which feed.
#[derive(Debug, Clone)]
pub enum Scope {
    Territory,
    Commune(String),
    Place(i64),
}

/// The published events of a scope whose last occurrence has not ended before `since` (UTC).
pub fn published(
    conn: &mut DbConn,
    scope: &Scope,
    since: NaiveDateTime,
) -> QueryResult<Vec<Event>> {
    let mut q = e::table
        .filter(e::status.eq(EventStatus::Published))
        // The last occurrence ends at most 52 weeks after the first.
        .filter(e::ends_at.ge(since - chrono::Duration::weeks(52)))
        .order((e::starts_at, e::id))
        .select(Event::as_select())
        .into_boxed();
    match scope {
        Scope::Territory => {}
        Scope::Commune(code) => q = q.filter(e::commune_code.eq(code.clone())),
        Scope::Place(id) => q = q.filter(e::place_id.eq(*id)),
    }
    Ok(q.load(conn)?
        .into_iter()
        .filter(|ev| ev.last_end() >= since)
        .collect())
}

impl Event {
    /// The end of its last occurrence (UTC).
    pub fn last_end(&self) -> NaiveDateTime {
        self.ends_at + chrono::Duration::weeks(i64::from(self.weekly_count.max(1) - 1))
    }

    /// The local days left out of the recurrence.
    pub fn excluded(&self) -> Vec<NaiveDate> {
        self.exdates
            .split_whitespace()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect()
    }

    /// Its occurrences' local starts (Paris), exceptions removed.
    pub fn occurrences(&self) -> Vec<NaiveDateTime> {
        let first = time::to_paris(self.starts_at);
        let excluded = self.excluded();
        (0..self.weekly_count.max(1) as u64)
            .filter_map(|w| first.date().checked_add_days(Days::new(7 * w)))
            .filter(|d| !excluded.contains(d))
            .map(|d| d.and_time(first.time()))
            .collect()
    }
}

pub mod ical {
    //! RFC 5545 text: CRLF lines folded at 75 octets, escaped text, local times with the
    //! Europe/Paris VTIMEZONE, weekly RRULE and EXDATE.

    use super::Event;
    use csc_core::time;

    const VTIMEZONE: &str = "BEGIN:VTIMEZONE\nTZID:Europe/Paris\nBEGIN:DAYLIGHT\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nDTSTART:19700329T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\nEND:DAYLIGHT\nBEGIN:STANDARD\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nDTSTART:19701025T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\nEND:STANDARD\nEND:VTIMEZONE";

    /// A TEXT value escaped (backslash, semicolon, comma, newline).
    pub fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// One content line, folded so that no line is longer than 75 octets (never inside a
    /// UTF-8 character), each line ended by CRLF.
    pub fn fold(line: &str, out: &mut String) {
        let mut width = 0;
        for c in line.chars() {
            let n = c.len_utf8();
            if width + n > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += n;
        }
        out.push_str("\r\n");
    }

    fn local(t: chrono::NaiveDateTime) -> String {
        time::to_paris(t).format("%Y%m%dT%H%M%S").to_string()
    }

    /// The calendar of `events`; `base` is the site's address (UIDs and links).
    pub fn calendar(name: &str, events: &[Event], base: &str) -> String {
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or(base)
            .split(['/', ':'])
            .next()
            .unwrap_or("localhost");
        let mut lines: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "VERSION:2.0".into(),
            "PRODID:-//Centres Sociaux Connectes//Boussole des parents//FR".into(),
            "CALSCALE:GREGORIAN".into(),
            "METHOD:PUBLISH".into(),
            format!("X-WR-CALNAME:{}", escape(name)),
            "X-WR-TIMEZONE:Europe/Paris".into(),
        ];
        lines.extend(VTIMEZONE.lines().map(String::from));
        for ev in events {
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:boussole-evenement-{}@{host}", ev.id));
            lines.push(format!(
                "DTSTAMP:{}Z",
                ev.updated_at.format("%Y%m%dT%H%M%S")
            ));
            lines.push(format!("DTSTART;TZID=Europe/Paris:{}", local(ev.starts_at)));
            lines.push(format!("DTEND;TZID=Europe/Paris:{}", local(ev.ends_at)));
            if ev.weekly_count > 1 {
                lines.push(format!("RRULE:FREQ=WEEKLY;COUNT={}", ev.weekly_count));
                let start_time = time::to_paris(ev.starts_at).time();
                let ex: Vec<String> = ev
                    .excluded()
                    .iter()
                    .map(|d| d.and_time(start_time).format("%Y%m%dT%H%M%S").to_string())
                    .collect();
                if !ex.is_empty() {
                    lines.push(format!("EXDATE;TZID=Europe/Paris:{}", ex.join(",")));
                }
            }
            lines.push(format!("SUMMARY:{}", escape(&ev.title)));
            let mut description = ev.description.clone();
            let ages = if ev.age_min < 0 {
                format!("De la grossesse à {} ans", ev.age_max)
            } else {
                format!("De {} à {} ans", ev.age_min, ev.age_max)
            };
            description = format!(
                "{description}{}{ages}, {}.{}",
                if description.is_empty() { "" } else { "\n" },
                if ev.free { "gratuit" } else { "payant" },
                if ev.registration.is_empty() {
                    String::new()
                } else {
                    format!("\nInscription : {}", ev.registration)
                }
            );
            lines.push(format!("DESCRIPTION:{}", escape(&description)));
            if !ev.location.is_empty() {
                lines.push(format!("LOCATION:{}", escape(&ev.location)));
            }
            if let Some(place) = ev.place_id {
                lines.push(format!("URL:{base}{}/lieux/{place}", crate::MOUNT));
            }
            lines.push("END:VEVENT".into());
        }
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for l in &lines {
            fold(l, &mut out);
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn escaping_and_folding() {
            assert_eq!(escape("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
            let mut out = String::new();
            fold(&format!("DESCRIPTION:{}", "é".repeat(60)), &mut out);
            for line in out.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(line.len() <= 75, "{} octets", line.len());
            }
            assert_eq!(
                out.replace("\r\n ", ""),
                format!("DESCRIPTION:{}\r\n", "é".repeat(60))
            );
        }
    }
}
