//! Prices of the days chosen, from the centre's grid, explained in French.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use csc_members::Household;
use csc_pricing::{Grid, Query, Unit};
use csc_web::FieldErrors;
use serde::Serialize;

use super::{Candidate, Choice, Line};
use crate::activities::Activity;

/// A priced day.
#[derive(Debug, Clone, Serialize)]
pub struct PricedLine {
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: Unit,
    pub price_cents: i64,
    pub band: String,
    pub explanation: String,
}

/// What one child costs, explained.
#[derive(Debug, Clone, Serialize)]
pub struct ChildPrice {
    pub first_name: String,
    /// One line per unit: `3 × la journée : QF 825 -> tranche 801–900 -> 12,40 € …`.
    pub explanations: Vec<String>,
    pub total: String,
}

/// A priced request, before it is sent.
#[derive(Debug, Clone, Serialize)]
pub struct Priced {
    pub lines: Vec<PricedLine>,
    pub children: Vec<ChildPrice>,
    pub total_cents: i64,
    pub total: String,
}

/// Euros as French readers write them: `1 234,50 €`.
pub fn euros(cents: i64) -> String {
    csc_pricing::Cents(cents).to_string()
}

/// A sum of prices, checked: an overflow (never with a checked grid, whose amounts are bounded)
/// is a message on the form, not a crash.
fn add_cents(a: i64, b: i64) -> Result<i64, FieldErrors> {
    a.checked_add(b).ok_or_else(|| {
        let mut e = FieldErrors::new();
        e.add(
            "choices",
            "Le total de ces jours est trop grand pour être calculé : choisissez moins de jours et prévenez le centre.",
        );
        e
    })
}

/// Prices every choice with the grid: rank of each child among the children of the request
/// (eldest first), the family's QF, resident or not, age on the first day.
pub fn price(
    grid: &Grid,
    household: &Household,
    activity: &Activity,
    candidates: &[Candidate],
    choices: &[Choice],
) -> Result<Priced, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut kids: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| choices.iter().any(|ch| ch.child_id == c.child.id))
        .collect();
    kids.sort_by_key(|c| (c.child.birth_date, c.child.id));
    let mut lines = Vec::new();
    let mut children = Vec::new();
    let mut total = 0i64;
    for (i, cand) in kids.iter().enumerate() {
        let mut per_unit: BTreeMap<&'static str, (u32, String, i64)> = BTreeMap::new();
        let mut child_total = 0i64;
        for ch in choices.iter().filter(|c| c.child_id == cand.child.id) {
            let query = query_for(household, activity, cand.age, i + 1, kids.len(), ch.unit);
            match grid.price(&query) {
                Ok(q) => {
                    let cents = q.unit_price.0;
                    let entry = per_unit.entry(ch.unit.label()).or_insert((
                        0,
                        q.explanation.summary.clone(),
                        cents,
                    ));
                    entry.0 += 1;
                    child_total = add_cents(child_total, cents)?;
                    lines.push(PricedLine {
                        child_id: ch.child_id,
                        group_id: ch.group_id,
                        day: ch.day,
                        unit: ch.unit,
                        price_cents: cents,
                        band: q.band.unwrap_or_default(),
                        explanation: q.explanation.summary,
                    });
                }
                Err(err) => e.add(&format!("child_{}", cand.child.id), err.to_string()),
            }
        }
        total = add_cents(total, child_total)?;
        children.push(ChildPrice {
            first_name: cand.child.first_name.clone(),
            explanations: per_unit
                .into_iter()
                .map(|(label, (n, summary, cents))| {
                    format!("{n} × {label} à {} : {summary}", euros(cents))
                })
                .collect(),
            total: euros(child_total),
        });
    }
    if e.is_empty() {
        Ok(Priced {
            lines,
            children,
            total_cents: total,
            total: euros(total),
        })
    } else {
        Err(e)
    }
}

/// What the grid is asked for one day of one child: the family's QF, resident or not, the
/// child's rank among the children of the request (eldest first) and age on the first day.
fn query_for(
    household: &Household,
    activity: &Activity,
    age: Option<u8>,
    rank: usize,
    registered: usize,
    unit: Unit,
) -> Query {
    Query {
        rank: u8::try_from(rank).unwrap_or(u8::MAX),
        resident: activity.is_resident(&household.postcode),
        children_registered: u8::try_from(registered).unwrap_or(u8::MAX),
        age,
        ..Query::new(unit, household.qf())
    }
}

/// Prices one day of a request again, as when it was sent: the child's rank among the children
/// of the request, the family's QF, resident or not, age on the first day.
pub fn reprice(
    grid: &Grid,
    household: &Household,
    activity: &Activity,
    candidates: &[Candidate],
    lines: &[Line],
    line_id: i64,
    unit: Unit,
) -> Result<csc_pricing::Quote, String> {
    let line = lines
        .iter()
        .find(|x| x.id == line_id && x.state != super::DayState::Cancelled)
        .ok_or_else(|| "Ce jour n'est plus dans la demande.".to_string())?;
    if !activity.units().contains(&unit) {
        return Err("Cette formule n'est pas proposée pour cette activité.".into());
    }
    let mut kids: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| {
            lines
                .iter()
                .any(|x| x.child_id == c.child.id && x.state != super::DayState::Cancelled)
        })
        .collect();
    kids.sort_by_key(|c| (c.child.birth_date, c.child.id));
    let rank = kids
        .iter()
        .position(|c| c.child.id == line.child_id)
        .ok_or_else(|| "Cet enfant n'est plus dans le foyer.".to_string())?;
    let query = query_for(
        household,
        activity,
        kids[rank].age,
        rank + 1,
        kids.len(),
        unit,
    );
    grid.price(&query).map_err(|e| e.to_string())
}
