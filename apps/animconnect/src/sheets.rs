//! The shared library of activity sheets (fiches d'activité): written by an animator, opened to
//! their centre, then to every centre; searched, adapted (a fork that credits the original),
//! rated, and counted each time the planning uses one.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use csc_core::{AppError, Coded, Identity, Role};
use csc_db::DbConn;
use csc_web::forms::{int_in, optional, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::{
    animconnect_ratings as r, animconnect_sheet_materials as m, animconnect_sheet_notes as n,
    animconnect_sheet_objectives as so, animconnect_sheet_photos as ph,
    animconnect_sheet_steps as st, animconnect_sheets as s,
};
use crate::STAFF;

csc_core::coded! {
    /// What kind of activity a sheet describes.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum SheetKind {
        Game = ("jeu", "Jeu"),
        Crafts = ("manuel", "Activité manuelle"),
        Sport = ("sport", "Sport et motricité"),
        Expression = ("expression", "Expression, théâtre, musique"),
        Cooking = ("cuisine", "Cuisine"),
        Nature = ("nature", "Nature et sciences"),
        Outing = ("sortie", "Sortie"),
        BigGame = ("grand-jeu", "Grand jeu"),
        Awakening = ("eveil", "Éveil des tout-petits"),
        Digital = ("numerique", "Numérique"),
    }
}
csc_db::sql_coded!(SheetKind);

csc_core::coded! {
    /// The theme of a sheet, as the library files it.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Theme {
        Cooperation = ("cooperation", "Coopération et vivre ensemble"),
        Environment = ("environnement", "Environnement"),
        Citizenship = ("citoyennete", "Citoyenneté"),
        Culture = ("culture", "Culture et découverte"),
        Health = ("sante", "Santé et alimentation"),
        Body = ("corps", "Corps et mouvement"),
        Creativity = ("creativite", "Créativité"),
        Science = ("sciences", "Sciences et techniques"),
    }
}
csc_db::sql_coded!(Theme);

csc_core::coded! {
    /// Where the activity takes place.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Place {
        Inside = ("dedans", "En intérieur"),
        Outside = ("dehors", "En extérieur"),
        Either = ("les-deux", "Intérieur ou extérieur"),
    }
}
csc_db::sql_coded!(Place);

csc_core::coded! {
    /// Who may read a sheet.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Visibility {
        Draft = ("brouillon", "Brouillon (moi seul·e)"),
        Centre = ("centre", "Mon centre"),
        Shared = ("partagee", "Tous les centres"),
    }
}
csc_db::sql_coded!(Visibility);

/// A sheet as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = s)]
pub struct Sheet {
    pub id: i64,
    pub centre_id: i64,
    pub author_id: Option<i64>,
    pub author_name: String,
    pub title: String,
    pub summary: String,
    pub kind: SheetKind,
    pub theme: Theme,
    pub age_min: i32,
    pub age_max: i32,
    pub group_min: i32,
    pub group_max: i32,
    pub duration: i32,
    pub setup: i32,
    pub tidy: i32,
    pub place: Place,
    pub rainy_day: bool,
    pub animators: i32,
    pub tags: String,
    pub visibility: Visibility,
    pub forked_from: Option<i64>,
    pub credit: String,
    pub uses: i32,
    pub rating_sum: i32,
    pub rating_count: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Sheet {
    /// The average rating, one decimal, when rated.
    pub fn rating(&self) -> Option<f64> {
        (self.rating_count > 0).then(|| {
            (f64::from(self.rating_sum) * 10.0 / f64::from(self.rating_count)).round() / 10.0
        })
    }

    /// Whether `who` may read it: its author always; the centre's staff once opened to the
    /// centre; every centre's staff once shared. Administrators read all but drafts of others.
    pub fn visible_to(&self, who: &Identity) -> bool {
        match self.visibility {
            Visibility::Draft => self.author_id == Some(who.user_id),
            Visibility::Centre => {
                who.is_admin
                    || self.author_id == Some(who.user_id)
                    || who.has_any_role(self.centre_id, &STAFF)
            }
            Visibility::Shared => who.is_admin || !who.centres_with_any(&STAFF).is_empty(),
        }
    }

    /// Whether `who` may change it: its author, the centre's referent (the director), an admin.
    pub fn editable_by(&self, who: &Identity) -> bool {
        self.author_id == Some(who.user_id) || who.has_role(self.centre_id, Role::Referent)
    }
}

/// The long texts of a sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = n)]
pub struct Notes {
    pub variants: String,
    pub adaptations: String,
    pub dangers: String,
    pub measures: String,
    pub cancel_when: String,
    pub evaluation: String,
}

/// A material of a sheet: « 12 feuilles de papier kraft ».
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Serialize)]
pub struct Material {
    pub article: String,
    pub quantity: i32,
    pub unit: String,
}

/// A timed step of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Serialize)]
pub struct Step {
    pub timing: String,
    pub what: String,
    pub who: String,
}

/// A sheet with its lists, as its page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Full {
    pub sheet: Sheet,
    pub notes: Notes,
    /// The ids of its photos, in the order they were added.
    pub photos: Vec<i64>,
    pub materials: Vec<Material>,
    pub steps: Vec<Step>,
    pub objectives: Vec<i64>,
    pub ratings: Vec<Rating>,
    pub rating: Option<f64>,
}

/// A rating by an animator.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Rating {
    pub user_id: i64,
    pub author_name: String,
    pub centre_name: String,
    pub stars: i32,
    pub comment: String,
    pub created_at: NaiveDateTime,
}

/// Rows of materials and steps a form offers (blank rows are ignored).
pub const MATERIAL_ROWS: usize = 10;
pub const STEP_ROWS: usize = 8;

/// The sheet form as sent: every field as typed, kept to show again on an error.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(transparent)]
pub struct SheetForm(pub BTreeMap<String, String>);

/// A sheet, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetData {
    pub title: String,
    pub summary: String,
    pub kind: SheetKind,
    pub theme: Theme,
    pub ages: (i32, i32),
    pub group: (i32, i32),
    pub duration: i32,
    pub setup: i32,
    pub tidy: i32,
    pub place: Place,
    pub rainy_day: bool,
    pub animators: i32,
    pub notes: Notes,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub materials: Vec<Material>,
    pub steps: Vec<Step>,
    pub objectives: Vec<i64>,
}

fn coded<T: Coded>(value: &str, what: &str) -> Result<T, String> {
    T::parse(value).ok_or_else(|| format!("Choisissez {what}."))
}

/// Minutes as people type them: « 45 », « 45 min », « 1 h 30 », « 1h », « 2 h ».
pub fn minutes(text: &str) -> Option<i32> {
    let t: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.trim_end_matches("minutes").trim_end_matches("min");
    if let Some((h, rest)) = t.split_once('h') {
        let hours: i32 = h.parse().ok()?;
        let mins: i32 = if rest.is_empty() {
            0
        } else {
            rest.parse().ok()?
        };
        if !(0..60).contains(&mins) {
            return None;
        }
        hours.checked_mul(60)?.checked_add(mins)
    } else {
        t.parse().ok()
    }
}

fn duration_in(
    value: &str,
    range: std::ops::RangeInclusive<i32>,
    what: &str,
) -> Result<i32, String> {
    let (lo, hi) = (*range.start(), *range.end());
    match minutes(value) {
        Some(m) if range.contains(&m) => Ok(m),
        Some(_) => Err(format!(
            "{what} : entre {lo} et {hi} minutes ({}).",
            if hi >= 60 {
                format!("{} h au plus", hi / 60)
            } else {
                String::new()
            }
        )
        .replace(" ()", "")),
        None => Err(format!(
            "{what} : écrivez des minutes (45) ou des heures (1 h 30)."
        )),
    }
}

impl SheetForm {
    fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// A form filled from a stored sheet (to edit it, or to adapt it).
    pub fn of(full: &Full) -> Self {
        let sh = &full.sheet;
        let mut f = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            f.insert(k.to_string(), v);
        };
        put("title", sh.title.clone());
        put("summary", sh.summary.clone());
        put("kind", sh.kind.code().into());
        put("theme", sh.theme.code().into());
        put("age_min", sh.age_min.to_string());
        put("age_max", sh.age_max.to_string());
        put("group_min", sh.group_min.to_string());
        put("group_max", sh.group_max.to_string());
        put("duration", sh.duration.to_string());
        put("setup", sh.setup.to_string());
        put("tidy", sh.tidy.to_string());
        put("place", sh.place.code().into());
        if sh.rainy_day {
            put("rainy_day", "on".into());
        }
        put("animators", sh.animators.to_string());
        let n = &full.notes;
        put("variants", n.variants.clone());
        put("adaptations", n.adaptations.clone());
        put("dangers", n.dangers.clone());
        put("measures", n.measures.clone());
        put("cancel_when", n.cancel_when.clone());
        put("evaluation", n.evaluation.clone());
        put("tags", sh.tags.clone());
        put("visibility", sh.visibility.code().into());
        for (i, mat) in full.materials.iter().enumerate() {
            put(&format!("m{i}_article"), mat.article.clone());
            put(&format!("m{i}_quantity"), mat.quantity.to_string());
            put(&format!("m{i}_unit"), mat.unit.clone());
        }
        for (i, step) in full.steps.iter().enumerate() {
            put(&format!("s{i}_timing"), step.timing.clone());
            put(&format!("s{i}_what"), step.what.clone());
            put(&format!("s{i}_who"), step.who.clone());
        }
        for o in &full.objectives {
            put(&format!("obj_{o}"), "on".into());
        }
        SheetForm(f)
    }

    /// Checks the form; `objectives` are the ids the author's centre may tag.
    pub fn parse(&self, objectives: &[i64]) -> Result<SheetData, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.check(
            "title",
            required(self.get("title"), 120, "le titre de la fiche"),
        );
        let summary = e.check("summary", optional(self.get("summary"), 1000));
        let kind = e.check("kind", coded(self.get("kind"), "le type d'activité"));
        let theme = e.check("theme", coded(self.get("theme"), "le thème"));
        let age_min = e.check(
            "age_min",
            int_in(self.get("age_min"), 0..=17, "l'âge minimum"),
        );
        let age_max = e.check(
            "age_max",
            int_in(self.get("age_max"), 0..=17, "l'âge maximum"),
        );
        if let (Some(lo), Some(hi)) = (age_min, age_max) {
            if lo > hi {
                e.add(
                    "age_max",
                    format!(
                        "L'âge maximum ({hi} ans) est plus petit que l'âge minimum ({lo} ans)."
                    ),
                );
            }
        }
        let group_min = e.check(
            "group_min",
            int_in(
                self.get("group_min"),
                1..=200,
                "le nombre minimum d'enfants",
            ),
        );
        let group_max = e.check(
            "group_max",
            int_in(
                self.get("group_max"),
                1..=200,
                "le nombre maximum d'enfants",
            ),
        );
        if let (Some(lo), Some(hi)) = (group_min, group_max) {
            if lo > hi {
                e.add(
                    "group_max",
                    format!(
                        "Le nombre maximum d'enfants ({hi}) est plus petit que le minimum ({lo})."
                    ),
                );
            }
        }
        let duration = e.check(
            "duration",
            duration_in(self.get("duration"), 5..=600, "La durée"),
        );
        let setup = e.check(
            "setup",
            duration_in(or_zero(self.get("setup")), 0..=240, "L'installation"),
        );
        let tidy = e.check(
            "tidy",
            duration_in(or_zero(self.get("tidy")), 0..=240, "Le rangement"),
        );
        let place = e.check("place", coded(self.get("place"), "le lieu"));
        let animators = e.check(
            "animators",
            int_in(
                or_one(self.get("animators")),
                1..=20,
                "le nombre d'animateur·rice·s",
            ),
        );
        let mut text = |name: &str| {
            e.check(name, optional(self.get(name), 3000))
                .unwrap_or_default()
        };
        let variants = text("variants");
        let adaptations = text("adaptations");
        let dangers = text("dangers");
        let measures = text("measures");
        let cancel_when = text("cancel_when");
        let evaluation = text("evaluation");
        let tags = e.check("tags", parse_tags(self.get("tags")));
        let visibility = e.check(
            "visibility",
            coded(self.get("visibility"), "qui peut lire la fiche"),
        );
        let mut materials = Vec::new();
        for i in 0..MATERIAL_ROWS {
            let f = |n: &str| format!("m{i}_{n}");
            let (article, quantity, unit) = (
                self.get(&f("article")).trim(),
                self.get(&f("quantity")).trim(),
                self.get(&f("unit")).trim(),
            );
            if article.is_empty() && quantity.is_empty() && unit.is_empty() {
                continue;
            }
            let article = e.check(&f("article"), required(article, 80, "l'article"));
            let quantity = e.check(&f("quantity"), int_in(quantity, 1..=10_000, "la quantité"));
            let unit = e.check(&f("unit"), optional(unit, 30));
            if let (Some(article), Some(quantity), Some(unit)) = (article, quantity, unit) {
                materials.push(Material {
                    article,
                    quantity,
                    unit,
                });
            }
        }
        let mut steps = Vec::new();
        for i in 0..STEP_ROWS {
            let f = |n: &str| format!("s{i}_{n}");
            let (timing, what, who) = (
                self.get(&f("timing")).trim(),
                self.get(&f("what")).trim(),
                self.get(&f("who")).trim(),
            );
            if timing.is_empty() && what.is_empty() && who.is_empty() {
                continue;
            }
            let timing = e.check(&f("timing"), optional(timing, 30));
            let what = e.check(&f("what"), required(what, 500, "ce qui se passe"));
            let who = e.check(&f("who"), optional(who, 80));
            if let (Some(timing), Some(what), Some(who)) = (timing, what, who) {
                steps.push(Step { timing, what, who });
            }
        }
        let chosen: Vec<i64> = objectives
            .iter()
            .copied()
            .filter(|o| !self.get(&format!("obj_{o}")).is_empty())
            .collect();
        if !e.is_empty() {
            return Err(e);
        }
        match (
            title, summary, kind, theme, age_min, age_max, group_min, group_max, duration, setup,
            tidy, place, animators, tags, visibility,
        ) {
            (
                Some(title),
                Some(summary),
                Some(kind),
                Some(theme),
                Some(a0),
                Some(a1),
                Some(g0),
                Some(g1),
                Some(duration),
                Some(setup),
                Some(tidy),
                Some(place),
                Some(animators),
                Some(tags),
                Some(visibility),
            ) => Ok(SheetData {
                title,
                summary,
                kind,
                theme,
                ages: (a0, a1),
                group: (g0, g1),
                duration,
                setup,
                tidy,
                place,
                rainy_day: !self.get("rainy_day").is_empty(),
                animators,
                notes: Notes {
                    variants,
                    adaptations,
                    dangers,
                    measures,
                    cancel_when,
                    evaluation,
                },
                tags,
                visibility,
                materials,
                steps,
                objectives: chosen,
            }),
            _ => Err(e),
        }
    }
}

fn or_zero(v: &str) -> &str {
    if v.trim().is_empty() {
        "0"
    } else {
        v
    }
}

fn or_one(v: &str) -> &str {
    if v.trim().is_empty() {
        "1"
    } else {
        v
    }
}

fn parse_tags(input: &str) -> Result<Vec<String>, String> {
    let mut tags: Vec<String> = Vec::new();
    for t in input
        .split([',', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        if t.chars().count() > 30 {
            return Err(format!("« {t} » : un mot-clé a 30 caractères au plus."));
        }
        let t = t.to_lowercase();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > 10 {
        return Err("10 mots-clés au plus.".into());
    }
    Ok(tags)
}

/// Lower case without accents, for the search.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

fn search_text(d: &SheetData) -> String {
    let mut words = vec![
        d.title.clone(),
        d.summary.clone(),
        d.tags.join(" "),
        d.theme.label().to_string(),
        d.kind.label().to_string(),
    ];
    words.extend(d.materials.iter().map(|m| m.article.clone()));
    fold(&words.join(" "))
}

/// Who wrote or adapts a sheet.
#[derive(Debug, Clone)]
pub struct Author {
    /// None for sheets without an account behind them (the demo's, imported ones).
    pub user_id: Option<i64>,
    pub name: String,
    pub centre_id: i64,
}

/// Writes a new sheet; its id.
pub fn create(
    c: &mut DbConn,
    author: &Author,
    d: &SheetData,
    fork: Option<(i64, String)>,
) -> Result<i64, AppError> {
    let now = csc_core::time::now();
    let (forked_from, credit) =
        fork.map_or((None, String::new()), |(id, credit)| (Some(id), credit));
    let id: i64 = diesel::insert_into(s::table)
        .values((
            s::centre_id.eq(author.centre_id),
            s::author_id.eq(author.user_id),
            s::author_name.eq(&author.name),
            columns(d),
            s::forked_from.eq(forked_from),
            s::credit.eq(credit),
            s::created_at.eq(now),
            s::updated_at.eq(now),
        ))
        .returning(s::id)
        .get_result(c)?;
    write_lists(c, id, d)?;
    Ok(id)
}

#[allow(clippy::type_complexity)]
fn columns(
    d: &SheetData,
) -> (
    (
        diesel::dsl::Eq<s::title, String>,
        diesel::dsl::Eq<s::summary, String>,
        diesel::dsl::Eq<s::kind, SheetKind>,
        diesel::dsl::Eq<s::theme, Theme>,
        diesel::dsl::Eq<s::age_min, i32>,
        diesel::dsl::Eq<s::age_max, i32>,
        diesel::dsl::Eq<s::group_min, i32>,
        diesel::dsl::Eq<s::group_max, i32>,
        diesel::dsl::Eq<s::duration, i32>,
        diesel::dsl::Eq<s::setup, i32>,
        diesel::dsl::Eq<s::tidy, i32>,
        diesel::dsl::Eq<s::place, Place>,
    ),
    (
        diesel::dsl::Eq<s::rainy_day, bool>,
        diesel::dsl::Eq<s::animators, i32>,
        diesel::dsl::Eq<s::tags, String>,
        diesel::dsl::Eq<s::visibility, Visibility>,
        diesel::dsl::Eq<s::search, String>,
    ),
) {
    (
        (
            s::title.eq(d.title.clone()),
            s::summary.eq(d.summary.clone()),
            s::kind.eq(d.kind),
            s::theme.eq(d.theme),
            s::age_min.eq(d.ages.0),
            s::age_max.eq(d.ages.1),
            s::group_min.eq(d.group.0),
            s::group_max.eq(d.group.1),
            s::duration.eq(d.duration),
            s::setup.eq(d.setup),
            s::tidy.eq(d.tidy),
            s::place.eq(d.place),
        ),
        (
            s::rainy_day.eq(d.rainy_day),
            s::animators.eq(d.animators),
            s::tags.eq(d.tags.join(", ")),
            s::visibility.eq(d.visibility),
            s::search.eq(search_text(d)),
        ),
    )
}

fn write_lists(c: &mut DbConn, id: i64, d: &SheetData) -> Result<(), AppError> {
    diesel::delete(n::table.filter(n::sheet_id.eq(id))).execute(c)?;
    let t = &d.notes;
    diesel::insert_into(n::table)
        .values((
            n::sheet_id.eq(id),
            n::variants.eq(&t.variants),
            n::adaptations.eq(&t.adaptations),
            n::dangers.eq(&t.dangers),
            n::measures.eq(&t.measures),
            n::cancel_when.eq(&t.cancel_when),
            n::evaluation.eq(&t.evaluation),
        ))
        .execute(c)?;
    diesel::delete(m::table.filter(m::sheet_id.eq(id))).execute(c)?;
    diesel::delete(st::table.filter(st::sheet_id.eq(id))).execute(c)?;
    diesel::delete(so::table.filter(so::sheet_id.eq(id))).execute(c)?;
    let mats: Vec<_> = d
        .materials
        .iter()
        .enumerate()
        .map(|(i, x)| {
            (
                m::sheet_id.eq(id),
                m::position.eq(i as i32),
                m::article.eq(x.article.clone()),
                m::quantity.eq(x.quantity),
                m::unit.eq(x.unit.clone()),
            )
        })
        .collect();
    // One row at a time: the two-backend connection has no multi-row insert.
    for row in mats {
        diesel::insert_into(m::table).values(row).execute(c)?;
    }
    let steps: Vec<_> = d
        .steps
        .iter()
        .enumerate()
        .map(|(i, x)| {
            (
                st::sheet_id.eq(id),
                st::position.eq(i as i32),
                st::timing.eq(x.timing.clone()),
                st::what.eq(x.what.clone()),
                st::who.eq(x.who.clone()),
            )
        })
        .collect();
    // One row at a time: the two-backend connection has no multi-row insert.
    for row in steps {
        diesel::insert_into(st::table).values(row).execute(c)?;
    }
    let objs: Vec<_> = d
        .objectives
        .iter()
        .map(|o| (so::sheet_id.eq(id), so::objective_id.eq(*o)))
        .collect();
    // One row at a time: the two-backend connection has no multi-row insert.
    for row in objs {
        diesel::insert_into(so::table).values(row).execute(c)?;
    }
    Ok(())
}

/// Rewrites a sheet.
pub fn update(c: &mut DbConn, id: i64, d: &SheetData) -> Result<(), AppError> {
    diesel::update(s::table.find(id))
        .set((columns(d), s::updated_at.eq(csc_core::time::now())))
        .execute(c)?;
    write_lists(c, id, d)
}

/// One sheet (not found when missing).
pub fn get(c: &mut DbConn, id: i64) -> Result<Sheet, AppError> {
    Ok(s::table.find(id).select(Sheet::as_select()).first(c)?)
}

/// A sheet that `who` may read; not found otherwise (a sheet one may not see does not exist).
pub fn readable(c: &mut DbConn, who: &Identity, id: i64) -> Result<Sheet, AppError> {
    let sheet = get(c, id).map_err(|_| AppError::NotFound)?;
    if sheet.visible_to(who) {
        Ok(sheet)
    } else {
        Err(AppError::NotFound)
    }
}

/// A sheet with its materials, steps, objectives and ratings.
pub fn full(c: &mut DbConn, sheet: Sheet) -> Result<Full, AppError> {
    let id = sheet.id;
    let notes = n::table
        .find(id)
        .select(Notes::as_select())
        .first(c)
        .optional()?
        .unwrap_or_default();
    let materials = m::table
        .filter(m::sheet_id.eq(id))
        .order(m::position)
        .select((m::article, m::quantity, m::unit))
        .load(c)?;
    let steps = st::table
        .filter(st::sheet_id.eq(id))
        .order(st::position)
        .select((st::timing, st::what, st::who))
        .load(c)?;
    let objectives = so::table
        .filter(so::sheet_id.eq(id))
        .select(so::objective_id)
        .load(c)?;
    let ratings = r::table
        .filter(r::sheet_id.eq(id))
        .order(r::created_at.desc())
        .select((
            r::user_id,
            r::author_name,
            r::centre_name,
            r::stars,
            r::comment,
            r::created_at,
        ))
        .load(c)?;
    let rating = sheet.rating();
    let photos = ph::table
        .filter(ph::sheet_id.eq(id))
        .order(ph::id)
        .select(ph::id)
        .load(c)?;
    Ok(Full {
        sheet,
        notes,
        photos,
        materials,
        steps,
        objectives,
        ratings,
        rating,
    })
}

/// The credit an adaptation carries: « Adaptée de « Title » (Author, Centre) ».
pub fn credit_for(original: &Sheet, centre_name: &str) -> String {
    format!(
        "Adaptée de « {} » ({}, {centre_name})",
        original.title, original.author_name
    )
}

/// Opens a sheet wider or back to a draft.
pub fn set_visibility(c: &mut DbConn, id: i64, v: Visibility) -> Result<(), AppError> {
    diesel::update(s::table.find(id))
        .set((s::visibility.eq(v), s::updated_at.eq(csc_core::time::now())))
        .execute(c)?;
    Ok(())
}

/// Deletes a sheet (its adaptations keep their credit).
pub fn delete(c: &mut DbConn, id: i64) -> Result<(), AppError> {
    diesel::delete(s::table.find(id)).execute(c)?;
    Ok(())
}

/// Rates a sheet (again: the new rating replaces the old one), then recounts its rating.
pub fn rate(
    c: &mut DbConn,
    sheet_id: i64,
    who: &Identity,
    centre_name: &str,
    stars: i32,
    comment: &str,
) -> Result<(), AppError> {
    diesel::delete(r::table.filter(r::sheet_id.eq(sheet_id).and(r::user_id.eq(who.user_id))))
        .execute(c)?;
    diesel::insert_into(r::table)
        .values((
            r::sheet_id.eq(sheet_id),
            r::user_id.eq(who.user_id),
            r::author_name.eq(&who.display_name),
            r::centre_name.eq(centre_name),
            r::stars.eq(stars),
            r::comment.eq(comment),
            r::created_at.eq(csc_core::time::now()),
        ))
        .execute(c)?;
    let all: Vec<i32> = r::table
        .filter(r::sheet_id.eq(sheet_id))
        .select(r::stars)
        .load(c)?;
    diesel::update(s::table.find(sheet_id))
        .set((
            s::rating_sum.eq(all.iter().sum::<i32>()),
            s::rating_count.eq(all.len() as i32),
        ))
        .execute(c)?;
    Ok(())
}

/// Recounts how many planned sessions use each of `sheets` (as the sheet or as plan B).
pub fn recount_uses(c: &mut DbConn, sheets: &[i64]) -> Result<(), AppError> {
    use crate::schema::animconnect_sessions as se;
    for id in sheets {
        let n: i64 = se::table
            .filter(se::sheet_id.eq(id))
            .count()
            .get_result(c)?;
        diesel::update(s::table.find(id))
            .set(s::uses.eq(n as i32))
            .execute(c)?;
    }
    Ok(())
}

csc_core::coded! {
    /// How the library sorts.
    pub enum Sort {
        Uses = ("usage", "Les plus utilisées"),
        Rating = ("note", "Les mieux notées"),
        Recent = ("recentes", "Les plus récentes"),
        Title = ("titre", "Par titre"),
    }
}

/// The library's filters, as typed in the search form (every one optional).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Filters {
    /// Words, all of which must appear (accents and case ignored).
    pub q: String,
    /// A child's age: sheets whose age range includes it.
    pub age: String,
    /// At most this long (minutes or « 1 h 30 »).
    pub duree: String,
    /// A group of this many children fits.
    pub enfants: String,
    pub theme: String,
    /// `dedans` or `dehors` (sheets « les deux » match both).
    pub lieu: String,
    /// Only sheets for a rainy day.
    pub pluie: String,
    pub tri: String,
}

/// The filters, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<String>,
    pub age: Option<i32>,
    pub max_duration: Option<i32>,
    pub children: Option<i32>,
    pub theme: Option<Theme>,
    pub place: Option<Place>,
    pub rainy: bool,
    pub sort: Option<Sort>,
}

impl Filters {
    pub fn parse(&self) -> Result<Query, FieldErrors> {
        let mut e = FieldErrors::new();
        let opt = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
        let age = opt(&self.age).and_then(|v| e.check("age", int_in(&v, 0..=17, "l'âge")));
        let max_duration =
            opt(&self.duree).and_then(|v| e.check("duree", duration_in(&v, 1..=1440, "La durée")));
        let children = opt(&self.enfants)
            .and_then(|v| e.check("enfants", int_in(&v, 1..=500, "le nombre d'enfants")));
        let theme =
            opt(&self.theme).and_then(|v| e.check("theme", coded(&v, "un thème de la liste")));
        let place = opt(&self.lieu).and_then(|v| e.check("lieu", coded(&v, "un lieu de la liste")));
        let sort = opt(&self.tri).and_then(|v| e.check("tri", coded(&v, "un ordre de la liste")));
        if self.q.chars().count() > 200 {
            e.add("q", "200 caractères au plus.");
        }
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Query {
            words: fold(&self.q)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(String::from)
                .take(10)
                .collect(),
            age,
            max_duration,
            children,
            theme,
            place,
            rainy: !self.pluie.is_empty(),
            sort,
        })
    }
}

/// How many sheets a search page shows at most.
pub const PAGE: i64 = 50;

/// The sheets `who` may read that match `q`, in its order; at most `PAGE`, and how many matched.
pub fn search(c: &mut DbConn, who: &Identity, q: &Query) -> Result<(Vec<Sheet>, i64), AppError> {
    let centres: Vec<i64> = who
        .centres_with_any(&STAFF)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let build = || {
        let mut query = s::table.into_boxed();
        // Readable: shared ones (the route is for staff), the centre's, one's own drafts.
        query = if who.is_admin {
            query.filter(
                s::visibility
                    .ne(Visibility::Draft)
                    .or(s::author_id.eq(who.user_id)),
            )
        } else {
            query.filter(
                s::visibility
                    .eq(Visibility::Shared)
                    .or(s::visibility
                        .eq(Visibility::Centre)
                        .and(s::centre_id.eq_any(centres.clone())))
                    .or(s::author_id.eq(who.user_id)),
            )
        };
        for w in &q.words {
            query = query.filter(s::search.like(format!("%{w}%")));
        }
        if let Some(age) = q.age {
            query = query.filter(s::age_min.le(age).and(s::age_max.ge(age)));
        }
        if let Some(d) = q.max_duration {
            query = query.filter(s::duration.le(d));
        }
        if let Some(n) = q.children {
            query = query.filter(s::group_min.le(n).and(s::group_max.ge(n)));
        }
        if let Some(t) = q.theme {
            query = query.filter(s::theme.eq(t));
        }
        if let Some(p) = q.place {
            query = query.filter(s::place.eq(p).or(s::place.eq(Place::Either)));
        }
        if q.rainy {
            query = query.filter(s::rainy_day.eq(true));
        }
        query
    };
    let total: i64 = build().count().get_result(c)?;
    let mut query = build();
    query = match q.sort.unwrap_or(Sort::Uses) {
        Sort::Uses => query.order((s::uses.desc(), s::title, s::id)),
        Sort::Rating => query.order((
            diesel::dsl::sql::<diesel::sql_types::Double>(
                "CASE WHEN rating_count = 0 THEN 0 ELSE CAST(rating_sum AS DOUBLE PRECISION) / rating_count END",
            )
            .desc(),
            s::rating_count.desc(),
            s::id,
        )),
        Sort::Recent => query.order((s::updated_at.desc(), s::id.desc())),
        Sort::Title => query.order((s::title, s::id)),
    };
    let rows = query.select(Sheet::as_select()).limit(PAGE).load(c)?;
    Ok((rows, total))
}

/// The sheet on one A4 page (more when its texts are long), to print for the animators.
pub fn pdf(full: &Full, centre_name: &str) -> Result<Vec<u8>, AppError> {
    use csc_documents::pdf::{Align, Document};
    let sh = &full.sheet;
    let mut doc = Document::new(sh.title.clone());
    doc.subtitle(format!(
        "Fiche d'activité — {}, {centre_name}",
        sh.author_name
    ));
    if !sh.credit.is_empty() {
        doc.small(sh.credit.clone());
    }
    if !sh.summary.is_empty() {
        doc.paragraph(sh.summary.clone());
    }
    let place = if sh.rainy_day {
        format!("{} ; convient à un jour de pluie", sh.place.label())
    } else {
        sh.place.label().to_string()
    };
    doc.key_values(&[
        ("Type", sh.kind.label().to_string()),
        ("Thème", sh.theme.label().to_string()),
        ("Âges", format!("{} à {} ans", sh.age_min, sh.age_max)),
        (
            "Groupe",
            format!(
                "{} à {} enfants, {} animateur·rice(s)",
                sh.group_min, sh.group_max, sh.animators
            ),
        ),
        (
            "Durée",
            format!(
                "{} min (installation {} min, rangement {} min)",
                sh.duration, sh.setup, sh.tidy
            ),
        ),
        ("Lieu", place),
    ]);
    if !full.materials.is_empty() {
        let rows: Vec<[String; 2]> = full
            .materials
            .iter()
            .map(|m| {
                [
                    m.article.clone(),
                    format!("{} {}", m.quantity, m.unit).trim().to_string(),
                ]
            })
            .collect();
        doc.heading("Matériel").table(
            &["Article", "Quantité"],
            &rows,
            &[Align::Left, Align::Right],
        );
    }
    if !full.steps.is_empty() {
        let rows: Vec<[String; 3]> = full
            .steps
            .iter()
            .map(|s| [s.timing.clone(), s.what.clone(), s.who.clone()])
            .collect();
        doc.heading("Déroulement")
            .table(&["Moment", "Ce qui se passe", "Qui mène"], &rows, &[]);
    }
    let n = &full.notes;
    for (title, text) in [
        ("Variantes", &n.variants),
        ("Adaptations", &n.adaptations),
        ("Dangers", &n.dangers),
        ("Mesures de sécurité", &n.measures),
        ("Quand annuler", &n.cancel_when),
        ("Évaluation", &n.evaluation),
    ] {
        if !text.is_empty() {
            doc.heading(title).paragraph(text.clone());
        }
    }
    doc.render()
        .map_err(|e| AppError::internal(format!("sheet pdf: {e}")))
}

/// At most this many photos a sheet.
pub const MAX_PHOTOS: usize = 4;
/// The largest photo accepted.
pub const PHOTO_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Adds a photo (bytes already sniffed as `content_type`); refused beyond [`MAX_PHOTOS`].
pub fn add_photo(
    c: &mut DbConn,
    sheet_id: i64,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<Result<i64, String>, AppError> {
    let n: i64 = ph::table
        .filter(ph::sheet_id.eq(sheet_id))
        .count()
        .get_result(c)?;
    if n >= MAX_PHOTOS as i64 {
        return Ok(Err(format!(
            "Une fiche a {MAX_PHOTOS} photos au plus : retirez-en une d'abord."
        )));
    }
    Ok(Ok(diesel::insert_into(ph::table)
        .values((
            ph::sheet_id.eq(sheet_id),
            ph::content_type.eq(content_type),
            ph::bytes.eq(bytes),
            ph::created_at.eq(csc_core::time::now()),
        ))
        .returning(ph::id)
        .get_result(c)?))
}

/// A photo of a sheet: its bytes and type.
pub fn photo(c: &mut DbConn, sheet_id: i64, id: i64) -> Result<(Vec<u8>, String), AppError> {
    Ok(ph::table
        .filter(ph::id.eq(id).and(ph::sheet_id.eq(sheet_id)))
        .select((ph::bytes, ph::content_type))
        .first(c)?)
}

/// Removes a photo of a sheet.
pub fn delete_photo(c: &mut DbConn, sheet_id: i64, id: i64) -> Result<(), AppError> {
    csc_db::exactly_one(
        diesel::delete(ph::table.filter(ph::id.eq(id).and(ph::sheet_id.eq(sheet_id))))
            .execute(c)?,
    )
}
