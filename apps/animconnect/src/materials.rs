//! The material list of a week: every planned session's sheet materials, summed by article and
//! unit across groups, with the sessions that need each item.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::planning::{self, Period};
use crate::schema::animconnect_sheet_materials as m;
use crate::sheets::fold;

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub article: String,
    pub unit: String,
    pub quantity: i64,
    /// « mercredi 12 mars 2025, Matin — Le relais (Maternelles) »
    pub sessions: Vec<String>,
}

/// The list for the week of `monday`; articles are the same when they read the same without
/// case and accents, with the same unit. `group_names` names each group id.
pub fn week(
    c: &mut DbConn,
    period: &Period,
    monday: NaiveDate,
    group_names: &BTreeMap<i64, String>,
) -> Result<Vec<Line>, AppError> {
    let monday = planning::monday_of(monday);
    let cells = planning::cells(c, period.id, monday, monday + Days::new(6), &[])?;
    let slots = planning::slots(c, period.id)?;
    let sheet_ids: Vec<i64> = cells.iter().filter_map(|x| x.session.sheet_id).collect();
    let mats: Vec<(i64, String, i32, String)> = m::table
        .filter(m::sheet_id.eq_any(&sheet_ids))
        .order((m::sheet_id, m::position))
        .select((m::sheet_id, m::article, m::quantity, m::unit))
        .load(c)?;
    let mut lines: BTreeMap<(String, String), Line> = BTreeMap::new();
    for cell in &cells {
        let Some(sheet) = cell.session.sheet_id else {
            continue;
        };
        let slot = slots
            .iter()
            .find(|s| s.id == cell.session.slot_id)
            .map_or(String::new(), |s| s.label.clone());
        let what = format!(
            "{}, {} — {} ({})",
            csc_core::time::format_date_long(cell.session.day),
            slot,
            cell.label(),
            group_names
                .get(&cell.session.group_id)
                .map_or("", String::as_str)
        );
        for (_, article, quantity, unit) in mats.iter().filter(|x| x.0 == sheet) {
            let key = (fold(article.trim()), fold(unit.trim()));
            let line = lines.entry(key).or_insert_with(|| Line {
                article: article.trim().to_string(),
                unit: unit.trim().to_string(),
                quantity: 0,
                sessions: Vec::new(),
            });
            line.quantity += i64::from(*quantity);
            line.sessions.push(what.clone());
        }
    }
    Ok(lines.into_values().collect())
}
