//! What the engine is asked and what it answers: the API a CLI or a web form calls.

use chrono::NaiveDate;
use serde::Serialize;

use crate::money::Cents;
use crate::unit::{Unit, UnknownUnit};

/// What to price: one child, one unit, as a form or the CLI collects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// What is bought.
    pub unit: Unit,
    /// The family's QF in whole euros; `None` when the family gives none.
    pub qf: Option<u32>,
    /// A band chosen by its label (`conditions CCAS`) instead of by QF.
    pub named_band: Option<String>,
    /// The child's rank among the siblings registered, from 1.
    pub rank: u8,
    /// Whether the family lives in the area the grid favours.
    pub resident: bool,
    /// How many children of the family are registered.
    pub children_registered: u8,
    /// The child's age in whole years, for grids with age brackets (see [`age_on`]).
    pub age: Option<u8>,
    /// How many units (days, meals…).
    pub quantity: u32,
}

impl Query {
    /// One unit for a first child, resident, alone: change fields with `..Query::new(…)`.
    pub fn new(unit: Unit, qf: Option<u32>) -> Self {
        Self {
            unit,
            qf,
            named_band: None,
            rank: 1,
            resident: true,
            children_registered: 1,
            age: None,
            quantity: 1,
        }
    }
}

/// A priced query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// What was priced.
    pub unit: Unit,
    /// Price of one unit after every reduction and surcharge.
    pub unit_price: Cents,
    /// How many units.
    pub quantity: u32,
    /// `unit_price × quantity`.
    pub total: Cents,
    /// The QF the price was computed from, if any (a default QF counts).
    pub qf_used: Option<u32>,
    /// The band applied, for band grids.
    pub band: Option<String>,
    /// How the price was found, in French.
    pub explanation: Explanation,
}

/// How a price was found, for the family and the reception staff.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Explanation {
    /// One sentence per step.
    pub steps: Vec<String>,
    /// One line: `QF 825 -> tranche 801–900 -> 12,40 € la journée, 2e enfant -10 % -> 11,16 €`.
    pub summary: String,
}

/// Why a query cannot be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// A unit code no grid knows.
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
    /// The schedule has no price for this unit.
    #[error("Pas de prix pour {unit} dans le barème « {schedule} » (prix disponibles pour : {offered}).")]
    UnitNotOffered {
        /// The unit asked for.
        unit: Unit,
        /// The schedule.
        schedule: String,
        /// Units it prices.
        offered: String,
    },
    /// The grid has age brackets and no age was given.
    #[error("Cette grille dépend de l'âge de l'enfant : indiquez son âge.")]
    AgeRequired,
    /// No bracket for this age.
    #[error(
        "Aucun barème de cette grille ne concerne les enfants de {age} ans (barèmes : {brackets})."
    )]
    AgeOutsideBrackets {
        /// The age given.
        age: u8,
        /// The brackets the grid has.
        brackets: String,
    },
    /// A band label the schedule does not have.
    #[error("La tranche « {band} » n'existe pas dans le barème « {schedule} ».")]
    UnknownBand {
        /// Label asked for.
        band: String,
        /// The schedule.
        schedule: String,
    },
    /// Rank 0.
    #[error("Le rang de l'enfant commence à 1 (1er enfant).")]
    ZeroRank,
    /// Quantity 0.
    #[error("Indiquez une quantité d'au moins 1.")]
    ZeroQuantity,
    /// A grid holding only membership fees.
    #[error("Cette grille ne contient que des adhésions, pas de prix d'activité.")]
    NoSchedule,
    /// No such membership fee.
    #[error("Pas d'{0} dans cette grille.")]
    MembershipNotOffered(&'static str),
}

/// A child's age in whole years on `day`; `None` if born after it.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> Option<u8> {
    day.years_since(birth)
        .and_then(|years| u8::try_from(years).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn age_counts_whole_years_to_the_day() {
        assert_eq!(age_on(date(2015, 7, 14), date(2025, 7, 13)), Some(9));
        assert_eq!(age_on(date(2015, 7, 14), date(2025, 7, 14)), Some(10));
        // Born on 29 February: a year older on 1 March in common years.
        assert_eq!(age_on(date(2016, 2, 29), date(2025, 2, 28)), Some(8));
        assert_eq!(age_on(date(2016, 2, 29), date(2025, 3, 1)), Some(9));
        assert_eq!(age_on(date(2026, 1, 1), date(2025, 7, 14)), None);
    }
}
