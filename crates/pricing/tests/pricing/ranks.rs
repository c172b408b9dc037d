//! A grid by child rank, transcribed from a real publication:
//! « Centre de loisirs petites vacances », Ville de Wavrin (Nord),
//! https://www.wavrin.fr/centre-de-loisirs-petites-vacances — 1er / 2e / 3e / 4e enfant et +,
//! an EXTERIEUR column (one price whatever the rank), a « conditions CCAS » line, and separate
//! tables for « maternelle et élémentaire » and « ados ». The page gives no ages for the two
//! tables: 3–10 and 11–17 are our assumption. Fixture: tests/grids/wavrin-petites-vacances-2025.json.

use csc_pricing::{Cents, Grid, PriceError, Query, Unit};

use crate::{fixture, quote, unit_price};

fn wavrin() -> Grid {
    fixture("wavrin-petites-vacances-2025.json")
}

fn child(age: u8, qf: Option<u32>, rank: u8) -> Query {
    Query {
        age: Some(age),
        rank,
        ..Query::new(Unit::Journee, qf)
    }
}

#[test]
fn exclusive_lower_limit_308_belongs_to_the_band_below() {
    let grid = wavrin();
    // « 0 à 308 » then « 308,01 à 500 »: with whole QFs, 308 is in the first band, 309 in the second.
    assert_eq!(unit_price(&grid, child(7, Some(308), 1)), Cents(377));
    assert_eq!(unit_price(&grid, child(7, Some(309), 1)), Cents(553));
    assert_eq!(unit_price(&grid, child(7, Some(500), 1)), Cents(553));
    assert_eq!(unit_price(&grid, child(7, Some(501), 1)), Cents(786));
}

#[test]
fn third_child_and_beyond_pay_their_own_column() {
    let grid = wavrin();
    let q = quote(&grid, child(7, Some(600), 3));
    assert_eq!(q.unit_price, Cents(642));
    assert_eq!(
        q.explanation.summary,
        "7 ans : Maternelle et élémentaire -> QF 600 -> tranche 501–800 -> 6,42\u{a0}€ la journée (3e enfant)"
    );
    // « 4ème ENF et + »: the 5th child pays the 4th child's price.
    assert_eq!(unit_price(&grid, child(7, Some(600), 4)), Cents(580));
    assert_eq!(unit_price(&grid, child(7, Some(600), 5)), Cents(580));
    assert_eq!(unit_price(&grid, child(7, Some(600), 2)), Cents(710));
}

#[test]
fn age_chooses_the_ados_table() {
    let grid = wavrin();
    assert_eq!(unit_price(&grid, child(10, Some(600), 3)), Cents(642));
    assert_eq!(unit_price(&grid, child(11, Some(600), 3)), Cents(682));
    assert_eq!(unit_price(&grid, child(17, Some(1500), 1)), Cents(1118));
}

#[test]
fn age_is_required_and_must_fall_in_a_bracket() {
    let grid = wavrin();
    let no_age = grid
        .price(&Query::new(Unit::Journee, Some(600)))
        .expect_err("age needed");
    assert_eq!(no_age, PriceError::AgeRequired);
    assert_eq!(
        no_age.to_string(),
        "Cette grille dépend de l'âge de l'enfant : indiquez son âge."
    );
    let too_old = grid.price(&child(18, Some(600), 1)).expect_err("too old");
    assert_eq!(
        too_old.to_string(),
        "Aucun barème de cette grille ne concerne les enfants de 18 ans (barèmes : 3–10 ans, 11–17 ans)."
    );
    assert!(matches!(
        grid.price(&child(2, Some(600), 1)),
        Err(PriceError::AgeOutsideBrackets { age: 2, .. })
    ));
}

#[test]
fn non_residents_pay_the_exterieur_column_whatever_their_rank() {
    let grid = wavrin();
    let q = quote(
        &grid,
        Query {
            resident: false,
            ..child(7, Some(600), 3)
        },
    );
    assert_eq!(q.unit_price, Cents(1400));
    assert!(q
        .explanation
        .summary
        .ends_with("14,00\u{a0}€ la journée (hors commune)"));
    assert_eq!(
        unit_price(
            &grid,
            Query {
                resident: false,
                ..child(12, Some(2000), 1)
            }
        ),
        Cents(1800)
    );
}

#[test]
fn ccas_line_is_chosen_by_name() {
    let grid = wavrin();
    let ccas = |rank| Query {
        named_band: Some("conditions CCAS".into()),
        ..child(7, None, rank)
    };
    let q = quote(&grid, ccas(2));
    assert_eq!(q.unit_price, Cents(100));
    assert_eq!(q.band.as_deref(), Some("conditions CCAS"));
    assert_eq!(q.qf_used, None);
    assert_eq!(unit_price(&grid, ccas(4)), Cents(50));
    let unknown = Query {
        named_band: Some("CCAS".into()),
        ..child(7, None, 1)
    };
    assert_eq!(
        grid.price(&unknown).expect_err("unknown band").to_string(),
        "La tranche « CCAS » n'existe pas dans le barème « Maternelle et élémentaire »."
    );
}

#[test]
fn missing_qf_gets_the_highest_band_at_the_childs_rank() {
    let grid = wavrin();
    assert_eq!(unit_price(&grid, child(7, None, 1)), Cents(1063));
    assert_eq!(unit_price(&grid, child(7, None, 3)), Cents(866));
}
