//! The French calendar the services share: public holidays of metropolitan France, computed
//! from the date of Easter, and the school holidays of zone B (académie de Lille), shipped as
//! data in `data/vacances-zone-b.csv` (source and licence in its header; rebuilt by
//! `scripts/data/school-holidays.py`).

use std::ops::RangeInclusive;
use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Easter Sunday of a Gregorian year (the anonymous Gregorian computus, « Meeus/Jones/Butcher »).
pub fn easter(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(year, month as u32, day as u32)
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    // Only called with days that exist (fixed holidays, the computus' March/April days).
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// The eleven public holidays of metropolitan France in `year`, in date order, with their names.
pub fn public_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter(year);
    let after = |n: u64| easter.checked_add_days(Days::new(n)).unwrap_or(easter);
    let mut days = vec![
        (date(year, 1, 1), "1er janvier"),
        (after(1), "Lundi de Pâques"),
        (date(year, 5, 1), "1er mai"),
        (date(year, 5, 8), "8 mai"),
        (after(39), "Ascension"),
        (after(50), "Lundi de Pentecôte"),
        (date(year, 7, 14), "14 juillet"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "11 novembre"),
        (date(year, 12, 25), "Jour de Noël"),
    ];
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The name of the public holiday on `day`, if it is one.
pub fn public_holiday(day: NaiveDate) -> Option<&'static str> {
    public_holidays(day.year())
        .into_iter()
        .find(|(d, _)| *d == day)
        .map(|(_, name)| name)
}

/// True on a public holiday.
pub fn is_public_holiday(day: NaiveDate) -> bool {
    public_holiday(day).is_some()
}

/// A span of school holidays of zone B: its days run from `first` to `last`, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolHoliday {
    pub name: &'static str,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The summer holidays (« grandes vacances »), as opposed to the short ones.
    pub summer: bool,
}

static DATA: &str = include_str!("../data/vacances-zone-b.csv");

static SCHOOL_HOLIDAYS: LazyLock<Vec<SchoolHoliday>> = LazyLock::new(|| parse(DATA));

fn parse(data: &'static str) -> Vec<SchoolHoliday> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1) // the header
        .filter_map(|line| {
            let mut fields = line.splitn(3, ',');
            let first = fields.next()?.parse().ok()?;
            let last = fields.next()?.parse().ok()?;
            let name = fields.next()?.trim();
            Some(SchoolHoliday {
                name,
                first,
                last,
                summer: name == "Vacances d'été",
            })
        })
        .collect()
}

/// Every span of school holidays known, in date order.
pub fn school_holidays() -> &'static [SchoolHoliday] {
    &SCHOOL_HOLIDAYS
}

/// The school holidays of zone B that `day` falls in, if any.
pub fn school_holiday(day: NaiveDate) -> Option<&'static SchoolHoliday> {
    let spans = school_holidays();
    // The spans are sorted and disjoint: the last one starting on or before `day`.
    let i = spans.partition_point(|s| s.first <= day);
    spans[..i].last().filter(|s| day <= s.last)
}

/// The days the school-holiday data covers: from the first day of its first span to the last
/// day of its last one. Outside, `school_holiday` answers `None` for want of data, not because
/// school is on: callers that must know say so (`knows_school_holidays`).
pub fn school_data_range() -> RangeInclusive<NaiveDate> {
    let spans = school_holidays();
    let first = spans.first().map_or(NaiveDate::MIN, |s| s.first);
    let last = spans.last().map_or(NaiveDate::MIN, |s| s.last);
    first..=last
}

/// True when the shipped data tells whether `day` is a school holiday.
pub fn knows_school_holidays(day: NaiveDate) -> bool {
    school_data_range().contains(&day)
}

/// True when children have no school on `day` in the usual week of the Lille metropolis:
/// Sundays, Saturdays, Wednesdays, public holidays and school holidays.
pub fn no_school(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun | Weekday::Wed)
        || is_public_holiday(day)
        || school_holiday(day).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn public_holidays_match_an_independent_list_from_2000_to_2050() {
        let expected: Vec<(NaiveDate, String)> = include_str!("../tests/jours-feries.csv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let (day, name) = l.split_once(',').expect("date,name");
                (d(day), name.to_string())
            })
            .collect();
        assert_eq!(expected.len(), 51 * 11);
        let computed: Vec<(NaiveDate, String)> = (2000..=2050)
            .flat_map(public_holidays)
            .map(|(day, name)| (day, name.to_string()))
            .collect();
        assert_eq!(computed, expected);
    }

    #[test]
    fn a_public_holiday_is_found_by_its_day() {
        assert_eq!(public_holiday(d("2026-05-14")), Some("Ascension"));
        assert_eq!(public_holiday(d("2026-11-11")), Some("11 novembre"));
        assert!(!is_public_holiday(d("2026-11-12")));
        assert_eq!(easter(2027), d("2027-03-28"));
    }

    #[test]
    fn school_holidays_of_zone_b_by_day_edges_included() {
        // Vacances d'hiver 2026: Saturday 14 February to Sunday 1 March.
        assert!(school_holiday(d("2026-02-13")).is_none());
        let winter = school_holiday(d("2026-02-14")).expect("first day");
        assert_eq!(winter.name, "Vacances d'hiver");
        assert!(!winter.summer);
        assert_eq!(school_holiday(d("2026-03-01")), Some(winter));
        assert!(school_holiday(d("2026-03-02")).is_none());
        let summer = school_holiday(d("2025-07-15")).expect("summer");
        assert!(summer.summer);
        assert_eq!(
            school_holiday(d("2027-05-07")).map(|s| s.name),
            Some("Pont de l'Ascension")
        );
    }

    #[test]
    fn the_data_covers_the_school_years_2023_2024_to_2027_2028() {
        let range = school_data_range();
        assert!(range.contains(&d("2023-09-01")));
        assert!(range.contains(&d("2028-08-31")));
        assert!(!knows_school_holidays(d("2030-01-01")));
        let spans = school_holidays();
        assert!(spans.windows(2).all(|w| w[0].last < w[1].first));
        assert!(spans.iter().all(|s| s.first <= s.last));
    }

    #[test]
    fn days_without_school() {
        assert!(no_school(d("2026-03-11"))); // a Wednesday
        assert!(!no_school(d("2026-03-12"))); // a Thursday in term
        assert!(no_school(d("2026-05-14"))); // Ascension
        assert!(no_school(d("2026-04-14"))); // spring holidays
    }
}
