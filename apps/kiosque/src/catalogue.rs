//! The federation's catalogue: themes and procedures with their guides, kept by admins.

use chrono::NaiveDateTime;
use csc_core::{time, AppError, Slug, WebUrl};
use csc_db::DbConn;
use csc_web::forms::{optional, required, RowChoice};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::{kiosque_procedures as p, kiosque_themes as t};

/// The starting catalogue shipped with the suite (see `data/SOURCES.md`).
const STARTING_CATALOGUE: &str = include_str!("../data/catalogue.json");

/// A theme grouping procedures (Famille, Santé…).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = t)]
pub struct Theme {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub icon: String,
    pub position: i32,
}

/// A procedure of the catalogue with the federation's guide (Markdown parts).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = p)]
pub struct Procedure {
    pub id: i64,
    pub slug: String,
    pub theme_id: i64,
    pub title: String,
    pub description: String,
    pub url: String,
    pub operator: String,
    pub keywords: String,
    pub icon: String,
    pub purpose: String,
    pub documents: String,
    pub steps: String,
    pub help: String,
    pub position: i32,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

csc_core::coded! {
    /// The icons the suite ships (one per theme), by the file name they are stored as.
    pub enum Icon {
        Family = ("famille", "Famille"),
        Health = ("sante", "Santé"),
        Work = ("emploi", "Emploi"),
        MoneyTaxes = ("argent-impots", "Argent et impôts"),
        Papers = ("papiers-identite", "Papiers et identité"),
        Housing = ("logement", "Logement"),
        Retirement = ("retraite", "Retraite"),
        Transport = ("transports", "Transports"),
        School = ("scolarite", "Scolarité"),
        Rights = ("droits-aides", "Droits et aides"),
    }
}

/// The themes as the choices of a `<select>`.
pub fn theme_choices(themes: &[Theme]) -> Vec<RowChoice> {
    themes
        .iter()
        .map(|t| RowChoice::new(t.id, t.title.clone()))
        .collect()
}

#[derive(Deserialize)]
struct File {
    themes: Vec<FileTheme>,
    procedures: Vec<FileProcedure>,
}

#[derive(Deserialize)]
struct FileTheme {
    slug: String,
    title: String,
    icon: String,
    position: i32,
}

#[derive(Deserialize)]
struct FileProcedure {
    slug: String,
    theme: String,
    title: String,
    description: String,
    url: String,
    operator: String,
    keywords: Vec<String>,
    icon: String,
    guide: FileGuide,
}

#[derive(Deserialize)]
struct FileGuide {
    purpose: String,
    documents: Vec<String>,
    steps: Vec<String>,
    help: String,
}

/// Drops a leading « Label : » the data file repeats (the guide page has its own headings).
fn without_label(text: &str, label: &str) -> String {
    let rest = text
        .trim()
        .strip_prefix(label)
        .unwrap_or(text.trim())
        .trim();
    let mut chars = rest.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Loads the starting catalogue when the catalogue is empty (first start); admins keep it after.
pub fn seed(conn: &mut DbConn) -> anyhow::Result<()> {
    let themes: i64 = t::table.count().get_result(conn)?;
    if themes > 0 {
        return Ok(());
    }
    let file: File = serde_json::from_str(STARTING_CATALOGUE)?;
    let now = time::now();
    conn.write_transaction(|conn| {
        for th in &file.themes {
            diesel::insert_into(t::table)
                .values((
                    t::slug.eq(&th.slug),
                    t::title.eq(&th.title),
                    t::icon.eq(&th.icon),
                    t::position.eq(th.position),
                ))
                .execute(conn)?;
        }
        for (i, pr) in file.procedures.iter().enumerate() {
            let theme_id: i64 = t::table
                .filter(t::slug.eq(&pr.theme))
                .select(t::id)
                .first(conn)?;
            let documents: String = pr
                .guide
                .documents
                .iter()
                .map(|d| format!("- {d}\n"))
                .collect();
            let steps: String = pr
                .guide
                .steps
                .iter()
                .enumerate()
                .map(|(n, s)| format!("{}. {s}\n", n + 1))
                .collect();
            diesel::insert_into(p::table)
                .values((
                    p::slug.eq(&pr.slug),
                    p::theme_id.eq(theme_id),
                    p::title.eq(&pr.title),
                    p::description.eq(&pr.description),
                    p::url.eq(&pr.url),
                    p::operator.eq(&pr.operator),
                    p::keywords.eq(pr.keywords.join(", ")),
                    p::icon.eq(&pr.icon),
                    p::purpose.eq(without_label(&pr.guide.purpose, "À quoi ça sert :")),
                    p::documents.eq(documents),
                    p::steps.eq(steps),
                    p::help.eq(without_label(&pr.guide.help, "Où trouver de l'aide :")),
                    p::position.eq(i32::try_from(i + 1).unwrap_or(i32::MAX)),
                    p::active.eq(true),
                    p::created_at.eq(now),
                    p::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok::<(), diesel::result::Error>(())
    })?;
    tracing::info!(
        themes = file.themes.len(),
        procedures = file.procedures.len(),
        "kiosque: starting catalogue loaded"
    );
    Ok(())
}

/// Every theme, in order.
pub fn themes(conn: &mut DbConn) -> QueryResult<Vec<Theme>> {
    t::table
        .select(Theme::as_select())
        .order((t::position, t::id))
        .load(conn)
}

/// Every procedure (active or not), in catalogue order.
pub fn procedures(conn: &mut DbConn) -> QueryResult<Vec<Procedure>> {
    p::table
        .select(Procedure::as_select())
        .order((p::position, p::id))
        .load(conn)
}

/// One procedure by id.
pub fn procedure(conn: &mut DbConn, id: i64) -> Result<Procedure, AppError> {
    Ok(p::table
        .find(id)
        .select(Procedure::as_select())
        .first(conn)?)
}

/// One active procedure by slug.
pub fn active_by_slug(conn: &mut DbConn, slug: &str) -> Result<Procedure, AppError> {
    Ok(p::table
        .filter(p::slug.eq(slug))
        .filter(p::active.eq(true))
        .select(Procedure::as_select())
        .first(conn)?)
}

/// The procedure form as posted (kept to be shown again on error).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ProcedureForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub theme_id: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub operator: String,
    #[serde(default)]
    pub keywords: String,
    #[serde(default)]
    pub icon: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub documents: String,
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub active: Option<String>,
}

/// A checked procedure, ready to store.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = p)]
pub struct ProcedureData {
    pub slug: String,
    pub theme_id: i64,
    pub title: String,
    pub description: String,
    pub url: String,
    pub operator: String,
    pub keywords: String,
    pub icon: String,
    pub purpose: String,
    pub documents: String,
    pub steps: String,
    pub help: String,
    pub active: bool,
}

/// Longest guide part accepted (Markdown).
pub const GUIDE_PART_MAX: usize = 4000;

impl ProcedureForm {
    /// Checks every field at once against the known themes.
    pub fn parse(&self, themes: &[Theme]) -> Result<ProcedureData, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check(
            "title",
            required(&self.title, 120, "le titre de la démarche"),
        );
        let slug = if self.slug.trim().is_empty() {
            title
                .as_deref()
                .and_then(|t| e.check("slug", Slug::from_name(t)))
        } else {
            e.check("slug", Slug::parse(&self.slug))
        };
        let theme_id = e.check(
            "theme_id",
            self.theme_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| themes.iter().any(|t| t.id == *id))
                .ok_or_else(|| "Choisissez un thème dans la liste.".to_string()),
        );
        let description = e.check("description", optional(&self.description, 400));
        // An official address: complete, copied from the browser.
        let url = e.check("url", WebUrl::parse(&self.url).map(String::from));
        let operator = e.check("operator", optional(&self.operator, 80));
        let keywords = e.check("keywords", optional(&self.keywords, 500));
        let icon = e.check(
            "icon",
            if self.icon.is_empty() {
                Ok(String::new())
            } else if let Some(icon) = Icon::parse(&self.icon) {
                Ok(icon.code().to_string())
            } else {
                Err("Choisissez une icône dans la liste.".to_string())
            },
        );
        let purpose = e.check("purpose", optional(&self.purpose, GUIDE_PART_MAX));
        let documents = e.check("documents", optional(&self.documents, GUIDE_PART_MAX));
        let steps = e.check("steps", optional(&self.steps, GUIDE_PART_MAX));
        let help = e.check("help", optional(&self.help, GUIDE_PART_MAX));
        if !e.is_empty() {
            return Err(e);
        }
        match (
            title,
            slug,
            theme_id,
            description,
            url,
            operator,
            keywords,
            icon,
            purpose,
            documents,
            steps,
            help,
        ) {
            (
                Some(title),
                Some(slug),
                Some(theme_id),
                Some(description),
                Some(url),
                Some(operator),
                Some(keywords),
                Some(icon),
                Some(purpose),
                Some(documents),
                Some(steps),
                Some(help),
            ) => Ok(ProcedureData {
                slug: slug.to_string(),
                theme_id,
                title,
                description,
                url,
                operator,
                keywords,
                icon,
                purpose,
                documents,
                steps,
                help,
                active: self.active.is_some(),
            }),
            _ => Err(e),
        }
    }

    /// The form filled from a stored procedure.
    pub fn from_procedure(pr: &Procedure) -> Self {
        Self {
            title: pr.title.clone(),
            slug: pr.slug.clone(),
            theme_id: pr.theme_id.to_string(),
            description: pr.description.clone(),
            url: pr.url.clone(),
            operator: pr.operator.clone(),
            keywords: pr.keywords.clone(),
            icon: pr.icon.clone(),
            purpose: pr.purpose.clone(),
            documents: pr.documents.clone(),
            steps: pr.steps.clone(),
            help: pr.help.clone(),
            active: pr.active.then(|| "on".to_string()),
        }
    }
}

fn slug_taken() -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(
        "slug",
        "Cet identifiant court est déjà utilisé par une autre démarche.",
    );
    e
}

/// Adds a procedure at the end of the catalogue; a taken slug is a field error.
pub fn create(
    conn: &mut DbConn,
    data: &ProcedureData,
) -> Result<Result<i64, FieldErrors>, AppError> {
    let now = time::now();
    let last: Option<i32> = p::table.select(diesel::dsl::max(p::position)).first(conn)?;
    let res = diesel::insert_into(p::table)
        .values((
            data,
            p::position.eq(last.unwrap_or(0) + 1),
            p::created_at.eq(now),
            p::updated_at.eq(now),
        ))
        .returning(p::id)
        .get_result(conn);
    match res {
        Ok(id) => Ok(Ok(id)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(Err(slug_taken())),
        Err(e) => Err(e.into()),
    }
}

/// Updates a procedure; a taken slug is a field error.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    data: &ProcedureData,
) -> Result<Result<(), FieldErrors>, AppError> {
    let res = diesel::update(p::table.find(id))
        .set((data, p::updated_at.eq(time::now())))
        .execute(conn);
    match res {
        Ok(0) => Err(AppError::NotFound),
        Ok(_) => Ok(Ok(())),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(Err(slug_taken())),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starting_catalogue_is_consistent() {
        let file: File = serde_json::from_str(STARTING_CATALOGUE).unwrap();
        assert_eq!(file.themes.len(), 10);
        assert!(file.procedures.len() >= 40);
        for pr in &file.procedures {
            assert!(
                file.themes.iter().any(|t| t.slug == pr.theme),
                "{}",
                pr.slug
            );
            assert!(WebUrl::parse(&pr.url).is_ok(), "{}", pr.url);
            assert!(Icon::parse(&pr.icon).is_some(), "{}", pr.icon);
            assert!(Slug::parse(&pr.slug).is_ok(), "{}", pr.slug);
            assert!(!pr.guide.documents.is_empty() && !pr.guide.steps.is_empty());
        }
    }

    #[test]
    fn labels_repeated_by_the_data_are_dropped() {
        assert_eq!(
            without_label("À quoi ça sert : la CAF calcule.", "À quoi ça sert :"),
            "La CAF calcule."
        );
        assert_eq!(
            without_label("Texte libre", "À quoi ça sert :"),
            "Texte libre"
        );
    }
}
