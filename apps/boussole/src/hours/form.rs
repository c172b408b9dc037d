//! The form that writes opening hours: each weekday with up to two ranges, and whether the
//! place closes on public holidays. Nobody types the OSM syntax.

use std::collections::HashMap;

use serde::Serialize;

use super::{OpeningHours, WeekHours, JOURS};

/// One weekday's row as the form shows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DayRow {
    pub index: usize,
    pub name: &'static str,
    pub a_start: String,
    pub a_end: String,
    pub b_start: String,
    pub b_end: String,
}

/// The form's rows from stored hours (empty rows when the value says more than the form can).
pub fn rows_of(stored: &str) -> (Vec<DayRow>, bool) {
    let week = OpeningHours::parse(stored)
        .ok()
        .and_then(|h| h.as_week())
        .unwrap_or_default();
    let t = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
    let rows = (0..7)
        .map(|i| {
            let d = &week.days[i];
            let at = |k: usize| d.get(k).copied();
            DayRow {
                index: i,
                name: JOURS[i],
                a_start: at(0).map(|r| t(r.0)).unwrap_or_default(),
                a_end: at(0).map(|r| t(r.1)).unwrap_or_default(),
                b_start: at(1).map(|r| t(r.0)).unwrap_or_default(),
                b_end: at(1).map(|r| t(r.1)).unwrap_or_default(),
            }
        })
        .collect();
    (rows, week.holidays_closed)
}

/// `9:00`, `09:00`, `9h`, `9h30`, `9 h 30` -> minutes.
fn minutes(text: &str) -> Option<u16> {
    let t = text.to_lowercase().replace(' ', "").replace('h', ":");
    let (h, m) = t.split_once(':').unwrap_or((&t, "00"));
    let m = if m.is_empty() { "00" } else { m };
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// The form as posted.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The rows to show again.
    pub rows: Vec<DayRow>,
    pub holidays_closed: bool,
    /// The OSM value, or the errors (field, message).
    pub osm: Result<String, Vec<(String, String)>>,
}

/// Reads the posted form.
pub fn read(form: &HashMap<String, String>) -> Posted {
    let get = |k: String| {
        form.get(&k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut week = WeekHours {
        holidays_closed: form.get("feries").is_some_and(|v| v == "ferme"),
        ..WeekHours::default()
    };
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    for (i, name) in JOURS.iter().enumerate() {
        let row = DayRow {
            index: i,
            name,
            a_start: get(format!("j{i}_a_debut")),
            a_end: get(format!("j{i}_a_fin")),
            b_start: get(format!("j{i}_b_debut")),
            b_end: get(format!("j{i}_b_fin")),
        };
        let mut previous_end = 0;
        for (part, start, end) in [
            ("a", &row.a_start, &row.a_end),
            ("b", &row.b_start, &row.b_end),
        ] {
            if start.is_empty() && end.is_empty() {
                continue;
            }
            let field = format!("j{i}_{part}_debut");
            let which = if part == "a" { "première" } else { "seconde" };
            match (minutes(start), minutes(end)) {
                (Some(s), Some(e)) if s < e && s >= previous_end => {
                    week.days[i].push((s, e));
                    previous_end = e;
                }
                (Some(s), Some(e)) if s < e => errors.push((field, format!("{name} : la {which} plage doit commencer après la fin de la première."))),
                (Some(_), Some(_)) => errors.push((field, format!("{name} : la {which} plage doit finir après son début."))),
                _ => errors.push((field, format!("{name} : indiquez le début et la fin de la {which} plage, par exemple 09:00 et 12:00."))),
            }
        }
        rows.push(row);
    }
    Posted {
        holidays_closed: week.holidays_closed,
        osm: if errors.is_empty() {
            Ok(week.to_osm())
        } else {
            Err(errors)
        },
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_writes_split_days_and_holidays() {
        let mut f = HashMap::new();
        for i in 0..5 {
            f.insert(format!("j{i}_a_debut"), "9h".to_string());
            f.insert(format!("j{i}_a_fin"), "12:00".to_string());
            f.insert(format!("j{i}_b_debut"), "14 h".to_string());
            f.insert(format!("j{i}_b_fin"), "17h30".to_string());
        }
        f.insert("j5_a_debut".into(), "09:00".into());
        f.insert("j5_a_fin".into(), "12:00".into());
        f.insert("feries".into(), "ferme".into());
        let osm = read(&f).osm;
        assert_eq!(
            osm.unwrap(),
            "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off"
        );
        let (rows, closed) = rows_of("Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00; PH off");
        assert!(closed);
        assert_eq!(
            (rows[4].b_start.as_str(), rows[4].b_end.as_str()),
            ("14:00", "17:30")
        );
        assert_eq!(rows[6].a_start, "");
    }

    #[test]
    fn bad_ranges_are_named() {
        let mut f = HashMap::new();
        f.insert("j0_a_debut".to_string(), "12:00".to_string());
        f.insert("j0_a_fin".to_string(), "09:00".to_string());
        f.insert("j1_a_debut".to_string(), "midi".to_string());
        f.insert("j2_a_debut".to_string(), "09:00".to_string());
        f.insert("j2_a_fin".to_string(), "12:00".to_string());
        f.insert("j2_b_debut".to_string(), "11:00".to_string());
        f.insert("j2_b_fin".to_string(), "13:00".to_string());
        let errors = read(&f).osm.unwrap_err();
        assert_eq!(errors.len(), 3);
        assert!(errors[0]
            .1
            .contains("lundi : la première plage doit finir après son début"));
        assert!(errors[1].1.starts_with("mardi : indiquez"));
        assert!(errors[2].1.contains("après la fin de la première"));
    }
}
