//! The choice of days: which children an activity takes, and the form's days checked.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use csc_db::DbConn;
use csc_members::Child;
use csc_pricing::{age_on, Unit};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::activities::{Activity, Group};

/// A child as the choice form sees it: age on the activity's first day and group.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub child: Child,
    pub age: Option<u8>,
    pub group: Option<Group>,
    /// Why the child cannot come, when no group takes them.
    pub refusal: Option<String>,
}

/// The children of a family facing an activity.
pub fn candidates(activity: &Activity, groups: &[Group], children: Vec<Child>) -> Vec<Candidate> {
    let first = activity.days().first().copied();
    let ranges = groups
        .iter()
        .map(|g| format!("{} : {} à {} ans", g.label, g.age_min, g.age_max))
        .collect::<Vec<_>>()
        .join(", ");
    children
        .into_iter()
        .map(|child| {
            let age = first.and_then(|d| age_on(child.birth_date, d));
            let group = age.and_then(|a| groups.iter().find(|g| g.takes(a)).cloned());
            let refusal = match (age, &group) {
                (_, Some(_)) => None,
                (Some(a), None) => Some(format!(
                    "{} aura {a} ans au début de l'activité : cet accueil reçoit les enfants selon leur âge ({ranges}).",
                    child.first_name
                )),
                (None, None) => Some(format!(
                    "{} ne sera pas encore né(e) au début de l'activité.",
                    child.first_name
                )),
            };
            Candidate {
                child,
                age,
                group,
                refusal,
            }
        })
        .collect()
}

/// One chosen day for one child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub child_id: i64,
    pub group_id: i64,
    pub day: NaiveDate,
    pub unit: Unit,
}

/// The choice form: `d_{child id}_{aaaa-mm-jj}` = a unit code, or empty for « pas ce jour ».
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ChoiceForm(pub BTreeMap<String, String>);

/// The field name of a child's day.
pub fn field(child_id: i64, day: NaiveDate) -> String {
    format!("d_{child_id}_{}", day.format("%Y-%m-%d"))
}

impl ChoiceForm {
    /// The days chosen, checked against the activity: days of the activity still to come, units
    /// it offers, children it takes, and days the child is not registered yet (`already`).
    pub fn parse(
        &self,
        activity: &Activity,
        candidates: &[Candidate],
        already: &[(i64, NaiveDate)],
        today: NaiveDate,
    ) -> Result<Vec<Choice>, FieldErrors> {
        let mut e = FieldErrors::new();
        let days = activity.days();
        let units = activity.units();
        let mut choices = Vec::new();
        for (name, value) in &self.0 {
            let value = value.trim();
            let Some(rest) = name.strip_prefix("d_") else {
                continue;
            };
            if value.is_empty() {
                continue;
            }
            let mut parts = rest.splitn(2, '_');
            let child_id = parts.next().and_then(|c| c.parse::<i64>().ok());
            let day = parts
                .next()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let (Some(child_id), Some(day)) = (child_id, day) else {
                e.add(
                    "choices",
                    "Un des jours choisis n'existe pas : rechargez la page.",
                );
                continue;
            };
            let Some(cand) = candidates.iter().find(|c| c.child.id == child_id) else {
                e.add(
                    "choices",
                    "Un des enfants choisis n'est pas dans votre foyer.",
                );
                continue;
            };
            let Some(group) = &cand.group else {
                e.add(
                    &format!("child_{child_id}"),
                    cand.refusal.clone().unwrap_or_default(),
                );
                continue;
            };
            if !days.contains(&day) {
                e.add(name, "Ce jour ne fait pas partie de l'activité.");
                continue;
            }
            if day <= today {
                e.add(
                    name,
                    "Ce jour est déjà passé ou c'est aujourd'hui : choisissez un jour à venir.",
                );
                continue;
            }
            let Some(unit) = Unit::parse(value).ok().filter(|u| units.contains(u)) else {
                e.add(name, "Choisissez une des formules proposées.");
                continue;
            };
            if already.contains(&(child_id, day)) {
                e.add(
                    name,
                    format!("{} est déjà inscrit(e) ce jour-là.", cand.child.first_name),
                );
                continue;
            }
            choices.push(Choice {
                child_id,
                group_id: group.id,
                day,
                unit,
            });
        }
        if choices.is_empty() && e.is_empty() {
            e.add("choices", "Choisissez au moins un jour pour un enfant.");
        }
        if e.is_empty() {
            choices.sort_by_key(|c| (c.group_id, c.day, c.child_id));
            Ok(choices)
        } else {
            Err(e)
        }
    }
}

/// Days each child of the household is already registered to, in any activity of the calendar
/// (registrations not cancelled).
pub fn registered_days(conn: &mut DbConn, child_ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDate)>> {
    use csc_activities::schema::activity_registrations as rg;
    rg::table
        .filter(rg::child_id.eq_any(child_ids))
        .filter(rg::state.ne(csc_activities::RegistrationState::Cancelled))
        .select((rg::child_id, rg::day))
        .load(conn)
}
