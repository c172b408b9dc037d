//! Pricing a registration: a pure function from a checked grid and a query to an explained quote.
//!
//! Order of the steps, each rounded half-up to the cent: age bracket -> QF band (or QF × rate,
//! between floor and ceiling) -> price for the unit and child rank -> sibling reduction ->
//! non-resident surcharge -> total for the quantity.

use crate::grid::{
    AgeRange, Band, BandPricing, EffortPricing, MissingQf, NonResident, PriceSpec, Pricing,
    Schedule,
};
use crate::money::{Cents, Percent};
use crate::quote::{Explanation, PriceError, Query, Quote};
use crate::unit::Unit;
use crate::validate::Grid;

#[derive(Default)]
struct Trace {
    steps: Vec<String>,
    head: Vec<String>,
    adjustments: Vec<String>,
}

impl Trace {
    fn step(&mut self, text: String) {
        self.steps.push(text);
    }
}

struct Base {
    price: Cents,
    by_rank: bool,
    own_non_resident_price: bool,
    qf_used: Option<u32>,
    band: Option<String>,
}

impl Grid {
    /// Prices one query.
    pub fn price(&self, query: &Query) -> Result<Quote, PriceError> {
        if query.rank == 0 {
            return Err(PriceError::ZeroRank);
        }
        if query.quantity == 0 {
            return Err(PriceError::ZeroQuantity);
        }
        let spec = self.spec();
        let mut trace = Trace::default();
        let schedule = self.schedule_for(query.age, &mut trace)?;
        let base = match &schedule.pricing {
            Pricing::Bands(bands) => {
                band_base(bands, schedule, &spec.missing_qf, query, &mut trace)?
            }
            Pricing::TauxEffort(effort) => {
                effort_base(effort, schedule, &spec.missing_qf, query, &mut trace)?
            }
        };
        let label = query.unit.label();
        let mut price = base.price;
        if !base.by_rank {
            // The last reduction listed applies to every further child.
            let list = &spec.sibling_discount_percent;
            let discount = list.get(usize::from(query.rank) - 1).or(list.last());
            let discount = discount.copied().unwrap_or_default();
            if discount > Percent::default() {
                price = Percent::from_units(-discount.units()).adjust(price);
                let rank = ordinal(query.rank);
                trace.step(format!(
                    "{rank} enfant : réduction fratrie de {discount} -> {price} {label}."
                ));
                trace.adjustments.push(format!("{rank} enfant -{discount}"));
            }
        }
        if !query.resident && !base.own_non_resident_price {
            match spec.non_resident {
                Some(NonResident::SurchargeCents(cents)) => {
                    price = Cents(price.0.saturating_add(cents));
                    trace.step(format!(
                        "Hors commune : majoration de {} -> {price} {label}.",
                        Cents(cents)
                    ));
                    trace
                        .adjustments
                        .push(format!("hors commune +{}", Cents(cents)));
                }
                Some(NonResident::SurchargePercent(p)) => {
                    price = p.adjust(price);
                    trace.step(format!(
                        "Hors commune : majoration de {p} -> {price} {label}."
                    ));
                    trace.adjustments.push(format!("hors commune +{p}"));
                }
                None => {
                    trace.step("Hors commune : cette grille ne prévoit pas de majoration.".into())
                }
            }
        }
        let total = Cents(price.0.saturating_mul(i64::from(query.quantity)));
        trace.step(format!("Total : {} × {price} = {total}.", query.quantity));
        let mut summary = trace.head.join(" -> ");
        if !trace.adjustments.is_empty() {
            summary = format!("{summary}, {} -> {price}", trace.adjustments.join(", "));
        }
        if query.quantity > 1 {
            summary = format!("{summary} ; {} × {price} = {total}", query.quantity);
        }
        Ok(Quote {
            unit: query.unit,
            unit_price: price,
            quantity: query.quantity,
            total,
            qf_used: base.qf_used,
            band: base.band,
            explanation: Explanation {
                steps: trace.steps,
                summary,
            },
        })
    }

    fn schedule_for(&self, age: Option<u8>, trace: &mut Trace) -> Result<&Schedule, PriceError> {
        let schedules = &self.spec().schedules;
        match schedules.as_slice() {
            [] => Err(PriceError::NoSchedule),
            [only] if only.ages.is_none() => Ok(only),
            _ => {
                let age = age.ok_or(PriceError::AgeRequired)?;
                let found = schedules
                    .iter()
                    .find_map(|s| s.ages.filter(|a| a.contains(age)).map(|a| (s, a)));
                let Some((schedule, ages)) = found else {
                    let brackets: Vec<String> = schedules
                        .iter()
                        .filter_map(|s| s.ages.map(AgeRange::text))
                        .collect();
                    return Err(PriceError::AgeOutsideBrackets {
                        age,
                        brackets: brackets.join(", "),
                    });
                };
                trace.step(format!(
                    "Enfant de {age} ans : barème « {} » ({}).",
                    schedule.label,
                    ages.text()
                ));
                trace.head.push(format!("{} ans : {}", age, schedule.label));
                Ok(schedule)
            }
        }
    }
}

fn band_base(
    pricing: &BandPricing,
    schedule: &Schedule,
    missing: &MissingQf,
    query: &Query,
    trace: &mut Trace,
) -> Result<Base, PriceError> {
    let bands = &pricing.bands;
    let by_label = |label: &str| {
        bands
            .iter()
            .chain(&pricing.special_bands)
            .find(|b| b.label == label)
            .ok_or_else(|| PriceError::UnknownBand {
                band: label.to_string(),
                schedule: schedule.label.clone(),
            })
    };
    // Validation guarantees every QF falls in exactly one band and the last one is open.
    let band_for = |qf: u32| {
        bands
            .iter()
            .position(|b| b.contains(qf))
            .unwrap_or(bands.len() - 1)
    };
    let mut qf_used = None;
    let mut regular = None;
    let (qf, defaulted) = match (query.qf, missing) {
        (Some(qf), _) => (Some(qf), false),
        (None, MissingQf::DefaultQf(qf)) => (Some(*qf), true),
        (None, _) => (None, false),
    };
    let mut band: &Band = match (&query.named_band, qf, missing) {
        (Some(label), _, _) => {
            let band = by_label(label)?;
            trace.step(format!(
                "Tarif « {label} » demandé : la tranche est choisie par son nom, sans QF."
            ));
            trace.head.push(format!("tarif « {label} »"));
            band
        }
        (None, Some(qf), _) => {
            if defaulted {
                trace.step(format!(
                    "QF non communiqué : la grille retient un QF de {qf}."
                ));
                trace.head.push(format!("QF non communiqué ({qf} retenu)"));
            } else {
                trace.head.push(format!("QF {qf}"));
            }
            qf_used = Some(qf);
            let index = band_for(qf);
            regular = Some(index);
            let band = &bands[index];
            trace.step(format!(
                "QF {qf} : tranche « {} » ({}).",
                band.label,
                band.range_text()
            ));
            trace.head.push(format!("tranche {}", band.range_text()));
            band
        }
        // A default QF was turned into `qf` above.
        (None, None, MissingQf::Highest | MissingQf::DefaultQf(_)) => {
            let band = &bands[bands.len() - 1];
            regular = Some(bands.len() - 1);
            trace.step(format!(
                "QF non communiqué : la grille applique la tranche la plus haute, « {} » ({}).",
                band.label,
                band.range_text()
            ));
            trace.head.push("QF non communiqué".into());
            trace
                .head
                .push(format!("tranche la plus haute {}", band.range_text()));
            band
        }
        (None, None, MissingQf::Band(label)) => {
            let band = by_label(label)?;
            regular = bands.iter().position(|b| b.label == *label);
            trace.step(format!(
                "QF non communiqué : la grille applique la tranche « {label} »."
            ));
            trace.head.push("QF non communiqué".into());
            trace.head.push(format!("tranche « {label} »"));
            band
        }
    };
    if let (Some(index), Some(from)) = (regular, pricing.lower_band_from_children) {
        let children = query.children_registered;
        if children >= from && index > 0 {
            band = &bands[index - 1];
            trace.step(format!(
                "{children} enfants inscrits (à partir de {from}) : tranche inférieure « {} » ({}).",
                band.label,
                band.range_text()
            ));
            trace.head.push(format!(
                "{children} enfants inscrits : tranche {}",
                band.range_text()
            ));
        } else if children >= from {
            trace.step(format!("{children} enfants inscrits : déjà dans la première tranche, pas de tranche inférieure."));
        }
    }
    let unit = query.unit;
    let own = if query.resident {
        None
    } else {
        band.non_resident_prices.get(unit.code())
    };
    let spec = own
        .or_else(|| band.prices.get(unit.code()))
        .ok_or_else(|| PriceError::UnitNotOffered {
            unit,
            schedule: schedule.label.clone(),
            offered: offered(band.prices.keys()),
        })?;
    let by_rank = matches!(spec, PriceSpec::ByRank(_));
    let price = Cents(spec.for_rank(query.rank));
    let whose = match (own.is_some(), by_rank) {
        (true, true) => format!("hors commune, {} enfant", ordinal(query.rank)),
        (true, false) => "hors commune".to_string(),
        (false, true) => format!("{} enfant", ordinal(query.rank)),
        (false, false) => String::new(),
    };
    if whose.is_empty() {
        trace.step(format!("Prix de la tranche : {price} {}.", unit.label()));
        trace.head.push(format!("{price} {}", unit.label()));
    } else {
        trace.step(format!(
            "Prix de la tranche ({whose}) : {price} {}.",
            unit.label()
        ));
        trace
            .head
            .push(format!("{price} {} ({whose})", unit.label()));
    }
    Ok(Base {
        price,
        by_rank,
        own_non_resident_price: own.is_some(),
        qf_used,
        band: Some(band.label.clone()),
    })
}

fn effort_base(
    pricing: &EffortPricing,
    schedule: &Schedule,
    missing: &MissingQf,
    query: &Query,
    trace: &mut Trace,
) -> Result<Base, PriceError> {
    let unit = query.unit;
    let rate = pricing
        .units
        .get(unit.code())
        .ok_or_else(|| PriceError::UnitNotOffered {
            unit,
            schedule: schedule.label.clone(),
            offered: offered(pricing.units.keys()),
        })?;
    let (floor, ceiling) = (Cents(rate.floor_cents), Cents(rate.ceiling_cents));
    let qf = match (query.qf, missing) {
        (Some(qf), _) => {
            trace.head.push(format!("QF {qf}"));
            Some(qf)
        }
        (None, MissingQf::DefaultQf(qf)) => {
            trace.step(format!(
                "QF non communiqué : la grille retient un QF de {qf}."
            ));
            trace.head.push(format!("QF non communiqué ({qf} retenu)"));
            Some(*qf)
        }
        (None, _) => None,
    };
    let Some(qf) = qf else {
        trace.step(format!(
            "QF non communiqué : la grille applique le plafond, {ceiling} {}.",
            unit.label()
        ));
        trace.head.push("QF non communiqué".into());
        trace
            .head
            .push(format!("plafond {ceiling} {}", unit.label()));
        return Ok(Base {
            price: ceiling,
            by_rank: false,
            own_non_resident_price: false,
            qf_used: None,
            band: None,
        });
    };
    let raw = rate.rate_percent.of_number(qf);
    trace.step(format!(
        "Taux d'effort : QF {qf} × {} = {raw}.",
        rate.rate_percent
    ));
    trace
        .head
        .push(format!("taux d'effort {}", rate.rate_percent));
    let price = raw.clamp(floor, ceiling);
    if raw < floor {
        trace.step(format!(
            "Sous le plancher de {floor} : {floor} {}.",
            unit.label()
        ));
        trace
            .head
            .push(format!("plancher {floor} {}", unit.label()));
    } else if raw > ceiling {
        trace.step(format!(
            "Au-dessus du plafond de {ceiling} : {ceiling} {}.",
            unit.label()
        ));
        trace
            .head
            .push(format!("plafond {ceiling} {}", unit.label()));
    } else {
        trace.step(format!(
            "Entre le plancher ({floor}) et le plafond ({ceiling}) : {price} {}.",
            unit.label()
        ));
        trace.head.push(format!("{price} {}", unit.label()));
    }
    Ok(Base {
        price,
        by_rank: false,
        own_non_resident_price: false,
        qf_used: Some(qf),
        band: None,
    })
}

fn offered<'a>(codes: impl Iterator<Item = &'a String>) -> String {
    let labels: Vec<&str> = codes
        .filter_map(|c| Unit::parse(c).ok())
        .map(Unit::label)
        .collect();
    labels.join(", ")
}

/// `1er`, `2e`, `3e`…
fn ordinal(rank: u8) -> String {
    if rank == 1 {
        "1er".into()
    } else {
        format!("{rank}e")
    }
}
