//! The centre's tariff grids, stored as the JSON admins import and export
//! (docs/tarifs-grilles.md), checked by the pricing engine before they are kept.

use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_pricing::Grid;
use csc_web::forms::required;
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::preinscription_grids as g;

/// A stored grid.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = g)]
pub struct StoredGrid {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub spec: String,
    pub updated_at: NaiveDateTime,
}

impl StoredGrid {
    /// The grid, ready to price (it was checked when stored).
    pub fn grid(&self) -> Result<Grid, AppError> {
        Grid::from_json(&self.spec).map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "stored grid {} no longer valid: {e}",
                self.id
            ))
        })
    }
}

/// The grid form: a name and the JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct GridForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub spec: String,
}

/// Largest grid accepted (a real grid is a few kilobytes).
const SPEC_MAX: usize = 60_000;

impl GridForm {
    /// The name and the grid in its stored form (checked, pretty-printed).
    pub fn parse(&self) -> Result<(String, String), FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required(&self.name, 80, "le nom de la grille"));
        let spec = if self.spec.trim().is_empty() {
            e.add("spec", "Collez la grille au format JSON.");
            None
        } else if self.spec.len() > SPEC_MAX {
            e.add(
                "spec",
                "Cette grille est trop longue (60 000 caractères au plus).",
            );
            None
        } else {
            e.check(
                "spec",
                Grid::from_json(&self.spec)
                    .map(|grid| grid.to_json())
                    .map_err(|err| format!("Grille refusée : {err}")),
            )
        };
        match (name, spec) {
            (Some(n), Some(s)) if e.is_empty() => Ok((n, s)),
            _ => Err(e),
        }
    }
}

/// The grids of a centre, by name.
pub fn of_centre(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<StoredGrid>> {
    g::table
        .filter(g::centre_id.eq(centre_id))
        .order(g::name)
        .select(StoredGrid::as_select())
        .load(conn)
}

/// One grid of the centre.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<StoredGrid, AppError> {
    Ok(g::table
        .filter(g::id.eq(id))
        .filter(g::centre_id.eq(centre_id))
        .select(StoredGrid::as_select())
        .first(conn)?)
}

/// Adds a grid, or replaces the centre's grid of the same name (an import).
pub fn save(conn: &mut DbConn, centre_id: i64, name: &str, spec: &str) -> QueryResult<i64> {
    conn.write_transaction(|conn| {
        let existing: Option<i64> = g::table
            .filter(g::centre_id.eq(centre_id))
            .filter(g::name.eq(name))
            .select(g::id)
            .first(conn)
            .optional()?;
        match existing {
            Some(id) => {
                diesel::update(g::table.find(id))
                    .set((g::spec.eq(spec), g::updated_at.eq(time::now())))
                    .execute(conn)?;
                Ok(id)
            }
            None => diesel::insert_into(g::table)
                .values((
                    g::centre_id.eq(centre_id),
                    g::name.eq(name),
                    g::spec.eq(spec),
                    g::updated_at.eq(time::now()),
                ))
                .returning(g::id)
                .get_result(conn),
        }
    })
}
