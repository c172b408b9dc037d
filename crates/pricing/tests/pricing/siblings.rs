//! Sibling reductions in percent and age brackets, transcribed from a real publication:
//! « Grilles tarifaires », Les Enfants d'Hélène, http://lesenfantsdhelene.org/index.php/grilles-tarifaires/
//! — daily prices for the « pôle enfants » and the « pôle adolescents (+12 ans) », « une remise
//! de 20 % est accordée à partir du 2ème enfant inscrit ». Its band limits are ambiguous
//! (« 450 € – 650 € » then « 650 € – 900 € »): the fixture's `note` says how they were read.
//! Also the membership fees of the Centre social d'Arnay-le-Duc,
//! http://csarnayleduc.fr/dev/infos-pratiques/adherer-cest-sengager-a-nos-cotes/.

use csc_pricing::{Cents, Grid, MembershipKind, PriceError, Query, Unit};

use crate::{fixture, quote, unit_price};

fn helene() -> Grid {
    fixture("enfants-dhelene-2023.json")
}

fn child(age: u8, qf: u32, rank: u8) -> Query {
    Query {
        age: Some(age),
        rank,
        ..Query::new(Unit::Journee, Some(qf))
    }
}

#[test]
fn shared_limits_belong_to_the_band_above() {
    let grid = helene();
    assert_eq!(unit_price(&grid, child(7, 449, 1)), Cents(578));
    assert_eq!(unit_price(&grid, child(7, 450, 1)), Cents(620));
    assert_eq!(unit_price(&grid, child(7, 649, 1)), Cents(620));
    assert_eq!(unit_price(&grid, child(7, 650, 1)), Cents(683));
    assert_eq!(unit_price(&grid, child(7, 1499, 1)), Cents(1134));
    assert_eq!(unit_price(&grid, child(7, 1500, 1)), Cents(1418));
}

#[test]
fn second_and_further_children_get_twenty_percent_off() {
    let grid = helene();
    // 6,20 € - 20 % = 4,96 €.
    let q = quote(&grid, child(7, 450, 2));
    assert_eq!(q.unit_price, Cents(496));
    assert_eq!(
        q.explanation.summary,
        "7 ans : Pôle enfants (maternelles et primaires) -> QF 450 -> tranche 450–649 -> 6,20\u{a0}€ la journée, \
         2e enfant -20\u{a0}% -> 4,96\u{a0}€"
    );
    // 6,83 € - 20 % = 5,464 € -> 5,46 €; the 4th child gets the same 20 %.
    assert_eq!(unit_price(&grid, child(7, 650, 2)), Cents(546));
    assert_eq!(unit_price(&grid, child(7, 650, 4)), Cents(546));
    assert_eq!(unit_price(&grid, child(7, 650, 1)), Cents(683));
}

#[test]
fn teenagers_from_twelve_use_their_own_table() {
    let grid = helene();
    assert_eq!(unit_price(&grid, child(11, 1000, 1)), Cents(788));
    assert_eq!(unit_price(&grid, child(12, 1000, 1)), Cents(1281));
    // 12,81 € - 20 % = 10,248 € -> 10,25 €.
    assert_eq!(unit_price(&grid, child(12, 1000, 2)), Cents(1025));
    assert!(matches!(
        grid.price(&child(2, 1000, 1)),
        Err(PriceError::AgeOutsideBrackets { age: 2, .. })
    ));
}

#[test]
fn membership_only_grid_gives_every_kind_of_fee() {
    let grid = fixture("arnay-le-duc-adhesions.json");
    assert_eq!(
        grid.membership_fee(MembershipKind::Family, true),
        Ok(Cents(3000))
    );
    assert_eq!(
        grid.membership_fee(MembershipKind::Adult, true),
        Ok(Cents(2000))
    );
    assert_eq!(
        grid.membership_fee(MembershipKind::Child, true),
        Ok(Cents(1200))
    );
    assert_eq!(
        grid.membership_fee(MembershipKind::Reduced, true),
        Ok(Cents(1000))
    );
    // No separate fee for outsiders: the same fee.
    assert_eq!(
        grid.membership_fee(MembershipKind::Family, false),
        Ok(Cents(3000))
    );
    assert_eq!(
        grid.price(&Query::new(Unit::Journee, Some(500))),
        Err(PriceError::NoSchedule)
    );
}
