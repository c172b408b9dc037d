//! A QF band grid, transcribed from a real publication:
//! « Tarifs des mercredis et vacances », Les Copains d'abord (Saffré, Loire-Atlantique),
//! http://lescopains-dabord.fr/?p=757 — 14 bands from 1 July 2025, + 2 € outside the
//! communauté de communes, the band just below from 3 children registered, membership card
//! 22 € / 24 €. Fixture: tests/grids/saffre-les-copains-dabord-2025.json (its `note` says how
//! the published « < 450 » was read).

use csc_pricing::{Cents, Grid, GridError, MembershipKind, PriceError, Query, Unit};

use crate::{fixture, quote, unit_price};

fn saffre() -> Grid {
    fixture("saffre-les-copains-dabord-2025.json")
}

fn day(qf: Option<u32>) -> Query {
    Query::new(Unit::Journee, qf)
}

#[test]
fn inclusive_limits_keep_both_ends_in_the_band() {
    let grid = saffre();
    // « 451 à 550 »: 451 and 550 are both in band 2.
    assert_eq!(unit_price(&grid, day(Some(450))), Cents(720));
    assert_eq!(unit_price(&grid, day(Some(451))), Cents(770));
    assert_eq!(unit_price(&grid, day(Some(550))), Cents(770));
    assert_eq!(unit_price(&grid, day(Some(551))), Cents(850));
    assert_eq!(unit_price(&grid, day(Some(0))), Cents(720));
}

#[test]
fn exclusive_limit_starts_the_last_band_just_above_it() {
    let grid = saffre();
    // « 1751 à 1950 » then « > 1950 ».
    assert_eq!(unit_price(&grid, day(Some(1950))), Cents(2305));
    assert_eq!(unit_price(&grid, day(Some(1951))), Cents(2490));
    assert_eq!(unit_price(&grid, day(Some(9_999))), Cents(2490));
}

#[test]
fn quote_explains_the_band_and_unit() {
    let q = quote(&saffre(), Query::new(Unit::DemiJourneeRepas, Some(825)));
    assert_eq!(q.unit_price, Cents(835));
    assert_eq!(q.band.as_deref(), Some("Tranche 5"));
    assert_eq!(
        q.explanation.summary,
        "QF 825 -> tranche 751–850 -> 8,35\u{a0}€ la demi-journée avec repas"
    );
    assert_eq!(
        q.explanation.steps,
        [
            "QF 825 : tranche « Tranche 5 » (751–850).",
            "Prix de la tranche : 8,35\u{a0}€ la demi-journée avec repas.",
            "Total : 1 × 8,35\u{a0}€ = 8,35\u{a0}€.",
        ]
    );
}

#[test]
fn non_residents_pay_two_euros_more() {
    let q = quote(
        &saffre(),
        Query {
            resident: false,
            ..day(Some(825))
        },
    );
    assert_eq!(q.unit_price, Cents(1330));
    assert_eq!(
        q.explanation.summary,
        "QF 825 -> tranche 751–850 -> 11,30\u{a0}€ la journée, hors commune +2,00\u{a0}€ -> 13,30\u{a0}€"
    );
}

#[test]
fn from_three_children_registered_the_band_below_applies() {
    let grid = saffre();
    let with = |children| Query {
        children_registered: children,
        ..day(Some(825))
    };
    assert_eq!(unit_price(&grid, with(2)), Cents(1130));
    let q = quote(&grid, with(3));
    assert_eq!(q.unit_price, Cents(1005));
    assert_eq!(q.band.as_deref(), Some("Tranche 4"));
    assert!(q
        .explanation
        .summary
        .contains("3 enfants inscrits : tranche 651–750"));
    // Already in the first band: nothing lower.
    let first = quote(
        &grid,
        Query {
            children_registered: 4,
            ..day(Some(300))
        },
    );
    assert_eq!(first.unit_price, Cents(720));
    assert!(first
        .explanation
        .steps
        .iter()
        .any(|s| s.contains("déjà dans la première tranche")));
}

#[test]
fn missing_qf_gets_the_highest_band() {
    let grid = saffre();
    let q = quote(&grid, day(None));
    assert_eq!(q.unit_price, Cents(2490));
    assert_eq!(q.qf_used, None);
    assert_eq!(
        q.explanation.summary,
        "QF non communiqué -> tranche la plus haute 1951 et plus -> 24,90\u{a0}€ la journée"
    );
    // The three-children rule still moves such a family one band down.
    assert_eq!(
        unit_price(
            &grid,
            Query {
                children_registered: 3,
                ..day(None)
            }
        ),
        Cents(2305)
    );
}

#[test]
fn several_days_make_a_total() {
    let q = quote(
        &saffre(),
        Query {
            quantity: 5,
            ..day(Some(825))
        },
    );
    assert_eq!((q.unit_price, q.total), (Cents(1130), Cents(5650)));
    assert!(q
        .explanation
        .summary
        .ends_with(" ; 5 × 11,30\u{a0}€ = 56,50\u{a0}€"));
}

#[test]
fn units_the_grid_does_not_price_are_refused() {
    let err = saffre()
        .price(&Query::new(Unit::Semaine, Some(825)))
        .expect_err("no weeks");
    assert!(matches!(
        err,
        PriceError::UnitNotOffered {
            unit: Unit::Semaine,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "Pas de prix pour la semaine dans le barème « Accueil de loisirs » (prix disponibles pour : \
         la demi-journée, la demi-journée avec repas, la journée)."
    );
}

#[test]
fn membership_card_depends_on_residence() {
    let grid = saffre();
    assert_eq!(
        grid.membership_fee(MembershipKind::Family, true),
        Ok(Cents(2200))
    );
    assert_eq!(
        grid.membership_fee(MembershipKind::Family, false),
        Ok(Cents(2400))
    );
    let err = grid
        .membership_fee(MembershipKind::Adult, true)
        .expect_err("none");
    assert_eq!(err.to_string(), "Pas d'adhésion adulte dans cette grille.");
}

#[test]
fn the_grid_read_literally_is_refused_for_its_gap_at_450() {
    // As printed, « < 450 » then « 451 à 550 » leaves QF 450 in no band.
    let mut json: serde_json::Value = serde_json::from_str(&saffre().to_json()).expect("json");
    json["schedules"][0]["pricing"]["bands"][0]["max"]["inclusive"] = false.into();
    let literal = json.to_string();
    let err = Grid::from_json(&literal).expect_err("gap");
    assert!(matches!(err, GridError::Gap { .. }));
    assert_eq!(
        err.to_string(),
        "Trou entre les tranches « Tranche 1 » et « Tranche 2 » : le QF 450 n'est dans aucune tranche."
    );
}
