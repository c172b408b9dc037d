//! The administrators' exports: every registered day of a period (children, ages, groups, QF
//! bands, days, prices) and the totals per family, as `.xlsx` and CSV.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use csc_db::DbConn;
use csc_documents::{Cell, Sheet};
use csc_members::household::{self, Child};
use csc_pricing::{age_on, Unit};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::requests::{lines_of, DayState, Line};
use crate::schema::preinscription_requests as r;

/// The export's filters, as the form sends them (`du`, `au`: dates, both optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Period {
    #[serde(default)]
    pub du: String,
    #[serde(default)]
    pub au: String,
}

impl Period {
    /// The first and last days (none: unbounded); an error message for a bad date.
    pub fn parse(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
        let one = |s: &str, what: &str| {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                csc_members::form::parse_date(s)
                    .map(Some)
                    .ok_or_else(|| format!("La date {what} n'est pas valide (jj/mm/aaaa)."))
            }
        };
        let from = one(&self.du, "de début")?;
        let to = one(&self.au, "de fin")?;
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                return Err("La date de fin est avant la date de début.".into());
            }
        }
        Ok((from, to))
    }
}

/// The two sheets: « Jours » (one row per registered day) and « Familles » (totals).
pub fn sheets(
    conn: &mut DbConn,
    centre_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> QueryResult<Vec<Sheet>> {
    let requests: Vec<(i64, i64, i64)> = r::table
        .filter(r::centre_id.eq(centre_id))
        .select((r::id, r::household_id, r::activity_id))
        .load(conn)?;
    let ids: Vec<i64> = requests.iter().map(|x| x.0).collect();
    let activities = csc_activities::of_centre(conn, centre_id)?;
    let mut groups = Vec::new();
    for a in &activities {
        groups.extend(csc_activities::groups(conn, a.id)?);
    }
    let mut rows: Vec<(Line, i64, String, String)> = lines_of(conn, &ids)?
        .into_iter()
        .filter(|x| x.state != DayState::Cancelled)
        .filter(|x| from.is_none_or(|f| x.day >= f) && to.is_none_or(|t| x.day <= t))
        .filter_map(|x| {
            let (_, household, activity) = requests.iter().find(|r| r.0 == x.request_id)?;
            let title = activities.iter().find(|a| a.id == *activity)?.title.clone();
            let group = groups.iter().find(|g| g.id == x.group_id)?.label.clone();
            Some((x, *household, title, group))
        })
        .collect();
    rows.sort_by_key(|(x, household, _, _)| (x.day, *household, x.child_id));
    let mut families: BTreeMap<i64, Family> = BTreeMap::new();
    for (_, hid, _, _) in &rows {
        if !families.contains_key(hid) {
            families.insert(*hid, Family::load(conn, *hid)?);
        }
    }
    let mut days = Vec::with_capacity(rows.len());
    for (line, hid, activity, group) in &rows {
        let fam = &families[hid];
        let child = fam.children.iter().find(|c| c.id == line.child_id);
        days.push(vec![
            Cell::Int(line.request_id),
            Cell::Text(fam.name.clone()),
            Cell::Text(child.map(|c| c.last_name.clone()).unwrap_or_default()),
            Cell::Text(child.map(|c| c.first_name.clone()).unwrap_or_default()),
            child.map_or(Cell::Empty, |c| Cell::Date(c.birth_date)),
            child
                .and_then(|c| age_on(c.birth_date, line.day))
                .map_or(Cell::Empty, |a| Cell::Int(i64::from(a))),
            Cell::Text(activity.clone()),
            Cell::Text(group.clone()),
            fam.qf.map_or(Cell::Empty, |q| Cell::Int(i64::from(q))),
            Cell::Text(line.band.clone()),
            Cell::Date(line.day),
            Cell::Text(Unit::parse(&line.unit).map_or("", Unit::label).to_string()),
            Cell::Text(line.state.label().to_string()),
            Cell::Money(line.price_cents),
        ]);
    }
    let mut totals = Vec::new();
    for (hid, fam) in &families {
        let mine: Vec<&Line> = rows
            .iter()
            .filter(|(_, h, _, _)| h == hid)
            .map(|(line, _, _, _)| line)
            .collect();
        let placed: Vec<&&Line> = mine
            .iter()
            .filter(|x| x.state == crate::requests::DayState::Placed)
            .collect();
        totals.push(vec![
            Cell::Text(fam.name.clone()),
            Cell::Text(fam.email.clone()),
            Cell::Text(fam.phone.clone()),
            Cell::Text(fam.town.clone()),
            fam.qf.map_or(Cell::Empty, |q| Cell::Int(i64::from(q))),
            Cell::Int(i64::try_from(fam.children.len()).unwrap_or(0)),
            Cell::Int(i64::try_from(placed.len()).unwrap_or(0)),
            Cell::Int(i64::try_from(mine.len() - placed.len()).unwrap_or(0)),
            Cell::Money(placed.iter().map(|x| x.price_cents).sum()),
        ]);
    }
    let headers = |h: &[&str]| h.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    Ok(vec![
        Sheet {
            name: "Jours".into(),
            headers: headers(&[
                "Demande",
                "Famille",
                "Nom",
                "Prénom",
                "Naissance",
                "Âge",
                "Activité",
                "Groupe",
                "QF",
                "Tranche",
                "Jour",
                "Formule",
                "État",
                "Prix",
            ]),
            rows: days,
        },
        Sheet {
            name: "Familles".into(),
            headers: headers(&[
                "Famille",
                "E-mail",
                "Téléphone",
                "Commune",
                "QF",
                "Enfants",
                "Jours réservés",
                "Jours en attente",
                "Total des jours réservés",
            ]),
            rows: totals,
        },
    ])
}

/// What the export needs of a family.
struct Family {
    name: String,
    email: String,
    phone: String,
    town: String,
    qf: Option<i32>,
    children: Vec<Child>,
}

impl Family {
    fn load(conn: &mut DbConn, household_id: i64) -> QueryResult<Self> {
        let adults = household::adults(conn, household_id)?;
        let first = adults.first();
        let h: (String, Option<i32>) = csc_members::household::town_and_qf(conn, household_id)?;
        Ok(Self {
            name: first
                .map(|a| format!("{} {}", a.last_name, a.first_name))
                .unwrap_or_default(),
            email: first.map(|a| a.email.clone()).unwrap_or_default(),
            phone: first.map(|a| a.phone.clone()).unwrap_or_default(),
            town: h.0,
            qf: h.1,
            children: household::children(conn, household_id)?,
        })
    }
}
