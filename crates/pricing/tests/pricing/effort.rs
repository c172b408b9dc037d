//! A taux d'effort grid, transcribed from a real publication:
//! « Tarifs municipaux — restaurant scolaire », Mairie de Fay-aux-Loges (Loiret),
//! https://mairie-fayauxloges.fr/tarifs-municipaux/21-services-a-la-population/105-tarifs-municipaux-restaurant-scolaire
//! — « 0.36% du QF CAF (mini : 2.60 €, maxi : 4.50 €) ». It prices school meals, not a leisure
//! centre: it is the only taux d'effort we found published with its figures.
//! Fixture: tests/grids/fay-aux-loges-restaurant-scolaire.json.

use csc_pricing::{Cents, Grid, PriceError, Query, Unit};

use crate::{fixture, quote, unit_price};

fn fay() -> Grid {
    fixture("fay-aux-loges-restaurant-scolaire.json")
}

fn meal(qf: Option<u32>) -> Query {
    Query::new(Unit::Repas, qf)
}

#[test]
fn price_is_the_qf_times_the_rate() {
    // 825 × 0,36 % = 2,97 €, between 2,60 € and 4,50 €.
    let q = quote(&fay(), meal(Some(825)));
    assert_eq!(q.unit_price, Cents(297));
    assert_eq!(q.qf_used, Some(825));
    assert_eq!(
        q.explanation.summary,
        "QF 825 -> taux d'effort 0,36\u{a0}% -> 2,97\u{a0}€ le repas"
    );
    assert_eq!(
        q.explanation.steps[0],
        "Taux d'effort : QF 825 × 0,36\u{a0}% = 2,97\u{a0}€."
    );
}

#[test]
fn low_qfs_pay_the_floor() {
    let grid = fay();
    // 700 × 0,36 % = 2,52 € -> floor 2,60 €.
    let q = quote(&grid, meal(Some(700)));
    assert_eq!(q.unit_price, Cents(260));
    assert_eq!(
        q.explanation.summary,
        "QF 700 -> taux d'effort 0,36\u{a0}% -> plancher 2,60\u{a0}€ le repas"
    );
    assert_eq!(unit_price(&grid, meal(Some(0))), Cents(260));
    // 723 × 0,36 % = 2,6028 € -> 2,60 €; 724 -> 2,6064 € -> 2,61 €.
    assert_eq!(unit_price(&grid, meal(Some(723))), Cents(260));
    assert_eq!(unit_price(&grid, meal(Some(724))), Cents(261));
}

#[test]
fn high_qfs_pay_the_ceiling() {
    let grid = fay();
    // 1250 × 0,36 % = 4,50 € exactly; 1251 -> 4,5036 €, rounded to 4,50 €: the ceiling itself.
    assert_eq!(unit_price(&grid, meal(Some(1250))), Cents(450));
    assert_eq!(unit_price(&grid, meal(Some(1251))), Cents(450));
    // 1300 -> 4,68 € -> ceiling 4,50 €.
    let q = quote(&grid, meal(Some(1300)));
    assert_eq!(q.unit_price, Cents(450));
    assert_eq!(
        q.explanation.summary,
        "QF 1300 -> taux d'effort 0,36\u{a0}% -> plafond 4,50\u{a0}€ le repas"
    );
    assert_eq!(
        q.explanation.steps[1],
        "Au-dessus du plafond de 4,50\u{a0}€ : 4,50\u{a0}€ le repas."
    );
    assert_eq!(unit_price(&grid, meal(Some(5000))), Cents(450));
}

#[test]
fn rate_results_round_half_up_to_the_cent() {
    let grid = fay();
    // 1042 × 0,36 % = 3,7512 € -> 3,75 €; 1043 -> 3,7548 € -> 3,75 €; 1044 -> 3,7584 € -> 3,76 €.
    assert_eq!(unit_price(&grid, meal(Some(1042))), Cents(375));
    assert_eq!(unit_price(&grid, meal(Some(1043))), Cents(375));
    assert_eq!(unit_price(&grid, meal(Some(1044))), Cents(376));
}

#[test]
fn missing_qf_pays_the_ceiling() {
    let q = quote(&fay(), meal(None));
    assert_eq!(q.unit_price, Cents(450));
    assert_eq!(
        q.explanation.summary,
        "QF non communiqué -> plafond 4,50\u{a0}€ le repas"
    );
}

#[test]
fn non_residents_pay_the_same_when_the_grid_says_nothing() {
    let q = quote(
        &fay(),
        Query {
            resident: false,
            ..meal(Some(825))
        },
    );
    assert_eq!(q.unit_price, Cents(297));
    assert!(q
        .explanation
        .steps
        .contains(&"Hors commune : cette grille ne prévoit pas de majoration.".to_string()));
}

#[test]
fn days_are_not_priced_by_a_meal_grid() {
    let err = fay()
        .price(&Query::new(Unit::Journee, Some(825)))
        .expect_err("meals only");
    assert!(matches!(
        err,
        PriceError::UnitNotOffered {
            unit: Unit::Journee,
            ..
        }
    ));
}
