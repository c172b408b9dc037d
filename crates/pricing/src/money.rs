//! Money arithmetic: the one rounding function and exact percentages.

use std::fmt;

pub use csc_core::Cents;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Rounds `numerator / denominator` cents to a whole cent, half-up: 0.5 goes to the next cent up.
///
/// Every amount the engine computes passes through here and nowhere else, so a quote can be
/// checked by hand with the same rule. `denominator` must be positive.
pub fn round_half_up(numerator: i128, denominator: i128) -> Cents {
    debug_assert!(denominator > 0);
    let rounded = (2 * numerator + denominator).div_euclid(2 * denominator);
    Cents(i64::try_from(rounded).unwrap_or(i64::MAX))
}

/// A percentage kept exact: 4 decimals at most (`0.36` % is stored as 3 600).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(i64);

impl Percent {
    /// How many stored units make one percent.
    pub const SCALE: i64 = 10_000;

    /// A whole number of percent: `Percent::whole(10)` is 10 %.
    pub const fn whole(percent: i64) -> Self {
        Self(percent * Self::SCALE)
    }

    /// From ten-thousandths of a percent: `Percent::from_units(3_600)` is 0.36 %.
    pub const fn from_units(units: i64) -> Self {
        Self(units)
    }

    /// Ten-thousandths of a percent.
    pub const fn units(self) -> i64 {
        self.0
    }

    /// `amount × (100 % + self)`, rounded half-up: used for reductions (negative) and surcharges.
    pub fn adjust(self, amount: Cents) -> Cents {
        let factor = i128::from(100 * Self::SCALE + self.0);
        round_half_up(i128::from(amount.0) * factor, i128::from(100 * Self::SCALE))
    }

    /// `base × self`, rounded half-up, where `base` is a plain number such as a QF in euros:
    /// the result is in euros × percent, i.e. cents.
    pub fn of_number(self, base: u32) -> Cents {
        round_half_up(
            i128::from(base) * i128::from(self.0),
            i128::from(Self::SCALE),
        )
    }

    fn from_f64(value: f64) -> Result<Self, String> {
        let scaled = value * Self::SCALE as f64;
        let units = scaled.round();
        if !scaled.is_finite() || units.abs() > 1e12 || (scaled - units).abs() > 1e-6 {
            return Err(format!(
                "Pourcentage {value} invalide : indiquez un nombre avec 4 décimales au plus."
            ));
        }
        Ok(Self(units as i64))
    }
}

impl fmt::Display for Percent {
    /// French notation: `10 %`, `0,36 %` (no-break space before the sign).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / Self::SCALE as u64;
        let decimals = format!("{:04}", abs % Self::SCALE as u64);
        let decimals = decimals.trim_end_matches('0');
        if decimals.is_empty() {
            write!(f, "{sign}{whole}\u{a0}%")
        } else {
            write!(f, "{sign}{whole},{decimals}\u{a0}%")
        }
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.0 as f64 / Self::SCALE as f64)
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Self::from_f64(value).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_go_up_and_the_rest_to_the_nearest_cent() {
        assert_eq!(round_half_up(11_115, 10), Cents(1112)); // 1 111,5 -> 1 112
        assert_eq!(round_half_up(11_114, 10), Cents(1111)); // 1 111,4 -> 1 111
        assert_eq!(round_half_up(11_116, 10), Cents(1112));
        assert_eq!(round_half_up(300, 1), Cents(300));
        assert_eq!(round_half_up(-25, 10), Cents(-2)); // -2,5 -> -2: up, towards +∞
    }

    #[test]
    fn percentages_adjust_prices_exactly() {
        // 12,35 € with -10 %: 11,115 € -> 11,12 €.
        assert_eq!(Percent::whole(-10).adjust(Cents(1235)), Cents(1112));
        // 5,78 € with -20 %: 4,624 € -> 4,62 €.
        assert_eq!(Percent::whole(-20).adjust(Cents(578)), Cents(462));
        assert_eq!(Percent::whole(15).adjust(Cents(1000)), Cents(1150));
        // QF 825 × 0,36 % = 2,97 €.
        assert_eq!(Percent::from_units(3_600).of_number(825), Cents(297));
        // QF 801 × 0,5 % = 4,005 € -> 4,01 €.
        assert_eq!(Percent::from_units(5_000).of_number(801), Cents(401));
    }

    #[test]
    fn percentages_read_and_print_in_french() {
        let p: Percent = serde_json::from_str("0.36").expect("valid percent");
        assert_eq!(p, Percent::from_units(3_600));
        assert_eq!(p.to_string(), "0,36\u{a0}%");
        assert_eq!(Percent::whole(10).to_string(), "10\u{a0}%");
        assert_eq!(Percent::whole(-10).to_string(), "-10\u{a0}%");
        assert_eq!(serde_json::to_string(&p).expect("serialises"), "0.36");
        assert!(serde_json::from_str::<Percent>("0.123456").is_err());
    }
}
