//! A centre's portal: the catalogue as the centre's referent arranged it (hidden, pinned,
//! reordered procedures, local links, welcome text), and the search over it.

use chrono::NaiveDateTime;
use csc_core::{time, AppError};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::catalogue::{self, Procedure, Theme};
use crate::schema::{
    kiosque_choices as ch, kiosque_guide_overrides as go, kiosque_local_links as ll,
    kiosque_portals as po,
};

/// One tile: a procedure of the catalogue or a local link of the centre.
#[derive(Debug, Clone, Serialize)]
pub struct Tile {
    /// The `/go/kiosque/{centre}/{key}` key: the procedure's slug, or `lien-{id}`.
    pub key: String,
    pub title: String,
    pub description: String,
    pub operator: String,
    pub icon: String,
    pub theme_id: Option<i64>,
    pub pinned: bool,
    pub hidden: bool,
    /// Set for procedures (they have a guide).
    pub procedure_id: Option<i64>,
    /// Set for local links.
    pub link_id: Option<i64>,
    pub url: String,
    #[serde(skip)]
    pub search_text: String,
}

/// A theme with its tiles in the centre's order.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeTiles {
    pub theme: Theme,
    pub tiles: Vec<Tile>,
}

/// A theme as the home screen shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeSummary {
    pub slug: String,
    pub title: String,
    pub icon: String,
    /// Visible tiles.
    pub count: usize,
}

/// The home screen: what it shows, and nothing more (it is rendered on every visit).
#[derive(Debug, Clone, Serialize)]
pub struct Home {
    pub welcome: String,
    pub pinned: Vec<Tile>,
    pub themes: Vec<ThemeSummary>,
    pub others: Vec<Tile>,
}

/// The portal of one centre.
#[derive(Debug, Clone, Serialize)]
pub struct Portal {
    pub welcome: String,
    /// Pinned tiles, shown first on the home screen.
    pub pinned: Vec<Tile>,
    /// Themes that have tiles.
    pub themes: Vec<ThemeTiles>,
    /// Local links without a theme.
    pub others: Vec<Tile>,
}

/// A referent's choice about one procedure.
#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = ch)]
#[diesel(treat_none_as_null = true)]
pub struct Choice {
    pub centre_id: i64,
    pub procedure_id: i64,
    pub hidden: bool,
    pub pinned: bool,
    pub position: Option<i32>,
}

/// A local link added by the centre.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ll)]
pub struct LocalLink {
    pub id: i64,
    pub centre_id: i64,
    pub theme_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub url: String,
    pub pinned: bool,
    pub created_at: NaiveDateTime,
}

/// Lower-case, without accents, for search.
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

fn procedure_tile(pr: &Procedure, choice: Option<&Choice>) -> Tile {
    Tile {
        key: pr.slug.clone(),
        title: pr.title.clone(),
        description: pr.description.clone(),
        operator: pr.operator.clone(),
        icon: pr.icon.clone(),
        theme_id: Some(pr.theme_id),
        pinned: choice.is_some_and(|c| c.pinned),
        hidden: choice.is_some_and(|c| c.hidden),
        procedure_id: Some(pr.id),
        link_id: None,
        url: pr.url.clone(),
        search_text: fold(&format!(
            "{} {} {} {}",
            pr.title, pr.description, pr.keywords, pr.operator
        )),
    }
}

fn link_tile(l: &LocalLink, themes: &[Theme]) -> Tile {
    Tile {
        key: format!("lien-{}", l.id),
        title: l.title.clone(),
        description: l.description.clone(),
        operator: String::new(),
        icon: l
            .theme_id
            .and_then(|id| themes.iter().find(|t| t.id == id))
            .map(|t| t.icon.clone())
            .unwrap_or_default(),
        theme_id: l.theme_id,
        pinned: l.pinned,
        hidden: false,
        procedure_id: None,
        link_id: Some(l.id),
        url: l.url.clone(),
        search_text: fold(&format!("{} {}", l.title, l.description)),
    }
}

/// The centre's choices, by procedure.
pub fn choices(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<Choice>> {
    ch::table
        .filter(ch::centre_id.eq(centre_id))
        .select(Choice::as_select())
        .load(conn)
}

/// The centre's local links, oldest first.
pub fn local_links(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<LocalLink>> {
    ll::table
        .filter(ll::centre_id.eq(centre_id))
        .select(LocalLink::as_select())
        .order(ll::id)
        .load(conn)
}

/// The welcome text of the centre's portal.
pub fn welcome(conn: &mut DbConn, centre_id: i64) -> QueryResult<String> {
    Ok(po::table
        .find(centre_id)
        .select(po::welcome)
        .first(conn)
        .optional()?
        .unwrap_or_default())
}

/// Sets the welcome text.
pub fn set_welcome(conn: &mut DbConn, centre_id: i64, text: &str) -> QueryResult<()> {
    let now = time::now();
    let n = diesel::update(po::table.find(centre_id))
        .set((po::welcome.eq(text), po::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(po::table)
            .values((
                po::centre_id.eq(centre_id),
                po::welcome.eq(text),
                po::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The active procedures of a theme in the centre's order (hidden ones included).
fn ordered(
    procs: &[Procedure],
    choices: &[Choice],
    theme_id: i64,
) -> Vec<(Procedure, Option<Choice>)> {
    let mut v: Vec<(Procedure, Option<Choice>)> = procs
        .iter()
        .filter(|p| p.active && p.theme_id == theme_id)
        .map(|p| {
            (
                p.clone(),
                choices.iter().find(|c| c.procedure_id == p.id).cloned(),
            )
        })
        .collect();
    v.sort_by_key(|(p, c)| {
        (
            c.as_ref().and_then(|c| c.position).unwrap_or(p.position),
            p.id,
        )
    });
    v
}

/// The whole portal; `with_hidden` keeps hidden procedures (for the referent's page).
pub fn load(conn: &mut DbConn, centre_id: i64, with_hidden: bool) -> Result<Portal, AppError> {
    let themes = catalogue::themes(conn)?;
    let procs = catalogue::procedures(conn)?;
    let choices = choices(conn, centre_id)?;
    let links = local_links(conn, centre_id)?;
    let mut pinned = Vec::new();
    let mut out = Vec::new();
    for th in &themes {
        let mut tiles: Vec<Tile> = ordered(&procs, &choices, th.id)
            .iter()
            .map(|(p, c)| procedure_tile(p, c.as_ref()))
            .filter(|t| with_hidden || !t.hidden)
            .collect();
        tiles.extend(
            links
                .iter()
                .filter(|l| l.theme_id == Some(th.id))
                .map(|l| link_tile(l, &themes)),
        );
        pinned.extend(tiles.iter().filter(|t| t.pinned && !t.hidden).cloned());
        if !tiles.is_empty() {
            out.push(ThemeTiles {
                theme: th.clone(),
                tiles,
            });
        }
    }
    let others: Vec<Tile> = links
        .iter()
        .filter(|l| l.theme_id.is_none())
        .map(|l| link_tile(l, &themes))
        .collect();
    pinned.extend(others.iter().filter(|t| t.pinned).cloned());
    Ok(Portal {
        welcome: welcome(conn, centre_id)?,
        pinned,
        themes: out,
        others,
    })
}

impl Portal {
    /// The home screen of the portal.
    pub fn home(&self) -> Home {
        Home {
            welcome: self.welcome.clone(),
            pinned: self.pinned.clone(),
            themes: self
                .themes
                .iter()
                .map(|t| ThemeSummary {
                    slug: t.theme.slug.clone(),
                    title: t.theme.title.clone(),
                    icon: t.theme.icon.clone(),
                    count: t.tiles.iter().filter(|x| !x.hidden).count(),
                })
                .filter(|t| t.count > 0)
                .collect(),
            others: self.others.clone(),
        }
    }

    /// Every visible tile, once.
    pub fn tiles(&self) -> impl Iterator<Item = &Tile> {
        self.themes
            .iter()
            .flat_map(|t| t.tiles.iter())
            .chain(self.others.iter())
            .filter(|t| !t.hidden)
    }

    /// The tiles whose words all appear in the title, description, keywords or operator
    /// (accents and case ignored), best matches (title) first.
    pub fn search(&self, query: &str) -> Vec<Tile> {
        let words: Vec<String> = fold(query)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(bool, Tile)> = self
            .tiles()
            .filter(|t| words.iter().all(|w| t.search_text.contains(w.as_str())))
            .map(|t| {
                let title = fold(&t.title);
                (!words.iter().all(|w| title.contains(w.as_str())), t.clone())
            })
            .collect();
        found.sort_by_key(|(rank, _)| *rank);
        found.into_iter().map(|(_, t)| t).collect()
    }

    /// A theme's tiles by the theme's slug.
    pub fn theme(&self, slug: &str) -> Option<&ThemeTiles> {
        self.themes.iter().find(|t| t.theme.slug == slug)
    }
}

/// Changes the centre's choice about a procedure (created on first change).
pub fn change_choice(
    conn: &mut DbConn,
    centre_id: i64,
    procedure_id: i64,
    change: impl FnOnce(&mut Choice),
) -> QueryResult<()> {
    let mut c = ch::table
        .find((centre_id, procedure_id))
        .select(Choice::as_select())
        .first(conn)
        .optional()?
        .unwrap_or(Choice {
            centre_id,
            procedure_id,
            ..Choice::default()
        });
    change(&mut c);
    let n = diesel::update(ch::table.find((centre_id, procedure_id)))
        .set(&c)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(ch::table).values(&c).execute(conn)?;
    }
    Ok(())
}

/// Moves a procedure one place up (`-1`) or down (`1`) within its theme, for this centre.
pub fn move_procedure(
    conn: &mut DbConn,
    centre_id: i64,
    procedure_id: i64,
    delta: i32,
) -> Result<(), AppError> {
    conn.write_transaction(|conn| {
        let pr = catalogue::procedure(conn, procedure_id)?;
        let procs = catalogue::procedures(conn)?;
        let choices = choices(conn, centre_id)?;
        let mut order: Vec<i64> = ordered(&procs, &choices, pr.theme_id)
            .iter()
            .map(|(p, _)| p.id)
            .collect();
        let Some(i) = order.iter().position(|id| *id == procedure_id) else {
            return Err(AppError::NotFound);
        };
        let j = if delta < 0 {
            i.checked_sub(1)
        } else {
            Some(i + 1)
        };
        if let Some(j) = j.filter(|j| *j < order.len()) {
            order.swap(i, j);
        }
        for (pos, id) in order.iter().enumerate() {
            let pos = i32::try_from(pos + 1).unwrap_or(i32::MAX);
            change_choice(conn, centre_id, *id, |c| c.position = Some(pos))?;
        }
        Ok(())
    })
}

/// The guide of a procedure for a centre: each part the centre rewrote replaces the federation's.
#[derive(Debug, Clone, Default, Serialize, Queryable)]
pub struct GuideParts {
    pub purpose: String,
    pub documents: String,
    pub steps: String,
    pub help: String,
}

/// The centre's own guide parts (empty when none).
pub fn guide_override(
    conn: &mut DbConn,
    centre_id: i64,
    procedure_id: i64,
) -> QueryResult<GuideParts> {
    Ok(go::table
        .find((centre_id, procedure_id))
        .select((go::purpose, go::documents, go::steps, go::help))
        .first::<GuideParts>(conn)
        .optional()?
        .unwrap_or_default())
}

/// Stores the centre's guide parts (all empty removes the override).
pub fn set_guide_override(
    conn: &mut DbConn,
    centre_id: i64,
    procedure_id: i64,
    parts: &GuideParts,
) -> QueryResult<()> {
    conn.write_transaction(|conn| {
        diesel::delete(go::table.find((centre_id, procedure_id))).execute(conn)?;
        if [&parts.purpose, &parts.documents, &parts.steps, &parts.help]
            .iter()
            .any(|s| !s.trim().is_empty())
        {
            diesel::insert_into(go::table)
                .values((
                    go::centre_id.eq(centre_id),
                    go::procedure_id.eq(procedure_id),
                    go::purpose.eq(&parts.purpose),
                    go::documents.eq(&parts.documents),
                    go::steps.eq(&parts.steps),
                    go::help.eq(&parts.help),
                    go::updated_at.eq(time::now()),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The guide shown for a procedure at a centre.
pub fn effective_guide(pr: &Procedure, own: &GuideParts) -> GuideParts {
    let pick = |own: &str, fed: &str| {
        if own.trim().is_empty() {
            fed.to_string()
        } else {
            own.to_string()
        }
    };
    GuideParts {
        purpose: pick(&own.purpose, &pr.purpose),
        documents: pick(&own.documents, &pr.documents),
        steps: pick(&own.steps, &pr.steps),
        help: pick(&own.help, &pr.help),
    }
}

/// Adds a local link.
pub fn add_link(
    conn: &mut DbConn,
    centre_id: i64,
    theme_id: Option<i64>,
    title: &str,
    description: &str,
    url: &str,
    pinned: bool,
) -> QueryResult<i64> {
    diesel::insert_into(ll::table)
        .values((
            ll::centre_id.eq(centre_id),
            ll::theme_id.eq(theme_id),
            ll::title.eq(title),
            ll::description.eq(description),
            ll::url.eq(url),
            ll::pinned.eq(pinned),
            ll::created_at.eq(time::now()),
        ))
        .returning(ll::id)
        .get_result(conn)
}

/// Removes a local link of the centre; false when it is not the centre's.
pub fn remove_link(conn: &mut DbConn, centre_id: i64, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        ll::table
            .filter(ll::id.eq(id))
            .filter(ll::centre_id.eq(centre_id)),
    )
    .execute(conn)?
        == 1)
}

/// The address behind a `/go/kiosque/{centre}/{key}` key: a local link of that centre, or an
/// active procedure of the catalogue.
pub fn resolve(conn: &mut DbConn, centre_id: i64, key: &str) -> Result<Option<String>, AppError> {
    if let Some(id) = key.strip_prefix("lien-") {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        return Ok(ll::table
            .filter(ll::id.eq(id))
            .filter(ll::centre_id.eq(centre_id))
            .select(ll::url)
            .first(conn)
            .optional()?);
    }
    match catalogue::active_by_slug(conn, key) {
        Ok(p) => Ok(Some(p.url)),
        Err(AppError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn search_ignores_accents_and_case() {
        assert_eq!(fold("Sécurité Sociale ÉTÉ"), "securite sociale ete");
    }
}
