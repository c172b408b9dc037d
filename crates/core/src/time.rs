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
    }
}
