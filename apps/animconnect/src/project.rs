//! The centre's pedagogical project (projet pédagogique) as a tree — intentions, general
//! objectives, operational objectives — and how much a planning works on it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::planning::{self, Period};
use crate::schema::{animconnect_objectives as o, animconnect_sheet_objectives as so};

csc_core::coded! {
    /// The level of an objective in the tree.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Level {
        Intention = ("intention", "Intention éducative"),
        General = ("general", "Objectif général"),
        Operational = ("operationnel", "Objectif opérationnel"),
    }
}
csc_db::sql_coded!(Level);

impl Level {
    /// The level a child of this one has.
    pub fn below(self) -> Option<Level> {
        match self {
            Level::Intention => Some(Level::General),
            Level::General => Some(Level::Operational),
            Level::Operational => None,
        }
    }
}

/// One objective of the tree.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = o)]
pub struct Objective {
    pub id: i64,
    pub centre_id: i64,
    pub parent_id: Option<i64>,
    pub level: Level,
    pub title: String,
    pub position: i32,
}

/// The objectives of a centre, in tree order (each followed by its children).
pub fn tree(c: &mut DbConn, centre_id: i64) -> Result<Vec<Objective>, AppError> {
    let all: Vec<Objective> = o::table
        .filter(o::centre_id.eq(centre_id))
        .order((o::position, o::id))
        .select(Objective::as_select())
        .load(c)?;
    let mut out = Vec::with_capacity(all.len());
    fn walk(all: &[Objective], parent: Option<i64>, out: &mut Vec<Objective>) {
        for x in all.iter().filter(|x| x.parent_id == parent) {
            out.push(x.clone());
            walk(all, Some(x.id), out);
        }
    }
    walk(&all, None, &mut out);
    Ok(out)
}

/// Why an objective cannot be added.
pub fn add(
    c: &mut DbConn,
    centre_id: i64,
    parent: Option<i64>,
    title: &str,
) -> Result<Result<i64, String>, AppError> {
    let level = match parent {
        None => Level::Intention,
        Some(p) => {
            let parent: Option<Objective> = o::table
                .filter(o::id.eq(p).and(o::centre_id.eq(centre_id)))
                .select(Objective::as_select())
                .first(c)
                .optional()?;
            match parent.and_then(|p| p.level.below()) {
                Some(l) => l,
                None => {
                    return Ok(Err(
                        "Un objectif opérationnel n'a pas de sous-objectif : choisissez une intention ou un objectif général.".into(),
                    ))
                }
            }
        }
    };
    let position: i64 = o::table
        .filter(o::centre_id.eq(centre_id))
        .count()
        .get_result(c)?;
    Ok(Ok(diesel::insert_into(o::table)
        .values((
            o::centre_id.eq(centre_id),
            o::parent_id.eq(parent),
            o::level.eq(level),
            o::title.eq(title),
            o::position.eq(position as i32),
        ))
        .returning(o::id)
        .get_result(c)?))
}

/// Deletes an objective and what hangs below it.
pub fn delete(c: &mut DbConn, centre_id: i64, id: i64) -> Result<(), AppError> {
    csc_db::exactly_one(
        diesel::delete(o::table.filter(o::id.eq(id).and(o::centre_id.eq(centre_id)))).execute(c)?,
    )
}

/// How a planning works on the project.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub sessions: usize,
    pub tagged: usize,
    /// Share of sessions tagged with at least one objective, in whole percent (rounded).
    pub tagged_percent: u32,
    /// Every objective in tree order, with the sessions that work on it (directly or through
    /// one of its sub-objectives) and whether it is never worked on.
    pub rows: Vec<CoverageRow>,
    pub never: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageRow {
    pub objective: Objective,
    pub depth: usize,
    pub direct: usize,
    pub total: usize,
    pub never: bool,
}

/// The coverage of `period` between two days. A session works on its own objectives and on
/// those of its sheet (the centre's ones); a parent objective counts the sessions of its
/// sub-objectives once each.
pub fn coverage(
    c: &mut DbConn,
    period: &Period,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Coverage, AppError> {
    let objectives = tree(c, period.centre_id)?;
    let ids: HashSet<i64> = objectives.iter().map(|x| x.id).collect();
    let cells = planning::cells(c, period.id, from, to, &[])?;
    let sheet_ids: Vec<i64> = cells.iter().filter_map(|x| x.session.sheet_id).collect();
    let sheet_objectives: Vec<(i64, i64)> = so::table
        .filter(so::sheet_id.eq_any(&sheet_ids))
        .select((so::sheet_id, so::objective_id))
        .load(c)?;
    let parents: HashMap<i64, Option<i64>> =
        objectives.iter().map(|x| (x.id, x.parent_id)).collect();
    let mut direct: HashMap<i64, usize> = HashMap::new();
    let mut total: HashMap<i64, usize> = HashMap::new();
    let mut tagged = 0;
    for cell in &cells {
        let mut own: HashSet<i64> = cell
            .objectives
            .iter()
            .copied()
            .filter(|x| ids.contains(x))
            .collect();
        if let Some(sheet) = cell.session.sheet_id {
            own.extend(
                sheet_objectives
                    .iter()
                    .filter(|(s, x)| *s == sheet && ids.contains(x))
                    .map(|(_, x)| *x),
            );
        }
        if !own.is_empty() {
            tagged += 1;
        }
        let mut reached: HashSet<i64> = HashSet::new();
        for x in &own {
            *direct.entry(*x).or_default() += 1;
            let mut cur = Some(*x);
            while let Some(id) = cur {
                reached.insert(id);
                cur = parents.get(&id).copied().flatten();
            }
        }
        for x in reached {
            *total.entry(x).or_default() += 1;
        }
    }
    let depth_of = |mut id: i64| {
        let mut d = 0;
        while let Some(Some(p)) = parents.get(&id) {
            d += 1;
            id = *p;
        }
        d
    };
    let rows: Vec<CoverageRow> = objectives
        .into_iter()
        .map(|objective| {
            let t = total.get(&objective.id).copied().unwrap_or(0);
            CoverageRow {
                depth: depth_of(objective.id),
                direct: direct.get(&objective.id).copied().unwrap_or(0),
                total: t,
                never: t == 0,
                objective,
            }
        })
        .collect();
    let sessions = cells.len();
    Ok(Coverage {
        sessions,
        tagged,
        tagged_percent: (tagged * 100 + sessions / 2)
            .checked_div(sessions)
            .map_or(0, |p| p as u32),
        never: rows.iter().filter(|r| r.never).count(),
        rows,
    })
}
