//! CAF hours of an ALSH (« heures réalisées » and « heures facturées »), as each CAF asks:
//!
//! - a unit counted by **time slots** (plages): a child present for any part of a slot counts
//!   the whole slot; a child present without times counts every slot;
//! - a unit counted in **real time**, optionally rounded (the duration rounded up to a step, or
//!   the arrival floored and the departure ceiled to a step), then clamped to the opening and
//!   closing times; a child present without times counts the whole opening;
//! - **réalisé** counts the children present; **facturé** also the unjustified absences and the
//!   reservations never ticked (each counts the whole unit); a justified absence counts nothing;
//! - a **daily cap** per child, all units of the day together (a cap of its own on school
//!   Wednesdays, e.g. 9 h when a meal is given);
//! - split by age band on the day, by period (Mercredis hors vacances, autres jours hors
//!   vacances, petites vacances, vacances d'été: school holidays of zone B) and by régime;
//! - quality warnings before export.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Serialize};

/// A time slot of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Slot {
    fn minutes(&self) -> i64 {
        (self.end - self.start).num_minutes().max(0)
    }
}

/// How a real-time unit rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Rounding {
    /// The real duration.
    #[default]
    None,
    /// The duration rounded up to a step of minutes.
    DurationUp(i64),
    /// The arrival floored and the departure ceiled to a step of minutes.
    FloorCeil(i64),
}

/// A unit counted for the CAF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    Slots {
        name: String,
        slots: Vec<Slot>,
    },
    RealTime {
        name: String,
        opens: NaiveTime,
        closes: NaiveTime,
        rounding: Rounding,
    },
}

/// The CAF settings of an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CafConfig {
    pub units: Vec<Unit>,
    /// The most counted per child and day, all units together (minutes).
    pub daily_cap: Option<i64>,
    /// The cap on school Wednesdays (outside school holidays), replacing `daily_cap` then.
    pub wednesday_cap: Option<i64>,
    /// Lower bounds of the age bands after the first (`[6]`: « moins de 6 ans », « 6 ans et
    /// plus »).
    pub age_limits: Vec<i32>,
}

impl Default for CafConfig {
    fn default() -> Self {
        Self {
            units: vec![],
            daily_cap: None,
            wednesday_cap: None,
            age_limits: vec![6],
        }
    }
}

/// What is known of a child on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Present,
    AbsentJustified,
    AbsentUnjustified,
    /// Expected (a confirmed registration) but never ticked.
    ReservedNotTicked,
}

/// One child on one day.
#[derive(Debug, Clone)]
pub struct ChildDay {
    pub child: String,
    pub day: NaiveDate,
    pub birth: Option<NaiveDate>,
    /// caf | msa | autre | '' (unknown)
    pub regime: String,
    pub mark: Mark,
    pub arrived: Option<NaiveTime>,
    pub left: Option<NaiveTime>,
}

/// Réalisé and facturé, in minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Minutes {
    pub realise: i64,
    pub facture: i64,
}

impl std::ops::AddAssign for Minutes {
    fn add_assign(&mut self, o: Self) {
        self.realise += o.realise;
        self.facture += o.facture;
    }
}

/// The hours of a period, split.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CafHours {
    pub total: Minutes,
    pub by_age: BTreeMap<String, Minutes>,
    pub by_period: BTreeMap<String, Minutes>,
    pub by_regime: BTreeMap<String, Minutes>,
    pub warnings: Vec<String>,
}

fn minute_of(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight() / 60)
}

/// Minutes a unit counts for a child present from `arrived` to `left` (times unknown: all).
pub fn unit_minutes(unit: &Unit, arrived: Option<NaiveTime>, left: Option<NaiveTime>) -> i64 {
    match unit {
        Unit::Slots { slots, .. } => slots
            .iter()
            .filter(|s| match (arrived, left) {
                (Some(a), Some(l)) => a < s.end && l > s.start,
                _ => true,
            })
            .map(Slot::minutes)
            .sum(),
        Unit::RealTime {
            opens,
            closes,
            rounding,
            ..
        } => {
            let (o, c) = (minute_of(*opens), minute_of(*closes));
            let (a, l) = match (arrived, left) {
                (Some(a), Some(l)) => (minute_of(a), minute_of(l)),
                _ => return (c - o).max(0),
            };
            let clamp = |x: i64| x.clamp(o, c);
            match rounding {
                Rounding::None => (clamp(l) - clamp(a)).max(0),
                Rounding::DurationUp(step) => {
                    let d = (clamp(l) - clamp(a)).max(0);
                    let step = (*step).max(1);
                    let up = (d + step - 1) / step * step;
                    up.min(c - o)
                }
                Rounding::FloorCeil(step) => {
                    let step = (*step).max(1);
                    let a = a.div_euclid(step) * step;
                    let l = (l + step - 1).div_euclid(step) * step;
                    (clamp(l) - clamp(a)).max(0)
                }
            }
        }
    }
}

/// Minutes a unit counts when booked but not attended (the whole unit).
fn whole(unit: &Unit) -> i64 {
    unit_minutes(unit, None, None)
}

/// The period of a day: school holidays of zone B, else Wednesday or another day.
pub fn period(day: NaiveDate) -> &'static str {
    match csc_calendar::school_holiday(day) {
        Some(h) if h.summer => "Vacances d'été",
        Some(_) => "Petites vacances",
        None if day.weekday() == Weekday::Wed => "Mercredis hors vacances",
        None => "Autres jours hors vacances",
    }
}

/// The label of an age band.
pub fn age_band(limits: &[i32], age: Option<i32>) -> String {
    let Some(age) = age else {
        return "âge inconnu".into();
    };
    let mut lower = None;
    for &l in limits {
        if age < l {
            return match lower {
                None => format!("moins de {l} ans"),
                Some(lo) => format!("{lo} à {} ans", l - 1),
            };
        }
        lower = Some(l);
    }
    match lower {
        Some(lo) => format!("{lo} ans et plus"),
        None => "tous âges".into(),
    }
}

fn regime_label(code: &str) -> &'static str {
    match code {
        "caf" => "CAF",
        "msa" => "MSA",
        "autre" => "Autre",
        _ => "Inconnu",
    }
}

/// Minutes of one child on one day, all units together, cap applied.
pub fn child_day(config: &CafConfig, d: &ChildDay) -> Minutes {
    let mut m = Minutes::default();
    for unit in &config.units {
        match d.mark {
            Mark::Present => {
                let x = unit_minutes(unit, d.arrived, d.left);
                m.realise += x;
                m.facture += x;
            }
            Mark::AbsentUnjustified | Mark::ReservedNotTicked => m.facture += whole(unit),
            Mark::AbsentJustified => {}
        }
    }
    let school_wednesday =
        d.day.weekday() == Weekday::Wed && csc_calendar::school_holiday(d.day).is_none();
    let cap = if school_wednesday {
        config.wednesday_cap.or(config.daily_cap)
    } else {
        config.daily_cap
    };
    if let Some(cap) = cap {
        m.realise = m.realise.min(cap);
        m.facture = m.facture.min(cap);
    }
    m
}

/// The hours of these children's days, split, with the quality warnings.
pub fn compute(config: &CafConfig, days: &[ChildDay]) -> CafHours {
    let mut h = CafHours::default();
    let mut no_birth = std::collections::BTreeSet::new();
    let mut no_regime = std::collections::BTreeSet::new();
    for d in days {
        let m = child_day(config, d);
        h.total += m;
        let age = d.birth.map(|b| crate::text::age_on(b, d.day));
        *h.by_age
            .entry(age_band(&config.age_limits, age))
            .or_default() += m;
        *h.by_period.entry(period(d.day).to_string()).or_default() += m;
        *h.by_regime
            .entry(regime_label(&d.regime).to_string())
            .or_default() += m;
        if d.birth.is_none() {
            no_birth.insert(d.child.clone());
        }
        if d.regime.trim().is_empty() {
            no_regime.insert(d.child.clone());
        }
        if d.mark == Mark::ReservedNotTicked {
            h.warnings.push(format!(
                "Réservation jamais pointée : {} le {}",
                d.child,
                d.day.format("%d/%m/%Y")
            ));
        }
    }
    for c in no_birth {
        h.warnings
            .push(format!("Date de naissance manquante : {c}"));
    }
    for c in no_regime {
        h.warnings
            .push(format!("Régime (CAF, MSA…) manquant : {c}"));
    }
    h
}

/// Minutes as decimal hours with 2 decimals.
pub fn hours(minutes: i64) -> f64 {
    crate::report::hours(minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap()
    }

    fn slots() -> Unit {
        Unit::Slots {
            name: "Journée".into(),
            slots: vec![
                Slot {
                    start: t(8, 0),
                    end: t(12, 0),
                },
                Slot {
                    start: t(12, 0),
                    end: t(14, 0),
                },
                Slot {
                    start: t(14, 0),
                    end: t(18, 0),
                },
            ],
        }
    }

    fn child(mark: Mark, day: NaiveDate, times: Option<(NaiveTime, NaiveTime)>) -> ChildDay {
        ChildDay {
            child: "Léa D.".into(),
            day,
            birth: Some(d(2019, 5, 1)),
            regime: "caf".into(),
            mark,
            arrived: times.map(|x| x.0),
            left: times.map(|x| x.1),
        }
    }

    #[test]
    fn any_part_of_a_slot_counts_the_whole_slot() {
        // 11:50 to 14:10 touches the three slots: 4 + 2 + 4 hours.
        assert_eq!(
            unit_minutes(&slots(), Some(t(11, 50)), Some(t(14, 10))),
            600
        );
        // 12:00 to 14:00 is exactly the lunch slot (the ends only touch the others).
        assert_eq!(unit_minutes(&slots(), Some(t(12, 0)), Some(t(14, 0))), 120);
        // No times: every slot.
        assert_eq!(unit_minutes(&slots(), None, None), 600);
    }

    #[test]
    fn realise_counts_presents_facture_also_unjustified_and_unticked() {
        let c = CafConfig {
            units: vec![slots()],
            ..Default::default()
        };
        let tue = d(2025, 3, 11);
        let p = child_day(&c, &child(Mark::Present, tue, Some((t(8, 30), t(11, 0)))));
        assert_eq!(
            p,
            Minutes {
                realise: 240,
                facture: 240
            }
        );
        let u = child_day(&c, &child(Mark::AbsentUnjustified, tue, None));
        assert_eq!(
            u,
            Minutes {
                realise: 0,
                facture: 600
            }
        );
        let r = child_day(&c, &child(Mark::ReservedNotTicked, tue, None));
        assert_eq!(
            r,
            Minutes {
                realise: 0,
                facture: 600
            }
        );
        let j = child_day(&c, &child(Mark::AbsentJustified, tue, None));
        assert_eq!(j, Minutes::default());
    }

    #[test]
    fn the_daily_cap_holds_all_units_together_with_its_own_on_school_wednesdays() {
        let c = CafConfig {
            units: vec![
                slots(),
                Unit::RealTime {
                    name: "Garderie".into(),
                    opens: t(7, 0),
                    closes: t(8, 0),
                    rounding: Rounding::None,
                },
            ],
            daily_cap: Some(10 * 60),
            wednesday_cap: Some(9 * 60),
            age_limits: vec![6],
        };
        // 10 h of slots + 1 h of garderie = 11 h, capped to 10 h on a Tuesday…
        let tue = child_day(&c, &child(Mark::Present, d(2025, 3, 11), None));
        assert_eq!(tue.realise, 600);
        // …and to 9 h on a school Wednesday,
        let wed = child_day(&c, &child(Mark::Present, d(2025, 3, 12), None));
        assert_eq!(wed.realise, 540);
        // but a Wednesday of the spring holidays takes the daily cap.
        let hol = child_day(&c, &child(Mark::Present, d(2025, 4, 9), None));
        assert_eq!(hol.realise, 600);
    }

    #[test]
    fn rounding_up_the_duration_or_floor_and_ceil_then_clamp() {
        let up = Unit::RealTime {
            name: "Accueil".into(),
            opens: t(7, 30),
            closes: t(18, 30),
            rounding: Rounding::DurationUp(30),
        };
        // 8:10–9:20 = 70 min, rounded up to 90.
        assert_eq!(unit_minutes(&up, Some(t(8, 10)), Some(t(9, 20))), 90);
        // 7:00–8:00 is clamped to 7:30–8:00 = 30.
        assert_eq!(unit_minutes(&up, Some(t(7, 0)), Some(t(8, 0))), 30);
        let fc = Unit::RealTime {
            name: "Accueil".into(),
            opens: t(7, 30),
            closes: t(18, 30),
            rounding: Rounding::FloorCeil(15),
        };
        // 8:10 floored to 8:00, 9:20 ceiled to 9:30: 90 min.
        assert_eq!(unit_minutes(&fc, Some(t(8, 10)), Some(t(9, 20))), 90);
        // 7:20 floored to 7:15 then clamped to 7:30; 18:25 ceiled to 18:30: 11 h.
        assert_eq!(unit_minutes(&fc, Some(t(7, 20)), Some(t(18, 25))), 660);
        // 18:35 ceiled to 18:45 is clamped to the closing time.
        assert_eq!(unit_minutes(&fc, Some(t(17, 0)), Some(t(18, 35))), 90);
    }

    #[test]
    fn split_by_age_on_the_day_period_and_regime_with_warnings() {
        let c = CafConfig {
            units: vec![slots()],
            ..Default::default()
        };
        let mut younger = child(Mark::Present, d(2025, 3, 12), None); // Wednesday, age 5
        younger.birth = Some(d(2019, 5, 1));
        let mut turned_six = child(Mark::Present, d(2025, 7, 9), None); // summer, age 6
        turned_six.birth = Some(d(2019, 5, 1));
        let mut unknown = child(Mark::ReservedNotTicked, d(2025, 2, 12), None); // winter holidays
        unknown.child = "Noé B.".into();
        unknown.birth = None;
        unknown.regime = String::new();
        let tuesday = child(Mark::Present, d(2025, 3, 11), None);
        let h = compute(&c, &[younger, turned_six, unknown, tuesday]);
        assert_eq!(
            h.total,
            Minutes {
                realise: 1800,
                facture: 2400
            }
        );
        assert_eq!(h.by_age["moins de 6 ans"].realise, 1200);
        assert_eq!(h.by_age["6 ans et plus"].realise, 600);
        assert_eq!(h.by_age["âge inconnu"].facture, 600);
        assert_eq!(h.by_period["Mercredis hors vacances"].realise, 600);
        assert_eq!(h.by_period["Vacances d'été"].realise, 600);
        assert_eq!(h.by_period["Petites vacances"].facture, 600);
        assert_eq!(h.by_period["Autres jours hors vacances"].realise, 600);
        assert_eq!(h.by_regime["Inconnu"].facture, 600);
        assert_eq!(h.by_regime["CAF"].realise, 1800);
        assert_eq!(h.warnings.len(), 3, "{:?}", h.warnings);
        assert!(h.warnings[0].contains("jamais pointée : Noé B. le 12/02/2025"));
    }

    #[test]
    fn age_bands_you_set() {
        assert_eq!(age_band(&[6], Some(5)), "moins de 6 ans");
        assert_eq!(age_band(&[6], Some(6)), "6 ans et plus");
        assert_eq!(age_band(&[3, 6, 12], Some(8)), "6 à 11 ans");
        assert_eq!(age_band(&[3, 6, 12], Some(12)), "12 ans et plus");
    }
}
