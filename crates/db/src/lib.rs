//! One database connection type over SQLite or PostgreSQL, its pool, and the embedded migrations.

mod conn;
mod migrate;

pub use conn::{Backend, Db, DbConn, PooledConn};
pub use migrate::{run_migrations, run_migrations_before, MIGRATION_DIRS};

/// Dialect-specific SQL kept in one place: `match` on the connection variant here, nowhere else.
pub fn is_postgres(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Pg(_))
}

#[doc(hidden)]
pub use diesel;

/// Maps [`csc_core::Coded`] enums to text columns on both backends: stored as their code, read
/// back by parsing it (an unknown code is an error, never a silent default). The enum also
/// derives `diesel::AsExpression` and `diesel::FromSqlRow` with `sql_type = Text`:
///
/// ```ignore
/// csc_core::coded! {
///     #[derive(diesel::AsExpression, diesel::FromSqlRow)]
///     #[diesel(sql_type = diesel::sql_types::Text)]
///     pub enum Status { Sent = ("envoyee", "Envoyée") }
/// }
/// csc_db::sql_coded!(Status);
/// ```
#[macro_export]
macro_rules! sql_coded {
    ($($t:ty),+ $(,)?) => {$(
        impl<DB> $crate::diesel::serialize::ToSql<$crate::diesel::sql_types::Text, DB> for $t
        where
            DB: $crate::diesel::backend::Backend,
            str: $crate::diesel::serialize::ToSql<$crate::diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut $crate::diesel::serialize::Output<'b, '_, DB>,
            ) -> $crate::diesel::serialize::Result {
                <str as $crate::diesel::serialize::ToSql<$crate::diesel::sql_types::Text, DB>>::to_sql(
                    ::csc_core::Coded::code(*self),
                    out,
                )
            }
        }

        impl<DB> $crate::diesel::deserialize::FromSql<$crate::diesel::sql_types::Text, DB> for $t
        where
            DB: $crate::diesel::backend::Backend,
            String: $crate::diesel::deserialize::FromSql<$crate::diesel::sql_types::Text, DB>,
        {
            fn from_sql(
                bytes: <DB as $crate::diesel::backend::Backend>::RawValue<'_>,
            ) -> $crate::diesel::deserialize::Result<Self> {
                let code = <String as $crate::diesel::deserialize::FromSql<
                    $crate::diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                <$t as ::csc_core::Coded>::parse(&code).ok_or_else(|| {
                    format!("unknown {} code {code:?}", stringify!($t)).into()
                })
            }
        }
    )+};
}

/// A write that must touch exactly one row (of the centre, of the household…): none means the
/// row is not theirs, or not there (404).
pub fn exactly_one(rows: usize) -> Result<(), csc_core::AppError> {
    match rows {
        1 => Ok(()),
        _ => Err(csc_core::AppError::NotFound),
    }
}
