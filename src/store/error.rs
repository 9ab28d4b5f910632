//! Store errors: each says which operation failed and what to check.

/// Everything the run store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "run store `{url}` is not understood: {message}; use `sqlite:PATH`, a file path, `sqlite::memory:` or `postgres://user@host:port/db`"
    )]
    BadUrl { url: String, message: String },
    #[error(
        "run store {path} does not exist (nothing was created); point at the store the worker writes"
    )]
    Missing { path: String },
    #[error(
        "cannot open the run store {target}: {source}; check that it exists, is reachable and the credentials are right"
    )]
    Connect {
        target: String,
        #[source]
        source: sqlx::Error,
    },
    #[error(
        "cannot bring the run store {target} to the current schema: {source}; a newer driftcost may have written it, or an older migration was edited"
    )]
    Migrate {
        target: String,
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    #[error(
        "run store query failed ({op}): {source}; check that the database is reachable and not full"
    )]
    Query {
        op: &'static str,
        #[source]
        source: sqlx::Error,
    },
    #[error(
        "run store holds a row this driftcost cannot read ({what}): {message}; was it written by a newer version?"
    )]
    Corrupt { what: &'static str, message: String },
    #[error("cannot record run {run}: {message}")]
    InvalidResult { run: i64, message: String },
}

/// `map_err` helper naming the operation.
pub(crate) fn query(op: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |source| StoreError::Query { op, source }
}
