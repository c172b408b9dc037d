//! One database connection type over SQLite or PostgreSQL, its pool, and the embedded migrations.

mod conn;
mod migrate;

pub use conn::{Backend, Db, DbConn, PooledConn};
pub use migrate::{run_migrations, MIGRATION_DIRS};

/// Dialect-specific SQL kept in one place: `match` on the connection variant here, nowhere else.
pub fn is_postgres(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Pg(_))
}
