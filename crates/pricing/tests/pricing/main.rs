//! One test binary for the pricing engine, run against grids published by French centres and
//! towns (tests/grids/*.json, each citing its source) and a few synthetic grids, marked as such.

mod bands;
mod effort;
mod ranks;
mod siblings;
mod synthetic;
mod validation;

use csc_pricing::{Cents, Grid, Query, Quote};

/// Loads a fixture from tests/grids/, which must pass validation.
fn fixture(name: &str) -> Grid {
    let path = format!("{}/tests/grids/{name}", env!("CARGO_MANIFEST_DIR"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Grid::from_json(&json).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Prices a query that must succeed.
fn quote(grid: &Grid, query: Query) -> Quote {
    grid.price(&query)
        .unwrap_or_else(|e| panic!("{query:?}: {e}"))
}

/// The unit price of a query that must succeed.
fn unit_price(grid: &Grid, query: Query) -> Cents {
    quote(grid, query).unit_price
}

#[test]
fn every_fixture_survives_an_export_and_import() {
    for name in [
        "saffre-les-copains-dabord-2025.json",
        "wavrin-petites-vacances-2025.json",
        "fay-aux-loges-restaurant-scolaire.json",
        "enfants-dhelene-2023.json",
        "arnay-le-duc-adhesions.json",
    ] {
        let grid = fixture(name);
        let again = Grid::from_json(&grid.to_json()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(again, grid, "{name}");
    }
}

#[test]
fn complete_examples_of_the_admin_guide_are_valid_grids() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/tarifs-grilles.md");
    let guide = std::fs::read_to_string(path).expect("docs/tarifs-grilles.md");
    let examples: Vec<&str> = guide
        .split("```json\n")
        .skip(1)
        .filter_map(|block| block.split("\n```").next())
        .filter(|block| block.starts_with('{'))
        .collect();
    assert_eq!(examples.len(), 3, "one complete example per kind of grid");
    for example in examples {
        Grid::from_json(example).unwrap_or_else(|e| panic!("{e}\n{example}"));
    }
}
