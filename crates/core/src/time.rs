//! The clock: times are stored in UTC (whole seconds) and shown in Europe/Paris.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use chrono_tz::Europe::Paris;

/// Now, in UTC, truncated to the second so both databases store the same value.
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(0)
}

/// A stored UTC time as French readers expect it: `23/11/2026 à 14:05`.
pub fn format_paris(t: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
        .with_timezone(&Paris)
        .format("%d/%m/%Y à %H:%M")
        .to_string()
}

/// A stored UTC time in Europe/Paris.
pub fn to_paris(t: NaiveDateTime) -> NaiveDateTime {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
        .with_timezone(&Paris)
        .naive_local()
}

/// A Europe/Paris wall-clock time (as typed in a form) in UTC; `None` for a time that does not
/// exist (the spring change), the earlier one when it exists twice.
pub fn paris_to_utc(local: NaiveDateTime) -> Option<NaiveDateTime> {
    use chrono::TimeZone;
    Paris
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.with_timezone(&Utc).naive_utc())
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A stored UTC time in words, in Europe/Paris: `mercredi 3 décembre 2026 à 14 h 30`.
pub fn format_paris_long(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    let l = to_paris(t);
    format!(
        "{} à {} h {:02}",
        format_date_long(l.date()),
        l.hour(),
        l.minute()
    )
}

/// A calendar day in words: `mercredi 6 janvier 2027`.
pub fn format_date_long(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {} {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// Today's date in Europe/Paris.
pub fn today_paris() -> chrono::NaiveDate {
    to_paris(now()).date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn paris_time_follows_summer_and_winter_offsets() {
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("valid date");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 10)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .expect("valid date");
        assert_eq!(format_paris(winter), "10/01/2026 à 13:00");
        assert_eq!(format_paris(summer), "10/07/2026 à 14:00");
        assert_eq!(
            format_paris_long(summer),
            "vendredi 10 juillet 2026 à 14 h 00"
        );
        assert_eq!(paris_to_utc(to_paris(summer)), Some(summer));
        let spring_gap = NaiveDate::from_ymd_opt(2026, 3, 29)
            .and_then(|d| d.and_hms_opt(2, 30, 0))
            .expect("valid date");
        assert_eq!(paris_to_utc(spring_gap), None);
    }
}
