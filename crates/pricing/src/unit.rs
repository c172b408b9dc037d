//! What a price is for: a day, a half-day, a meal, a week, a stay…

use std::fmt;

use serde::{Deserialize, Serialize};

/// A unit a grid can price. Its code is what grids and forms use (`journee`, `demi_journee`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A full day (`journee`).
    Journee,
    /// A half-day without meal (`demi_journee`).
    DemiJournee,
    /// A half-day with the meal (`demi_journee_repas`).
    DemiJourneeRepas,
    /// A meal (`repas`).
    Repas,
    /// An hour, for periscolaire grids (`heure`).
    Heure,
    /// A week (`semaine`).
    Semaine,
    /// A whole stay (`sejour`).
    Sejour,
}

/// A unit code that no grid knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unité inconnue « {0} » : les unités possibles sont {list}.", list = Unit::code_list())]
pub struct UnknownUnit(pub String);

impl Unit {
    /// Every unit, in the order forms list them.
    pub const ALL: [Unit; 7] = [
        Unit::Journee,
        Unit::DemiJournee,
        Unit::DemiJourneeRepas,
        Unit::Repas,
        Unit::Heure,
        Unit::Semaine,
        Unit::Sejour,
    ];

    /// Parses a unit code as found in a grid or a form field.
    pub fn parse(code: &str) -> Result<Self, UnknownUnit> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|u| u.code() == code)
            .ok_or_else(|| UnknownUnit(code.to_string()))
    }

    /// The code used in grids: `demi_journee_repas`.
    pub const fn code(self) -> &'static str {
        match self {
            Unit::Journee => "journee",
            Unit::DemiJournee => "demi_journee",
            Unit::DemiJourneeRepas => "demi_journee_repas",
            Unit::Repas => "repas",
            Unit::Heure => "heure",
            Unit::Semaine => "semaine",
            Unit::Sejour => "sejour",
        }
    }

    /// The French label after a price: `12,40 € la journée`.
    pub const fn label(self) -> &'static str {
        match self {
            Unit::Journee => "la journée",
            Unit::DemiJournee => "la demi-journée",
            Unit::DemiJourneeRepas => "la demi-journée avec repas",
            Unit::Repas => "le repas",
            Unit::Heure => "l'heure",
            Unit::Semaine => "la semaine",
            Unit::Sejour => "le séjour",
        }
    }

    fn code_list() -> String {
        Self::ALL.map(Unit::code).join(", ")
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_parse_from_their_codes_only() {
        for unit in Unit::ALL {
            assert_eq!(Unit::parse(unit.code()), Ok(unit));
        }
        assert_eq!(Unit::parse(" repas "), Ok(Unit::Repas));
        let err = Unit::parse("jour").expect_err("unknown unit");
        assert_eq!(err, UnknownUnit("jour".into()));
        assert!(err.to_string().starts_with("Unité inconnue « jour » : "));
        assert!(err.to_string().contains("demi_journee_repas"));
    }
}
