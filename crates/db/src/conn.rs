//! The connection enum, backend selection from the URL scheme, and the pool.

use std::time::Duration;

use csc_core::AppError;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};

/// A connection to whichever database the suite runs on.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The database chosen by `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// Path of the SQLite file.
    Sqlite(String),
    /// A `postgres://` URL.
    Postgres(String),
}

impl Backend {
    /// Picks the backend from the URL scheme: `postgres://`/`postgresql://`, else SQLite
    /// (`sqlite://path`, `sqlite:path` or a plain path).
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        anyhow::ensure!(!url.is_empty(), "DATABASE_URL est vide");
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Backend::Postgres(url.to_string()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        anyhow::ensure!(
            !path.contains("://"),
            "DATABASE_URL doit commencer par postgres:// ou sqlite:// (reçu : {})",
            url.split("://").next().unwrap_or_default()
        );
        Ok(Backend::Sqlite(path.to_string()))
    }

    /// A short name for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// Opens connections for the pool, reporting each backend's own errors.
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
}

impl Manager {
    fn open(&self) -> Result<DbConn, ConnectionError> {
        match &self.backend {
            Backend::Postgres(url) => PgConnection::establish(url).map(DbConn::Pg),
            Backend::Sqlite(path) => {
                let mut c = SqliteConnection::establish(path)?;
                // Pragmas are per connection, so they are set on every new one.
                c.batch_execute(
                    "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(c))
            }
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.open().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// A connection borrowed from the pool.
pub type PooledConn = PooledConnection<Manager>;

/// The pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
}

impl Db {
    /// Connects to `url` (creating the SQLite file and its folder when needed). The first
    /// connection is opened directly so a wrong password or host is reported as such.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Self> {
        let backend = Backend::from_url(url)?;
        if let Backend::Sqlite(path) = &backend {
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)?;
                }
            }
        }
        let manager = Manager {
            backend: backend.clone(),
        };
        manager.open().map_err(|e| {
            anyhow::anyhow!("connexion à la base {} impossible : {e}", backend.name())
        })?;
        let pool = Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Self { pool, backend })
    }

    /// Which database this is.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// A pooled connection, for synchronous callers (command line, background jobs in
    /// blocking threads). An exhausted pool is a 503.
    pub fn get(&self) -> Result<PooledConn, AppError> {
        self.pool.get().map_err(|e| {
            tracing::warn!(error = %e, "database pool exhausted or unreachable");
            AppError::Unavailable
        })
    }

    /// Runs one unit of work on a pooled connection in a blocking thread, so the async
    /// executor is never blocked. Transactions live inside `f`, never across an `.await`.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            let mut conn = db.get()?;
            f(&mut conn)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
    }

    /// True when the database answers.
    pub async fn ping(&self) -> bool {
        self.run(|c| c.batch_execute("SELECT 1").map_err(AppError::from))
            .await
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_is_chosen_from_the_scheme() {
        assert_eq!(
            Backend::from_url("postgres://u:p@h/db").ok(),
            Some(Backend::Postgres("postgres://u:p@h/db".into()))
        );
        assert_eq!(
            Backend::from_url("sqlite://data/csc.sqlite").ok(),
            Some(Backend::Sqlite("data/csc.sqlite".into()))
        );
        assert_eq!(
            Backend::from_url("data/x.db").ok(),
            Some(Backend::Sqlite("data/x.db".into()))
        );
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert!(Backend::from_url("").is_err());
    }

    #[test]
    fn postgres_errors_keep_their_real_cause() {
        // Nothing listens on port 1: the message must say so, not "invalid url".
        let err = Db::connect("postgres://nobody:x@127.0.0.1:1/none", 1)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("postgres"), "{err}");
        assert!(!err.contains("multiconnection"), "{err}");
    }

    #[test]
    fn sqlite_connections_get_their_pragmas() {
        let dir = std::env::temp_dir().join(format!("csc-db-test-{}", std::process::id()));
        let path = dir.join("p.sqlite");
        let db = Db::connect(&format!("sqlite://{}", path.display()), 2).expect("connect");
        let mut conn = db.get().expect("conn");
        #[derive(QueryableByName)]
        struct Fk {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            foreign_keys: i32,
        }
        let fk: Fk = diesel::sql_query("PRAGMA foreign_keys")
            .get_result(&mut *conn)
            .expect("pragma");
        assert_eq!(fk.foreign_keys, 1);
        drop(conn);
        let _ = std::fs::remove_dir_all(dir);
    }
}
