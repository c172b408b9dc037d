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

// The two helpers are what the rest of the workspace calls instead of `transaction`.
#[allow(clippy::disallowed_methods)]
impl DbConn {
    /// Runs `f` in a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a transaction begun plainly reads first, and if another connection
    /// writes meanwhile, its own first write fails at once (« database is locked », which the
    /// busy timeout does not wait out), so the user would get an error page for a moment's
    /// overlap with, say, the mail queue. With the lock taken first, the others wait their turn.
    /// Inside a transaction already begun, this is a savepoint as with `transaction`.
    pub fn write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let Self::Sqlite(c) = self else {
            return self.transaction(f);
        };
        let outermost = AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()?
            .is_none();
        if !outermost {
            return self.transaction(f);
        }
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        let result = f(self);
        let Self::Sqlite(c) = self else {
            unreachable!("the connection stays SQLite");
        };
        match result {
            Ok(value) => {
                AnsiTransactionManager::commit_transaction(c)?;
                Ok(value)
            }
            Err(e) => match AnsiTransactionManager::rollback_transaction(c) {
                Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
                Err(rollback) => Err(rollback.into()),
            },
        }
    }

    /// Runs `f`, which only reads, on one snapshot of the database: queries in a row otherwise
    /// each see the latest writes, so a report could count an event in one table and miss it in
    /// the next (PostgreSQL: a `REPEATABLE READ` read-only transaction; SQLite: a transaction,
    /// whose reads share one snapshot). Not inside another transaction: PostgreSQL sets the
    /// isolation level only at the start of one.
    pub fn read_snapshot<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Self) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        self.transaction(|c| {
            if matches!(c, Self::Pg(_)) {
                c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
            }
            f(c)
        })
    }
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

    /// Runs one user action that writes: `f` inside one write transaction (`BEGIN IMMEDIATE` on
    /// SQLite), on a pooled connection in a blocking thread. Its rows and the mails it queues in
    /// the outbox commit together when `f` succeeds, and none of them when it fails.
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |c| c.write_transaction(f)).await
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

    /// A scratch SQLite database (in the returned folder) with an empty table `t (n)`.
    fn table_t(name: &str) -> (std::path::PathBuf, Db) {
        let dir = std::env::temp_dir().join(format!("csc-db-{name}-{}", std::process::id()));
        let db = Db::connect(&format!("sqlite://{}", dir.join("t.sqlite").display()), 2)
            .expect("connect");
        db.get()
            .expect("conn")
            .batch_execute("CREATE TABLE t (n INTEGER NOT NULL)")
            .expect("table");
        (dir, db)
    }

    fn count(c: &mut DbConn) -> i64 {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM t)",
        ))
        .get_result(c)
        .expect("count")
    }

    /// Two connections to one SQLite file: the first reads, the second writes, then the first
    /// writes. Begun plainly, the first one's write fails; with `write_transaction`, the second
    /// waits for the first to commit, and both writes are kept.
    #[test]
    #[allow(clippy::disallowed_methods)] // the plain transaction is what it shows failing
    fn sqlite_write_transactions_wait_for_each_other_instead_of_failing() {
        let (dir, db) = table_t("lock");
        let mut a = db.get().expect("conn");
        // Meanwhile, another connection writes (and waits up to the busy timeout if it must).
        let other_writes = |db: &Db| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut b = db.get().expect("conn");
                b.batch_execute("INSERT INTO t VALUES (2)")
            })
        };

        let plain = a.transaction::<_, diesel::result::Error, _>(|c| {
            count(c);
            other_writes(&db).join().expect("thread")?;
            c.batch_execute("INSERT INTO t VALUES (1)")
        });
        let err = plain.expect_err("a plain transaction's write after another's fails");
        assert!(err.to_string().contains("locked"), "{err}");
        assert_eq!(count(&mut a), 1, "only the other connection's row");

        let immediate = a.write_transaction::<_, diesel::result::Error, _>(|c| {
            let seen = count(c);
            let other = other_writes(&db);
            std::thread::sleep(std::time::Duration::from_millis(200));
            c.batch_execute("INSERT INTO t VALUES (1)")?;
            Ok((seen, other))
        });
        let (seen, other) = immediate.expect("the write transaction commits");
        assert_eq!(seen, 1);
        other
            .join()
            .expect("thread")
            .expect("the other write waited and was kept");
        assert_eq!(count(&mut a), 3);
        drop(a);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A report's queries see the database as it was at the first one, whatever is written
    /// meanwhile.
    #[test]
    fn a_read_snapshot_does_not_see_writes_made_during_it() {
        let (dir, db) = table_t("snap");
        let mut a = db.get().expect("conn");
        let write = || {
            let db = db.clone();
            std::thread::spawn(move || {
                db.get()
                    .expect("conn")
                    .batch_execute("INSERT INTO t VALUES (1)")
            })
            .join()
            .expect("thread")
            .expect("insert");
        };
        let (before, after) = a
            .read_snapshot::<_, diesel::result::Error, _>(|c| {
                let before = count(c);
                write();
                Ok((before, count(c)))
            })
            .expect("snapshot");
        assert_eq!((before, after), (0, 0));
        // Outside a snapshot, the second query sees the write.
        let before = count(&mut a);
        write();
        assert_eq!((before, count(&mut a)), (1, 2));
        drop(a);
        let _ = std::fs::remove_dir_all(dir);
    }
}
