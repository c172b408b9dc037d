//! Words people ask for: one request per normalised spelling and lexicon, counted each time it
//! is asked (« Bidouille », « bidouille », « bidouillé »: one request asked three times), claimed
//! by one workshop at a time, answered when a definition is published.

use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{
    glossaire_aliases as a, glossaire_entries as e, glossaire_requests as r,
    glossaire_workshops as w,
};
use crate::search::Query;

csc_core::coded! {
    /// Where a request stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum RequestStatus {
        Open = ("ouverte", "En attente d'un atelier"),
        Claimed = ("prise", "Prise par un atelier"),
        Answered = ("publiee", "Définition publiée"),
    }
}
csc_db::sql_coded!(RequestStatus);

/// A word asked for.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = r)]
pub struct Request {
    pub id: i64,
    pub lexicon_id: i64,
    pub text: String,
    pub norm: String,
    pub times: i64,
    pub status: RequestStatus,
    pub workshop_id: Option<i64>,
    pub claimed_at: Option<NaiveDateTime>,
    pub entry_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub last_asked_at: NaiveDateTime,
    pub digested_at: Option<NaiveDateTime>,
}

/// What asking for a word did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// The lexicon already explains it: the entry to show.
    Exists(i64),
    /// The request, and how many times it was asked in all.
    Counted { id: i64, times: i64 },
}

/// The published entry whose word or alias is spelt `norm` in the lexicon.
pub fn published_spelling(
    conn: &mut DbConn,
    lexicon_id: i64,
    norm: &str,
) -> QueryResult<Option<i64>> {
    let by_word: Option<i64> = e::table
        .filter(e::lexicon_id.eq(lexicon_id))
        .filter(e::norm.eq(norm))
        .filter(e::published.is_not_null())
        .select(e::id)
        .first(conn)
        .optional()?;
    if by_word.is_some() {
        return Ok(by_word);
    }
    a::table
        .inner_join(e::table)
        .filter(e::lexicon_id.eq(lexicon_id))
        .filter(a::norm.eq(norm))
        .filter(e::published.is_not_null())
        .select(e::id)
        .first(conn)
        .optional()
}

/// Asks for `q` in the lexicon: the existing entry, or the request counted once more (created
/// the first time).
pub fn ask(conn: &mut DbConn, lexicon_id: i64, q: &Query) -> Result<Asked, AppError> {
    if let Some(id) = published_spelling(conn, lexicon_id, &q.norm)? {
        return Ok(Asked::Exists(id));
    }
    let now = time::now();
    let existing: Option<(i64, i64)> = r::table
        .filter(r::lexicon_id.eq(lexicon_id))
        .filter(r::norm.eq(&q.norm))
        .select((r::id, r::times))
        .first(conn)
        .optional()?;
    match existing {
        Some((id, times)) => {
            diesel::update(r::table.find(id))
                .set((r::times.eq(r::times + 1), r::last_asked_at.eq(now)))
                .execute(conn)?;
            Ok(Asked::Counted {
                id,
                times: times + 1,
            })
        }
        None => {
            diesel::insert_into(r::table)
                .values((
                    r::lexicon_id.eq(lexicon_id),
                    r::text.eq(&q.text),
                    r::norm.eq(&q.norm),
                    r::times.eq(1),
                    r::status.eq(RequestStatus::Open),
                    r::created_at.eq(now),
                    r::last_asked_at.eq(now),
                ))
                .execute(conn)?;
            let id = r::table
                .filter(r::lexicon_id.eq(lexicon_id))
                .filter(r::norm.eq(&q.norm))
                .select(r::id)
                .first(conn)?;
            Ok(Asked::Counted { id, times: 1 })
        }
    }
}

/// A request with the workshop that holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub request: Request,
    pub workshop: Option<String>,
}

/// The requests not yet answered (of one lexicon, or all), most asked first.
pub fn pending(conn: &mut DbConn, lexicon_id: Option<i64>) -> QueryResult<Vec<Listed>> {
    let mut q = r::table
        .left_join(w::table)
        .filter(r::status.ne(RequestStatus::Answered))
        .select((Request::as_select(), w::title.nullable()))
        .order((r::times.desc(), r::last_asked_at.desc()))
        .into_boxed();
    if let Some(id) = lexicon_id {
        q = q.filter(r::lexicon_id.eq(id));
    }
    Ok(q.load::<(Request, Option<String>)>(conn)?
        .into_iter()
        .map(|(request, workshop)| Listed { request, workshop })
        .collect())
}

/// The request `id`.
pub fn get(conn: &mut DbConn, id: i64) -> Result<Request, AppError> {
    Ok(r::table.find(id).select(Request::as_select()).first(conn)?)
}

/// Why a claim was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimRefused {
    /// Another workshop holds it: its title and its structure's name.
    Taken { workshop: String, structure: String },
    /// Its definition is already published.
    Answered,
}

impl ClaimRefused {
    pub fn message(&self) -> String {
        match self {
            Self::Taken {
                workshop,
                structure,
            } => {
                format!("Cette demande est déjà prise par l'atelier « {workshop} » ({structure}).")
            }
            Self::Answered => "Ce mot a déjà sa définition.".into(),
        }
    }
}

/// The workshop `workshop_id` claims the request: only one workshop holds a request at a time.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    workshop_id: i64,
) -> Result<Result<(), ClaimRefused>, AppError> {
    let n = diesel::update(
        r::table
            .find(id)
            .filter(r::status.eq(RequestStatus::Open))
            .filter(r::workshop_id.is_null()),
    )
    .set((
        r::status.eq(RequestStatus::Claimed),
        r::workshop_id.eq(Some(workshop_id)),
        r::claimed_at.eq(Some(time::now())),
    ))
    .execute(conn)?;
    if n == 1 {
        return Ok(Ok(()));
    }
    let req = get(conn, id)?;
    match (req.status, req.workshop_id) {
        (RequestStatus::Answered, _) => Ok(Err(ClaimRefused::Answered)),
        (_, Some(holder)) if holder == workshop_id => Ok(Ok(())),
        (_, Some(holder)) => {
            let (title, structure): (String, i64) = w::table
                .find(holder)
                .select((w::title, w::structure_id))
                .first(conn)?;
            let structure = crate::workshops::structure(conn, structure)?.name;
            Ok(Err(ClaimRefused::Taken {
                workshop: title,
                structure,
            }))
        }
        (_, None) => Err(AppError::Conflict(
            "La demande n'a pas pu être prise.".into(),
        )),
    }
}

/// The workshop gives the request back (open again for others).
pub fn release(conn: &mut DbConn, id: i64, workshop_id: i64) -> Result<(), AppError> {
    let n = diesel::update(
        r::table
            .find(id)
            .filter(r::workshop_id.eq(Some(workshop_id)))
            .filter(r::status.eq(RequestStatus::Claimed)),
    )
    .set((
        r::status.eq(RequestStatus::Open),
        r::workshop_id.eq(None::<i64>),
        r::claimed_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    csc_db::exactly_one(n)
}

/// The requests a workshop holds.
pub fn held_by(conn: &mut DbConn, workshop_id: i64) -> QueryResult<Vec<Request>> {
    r::table
        .filter(r::workshop_id.eq(Some(workshop_id)))
        .filter(r::status.eq(RequestStatus::Claimed))
        .select(Request::as_select())
        .order(r::text)
        .load(conn)
}

/// The request is answered by the entry.
pub fn answered(conn: &mut DbConn, id: i64, entry_id: i64) -> QueryResult<()> {
    diesel::update(r::table.find(id))
        .set((
            r::status.eq(RequestStatus::Answered),
            r::entry_id.eq(Some(entry_id)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Any request for this word in the lexicon is answered by the entry.
pub fn answer_by_word(
    conn: &mut DbConn,
    lexicon_id: i64,
    word: &str,
    entry_id: i64,
) -> QueryResult<()> {
    diesel::update(
        r::table
            .filter(r::lexicon_id.eq(lexicon_id))
            .filter(r::norm.eq(crate::text::normalize(word))),
    )
    .set((
        r::status.eq(RequestStatus::Answered),
        r::entry_id.eq(Some(entry_id)),
    ))
    .execute(conn)?;
    Ok(())
}
