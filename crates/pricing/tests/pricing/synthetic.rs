//! SYNTHETIC grids, not transcribed from any publication: they exercise rules the real grids
//! above do not combine (percent surcharge, reductions of 10 % / 15 %, default QF, half-cent
//! ties) and reproduce the example of the issue. Amounts are realistic but invented.

use csc_pricing::{Cents, Grid, PriceError, Query, Unit};

use crate::{quote, unit_price};

const BANDS: &str = r#"{
  "centre": "Centre social synthétique (grille d'essai)",
  "activity": "Accueil de loisirs",
  "season": "2025-2026",
  "schedules": [{
    "label": "Tous âges",
    "pricing": {
      "kind": "tranches",
      "lower_band_from_children": 4,
      "bands": [
        { "label": "T1", "max": { "qf": 800, "inclusive": true }, "prices": { "journee": 1000, "demi_journee": 500 } },
        { "label": "T2", "min": { "qf": 800, "inclusive": false }, "max": { "qf": 900, "inclusive": true },
          "prices": { "journee": 1240, "demi_journee": 620 } },
        { "label": "T3", "min": { "qf": 900, "inclusive": false }, "prices": { "journee": 1335, "demi_journee": 700 } }
      ]
    }
  }],
  "missing_qf": { "qf_par_defaut": 850 },
  "non_resident": { "surcharge_percent": 20 },
  "sibling_discount_percent": [0, 10, 15]
}"#;

const EFFORT: &str = r#"{
  "centre": "Centre social synthétique (grille d'essai)",
  "activity": "Mercredis",
  "season": "2025-2026",
  "schedules": [{
    "label": "Tous âges",
    "pricing": { "kind": "taux_effort",
      "units": { "journee": { "rate_percent": 0.5, "floor_cents": 100, "ceiling_cents": 2000 } } }
  }],
  "non_resident": { "surcharge_cents": 150 },
  "sibling_discount_percent": [0, 10]
}"#;

fn bands() -> Grid {
    Grid::from_json(BANDS).expect("valid synthetic grid")
}

fn day(qf: Option<u32>, rank: u8) -> Query {
    Query {
        rank,
        ..Query::new(Unit::Journee, qf)
    }
}

#[test]
fn reproduces_the_example_of_the_issue() {
    let q = quote(&bands(), day(Some(825), 2));
    assert_eq!(q.unit_price, Cents(1116));
    assert_eq!(
        q.explanation.summary,
        "QF 825 -> tranche 801–900 -> 12,40\u{a0}€ la journée, 2e enfant -10\u{a0}% -> 11,16\u{a0}€"
    );
    assert_eq!(
        q.explanation.steps,
        [
            "QF 825 : tranche « T2 » (801–900).",
            "Prix de la tranche : 12,40\u{a0}€ la journée.",
            "2e enfant : réduction fratrie de 10\u{a0}% -> 11,16\u{a0}€ la journée.",
            "Total : 1 × 11,16\u{a0}€ = 11,16\u{a0}€.",
        ]
    );
}

#[test]
fn reductions_by_rank_repeat_the_last_one() {
    let grid = bands();
    assert_eq!(unit_price(&grid, day(Some(825), 1)), Cents(1240));
    // 12,40 € - 15 % = 10,54 €, for the 3rd child and every further one.
    assert_eq!(unit_price(&grid, day(Some(825), 3)), Cents(1054));
    assert_eq!(unit_price(&grid, day(Some(825), 6)), Cents(1054));
}

#[test]
fn half_cents_round_up() {
    // 13,35 € - 10 % = 12,015 € -> 12,02 €.
    assert_eq!(unit_price(&bands(), day(Some(950), 2)), Cents(1202));
    // 0,5 % of QF 801 = 4,005 € -> 4,01 €.
    let effort = Grid::from_json(EFFORT).expect("valid synthetic grid");
    assert_eq!(unit_price(&effort, day(Some(801), 1)), Cents(401));
}

#[test]
fn percent_surcharge_comes_after_the_sibling_reduction() {
    let grid = bands();
    // 12,40 € + 20 % = 14,88 €.
    assert_eq!(
        unit_price(
            &grid,
            Query {
                resident: false,
                ..day(Some(825), 1)
            }
        ),
        Cents(1488)
    );
    // 11,16 € + 20 % = 13,392 € -> 13,39 €.
    let q = quote(
        &grid,
        Query {
            resident: false,
            ..day(Some(825), 2)
        },
    );
    assert_eq!(q.unit_price, Cents(1339));
    assert!(q
        .explanation
        .summary
        .ends_with(", 2e enfant -10\u{a0}%, hors commune +20\u{a0}% -> 13,39\u{a0}€"));
}

#[test]
fn taux_effort_takes_reductions_and_fixed_surcharges_too() {
    let effort = Grid::from_json(EFFORT).expect("valid synthetic grid");
    // 4,01 € - 10 % = 3,609 € -> 3,61 €; + 1,50 € = 5,11 €.
    let q = quote(
        &effort,
        Query {
            resident: false,
            ..day(Some(801), 2)
        },
    );
    assert_eq!(q.unit_price, Cents(511));
}

#[test]
fn missing_qf_can_default_to_a_qf_or_a_named_band() {
    let q = quote(&bands(), day(None, 1));
    assert_eq!((q.unit_price, q.qf_used), (Cents(1240), Some(850)));
    assert_eq!(
        q.explanation.summary,
        "QF non communiqué (850 retenu) -> tranche 801–900 -> 12,40\u{a0}€ la journée"
    );
    let named = BANDS.replace(r#"{ "qf_par_defaut": 850 }"#, r#"{ "tranche": "T1" }"#);
    let grid = Grid::from_json(&named).expect("valid synthetic grid");
    let q = quote(&grid, day(None, 1));
    assert_eq!(q.unit_price, Cents(1000));
    assert_eq!(
        q.explanation.summary,
        "QF non communiqué -> tranche « T1 » -> 10,00\u{a0}€ la journée"
    );
}

#[test]
fn lower_band_waits_for_the_threshold() {
    let grid = bands();
    assert_eq!(
        unit_price(
            &grid,
            Query {
                children_registered: 3,
                ..day(Some(950), 1)
            }
        ),
        Cents(1335)
    );
    assert_eq!(
        unit_price(
            &grid,
            Query {
                children_registered: 4,
                ..day(Some(950), 1)
            }
        ),
        Cents(1240)
    );
}

#[test]
fn rank_and_quantity_start_at_one() {
    let grid = bands();
    assert_eq!(grid.price(&day(Some(825), 0)), Err(PriceError::ZeroRank));
    assert_eq!(
        grid.price(&Query {
            quantity: 0,
            ..day(Some(825), 1)
        }),
        Err(PriceError::ZeroQuantity)
    );
}

#[test]
fn units_are_listed_for_forms() {
    let units: Vec<Unit> = bands().units().into_iter().collect();
    assert_eq!(units, [Unit::Journee, Unit::DemiJournee]);
}
