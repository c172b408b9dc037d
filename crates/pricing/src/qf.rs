//! The quotient familial computed the CAF way, for families who do not have their CAF figure.
//!
//! QF = (yearly taxable income / 12 + monthly family benefits) / number of parts, where the
//! parents (a couple or a single parent alike) count for 2 parts, the 1st and 2nd child for
//! 0.5 each, the 3rd for 1, each further child for 0.5, and each child with a disability for
//! 0.5 more.
//!
//! Rounding: the QF is a whole number of euros and we keep the integer part (truncation):
//! 1 041,67 gives 1 041. The CAF prints a whole QF on its attestations; we found no published
//! rule saying how it rounds, so we chose truncation because it never moves a family up into a
//! dearer band over a fraction of a euro.

use std::fmt;

use serde::Serialize;

use crate::money::{round_half_up, Cents};

/// Above this yearly income (10 million euros) the figure is surely a typing error.
const MAX_YEARLY_INCOME: Cents = Cents(1_000_000_000);
/// Above this monthly amount of family benefits (20 000 euros) the figure is surely wrong.
const MAX_MONTHLY_BENEFITS: Cents = Cents(2_000_000);
/// More children than this is refused as a typing error.
const MAX_CHILDREN: u8 = 20;

/// What a family declares to compute its QF. Amounts are in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QfInput {
    /// Taxable income of the household for the reference year, before allowances.
    pub yearly_taxable_income_cents: i64,
    /// Family benefits received for the previous month.
    pub monthly_benefits_cents: i64,
    /// Dependent children.
    pub children: u8,
    /// Among them, children with a recognised disability (0.5 part more each).
    pub children_with_disability: u8,
}

/// Why a QF cannot be computed from what was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QfError {
    /// The yearly income is negative.
    #[error("Le revenu annuel imposable ne peut pas être négatif.")]
    NegativeIncome,
    /// The monthly benefits are negative.
    #[error("Le montant mensuel des prestations familiales ne peut pas être négatif.")]
    NegativeBenefits,
    /// The yearly income is beyond any plausible figure.
    #[error("Le revenu annuel imposable ({0}) semble erroné : vérifiez le montant saisi.")]
    IncomeTooHigh(Cents),
    /// The monthly benefits are beyond any plausible figure.
    #[error("Le montant mensuel des prestations familiales ({0}) semble erroné : vérifiez le montant saisi.")]
    BenefitsTooHigh(Cents),
    /// More children than the form accepts.
    #[error("Le nombre d'enfants à charge ({0}) semble erroné : {MAX_CHILDREN} au plus.")]
    TooManyChildren(u8),
    /// More children with a disability than children.
    #[error("Le nombre d'enfants en situation de handicap ({disabled}) dépasse le nombre d'enfants à charge ({children}).")]
    MoreDisabledThanChildren {
        /// Children with a disability, as typed.
        disabled: u8,
        /// Dependent children, as typed.
        children: u8,
    },
}

/// A number of parts, counted in halves so that it stays exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Parts {
    halves: u32,
}

impl Parts {
    /// The parts of a household with `children` dependent children, `disabled` of them with a
    /// disability.
    pub fn for_household(children: u8, disabled: u8) -> Self {
        let adults = 4;
        let for_children: u32 = (1..=u32::from(children))
            .map(|rank| if rank == 3 { 2 } else { 1 })
            .sum();
        Self {
            halves: adults + for_children + u32::from(disabled),
        }
    }

    /// Twice the number of parts (`4.5` parts is 9).
    pub fn halves(self) -> u32 {
        self.halves
    }
}

impl fmt::Display for Parts {
    /// `3 parts`, `4,5 parts`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.halves / 2;
        if self.halves.is_multiple_of(2) {
            write!(f, "{whole} parts")
        } else {
            write!(f, "{whole},5 parts")
        }
    }
}

/// A computed quotient familial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qf {
    /// The QF in whole euros, as grids use it.
    pub value: u32,
    /// The parts of the household.
    pub parts: Parts,
    /// The calculation in French, for the family and the reception staff.
    pub explanation: String,
}

/// Computes the QF of a household, refusing negative or implausible figures.
pub fn compute(input: &QfInput) -> Result<Qf, QfError> {
    let income = Cents(input.yearly_taxable_income_cents);
    let benefits = Cents(input.monthly_benefits_cents);
    if income.0 < 0 {
        return Err(QfError::NegativeIncome);
    }
    if benefits.0 < 0 {
        return Err(QfError::NegativeBenefits);
    }
    if income > MAX_YEARLY_INCOME {
        return Err(QfError::IncomeTooHigh(income));
    }
    if benefits > MAX_MONTHLY_BENEFITS {
        return Err(QfError::BenefitsTooHigh(benefits));
    }
    if input.children > MAX_CHILDREN {
        return Err(QfError::TooManyChildren(input.children));
    }
    if input.children_with_disability > input.children {
        return Err(QfError::MoreDisabledThanChildren {
            disabled: input.children_with_disability,
            children: input.children,
        });
    }
    let parts = Parts::for_household(input.children, input.children_with_disability);
    // (income / 12 + benefits) / (halves / 2), in cents, then in euros: one exact division.
    let twelfths = i128::from(income.0) + 12 * i128::from(benefits.0);
    let value = (twelfths * 2) / (12 * i128::from(parts.halves) * 100);
    let value = u32::try_from(value).unwrap_or(u32::MAX);
    let monthly = round_half_up(twelfths, 12);
    let explanation = format!(
        "({income} / 12 + {benefits}) / {parts} = {monthly} / {parts} -> QF {value} (partie entière)"
    );
    Ok(Qf {
        value,
        parts,
        explanation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qf(income_euros: i64, benefits_cents: i64, children: u8, disabled: u8) -> Qf {
        compute(&QfInput {
            yearly_taxable_income_cents: income_euros * 100,
            monthly_benefits_cents: benefits_cents,
            children,
            children_with_disability: disabled,
        })
        .expect("valid input")
    }

    #[test]
    fn parts_follow_the_caf_scale() {
        let halves = |c, d| Parts::for_household(c, d).halves();
        assert_eq!(halves(0, 0), 4); // 2 parts: the parents, or the single parent
        assert_eq!(halves(1, 0), 5); // 2,5
        assert_eq!(halves(2, 0), 6); // 3
        assert_eq!(halves(3, 0), 8); // 4: the 3rd child counts for a whole part
        assert_eq!(halves(4, 0), 9); // 4,5
        assert_eq!(halves(5, 0), 10); // 5
        assert_eq!(halves(3, 1), 9); // 4,5: +0,5 for the child with a disability
        assert_eq!(Parts::for_household(3, 1).to_string(), "4,5 parts");
        assert_eq!(Parts::for_household(2, 0).to_string(), "3 parts");
    }

    #[test]
    fn couple_with_two_children() {
        // 36 000 € / 12 = 3 000 €; + 150 € of benefits = 3 150 €; / 3 parts = 1 050 exactly.
        let q = qf(36_000, 15_000, 2, 0);
        assert_eq!(q.value, 1050);
        assert_eq!(
            q.explanation,
            "(36\u{202f}000,00\u{a0}€ / 12 + 150,00\u{a0}€) / 3 parts = 3\u{202f}150,00\u{a0}€ / 3 parts -> QF 1050 (partie entière)"
        );
    }

    #[test]
    fn single_parent_with_one_child_has_two_and_a_half_parts() {
        // 18 000 € / 12 = 1 500 €; no benefits; / 2,5 parts = 600.
        assert_eq!(qf(18_000, 0, 1, 0).value, 600);
    }

    #[test]
    fn third_child_and_disability_add_parts() {
        // 40 000 € / 12 = 3 333,33 €; + 300 € = 3 633,33 €;
        // parts 2 + 0,5 + 0,5 + 1 + 0,5 (disability) = 4,5; 3 633,33 / 4,5 = 807,41 -> 807.
        assert_eq!(qf(40_000, 30_000, 3, 1).value, 807);
    }

    #[test]
    fn fifth_child_adds_half_a_part() {
        // 60 000 € / 12 = 5 000 €; + 700 € = 5 700 €; parts 2 + 0,5 + 0,5 + 1 + 0,5 + 0,5 = 5;
        // 5 700 / 5 = 1 140.
        assert_eq!(qf(60_000, 70_000, 5, 0).value, 1140);
    }

    #[test]
    fn qf_keeps_the_integer_part() {
        // 25 000 € / 12 = 2 083,33 €; / 2 parts = 1 041,67: truncated to 1 041, not 1 042.
        assert_eq!(qf(25_000, 0, 0, 0).value, 1041);
        // 23 999,76 € / 12 = 1 999,98 €; / 2 parts = 999,99 -> 999, still in a « < 1000 » band.
        let q = compute(&QfInput {
            yearly_taxable_income_cents: 2_399_976,
            ..QfInput::default()
        })
        .expect("valid input");
        assert_eq!(q.value, 999);
        assert_eq!(qf(0, 0, 1, 0).value, 0);
    }

    #[test]
    fn negative_or_absurd_figures_are_refused_in_french() {
        let base = QfInput {
            yearly_taxable_income_cents: 3_000_000,
            children: 2,
            ..QfInput::default()
        };
        let err = |input: QfInput| compute(&input).expect_err("refused").to_string();
        assert_eq!(
            err(QfInput {
                yearly_taxable_income_cents: -1,
                ..base
            }),
            "Le revenu annuel imposable ne peut pas être négatif."
        );
        assert!(err(QfInput {
            monthly_benefits_cents: -5,
            ..base
        })
        .contains("prestations familiales ne peut pas être négatif"));
        assert!(err(QfInput {
            yearly_taxable_income_cents: 1_000_000_001,
            ..base
        })
        .contains("semble erroné"));
        assert!(err(QfInput {
            monthly_benefits_cents: 2_000_001,
            ..base
        })
        .contains("semble erroné"));
        assert!(err(QfInput {
            children: 21,
            ..base
        })
        .contains("20 au plus"));
        assert_eq!(
            err(QfInput {
                children_with_disability: 3,
                ..base
            }),
            "Le nombre d'enfants en situation de handicap (3) dépasse le nombre d'enfants à charge (2)."
        );
    }
}
