//! Lexicons and their entries: each entry keeps every version of its definition; only the
//! published one is shown, found, or linked to.

use chrono::NaiveDateTime;
use csc_core::{time, AppError, Slug};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::schema::{
    glossaire_aliases as a, glossaire_entries as e, glossaire_lexicons as l,
    glossaire_versions as v,
};
use crate::search;
use crate::text::{normalize, phonetic};
use crate::workshops::{self, Structure};

/// A lexicon: the digital words, the Boussole's parenting words…
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = l)]
pub struct Lexicon {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub structure_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Every lexicon, by name.
pub fn lexicons(conn: &mut DbConn) -> QueryResult<Vec<Lexicon>> {
    l::table
        .select(Lexicon::as_select())
        .order(l::name)
        .load(conn)
}

/// The lexicon named `name` (its slug or its name, accents and case ignored).
pub fn lexicon_named(conn: &mut DbConn, name: &str) -> QueryResult<Option<Lexicon>> {
    let wanted = normalize(name);
    Ok(lexicons(conn)?
        .into_iter()
        .find(|x| normalize(&x.slug) == wanted || normalize(&x.name) == wanted))
}

/// The slug a lexicon named `name` gets; the French message when it has no letter.
pub fn lexicon_slug(name: &str) -> Result<String, String> {
    Slug::from_name(name)
        .map(|s| s.as_str().to_string())
        .map_err(|_| format!("le nom de lexique « {name} » doit contenir des lettres"))
}

/// The lexicon named `name`, created (credited to `structure`) when missing; `true` when created.
pub fn ensure_lexicon(
    conn: &mut DbConn,
    name: &str,
    structure: Option<i64>,
) -> Result<(Lexicon, bool), AppError> {
    if let Some(x) = lexicon_named(conn, name)? {
        return Ok((x, false));
    }
    let slug = lexicon_slug(name).map_err(AppError::bad_request)?;
    let x = diesel::insert_into(l::table)
        .values((
            l::slug.eq(slug),
            l::name.eq(name.trim()),
            l::description.eq(""),
            l::structure_id.eq(structure),
            l::created_at.eq(time::now()),
        ))
        .get_result::<Lexicon>(conn)?;
    Ok((x, true))
}

/// What a new version says.
#[derive(Debug, Clone, Default)]
pub struct NewVersion {
    pub term: String,
    pub aliases: Vec<String>,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub category: String,
    /// The credited structure.
    pub structure_id: Option<i64>,
    /// The workshop draft it comes from (its authors are credited).
    pub draft_id: Option<i64>,
    pub created_by: Option<i64>,
}

/// Whether a publication made a new entry or a new version of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    New(i64),
    Updated(i64),
}

impl Published {
    pub fn entry_id(self) -> i64 {
        match self {
            Self::New(id) | Self::Updated(id) => id,
        }
    }
}

/// The entry of `term` in the lexicon (same normalised spelling), if any.
pub fn find_entry(conn: &mut DbConn, lexicon_id: i64, term: &str) -> QueryResult<Option<i64>> {
    e::table
        .filter(e::lexicon_id.eq(lexicon_id))
        .filter(e::norm.eq(normalize(term)))
        .select(e::id)
        .first(conn)
        .optional()
}

/// Publishes a new version of the entry of `new.term` (created when missing) and adds its
/// aliases (`replace_aliases`: the aliases become exactly these).
pub fn publish(
    conn: &mut DbConn,
    lexicon_id: i64,
    new: &NewVersion,
    replace_aliases: bool,
) -> Result<Published, AppError> {
    let now = time::now();
    let existing = find_entry(conn, lexicon_id, &new.term)?;
    let outcome = match existing {
        Some(id) => Published::Updated(id),
        None => {
            diesel::insert_into(e::table)
                .values((
                    e::lexicon_id.eq(lexicon_id),
                    e::term.eq(new.term.trim()),
                    e::norm.eq(normalize(&new.term)),
                    e::phon.eq(phonetic(&new.term)),
                    e::created_at.eq(now),
                    e::updated_at.eq(now),
                ))
                .execute(conn)?;
            let id = find_entry(conn, lexicon_id, &new.term)?.ok_or(AppError::NotFound)?;
            Published::New(id)
        }
    };
    let id = outcome.entry_id();
    let last: Option<i32> = v::table
        .filter(v::entry_id.eq(id))
        .select(diesel::dsl::max(v::number))
        .first(conn)?;
    let number = last.unwrap_or(0) + 1;
    diesel::insert_into(v::table)
        .values((
            v::entry_id.eq(id),
            v::number.eq(number),
            v::word_class.eq(&new.word_class),
            v::definition.eq(&new.definition),
            v::example.eq(&new.example),
            v::related.eq(&new.related),
            v::category.eq(&new.category),
            v::structure_id.eq(new.structure_id),
            v::draft_id.eq(new.draft_id),
            v::created_by.eq(new.created_by),
            v::created_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(e::table.find(id))
        .set((
            e::published.eq(Some(number)),
            e::term.eq(new.term.trim()),
            e::updated_at.eq(now),
        ))
        .execute(conn)?;
    if replace_aliases {
        diesel::delete(a::table.filter(a::entry_id.eq(id))).execute(conn)?;
    }
    let own = normalize(&new.term);
    let mut have: Vec<String> = a::table
        .filter(a::entry_id.eq(id))
        .select(a::norm)
        .load(conn)?;
    for alias in &new.aliases {
        let norm = normalize(alias);
        if norm.is_empty() || norm == own || have.contains(&norm) {
            continue;
        }
        diesel::insert_into(a::table)
            .values((
                a::entry_id.eq(id),
                a::alias.eq(alias.trim()),
                a::norm.eq(&norm),
                a::phon.eq(phonetic(alias)),
            ))
            .execute(conn)?;
        have.push(norm);
    }
    search::bump(conn)?;
    Ok(outcome)
}

/// An author as the entry credits them: first name and initial with the age band, or only the
/// age band for a child under 15 without the parents' authorisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credit {
    pub label: String,
}

/// A published entry as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EntryPage {
    pub id: i64,
    pub term: String,
    pub lexicon: Lexicon,
    pub aliases: Vec<String>,
    pub number: i32,
    pub versions: i64,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    /// Related words, each with its entry when the lexicon has it.
    pub related: Vec<(String, Option<i64>)>,
    pub category: String,
    pub credits: Vec<Credit>,
    pub structure: Option<Structure>,
    pub understood: i64,
    pub not_understood: i64,
    pub has_illustration: bool,
    pub published_at: NaiveDateTime,
}

#[derive(Queryable)]
struct EntryRow {
    lexicon_id: i64,
    term: String,
    published: Option<i32>,
    understood: i64,
    not_understood: i64,
    has_illustration: bool,
}

#[derive(Queryable)]
struct VersionRow {
    word_class: String,
    definition: String,
    example: String,
    related: String,
    category: String,
    structure_id: Option<i64>,
    draft_id: Option<i64>,
    created_at: NaiveDateTime,
}

/// The published entry `id` (not found while nothing is published).
pub fn page(conn: &mut DbConn, id: i64) -> Result<EntryPage, AppError> {
    let row: EntryRow = e::table
        .find(id)
        .select((
            e::lexicon_id,
            e::term,
            e::published,
            e::understood,
            e::not_understood,
            e::illustration_type.is_not_null(),
        ))
        .first(conn)?;
    let number = row.published.ok_or(AppError::NotFound)?;
    let ver: VersionRow = v::table
        .filter(v::entry_id.eq(id))
        .filter(v::number.eq(number))
        .select((
            v::word_class,
            v::definition,
            v::example,
            v::related,
            v::category,
            v::structure_id,
            v::draft_id,
            v::created_at,
        ))
        .first(conn)?;
    let versions = v::table
        .filter(v::entry_id.eq(id))
        .count()
        .get_result(conn)?;
    let lexicon = l::table
        .find(row.lexicon_id)
        .select(Lexicon::as_select())
        .first(conn)?;
    let aliases = a::table
        .filter(a::entry_id.eq(id))
        .select(a::alias)
        .order(a::id)
        .load(conn)?;
    let mut related = Vec::new();
    for word in split_list(&ver.related) {
        let found: Option<i64> = e::table
            .filter(e::lexicon_id.eq(row.lexicon_id))
            .filter(e::norm.eq(normalize(&word)))
            .filter(e::published.is_not_null())
            .select(e::id)
            .first(conn)
            .optional()?;
        related.push((word, found));
    }
    let credits = match ver.draft_id {
        Some(d) => workshops::credits(conn, d)?,
        None => Vec::new(),
    };
    let structure = match ver.structure_id {
        Some(s) => Some(workshops::structure(conn, s)?),
        None => None,
    };
    Ok(EntryPage {
        id,
        term: row.term,
        lexicon,
        aliases,
        number,
        versions,
        word_class: ver.word_class,
        definition: ver.definition,
        example: ver.example,
        related,
        category: ver.category,
        credits,
        structure,
        understood: row.understood,
        not_understood: row.not_understood,
        has_illustration: row.has_illustration,
        published_at: ver.created_at,
    })
}

/// The words of a list typed with commas, semicolons or `|`.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '|'])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

/// One line of a lexicon's list of published words.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Listed {
    pub id: i64,
    pub term: String,
    pub definition: String,
    pub category: String,
    pub understood: i64,
    pub not_understood: i64,
}

/// The published words of a lexicon, alphabetically (accents ignored).
pub fn listed(conn: &mut DbConn, lexicon_id: i64) -> QueryResult<Vec<Listed>> {
    let mut rows: Vec<Listed> = e::table
        .inner_join(v::table)
        .filter(e::lexicon_id.eq(lexicon_id))
        .filter(e::published.eq(v::number.nullable()))
        .select((
            e::id,
            e::term,
            v::definition,
            v::category,
            e::understood,
            e::not_understood,
        ))
        .load(conn)?;
    rows.sort_by_cached_key(|r| normalize(&r.term));
    Ok(rows)
}

/// Counts one « J'ai compris » (`understood`) or « Je n'ai pas compris » on a published entry.
pub fn feedback(conn: &mut DbConn, id: i64, understood: bool) -> Result<(), AppError> {
    let target = e::table.find(id).filter(e::published.is_not_null());
    let n = if understood {
        diesel::update(target)
            .set(e::understood.eq(e::understood + 1))
            .execute(conn)?
    } else {
        diesel::update(target)
            .set(e::not_understood.eq(e::not_understood + 1))
            .execute(conn)?
    };
    csc_db::exactly_one(n)
}

/// The published definition of each entry, by id (for links and abbreviations).
pub fn definitions(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    e::table
        .inner_join(v::table)
        .filter(e::id.eq_any(ids))
        .filter(e::published.eq(v::number.nullable()))
        .select((e::id, v::definition))
        .load(conn)
}
