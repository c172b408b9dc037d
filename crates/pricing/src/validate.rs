//! Loading a grid: a [`Grid`] exists only once its spec has been checked.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::grid::{
    Band, BandPricing, EffortPricing, GridSpec, MembershipKind, MissingQf, NonResident, PriceSpec,
    Pricing,
};
use crate::grid_error::GridError;
use crate::money::{Cents, Percent};
use crate::quote::PriceError;
use crate::unit::Unit;

/// A checked grid, ready to price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GridSpec", into = "GridSpec")]
pub struct Grid {
    spec: GridSpec,
}

impl Grid {
    /// Checks a spec and makes it a grid.
    pub fn new(spec: GridSpec) -> Result<Self, GridError> {
        check(&spec)?;
        Ok(Self { spec })
    }

    /// Reads and checks a grid from its JSON form.
    pub fn from_json(json: &str) -> Result<Self, GridError> {
        let spec: GridSpec = serde_json::from_str(json).map_err(|e| {
            let message = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            GridError::Json {
                line: e.line(),
                column: e.column(),
                message: message
                    .strip_suffix(&suffix)
                    .unwrap_or(&message)
                    .to_string(),
            }
        })?;
        Self::new(spec)
    }

    /// The grid as indented JSON, ready to export and import again.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.spec).unwrap_or_default()
    }

    /// What the grid says.
    pub fn spec(&self) -> &GridSpec {
        &self.spec
    }

    /// The membership fee of a kind; families from outside the area pay their own fee when the
    /// grid gives one, the same fee otherwise.
    pub fn membership_fee(
        &self,
        kind: MembershipKind,
        resident: bool,
    ) -> Result<Cents, PriceError> {
        let fee = self
            .spec()
            .membership_fees
            .iter()
            .find(|fee| fee.kind == kind);
        let fee = fee.ok_or(PriceError::MembershipNotOffered(kind.label()))?;
        Ok(Cents(match (resident, fee.non_resident_cents) {
            (false, Some(cents)) => cents,
            _ => fee.cents,
        }))
    }

    /// Every unit some schedule of the grid prices, for a form's choices.
    pub fn units(&self) -> BTreeSet<Unit> {
        let codes: Vec<&String> = self
            .spec()
            .schedules
            .iter()
            .flat_map(|s| match &s.pricing {
                Pricing::Bands(b) => b
                    .bands
                    .iter()
                    .chain(&b.special_bands)
                    .flat_map(|band| band.prices.keys())
                    .collect::<Vec<_>>(),
                Pricing::TauxEffort(e) => e.units.keys().collect(),
            })
            .collect();
        codes
            .into_iter()
            .filter_map(|code| Unit::parse(code).ok())
            .collect()
    }
}

impl TryFrom<GridSpec> for Grid {
    type Error = GridError;
    fn try_from(spec: GridSpec) -> Result<Self, GridError> {
        Self::new(spec)
    }
}

impl From<Grid> for GridSpec {
    fn from(grid: Grid) -> GridSpec {
        grid.spec
    }
}

fn check(spec: &GridSpec) -> Result<(), GridError> {
    if spec.schedules.is_empty() && spec.membership_fees.is_empty() {
        return Err(GridError::Empty);
    }
    check_ages(spec)?;
    for schedule in &spec.schedules {
        match &schedule.pricing {
            Pricing::Bands(bands) => check_bands(&schedule.label, bands, &spec.missing_qf)?,
            Pricing::TauxEffort(effort) => check_effort(&schedule.label, effort, &spec.missing_qf)?,
        }
    }
    let percent = |what, percent: Percent, min, max| {
        if (Percent::whole(min)..=Percent::whole(max)).contains(&percent) {
            Ok(())
        } else {
            Err(GridError::BadPercent {
                what,
                percent,
                min: Percent::whole(min),
                max: Percent::whole(max),
            })
        }
    };
    for &p in &spec.sibling_discount_percent {
        percent("Réduction fratrie", p, 0, 100)?;
    }
    if !spec.sibling_discount_percent.is_empty() && uses_rank_prices(spec) {
        return Err(GridError::RankPricesAndSiblingDiscount);
    }
    match spec.non_resident {
        Some(NonResident::SurchargeCents(cents)) => {
            non_negative("Majoration hors commune".into(), cents)?
        }
        Some(NonResident::SurchargePercent(p)) => percent("Majoration hors commune", p, 0, 1000)?,
        None => {}
    }
    let mut kinds = BTreeSet::new();
    for fee in &spec.membership_fees {
        if !kinds.insert(fee.kind) {
            return Err(GridError::DuplicateMembership(fee.kind.label()));
        }
        non_negative(fee.kind.label().into(), fee.cents)?;
        if let Some(cents) = fee.non_resident_cents {
            non_negative(format!("{} hors commune", fee.kind.label()), cents)?;
        }
    }
    Ok(())
}

fn check_ages(spec: &GridSpec) -> Result<(), GridError> {
    let mut brackets = Vec::new();
    for schedule in &spec.schedules {
        match schedule.ages {
            Some(ages) if ages.min > ages.max => {
                return Err(GridError::InvertedAges(schedule.label.clone()))
            }
            Some(ages) => brackets.push((ages, &schedule.label)),
            None if spec.schedules.len() > 1 => {
                return Err(GridError::MissingAges(schedule.label.clone()))
            }
            None => {}
        }
    }
    brackets.sort_by_key(|(ages, _)| (ages.min, ages.max));
    for pair in brackets.windows(2) {
        let ((low, first), (high, second)) = (&pair[0], &pair[1]);
        if high.min <= low.max {
            return Err(GridError::OverlappingAges {
                first: (*first).clone(),
                second: (*second).clone(),
                age: high.min,
            });
        }
    }
    Ok(())
}

fn check_bands(
    schedule: &str,
    pricing: &BandPricing,
    missing: &MissingQf,
) -> Result<(), GridError> {
    let Some(first) = pricing.bands.first() else {
        return Err(GridError::NoPrices(schedule.to_string()));
    };
    let mut labels = BTreeSet::new();
    for band in pricing.bands.iter().chain(&pricing.special_bands) {
        if !labels.insert(band.label.as_str()) {
            return Err(GridError::DuplicateBand {
                schedule: schedule.into(),
                band: band.label.clone(),
            });
        }
        check_band_prices(band)?;
    }
    for band in &pricing.special_bands {
        if band.min.is_some() || band.max.is_some() {
            return Err(GridError::SpecialBandWithLimits(band.label.clone()));
        }
    }
    for band in &pricing.bands {
        if band
            .highest_qf()
            .is_some_and(|high| high < band.lowest_qf())
        {
            return Err(GridError::EmptyBand(band.label.clone()));
        }
    }
    for pair in pricing.bands.windows(2) {
        check_neighbours(&pair[0], &pair[1])?;
    }
    // After the neighbours, so that bands out of order are reported as such.
    if first.lowest_qf() > 0 {
        return Err(GridError::GapAtStart {
            band: first.label.clone(),
            from: first.lowest_qf(),
            to: first.lowest_qf() - 1,
        });
    }
    let last = &pricing.bands[pricing.bands.len() - 1];
    if let Some(to) = last.highest_qf() {
        return Err(GridError::OpenTop {
            band: last.label.clone(),
            to,
        });
    }
    let units: BTreeSet<&str> = first.prices.keys().map(String::as_str).collect();
    for band in &pricing.bands[1..] {
        let here: BTreeSet<&str> = band.prices.keys().map(String::as_str).collect();
        if let Some(unit) = units.difference(&here).next() {
            return Err(GridError::UnitMismatch {
                band: band.label.clone(),
                unit: Unit::parse(unit)?,
            });
        }
        if let Some(unit) = here.difference(&units).next() {
            return Err(GridError::UnitMismatch {
                band: first.label.clone(),
                unit: Unit::parse(unit)?,
            });
        }
    }
    if let Some(n) = pricing.lower_band_from_children {
        if n < 2 {
            return Err(GridError::BadChildrenThreshold(n));
        }
    }
    if let MissingQf::Band(label) = missing {
        if !labels.contains(label.as_str()) {
            return Err(GridError::UnknownMissingQfBand {
                band: label.clone(),
                schedule: schedule.into(),
            });
        }
    }
    Ok(())
}

fn check_neighbours(low: &Band, high: &Band) -> Result<(), GridError> {
    // Bands other than the last have an upper limit: an open one is caught as an overlap.
    let low_top = low.highest_qf().unwrap_or(i64::MAX);
    let (start, end) = (high.lowest_qf(), high.highest_qf().unwrap_or(i64::MAX));
    if start <= low_top {
        if end < low.lowest_qf() {
            return Err(GridError::Unsorted(high.label.clone()));
        }
        return Err(GridError::Overlap {
            first: low.label.clone(),
            second: high.label.clone(),
            qf: start.max(low.lowest_qf()),
        });
    }
    if start > low_top + 1 {
        let gap = if start == low_top + 2 {
            format!("le QF {} n'est", low_top + 1)
        } else {
            format!("les QF {} à {} ne sont", low_top + 1, start - 1)
        };
        return Err(GridError::Gap {
            before: low.label.clone(),
            after: high.label.clone(),
            gap,
        });
    }
    Ok(())
}

fn check_band_prices(band: &Band) -> Result<(), GridError> {
    if band.prices.is_empty() {
        return Err(GridError::NoPrices(band.label.clone()));
    }
    let lists = [
        (&band.prices, ""),
        (&band.non_resident_prices, " hors commune"),
    ];
    for (prices, suffix) in lists {
        for (code, spec) in prices {
            let place = format!("Tranche « {} », {}{suffix}", band.label, Unit::parse(code)?);
            if spec.amounts().is_empty() {
                return Err(GridError::EmptyRankList(place));
            }
            for &cents in spec.amounts() {
                non_negative(place.clone(), cents)?;
            }
        }
    }
    Ok(())
}

fn check_effort(
    schedule: &str,
    pricing: &EffortPricing,
    missing: &MissingQf,
) -> Result<(), GridError> {
    if pricing.units.is_empty() {
        return Err(GridError::NoPrices(schedule.to_string()));
    }
    if let MissingQf::Band(label) = missing {
        return Err(GridError::UnknownMissingQfBand {
            band: label.clone(),
            schedule: schedule.into(),
        });
    }
    for (code, rate) in &pricing.units {
        let unit = Unit::parse(code)?;
        if rate.rate_percent <= Percent::whole(0) || rate.rate_percent > Percent::whole(100) {
            return Err(GridError::BadRate {
                unit,
                rate: rate.rate_percent,
            });
        }
        non_negative(format!("Plancher pour {unit}"), rate.floor_cents)?;
        non_negative(format!("Plafond pour {unit}"), rate.ceiling_cents)?;
        if rate.floor_cents > rate.ceiling_cents {
            return Err(GridError::FloorAboveCeiling {
                unit,
                floor: Cents(rate.floor_cents),
                ceiling: Cents(rate.ceiling_cents),
            });
        }
    }
    Ok(())
}

fn uses_rank_prices(spec: &GridSpec) -> bool {
    let by_rank = |prices: &BTreeMap<String, PriceSpec>| {
        prices.values().any(|p| matches!(p, PriceSpec::ByRank(_)))
    };
    spec.schedules.iter().any(|s| match &s.pricing {
        Pricing::Bands(b) => b
            .bands
            .iter()
            .chain(&b.special_bands)
            .any(|band| by_rank(&band.prices) || by_rank(&band.non_resident_prices)),
        Pricing::TauxEffort(_) => false,
    })
}

/// The highest amount a grid may state (a price, a fee, a floor or ceiling): 10 000 €. Far above
/// any activity of a social centre, and low enough that no sum of a family's days can overflow.
pub const MAX_AMOUNT_CENTS: i64 = 1_000_000;

/// An amount of the grid: from zero to [`MAX_AMOUNT_CENTS`].
fn non_negative(place: String, cents: i64) -> Result<(), GridError> {
    if cents < 0 {
        return Err(GridError::NegativePrice {
            place,
            cents: Cents(cents),
        });
    }
    if cents > MAX_AMOUNT_CENTS {
        return Err(GridError::PriceTooHigh {
            place,
            cents: Cents(cents),
            max: Cents(MAX_AMOUNT_CENTS),
        });
    }
    Ok(())
}
