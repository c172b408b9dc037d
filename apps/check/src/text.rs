//! How names, dates and times typed by people are read: names compared after trimming,
//! case-folding and removing accents; dates as `2025-01-08` or `08/01/2025`; times as `14:30`,
//! `14h30` or `14 h 30`; a birth as a full date or a year alone.

use chrono::{Datelike, NaiveDate, NaiveTime};

/// A name as it is compared: trimmed, inner spaces collapsed, accents removed, lower case.
pub fn key(s: &str) -> String {
    let plain = deunicode::deunicode(s.trim());
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key of a person: first name and name.
pub fn person_key(first_name: &str, last_name: &str) -> String {
    format!("{}|{}", key(first_name), key(last_name))
}

/// A date written `2025-01-08` or `08/01/2025` (also `8/1/2025`).
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("date manquante".into());
    }
    let parts: Vec<&str> = if s.contains('-') {
        s.split('-').collect()
    } else {
        s.split('/').collect()
    };
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.trim().parse().ok()).collect();
    let (y, m, d) = match (nums, s.contains('-')) {
        (Some(n), true) if n.len() == 3 && parts[0].len() == 4 => (n[0], n[1], n[2]),
        (Some(n), false) if n.len() == 3 && parts[2].len() == 4 => (n[2], n[1], n[0]),
        _ => {
            return Err(format!(
                "date illisible « {s} » : écrivez 2025-01-08 ou 08/01/2025"
            ))
        }
    };
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
        .ok_or_else(|| format!("date impossible « {s} »"))
}

/// A time written `14:30`, `14h30`, `14 h 30`, `14h` or `14:30:00`.
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.to_lowercase();
    let (h, m) = match t.split_once([':', 'h']) {
        Some((h, rest)) => {
            let m = rest.split(':').next().unwrap_or("");
            (
                h.to_string(),
                if m.is_empty() {
                    "0".into()
                } else {
                    m.to_string()
                },
            )
        }
        None => (t.clone(), "0".into()),
    };
    match (h.parse::<u32>(), m.parse::<u32>()) {
        (Ok(h), Ok(m)) => NaiveTime::from_hms_opt(h, m, 0)
            .ok_or_else(|| format!("heure impossible « {} »", s.trim())),
        _ => Err(format!(
            "heure illisible « {} » : écrivez 14:30 ou 14 h 30",
            s.trim()
        )),
    }
}

/// A birth: a full date, or a year alone, read as the 1st of January of that year (so the age
/// on a day is that day's year minus the year of birth: the age reached during the year).
pub fn parse_birth(s: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let day = if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        let y: i32 = s.parse().map_err(|_| format!("année illisible « {s} »"))?;
        NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| format!("année impossible « {s} »"))?
    } else {
        parse_day(s).map_err(|e| format!("naissance : {e}"))?
    };
    if day > today || day.year() < 1900 {
        return Err(format!("naissance impossible « {s} »"));
    }
    Ok(Some(day))
}

/// Age in whole years on `day` (birthday reached).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    #[test]
    fn names_compare_without_case_accents_or_spaces() {
        assert_eq!(key("  Élodie   MARTIN "), "elodie martin");
        assert_eq!(person_key("Léa", "d."), person_key("LEA ", "D."));
    }

    #[test]
    fn both_date_forms_and_impossible_dates() {
        assert_eq!(parse_day("2025-01-08").unwrap(), d(2025, 1, 8));
        assert_eq!(parse_day("08/01/2025").unwrap(), d(2025, 1, 8));
        assert_eq!(parse_day("8/1/2025").unwrap(), d(2025, 1, 8));
        assert!(parse_day("31/02/2025").unwrap_err().contains("impossible"));
        assert!(parse_day("2025/01/08").unwrap_err().contains("illisible"));
        assert!(parse_day("hier").unwrap_err().contains("illisible"));
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("14:30").unwrap(),
            NaiveTime::from_hms_opt(14, 30, 0).unwrap()
        );
        assert_eq!(
            parse_time("14 h 30").unwrap(),
            NaiveTime::from_hms_opt(14, 30, 0).unwrap()
        );
        assert_eq!(
            parse_time("9h").unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        );
        assert!(parse_time("25:00").is_err());
    }

    #[test]
    fn birth_year_reads_as_first_of_january() {
        let today = d(2025, 6, 1);
        assert_eq!(parse_birth("2020", today).unwrap(), Some(d(2020, 1, 1)));
        assert_eq!(parse_birth("", today).unwrap(), None);
        assert!(parse_birth("2030", today).is_err());
        assert_eq!(age_on(d(2020, 1, 1), d(2025, 1, 8)), 5);
        assert_eq!(age_on(d(2019, 3, 10), d(2025, 3, 9)), 5);
        assert_eq!(age_on(d(2019, 3, 10), d(2025, 3, 10)), 6);
    }
}
