//! Demo data of Check (`csc demo`): a ludothèque with three months of family visits (one
//! session a group) and an ALSH with a month of attendance, written through the importer.

use chrono::{Datelike, Duration, NaiveTime, Weekday};
use csc_core::AppError;
use csc_db::DbConn;

use crate::import::{self, ImportLine};
use crate::model::{AttendanceState, PersonRole};

/// A family of the demo: its name and its members (first name, role, year of birth).
type DemoFamily = (&'static str, &'static [(&'static str, PersonRole, i32)]);

const FAMILIES: [DemoFamily; 6] = [
    (
        "Famille Martin",
        &[
            ("Élodie", PersonRole::Adult, 1988),
            ("Léa", PersonRole::Child, 2021),
            ("Tom", PersonRole::Child, 2017),
        ],
    ),
    (
        "Famille Benali",
        &[
            ("Samira", PersonRole::Adult, 1990),
            ("Yanis", PersonRole::Child, 2023),
        ],
    ),
    (
        "Famille Dupont",
        &[
            ("Marc", PersonRole::Adult, 1985),
            ("Nina", PersonRole::Adult, 1987),
            ("Zoé", PersonRole::Child, 2019),
        ],
    ),
    (
        "Famille Nguyen",
        &[
            ("Linh", PersonRole::Adult, 1992),
            ("Bao", PersonRole::Child, 2014),
        ],
    ),
    (
        "Famille Lefebvre",
        &[
            ("Claire", PersonRole::Adult, 1979),
            ("Hugo", PersonRole::Child, 2011),
        ],
    ),
    (
        "Famille Diallo",
        &[
            ("Awa", PersonRole::Adult, 1995),
            ("Moussa", PersonRole::Child, 2022),
            ("Inès", PersonRole::Child, 2020),
        ],
    ),
];

fn t(h: u32, m: u32) -> Option<NaiveTime> {
    NaiveTime::from_hms_opt(h, m, 0)
}

/// Loads the demo activities when the centre has none of Check's.
pub fn load(conn: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let today = csc_core::time::today_paris();
    if import::find_activity(conn, centre_id, "Ludothèque")?.is_none() {
        let mut lines = Vec::new();
        let mut day = today - Duration::days(91);
        let mut n = 0usize;
        while day < today {
            let session = match day.weekday() {
                Weekday::Wed => Some(("Jeux en famille", false)),
                Weekday::Sat => Some(("Jeux du samedi", false)),
                Weekday::Tue => Some(("Crèche Les Lucioles (groupe)", true)),
                _ => None,
            };
            if let Some((name, group)) = session {
                for (i, (family, people)) in FAMILIES.iter().enumerate() {
                    // Not every family every time; groups bring the crèche's children only.
                    if group && i > 0 || (!group && (n + i).is_multiple_of(3)) {
                        continue;
                    }
                    for (first, role, year) in people.iter() {
                        lines.push(ImportLine {
                            no: lines.len() + 2,
                            day,
                            starts_at: t(14, 0),
                            ends_at: t(17, 30),
                            session: name.into(),
                            family: (*family).into(),
                            last_name: family.trim_start_matches("Famille ").into(),
                            first_name: (*first).into(),
                            birth: chrono::NaiveDate::from_ymd_opt(*year, 1, 1),
                            role: *role,
                            state: AttendanceState::Present,
                        });
                    }
                }
                n += 1;
            }
            day += Duration::days(1);
        }
        import::run(
            conn,
            centre_id,
            "Ludothèque",
            "démonstration",
            &lines,
            vec![],
            true,
        )?;
    }
    if import::find_activity(conn, centre_id, "ALSH Les Castors")?.is_none() {
        let mut lines = Vec::new();
        let mut day = today - Duration::days(30);
        while day < today {
            if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                for (i, (family, people)) in FAMILIES.iter().enumerate() {
                    for (first, role, year) in people.iter() {
                        if *role != PersonRole::Child {
                            continue;
                        }
                        let state = if (day.day() as usize + i).is_multiple_of(11) {
                            AttendanceState::AbsentUnjustified
                        } else if (day.day() as usize + i).is_multiple_of(7) {
                            AttendanceState::AbsentJustified
                        } else {
                            AttendanceState::Present
                        };
                        lines.push(ImportLine {
                            no: lines.len() + 2,
                            day,
                            starts_at: t(8, 30),
                            ends_at: t(17, 30),
                            session: "Journée".into(),
                            family: (*family).into(),
                            last_name: family.trim_start_matches("Famille ").into(),
                            first_name: (*first).into(),
                            birth: chrono::NaiveDate::from_ymd_opt(*year, 1, 1),
                            role: *role,
                            state,
                        });
                    }
                }
            }
            day += Duration::days(1);
        }
        import::run(
            conn,
            centre_id,
            "ALSH Les Castors",
            "démonstration",
            &lines,
            vec![],
            true,
        )?;
    }
    Ok(vec![(
        "Check : appel et rapports".into(),
        format!("{}/equipe/{centre_id}", crate::MOUNT),
    )])
}
