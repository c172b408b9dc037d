//! A tariff grid as data: what admins import and export as JSON (see docs/tarifs-grilles.md).
//!
//! These types only describe; [`crate::Grid`] is the checked grid the engine prices with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::money::Percent;

/// One centre's grid for one activity and season.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GridSpec {
    /// The centre, or the town or association that runs it.
    pub centre: String,
    /// The activity: `Accueil de loisirs — mercredis et vacances`.
    pub activity: String,
    /// The season: `2025-2026`.
    pub season: String,
    /// Where the grid was published, so anyone can check a transcription.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free remarks: how an ambiguous line was read, what was left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// One schedule, or one per age bracket.
    #[serde(default)]
    pub schedules: Vec<Schedule>,
    /// What to do when a family gives no QF.
    #[serde(default, skip_serializing_if = "MissingQf::is_default")]
    pub missing_qf: MissingQf,
    /// How families from outside the area pay, unless a band gives them their own prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_resident: Option<NonResident>,
    /// Sibling reductions by child rank: `[0, 10, 15]` is nothing for the 1st child, -10 % for
    /// the 2nd, -15 % for the 3rd and every further child.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sibling_discount_percent: Vec<Percent>,
    /// Membership fees of the centre for the season.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub membership_fees: Vec<MembershipFee>,
}

/// The prices for one age bracket (or for every child when there is only one schedule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `Maternelle et élémentaire`, `Ados`…
    pub label: String,
    /// The ages this schedule is for; required as soon as there are several schedules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ages: Option<AgeRange>,
    /// How the price is found.
    pub pricing: Pricing,
}

/// Ages in whole years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    /// Youngest age admitted.
    pub min: u8,
    /// Oldest age admitted.
    pub max: u8,
}

impl AgeRange {
    /// Whether a child of `age` falls in the bracket.
    pub fn contains(self, age: u8) -> bool {
        (self.min..=self.max).contains(&age)
    }

    /// `3–10 ans`.
    pub fn text(self) -> String {
        format!("{}–{} ans", self.min, self.max)
    }
}

/// The two ways French centres price: QF bands, or a rate applied to the QF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pricing {
    /// QF bands with a price per unit.
    #[serde(rename = "tranches")]
    Bands(BandPricing),
    /// Price = QF × rate, between a floor and a ceiling.
    TauxEffort(EffortPricing),
}

/// QF bands, from QF 0 up to an open-ended last band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandPricing {
    /// Bands in increasing QF order, without gap or overlap.
    pub bands: Vec<Band>,
    /// Bands chosen by name rather than by QF (`conditions CCAS`); they have no limits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub special_bands: Vec<Band>,
    /// From this many children registered, the family pays the band just below its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_band_from_children: Option<u8>,
}

/// One QF band and its prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// `T1`, `QF1`, `Tranche A`… unique in the schedule.
    pub label: String,
    /// Lower limit; none means from QF 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Limit>,
    /// Upper limit; none means no upper limit (only for the last band).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Limit>,
    /// Price per unit code (`journee`…), in cents, flat or by child rank.
    pub prices: BTreeMap<String, PriceSpec>,
    /// Own prices for families from outside the area; the non-resident rule is then not applied.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub non_resident_prices: BTreeMap<String, PriceSpec>,
}

/// A band limit exactly as the grid prints it: `< 450` is `{qf: 450, inclusive: false}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// The QF printed in the grid, in whole euros.
    pub qf: u32,
    /// Whether that QF itself belongs to the band.
    pub inclusive: bool,
}

/// A price in cents: the same for every child, or one per child rank (the last one applies to
/// every further child).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PriceSpec {
    /// One price for every child.
    Flat(i64),
    /// `[1st, 2nd, 3rd, 4th and more]`.
    ByRank(Vec<i64>),
}

impl PriceSpec {
    /// The price for the child of `rank` (1 for the first child).
    pub fn for_rank(&self, rank: u8) -> i64 {
        match self {
            PriceSpec::Flat(cents) => *cents,
            PriceSpec::ByRank(list) => {
                let index = usize::from(rank.max(1) - 1).min(list.len().saturating_sub(1));
                list.get(index).copied().unwrap_or_default()
            }
        }
    }

    /// Every amount the spec holds.
    pub fn amounts(&self) -> &[i64] {
        match self {
            PriceSpec::Flat(cents) => std::slice::from_ref(cents),
            PriceSpec::ByRank(list) => list,
        }
    }
}

impl Band {
    /// The lowest whole QF in the band.
    pub fn lowest_qf(&self) -> i64 {
        match self.min {
            None => 0,
            Some(l) if l.inclusive => i64::from(l.qf),
            Some(l) => i64::from(l.qf) + 1,
        }
    }

    /// The highest whole QF in the band; `None` when it has no upper limit.
    pub fn highest_qf(&self) -> Option<i64> {
        self.max.map(|l| {
            if l.inclusive {
                i64::from(l.qf)
            } else {
                i64::from(l.qf) - 1
            }
        })
    }

    /// Whether a QF falls in the band.
    pub fn contains(&self, qf: u32) -> bool {
        let qf = i64::from(qf);
        qf >= self.lowest_qf() && self.highest_qf().is_none_or(|high| qf <= high)
    }

    /// The whole QFs the band covers, as staff read them: `801–900`, `1951 et plus`.
    pub fn range_text(&self) -> String {
        match self.highest_qf() {
            Some(high) => format!("{}–{high}", self.lowest_qf()),
            None => format!("{} et plus", self.lowest_qf()),
        }
    }
}

/// Taux d'effort: one rate, floor and ceiling per unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffortPricing {
    /// Per unit code.
    pub units: BTreeMap<String, EffortRate>,
}

/// Price = QF × `rate_percent` %, never below `floor_cents` nor above `ceiling_cents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffortRate {
    /// `0.36` for 0,36 % of the QF.
    pub rate_percent: Percent,
    /// Lowest price, in cents.
    pub floor_cents: i64,
    /// Highest price, in cents; also the price without a QF unless the grid says otherwise.
    pub ceiling_cents: i64,
}

/// The rule for families who give no QF.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingQf {
    /// The highest band, or the ceiling of a taux d'effort (`"tranche_la_plus_haute"`).
    #[default]
    #[serde(rename = "tranche_la_plus_haute")]
    Highest,
    /// Price as if the family had this QF (`{"qf_par_defaut": 1500}`).
    #[serde(rename = "qf_par_defaut")]
    DefaultQf(u32),
    /// This band, regular or special, by its label (`{"tranche": "T5"}`).
    #[serde(rename = "tranche")]
    Band(String),
}

impl MissingQf {
    fn is_default(&self) -> bool {
        *self == MissingQf::Highest
    }
}

/// How families from outside the area pay more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonResident {
    /// A fixed amount added to the unit price (`{"surcharge_cents": 200}`).
    SurchargeCents(i64),
    /// A percentage added to the unit price (`{"surcharge_percent": 20}`).
    SurchargePercent(Percent),
}

/// Who a membership fee is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipKind {
    /// The whole family (`famille`).
    #[serde(rename = "famille")]
    Family,
    /// One adult (`adulte`).
    #[serde(rename = "adulte")]
    Adult,
    /// One child (`enfant`).
    #[serde(rename = "enfant")]
    Child,
    /// Reduced fee, e.g. for families on minimum benefits (`reduite`).
    #[serde(rename = "reduite")]
    Reduced,
}

impl MembershipKind {
    /// `adhésion famille`.
    pub fn label(self) -> &'static str {
        match self {
            MembershipKind::Family => "adhésion famille",
            MembershipKind::Adult => "adhésion adulte",
            MembershipKind::Child => "adhésion enfant",
            MembershipKind::Reduced => "adhésion à tarif réduit",
        }
    }
}

/// One membership fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipFee {
    /// Who it is for.
    pub kind: MembershipKind,
    /// Amount in cents.
    pub cents: i64,
    /// Amount for families from outside the area, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_resident_cents: Option<i64>,
}
