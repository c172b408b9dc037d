//! Structures, workshops and their young contributors: an accompagnateur of a referenced
//! structure opens a workshop, registers the children (first name, initial, age band, the
//! parents' authorisation), the workshop writes drafts, the adult validates them (published) or
//! sends them back with a comment.

use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::DbConn;
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::entries::{self, Credit, NewVersion};
use crate::requests;
use crate::schema::{
    glossaire_contributors as k, glossaire_draft_authors as da, glossaire_drafts as d,
    glossaire_structures as s, glossaire_workshops as w,
};

/// A centre referenced by the network's admin as a structure that feeds the glossary.
#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub description: String,
}

fn with_name(
    conn: &mut DbConn,
    id: i64,
    centre_id: i64,
    description: String,
) -> Result<Structure, AppError> {
    let centre = csc_auth::centres::get(conn, centre_id)?;
    Ok(Structure {
        id,
        centre_id,
        name: centre.name,
        description,
    })
}

/// The structure `id`.
pub fn structure(conn: &mut DbConn, id: i64) -> Result<Structure, AppError> {
    let (centre, description): (i64, String) = s::table
        .find(id)
        .select((s::centre_id, s::description))
        .first(conn)?;
    with_name(conn, id, centre, description)
}

/// The structure of a centre, when the admin referenced it.
pub fn of_centre(conn: &mut DbConn, centre_id: i64) -> Result<Option<Structure>, AppError> {
    let row: Option<(i64, String)> = s::table
        .filter(s::centre_id.eq(centre_id))
        .select((s::id, s::description))
        .first(conn)
        .optional()?;
    row.map(|(id, description)| with_name(conn, id, centre_id, description))
        .transpose()
}

/// Every referenced structure, by name.
pub fn structures(conn: &mut DbConn) -> Result<Vec<Structure>, AppError> {
    let rows: Vec<(i64, i64, String)> = s::table
        .select((s::id, s::centre_id, s::description))
        .load(conn)?;
    let mut out = rows
        .into_iter()
        .map(|(id, c, desc)| with_name(conn, id, c, desc))
        .collect::<Result<Vec<_>, _>>()?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// References a centre as a structure (no change when it already is one).
pub fn reference(
    conn: &mut DbConn,
    centre_id: i64,
    description: &str,
) -> Result<Structure, AppError> {
    csc_auth::centres::get(conn, centre_id)?;
    if let Some(found) = of_centre(conn, centre_id)? {
        return Ok(found);
    }
    diesel::insert_into(s::table)
        .values((
            s::centre_id.eq(centre_id),
            s::description.eq(description.trim()),
            s::created_at.eq(time::now()),
        ))
        .execute(conn)?;
    of_centre(conn, centre_id)?.ok_or(AppError::NotFound)
}

csc_core::coded! {
    /// A child's age band: under 15, the parents' authorisation is needed to credit them by name.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum AgeBand {
        Under11 = ("moins-de-11", "moins de 11 ans"),
        From11To14 = ("11-14", "11 à 14 ans"),
        From15To17 = ("15-17", "15 à 17 ans"),
    }
}
csc_db::sql_coded!(AgeBand);

impl AgeBand {
    /// Whether the child is under 15.
    pub fn under_15(self) -> bool {
        !matches!(self, Self::From15To17)
    }
}

/// A child or teenager of a workshop.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = k)]
pub struct Contributor {
    pub id: i64,
    pub workshop_id: i64,
    pub first_name: String,
    pub initial: String,
    pub age_band: AgeBand,
    pub authorised: bool,
    pub created_at: NaiveDateTime,
}

impl Contributor {
    /// Whether the entry may show their first name and initial.
    pub fn named(&self) -> bool {
        !self.age_band.under_15() || self.authorised
    }

    /// How the entry credits them.
    pub fn credit(&self) -> Credit {
        Credit {
            label: if self.named() {
                format!(
                    "{} {}. ({})",
                    self.first_name,
                    self.initial,
                    self.age_band.label()
                )
            } else {
                format!(
                    "Un·e jeune de {} (prénom non publié)",
                    self.age_band.label()
                )
            },
        }
    }
}

/// The contributor form as posted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ContributorForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub initial: String,
    #[serde(default)]
    pub age_band: String,
    #[serde(default)]
    pub authorised: Option<String>,
}

/// A checked contributor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContributor {
    pub first_name: String,
    pub initial: String,
    pub age_band: AgeBand,
    pub authorised: bool,
}

/// A first name: letters, spaces, hyphens and apostrophes, 1 to 30 characters — never an
/// e-mail, a phone number or digits.
pub fn parse_first_name(raw: &str) -> Result<String, String> {
    let t = raw.trim();
    if t.is_empty() {
        return Err("Indiquez le prénom.".into());
    }
    if t.chars().count() > 30 {
        return Err("Le prénom seul, 30 caractères au plus.".into());
    }
    if !t
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’'))
    {
        return Err(
            "Le prénom seul, en lettres : ni chiffres, ni adresse e-mail, ni téléphone.".into(),
        );
    }
    if !t.chars().any(char::is_alphabetic) {
        return Err("Indiquez le prénom.".into());
    }
    Ok(t.to_string())
}

/// The initial of the surname: one letter (a final dot is allowed), kept in upper case.
pub fn parse_initial(raw: &str) -> Result<String, String> {
    let t = raw.trim().trim_end_matches('.');
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_alphabetic() => Ok(c.to_uppercase().collect()),
        _ => Err("Seulement l'initiale du nom de famille : une lettre (par exemple « M »).".into()),
    }
}

impl ContributorForm {
    pub fn parse(&self) -> Result<NewContributor, FieldErrors> {
        let mut e = FieldErrors::new();
        let first_name = e.check("first_name", parse_first_name(&self.first_name));
        let initial = e.check("initial", parse_initial(&self.initial));
        let age_band = e.check(
            "age_band",
            AgeBand::parse(&self.age_band)
                .ok_or_else(|| "Choisissez la tranche d'âge.".to_string()),
        );
        match (first_name, initial, age_band) {
            (Some(first_name), Some(initial), Some(age_band)) if e.is_empty() => {
                Ok(NewContributor {
                    first_name,
                    initial,
                    age_band,
                    authorised: self.authorised.is_some(),
                })
            }
            _ => Err(e),
        }
    }
}

/// A workshop of a structure.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = w)]
pub struct Workshop {
    pub id: i64,
    pub structure_id: i64,
    pub title: String,
    pub leader_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Opens a workshop.
pub fn open(
    conn: &mut DbConn,
    structure_id: i64,
    title: &str,
    leader: i64,
) -> Result<Workshop, AppError> {
    Ok(diesel::insert_into(w::table)
        .values((
            w::structure_id.eq(structure_id),
            w::title.eq(title.trim()),
            w::leader_id.eq(Some(leader)),
            w::created_at.eq(time::now()),
        ))
        .get_result::<Workshop>(conn)?)
}

/// The workshops of a structure, newest first.
pub fn of_structure(conn: &mut DbConn, structure_id: i64) -> QueryResult<Vec<Workshop>> {
    w::table
        .filter(w::structure_id.eq(structure_id))
        .select(Workshop::as_select())
        .order(w::id.desc())
        .load(conn)
}

/// The workshop `id` of the structure (not found when it is another structure's).
pub fn get(conn: &mut DbConn, structure_id: i64, id: i64) -> Result<Workshop, AppError> {
    Ok(w::table
        .find(id)
        .filter(w::structure_id.eq(structure_id))
        .select(Workshop::as_select())
        .first(conn)?)
}

/// Registers a child in the workshop.
pub fn add_contributor(
    conn: &mut DbConn,
    workshop_id: i64,
    c: &NewContributor,
) -> Result<Contributor, AppError> {
    Ok(diesel::insert_into(k::table)
        .values((
            k::workshop_id.eq(workshop_id),
            k::first_name.eq(&c.first_name),
            k::initial.eq(&c.initial),
            k::age_band.eq(c.age_band),
            k::authorised.eq(c.authorised),
            k::created_at.eq(time::now()),
        ))
        .get_result::<Contributor>(conn)?)
}

/// The children of a workshop, by first name.
pub fn contributors(conn: &mut DbConn, workshop_id: i64) -> QueryResult<Vec<Contributor>> {
    k::table
        .filter(k::workshop_id.eq(workshop_id))
        .select(Contributor::as_select())
        .order((k::first_name, k::id))
        .load(conn)
}

/// Records the parents' authorisation of a child of the workshop.
pub fn authorise(conn: &mut DbConn, workshop_id: i64, contributor: i64) -> Result<(), AppError> {
    let n = diesel::update(
        k::table
            .find(contributor)
            .filter(k::workshop_id.eq(workshop_id)),
    )
    .set(k::authorised.eq(true))
    .execute(conn)?;
    csc_db::exactly_one(n)
}

csc_core::coded! {
    /// Where a draft stands.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum DraftStatus {
        Draft = ("brouillon", "Brouillon à relire"),
        SentBack = ("renvoye", "Renvoyé à l'atelier avec un commentaire"),
        Validated = ("valide", "Validé et publié"),
    }
}
csc_db::sql_coded!(DraftStatus);

/// A definition written in a workshop.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = d)]
pub struct Draft {
    pub id: i64,
    pub workshop_id: i64,
    pub lexicon_id: i64,
    pub request_id: Option<i64>,
    pub term: String,
    pub aliases: String,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub category: String,
    pub status: DraftStatus,
    pub comment: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The draft form as posted (the authors are the checked `auteur` boxes).
#[derive(Debug, Clone, Default, Serialize)]
pub struct DraftForm {
    pub lexicon: String,
    pub request_id: String,
    pub term: String,
    pub aliases: String,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub category: String,
    pub authors: Vec<i64>,
}

impl DraftForm {
    /// Reads the posted pairs (repeated `auteur` fields for the authors).
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut f = Self::default();
        for (key, value) in pairs {
            let v = value.clone();
            match key.as_str() {
                "lexicon" => f.lexicon = v,
                "request_id" => f.request_id = v,
                "term" => f.term = v,
                "aliases" => f.aliases = v,
                "word_class" => f.word_class = v,
                "definition" => f.definition = v,
                "example" => f.example = v,
                "related" => f.related = v,
                "category" => f.category = v,
                "auteur" => {
                    if let Ok(id) = value.trim().parse() {
                        f.authors.push(id);
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// The form filled from a stored draft.
    pub fn from_draft(x: &Draft, authors: Vec<i64>) -> Self {
        Self {
            lexicon: x.lexicon_id.to_string(),
            request_id: x.request_id.map(|r| r.to_string()).unwrap_or_default(),
            term: x.term.clone(),
            aliases: x.aliases.clone(),
            word_class: x.word_class.clone(),
            definition: x.definition.clone(),
            example: x.example.clone(),
            related: x.related.clone(),
            category: x.category.clone(),
            authors,
        }
    }

    /// Every field checked (lengths; the lexicon and authors are checked by the service).
    pub fn parse(&self) -> Result<CheckedDraft, FieldErrors> {
        use csc_web::forms::{optional, required};
        let mut e = FieldErrors::new();
        let lexicon_id = e.check(
            "lexicon",
            self.lexicon
                .trim()
                .parse::<i64>()
                .map_err(|_| "Choisissez le lexique.".to_string()),
        );
        let term = e.check("term", required(&self.term, 100, "le mot"));
        if term
            .as_deref()
            .is_some_and(|t| crate::text::normalize(t).is_empty())
        {
            e.add("term", "Le mot doit contenir des lettres.");
        }
        let aliases = e.check("aliases", optional(&self.aliases, 300));
        let word_class = e.check("word_class", optional(&self.word_class, 40));
        let definition = e.check(
            "definition",
            required(&self.definition, 1500, "la définition"),
        );
        let example = e.check("example", optional(&self.example, 600));
        let related = e.check("related", optional(&self.related, 300));
        let category = e.check("category", optional(&self.category, 60));
        let request_id = self.request_id.trim().parse::<i64>().ok();
        match (
            lexicon_id, term, aliases, word_class, definition, example, related, category,
        ) {
            (
                Some(lexicon_id),
                Some(term),
                Some(aliases),
                Some(word_class),
                Some(definition),
                Some(example),
                Some(related),
                Some(category),
            ) if e.is_empty() => Ok(CheckedDraft {
                lexicon_id,
                request_id,
                term,
                aliases,
                word_class,
                definition,
                example,
                related,
                category,
                authors: self.authors.clone(),
            }),
            _ => Err(e),
        }
    }
}

/// A checked draft, ready to store.
#[derive(Debug, Clone)]
pub struct CheckedDraft {
    pub lexicon_id: i64,
    pub request_id: Option<i64>,
    pub term: String,
    pub aliases: String,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    pub related: String,
    pub category: String,
    pub authors: Vec<i64>,
}

fn set_authors(
    conn: &mut DbConn,
    workshop_id: i64,
    draft: i64,
    authors: &[i64],
) -> Result<(), AppError> {
    diesel::delete(da::table.filter(da::draft_id.eq(draft))).execute(conn)?;
    let mine: Vec<i64> = k::table
        .filter(k::workshop_id.eq(workshop_id))
        .filter(k::id.eq_any(authors))
        .select(k::id)
        .load(conn)?;
    for c in mine {
        diesel::insert_into(da::table)
            .values((da::draft_id.eq(draft), da::contributor_id.eq(c)))
            .execute(conn)?;
    }
    Ok(())
}

/// Saves a new draft of the workshop.
pub fn create_draft(
    conn: &mut DbConn,
    workshop_id: i64,
    x: &CheckedDraft,
) -> Result<Draft, AppError> {
    crate::schema::glossaire_lexicons::table
        .find(x.lexicon_id)
        .select(crate::schema::glossaire_lexicons::id)
        .first::<i64>(conn)?;
    let now = time::now();
    let draft = diesel::insert_into(d::table)
        .values((
            d::workshop_id.eq(workshop_id),
            d::lexicon_id.eq(x.lexicon_id),
            d::request_id.eq(x.request_id),
            d::term.eq(&x.term),
            d::aliases.eq(&x.aliases),
            d::word_class.eq(&x.word_class),
            d::definition.eq(&x.definition),
            d::example.eq(&x.example),
            d::related.eq(&x.related),
            d::category.eq(&x.category),
            d::status.eq(DraftStatus::Draft),
            d::comment.eq(""),
            d::created_at.eq(now),
            d::updated_at.eq(now),
        ))
        .get_result::<Draft>(conn)?;
    set_authors(conn, workshop_id, draft.id, &x.authors)?;
    Ok(draft)
}

/// Rewrites a draft not yet validated (it is a draft again, the comment kept for history).
pub fn update_draft(
    conn: &mut DbConn,
    workshop_id: i64,
    id: i64,
    x: &CheckedDraft,
) -> Result<(), AppError> {
    let n = diesel::update(
        d::table
            .find(id)
            .filter(d::workshop_id.eq(workshop_id))
            .filter(d::status.ne(DraftStatus::Validated)),
    )
    .set((
        d::term.eq(&x.term),
        d::aliases.eq(&x.aliases),
        d::word_class.eq(&x.word_class),
        d::definition.eq(&x.definition),
        d::example.eq(&x.example),
        d::related.eq(&x.related),
        d::category.eq(&x.category),
        d::status.eq(DraftStatus::Draft),
        d::updated_at.eq(time::now()),
    ))
    .execute(conn)?;
    csc_db::exactly_one(n)?;
    set_authors(conn, workshop_id, id, &x.authors)
}

/// The drafts of a workshop, newest first.
pub fn drafts(conn: &mut DbConn, workshop_id: i64) -> QueryResult<Vec<Draft>> {
    d::table
        .filter(d::workshop_id.eq(workshop_id))
        .select(Draft::as_select())
        .order(d::id.desc())
        .load(conn)
}

/// The draft `id` of the workshop.
pub fn draft(conn: &mut DbConn, workshop_id: i64, id: i64) -> Result<Draft, AppError> {
    Ok(d::table
        .find(id)
        .filter(d::workshop_id.eq(workshop_id))
        .select(Draft::as_select())
        .first(conn)?)
}

/// The contributors ids of a draft.
pub fn author_ids(conn: &mut DbConn, draft: i64) -> QueryResult<Vec<i64>> {
    da::table
        .filter(da::draft_id.eq(draft))
        .select(da::contributor_id)
        .load(conn)
}

/// How a draft's authors are credited.
pub fn credits(conn: &mut DbConn, draft: i64) -> Result<Vec<Credit>, AppError> {
    let people: Vec<Contributor> = k::table
        .inner_join(da::table)
        .filter(da::draft_id.eq(draft))
        .select(Contributor::as_select())
        .order((k::first_name, k::id))
        .load(conn)?;
    Ok(people.iter().map(Contributor::credit).collect())
}

/// Validates a draft of the structure's workshop: its definition is published (a new entry or a
/// new version), credited to its authors and the structure; its request is answered.
pub fn validate(
    conn: &mut DbConn,
    structure: &Structure,
    workshop_id: i64,
    id: i64,
    by: Option<i64>,
) -> Result<i64, AppError> {
    get(conn, structure.id, workshop_id)?;
    let x = draft(conn, workshop_id, id)?;
    if x.status == DraftStatus::Validated {
        return Err(AppError::Conflict(
            "Cette définition est déjà validée.".into(),
        ));
    }
    let published = entries::publish(
        conn,
        x.lexicon_id,
        &NewVersion {
            term: x.term.clone(),
            aliases: entries::split_list(&x.aliases),
            word_class: x.word_class.clone(),
            definition: x.definition.clone(),
            example: x.example.clone(),
            related: x.related.clone(),
            category: x.category.clone(),
            structure_id: Some(structure.id),
            draft_id: Some(x.id),
            created_by: by,
        },
        false,
    )?;
    diesel::update(d::table.find(id))
        .set((
            d::status.eq(DraftStatus::Validated),
            d::updated_at.eq(time::now()),
        ))
        .execute(conn)?;
    if let Some(r) = x.request_id {
        requests::answered(conn, r, published.entry_id())?;
    }
    requests::answer_by_word(conn, x.lexicon_id, &x.term, published.entry_id())?;
    Ok(published.entry_id())
}

/// Sends a draft back to its workshop with the adult's comment (required).
pub fn send_back(
    conn: &mut DbConn,
    structure: &Structure,
    workshop_id: i64,
    id: i64,
    comment: &str,
) -> Result<(), AppError> {
    get(conn, structure.id, workshop_id)?;
    let n = diesel::update(
        d::table
            .find(id)
            .filter(d::workshop_id.eq(workshop_id))
            .filter(d::status.ne(DraftStatus::Validated)),
    )
    .set((
        d::status.eq(DraftStatus::SentBack),
        d::comment.eq(comment.trim()),
        d::updated_at.eq(time::now()),
    ))
    .execute(conn)?;
    csc_db::exactly_one(n)
}

/// How the structure's published words were understood (« J'ai compris » / « Je n'ai pas
/// compris »), least understood first: the workshops' feedback.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Feedback {
    pub entry_id: i64,
    pub term: String,
    pub understood: i64,
    pub not_understood: i64,
}

/// The feedback on the words whose published version the structure wrote.
pub fn feedback(conn: &mut DbConn, structure_id: i64) -> QueryResult<Vec<Feedback>> {
    use crate::schema::{glossaire_entries as e, glossaire_versions as v};
    let mut rows: Vec<Feedback> = e::table
        .inner_join(v::table)
        .filter(v::structure_id.eq(Some(structure_id)))
        .filter(e::published.eq(v::number.nullable()))
        .select((e::id, e::term, e::understood, e::not_understood))
        .load(conn)?;
    rows.sort_by_key(|f| (std::cmp::Reverse(f.not_understood), f.term.clone()));
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_are_letters_only() {
        assert_eq!(parse_first_name(" Léa "), Ok("Léa".into()));
        assert_eq!(parse_first_name("Jean-Éric"), Ok("Jean-Éric".into()));
        assert_eq!(parse_first_name("N'Golo"), Ok("N'Golo".into()));
        assert!(parse_first_name("lea@exemple.fr").is_err());
        assert!(parse_first_name("Léa2").is_err());
        assert!(parse_first_name("06 12 34 56 78").is_err());
        assert!(parse_first_name("").is_err());
        assert!(parse_first_name("--").is_err());
        assert!(parse_first_name(&"a".repeat(31)).is_err());
    }

    #[test]
    fn initials_are_one_letter() {
        assert_eq!(parse_initial("m"), Ok("M".into()));
        assert_eq!(parse_initial("M."), Ok("M".into()));
        assert_eq!(parse_initial("é"), Ok("É".into()));
        assert!(parse_initial("Martin").is_err());
        assert!(parse_initial("4").is_err());
        assert!(parse_initial("").is_err());
    }

    fn child(band: AgeBand, authorised: bool) -> Contributor {
        Contributor {
            id: 1,
            workshop_id: 1,
            first_name: "Léa".into(),
            initial: "M".into(),
            age_band: band,
            authorised,
            created_at: time::now(),
        }
    }

    #[test]
    fn under_15_a_child_is_named_only_with_the_authorisation() {
        assert_eq!(
            child(AgeBand::From11To14, true).credit().label,
            "Léa M. (11 à 14 ans)"
        );
        let hidden = child(AgeBand::From11To14, false).credit().label;
        assert!(!hidden.contains("Léa"), "{hidden}");
        assert!(!child(AgeBand::Under11, false)
            .credit()
            .label
            .contains("Léa"));
        assert!(child(AgeBand::From15To17, false)
            .credit()
            .label
            .contains("Léa M."));
    }
}
