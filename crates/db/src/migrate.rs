//! Embedded migrations, one sequence per backend with the same names.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::DbConn;

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// The two migration folders, relative to the workspace root.
pub const MIGRATION_DIRS: [&str; 2] = ["migrations/sqlite", "migrations/postgres"];

/// An arbitrary constant: the advisory lock that serialises migrations of several instances.
const PG_MIGRATION_LOCK: i64 = 0x0c5c_0001;

/// Applies the pending migrations whose version comes before `version` (e.g. `2026-12-04-000002`),
/// so that a test can put data in the schema as it was, then run the rest with
/// [`run_migrations`].
pub fn run_migrations_before(conn: &mut DbConn, version: &str) -> anyhow::Result<usize> {
    fn until<DB: diesel::backend::Backend>(
        harness: &mut impl MigrationHarness<DB>,
        source: EmbeddedMigrations,
        version: &str,
    ) -> anyhow::Result<usize> {
        let pending = harness
            .pending_migrations(source)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        // Diesel reads `2026-12-04-000002_name` as the version `20261204000002`.
        let before: String = version.chars().filter(char::is_ascii_digit).collect();
        let mut n = 0;
        for m in pending {
            let v: String = m
                .name()
                .version()
                .to_string()
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            if v >= before {
                break;
            }
            harness
                .run_migration(&*m)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            n += 1;
        }
        Ok(n)
    }
    match conn {
        DbConn::Sqlite(c) => until(c, SQLITE, version),
        DbConn::Pg(c) => until(c, POSTGRES, version),
    }
}

/// Applies every pending migration; returns how many ran.
pub fn run_migrations(conn: &mut DbConn) -> anyhow::Result<usize> {
    let applied = match conn {
        DbConn::Sqlite(c) => c
            .run_pending_migrations(SQLITE)
            .map_err(|e| anyhow::anyhow!("migration SQLite : {e}"))?
            .len(),
        DbConn::Pg(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))?;
            let result = c
                .run_pending_migrations(POSTGRES)
                .map(|v| v.len())
                .map_err(|e| anyhow::anyhow!("migration PostgreSQL : {e}"));
            c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"))?;
            result?
        }
    };
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn names(dir: &str) -> Vec<String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir);
        let mut v: Vec<String> = std::fs::read_dir(&root)
            .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn migration_names_are_identical_for_both_backends() {
        let sqlite = names(super::MIGRATION_DIRS[0]);
        let postgres = names(super::MIGRATION_DIRS[1]);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
        for dir in super::MIGRATION_DIRS {
            for name in names(dir) {
                let base = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../..")
                    .join(dir)
                    .join(&name);
                assert!(base.join("up.sql").exists(), "{dir}/{name}/up.sql");
                assert!(base.join("down.sql").exists(), "{dir}/{name}/down.sql");
            }
        }
    }
}
