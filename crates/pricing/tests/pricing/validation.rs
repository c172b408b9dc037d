//! Malformed grids are refused when loaded, with a French message saying what to fix.
//! The grids here are SYNTHETIC, each broken in one way.

use csc_pricing::{Grid, GridError};

/// A one-schedule band grid around the given bands.
fn with_bands(bands: &str) -> Result<Grid, GridError> {
    Grid::from_json(&format!(
        r#"{{ "centre": "Essai", "activity": "Essai", "season": "2025",
             "schedules": [{{ "label": "Essai", "pricing": {{ "kind": "tranches", "bands": [{bands}] }} }}] }}"#
    ))
}

fn band(label: &str, min: Option<(u32, bool)>, max: Option<(u32, bool)>, price: i64) -> String {
    let limit = |name, l: Option<(u32, bool)>| {
        l.map(|(qf, inclusive)| format!(r#""{name}": {{ "qf": {qf}, "inclusive": {inclusive} }},"#))
            .unwrap_or_default()
    };
    format!(
        r#"{{ "label": "{label}", {} {} "prices": {{ "journee": {price} }} }}"#,
        limit("min", min),
        limit("max", max)
    )
}

fn message(result: Result<Grid, GridError>) -> String {
    result.expect_err("refused").to_string()
}

#[test]
fn overlapping_bands_are_refused() {
    let bands = [
        band("T1", None, Some((500, true)), 500),
        band("T2", Some((500, true)), None, 600),
    ]
    .join(",");
    let err = with_bands(&bands).expect_err("overlap");
    assert!(matches!(err, GridError::Overlap { qf: 500, .. }));
    assert_eq!(
        err.to_string(),
        "Les tranches « T1 » et « T2 » se chevauchent : le QF 500 est dans les deux."
    );
}

#[test]
fn gaps_between_bands_are_refused() {
    let bands = [
        band("T1", None, Some((500, true)), 500),
        band("T2", Some((510, true)), None, 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "Trou entre les tranches « T1 » et « T2 » : les QF 501 à 509 ne sont dans aucune tranche."
    );
    // Exclusive on both sides of 500: 500 itself is left out.
    let bands = [
        band("T1", None, Some((500, false)), 500),
        band("T2", Some((500, false)), None, 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "Trou entre les tranches « T1 » et « T2 » : le QF 500 n'est dans aucune tranche."
    );
}

#[test]
fn bands_must_start_at_zero_and_end_open() {
    let bands = [
        band("T1", Some((100, true)), Some((500, true)), 500),
        band("T2", Some((500, false)), None, 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "La première tranche « T1 » commence au QF 100 : les QF 0 à 99 ne sont dans aucune tranche."
    );
    let bands = [
        band("T1", None, Some((500, true)), 500),
        band("T2", Some((500, false)), Some((2000, true)), 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "La dernière tranche « T2 » s'arrête au QF 2000 : la dernière tranche ne doit pas avoir de limite haute."
    );
}

#[test]
fn empty_and_unsorted_bands_are_refused() {
    let bands = [
        band("T1", None, Some((500, true)), 500),
        band("T2", Some((500, false)), Some((501, false)), 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "La tranche « T2 » est vide : sa limite basse dépasse sa limite haute."
    );
    let bands = [
        band("Haute", Some((500, false)), None, 600),
        band("Basse", None, Some((500, true)), 500),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "Les tranches doivent être rangées par QF croissant : « Basse » est mal placée."
    );
    let bands = [
        band("T1", None, Some((500, true)), 500),
        band("T1", Some((500, false)), None, 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "Deux tranches du barème « Essai » s'appellent « T1 »."
    );
}

#[test]
fn negative_prices_are_refused() {
    let bands = [
        band("T1", None, Some((500, true)), -100),
        band("T2", Some((500, false)), None, 600),
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "Tranche « T1 », la journée : le montant -1,00\u{a0}€ est négatif."
    );
}

#[test]
fn unknown_units_are_refused_with_the_list_of_codes() {
    let bands = r#"{ "label": "T1", "prices": { "jour": 500 } }"#;
    let err = with_bands(bands).expect_err("unknown unit");
    assert!(matches!(&err, GridError::UnknownUnit(u) if u.0 == "jour"));
    assert!(err
        .to_string()
        .starts_with("Unité inconnue « jour » : les unités possibles sont journee, demi_journee,"));
}

#[test]
fn bands_must_price_the_same_units() {
    let bands = [
        r#"{ "label": "T1", "max": { "qf": 500, "inclusive": true }, "prices": { "journee": 500, "demi_journee": 250 } }"#,
        r#"{ "label": "T2", "min": { "qf": 500, "inclusive": false }, "prices": { "journee": 600 } }"#,
    ]
    .join(",");
    assert_eq!(
        message(with_bands(&bands)),
        "La tranche « T2 » ne donne pas de prix pour la demi-journée alors que d'autres tranches du barème en donnent."
    );
}

fn effort(floor: i64, ceiling: i64, rate: &str) -> Result<Grid, GridError> {
    Grid::from_json(&format!(
        r#"{{ "centre": "Essai", "activity": "Essai", "season": "2025",
             "schedules": [{{ "label": "Essai", "pricing": {{ "kind": "taux_effort",
               "units": {{ "repas": {{ "rate_percent": {rate}, "floor_cents": {floor}, "ceiling_cents": {ceiling} }} }} }} }}] }}"#
    ))
}

#[test]
fn taux_effort_needs_a_floor_below_its_ceiling_and_a_real_rate() {
    assert!(effort(260, 450, "0.36").is_ok());
    assert!(effort(450, 450, "0.36").is_ok());
    assert_eq!(
        message(effort(500, 450, "0.36")),
        "Taux d'effort pour le repas : le plancher 5,00\u{a0}€ dépasse le plafond 4,50\u{a0}€."
    );
    assert!(matches!(
        effort(260, 450, "0"),
        Err(GridError::BadRate { .. })
    ));
    assert!(matches!(
        effort(-1, 450, "0.36"),
        Err(GridError::NegativePrice { .. })
    ));
    let err = message(effort(260, 450, "0.123456"));
    assert!(err.contains("4 décimales au plus"), "{err}");
}

#[test]
fn json_mistakes_say_where_they_are() {
    let err =
        Grid::from_json("{\n  \"centre\": \"Essai\",\n  \"activite\": \"x\"\n}").expect_err("typo");
    assert!(matches!(err, GridError::Json { line: 3, .. }));
    assert!(
        err.to_string()
            .starts_with("Le fichier n'est pas une grille valide (ligne 3, colonne "),
        "{err}"
    );
    assert!(err.to_string().contains("activite"));
    assert!(matches!(
        Grid::from_json("pas du JSON"),
        Err(GridError::Json { line: 1, .. })
    ));
}

/// A grid with the given top-level fields and schedules.
fn grid(fields: &str, schedules: &str) -> Result<Grid, GridError> {
    Grid::from_json(&format!(
        r#"{{ "centre": "Essai", "activity": "Essai", "season": "2025", {fields} "schedules": [{schedules}] }}"#
    ))
}

fn schedule(label: &str, ages: &str, price: &str) -> String {
    format!(
        r#"{{ "label": "{label}", {ages} "pricing": {{ "kind": "tranches",
             "bands": [{{ "label": "Unique", "prices": {{ "journee": {price} }} }}] }} }}"#
    )
}

#[test]
fn rules_that_contradict_each_other_are_refused() {
    let by_rank = schedule("Essai", "", "[700, 600]");
    assert_eq!(
        message(grid(r#""sibling_discount_percent": [0, 10],"#, &by_rank)),
        "La grille donne déjà des prix par rang d'enfant : une réduction fratrie en plus s'appliquerait deux fois."
    );
    let flat = schedule("Essai", "", "700");
    assert!(matches!(
        grid(r#""sibling_discount_percent": [0, 120],"#, &flat),
        Err(GridError::BadPercent { .. })
    ));
    assert_eq!(
        message(grid(r#""missing_qf": { "tranche": "T9" },"#, &flat)),
        "Sans QF, la grille applique la tranche « T9 », qui n'existe pas dans le barème « Essai »."
    );
    let threshold = flat.replace(
        r#""kind": "tranches","#,
        r#""kind": "tranches", "lower_band_from_children": 1,"#,
    );
    assert!(matches!(
        grid("", &threshold),
        Err(GridError::BadChildrenThreshold(1))
    ));
}

#[test]
fn age_brackets_must_be_given_and_must_not_overlap() {
    let young = schedule("Petits", r#""ages": { "min": 3, "max": 10 },"#, "700");
    let old = schedule("Grands", r#""ages": { "min": 10, "max": 17 },"#, "800");
    assert_eq!(
        message(grid("", &[young.clone(), old].join(","))),
        "Les barèmes « Petits » et « Grands » concernent tous deux les enfants de 10 ans."
    );
    let no_age = schedule("Sans âge", "", "800");
    assert_eq!(
        message(grid("", &[young, no_age].join(","))),
        "Le barème « Sans âge » doit indiquer ses âges : la grille a plusieurs barèmes, l'âge de l'enfant choisit le bon."
    );
}

#[test]
fn membership_fees_are_checked() {
    assert_eq!(
        message(grid("", "")),
        "La grille ne contient ni barème ni adhésion."
    );
    let twice = r#""membership_fees": [{ "kind": "famille", "cents": 1000 }, { "kind": "famille", "cents": 2000 }],"#;
    assert_eq!(
        message(grid(twice, "")),
        "L'adhésion famille est indiquée deux fois."
    );
    let negative = r#""membership_fees": [{ "kind": "enfant", "cents": -5 }],"#;
    assert!(matches!(
        grid(negative, ""),
        Err(GridError::NegativePrice { .. })
    ));
}

#[test]
fn absurd_prices_are_refused_so_no_sum_can_overflow() {
    // The largest amount accepted passes; one cent more, or i64::MAX, is refused in French.
    let ok = band("T1", None, None, csc_pricing::MAX_AMOUNT_CENTS);
    assert!(with_bands(&ok).is_ok());
    let over = band("T1", None, None, csc_pricing::MAX_AMOUNT_CENTS + 1);
    let err = with_bands(&over).expect_err("too high");
    assert!(matches!(err, GridError::PriceTooHigh { .. }), "{err:?}");
    assert!(err.to_string().contains("dépasse"), "{err}");
    let huge = band("T1", None, None, i64::MAX);
    assert!(matches!(
        with_bands(&huge),
        Err(GridError::PriceTooHigh { .. })
    ));
}
