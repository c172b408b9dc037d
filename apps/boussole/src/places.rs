//! Places (data·inclusion « structures ») and their services, closures, and the near-me search.

use chrono::{NaiveDate, NaiveDateTime};
use csc_db::DbConn;
use diesel::prelude::*;
use serde::Serialize;

use crate::communes::{self, Commune};
use crate::hours::{self, Closure, OpeningHours, Status};
use crate::schema::{boussole_closures as cl, boussole_places as p, boussole_services as s};

csc_core::coded! {
    /// What a service is.
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum ServiceKind {
        Welcome = ("accueil", "Accueil"),
        Workshop = ("atelier", "Atelier"),
        Support = ("accompagnement", "Accompagnement"),
        Information = ("information", "Information"),
        Aid = ("aide", "Aide"),
    }
}
csc_db::sql_coded!(ServiceKind);

csc_core::coded! {
    /// How a parent gets to a service (data·inclusion « modes d'accueil » and orientation).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Access {
        WalkIn = ("sans-rendez-vous", "Sans rendez-vous"),
        Appointment = ("sur-rendez-vous", "Sur rendez-vous"),
        Referral = ("sur-orientation", "Sur orientation d'un professionnel"),
    }
}
csc_db::sql_coded!(Access);

csc_core::coded! {
    /// The parenting themes, aligned on data·inclusion's `famille--…` thématiques.
    pub enum Theme {
        Pregnancy = ("famille--accompagnement-femme-enceinte-bebe-jeune-enfant", "Grossesse, bébé et jeune enfant"),
        Childcare = ("famille--garde-denfants", "Garde d'enfants"),
        ParentsInfo = ("famille--information-et-accompagnement-des-parents", "Information et accompagnement des parents"),
        Parenting = ("famille--soutien-a-la-parentalite", "Soutien à la parentalité"),
        Families = ("famille--soutien-aux-familles", "Soutien aux familles"),
        Conflict = ("famille--vie-familiale-conflictuelle", "Vie familiale conflictuelle"),
        Violence = ("famille--violences-intrafamiliales", "Violences intrafamiliales"),
    }
}

/// A place as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = p)]
pub struct Place {
    pub id: i64,
    pub ext_id: String,
    pub name: String,
    pub description: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub commune_code: String,
    pub latitude: f64,
    pub longitude: f64,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub accessibility: String,
    pub hours: String,
    pub published: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A service as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = s)]
pub struct Service {
    pub id: i64,
    pub place_id: i64,
    pub name: String,
    pub kind: ServiceKind,
    pub description: String,
    pub themes: String,
    pub age_min: i32,
    pub age_max: i32,
    pub audience: String,
    pub free: bool,
    pub access: Access,
    pub languages: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Service {
    /// Its themes, known ones only.
    pub fn theme_list(&self) -> Vec<Theme> {
        self.themes
            .split_whitespace()
            .filter_map(Theme::parse)
            .collect()
    }

    /// « de la grossesse à 3 ans », « de 6 à 11 ans ».
    pub fn ages_label(&self) -> String {
        let from = if self.age_min < 0 {
            "la grossesse".to_string()
        } else {
            self.age_min.to_string()
        };
        if self.age_min < 0 {
            format!("de la grossesse à {} ans", self.age_max)
        } else {
            format!("de {from} à {} ans", self.age_max)
        }
    }
}

/// A place's closure as stored.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = cl)]
pub struct StoredClosure {
    pub id: i64,
    pub place_id: i64,
    pub start_day: NaiveDate,
    pub end_day: NaiveDate,
    pub reason: String,
    pub created_at: NaiveDateTime,
}

impl StoredClosure {
    pub fn closure(&self) -> Closure {
        Closure {
            start: self.start_day,
            end: self.end_day,
        }
    }
}

/// What parents search for.
#[derive(Debug, Clone)]
pub struct Query {
    /// Where distances are measured from; `None`: no distance, by name.
    pub origin: Option<(f64, f64)>,
    pub radius_km: f64,
    /// The child's age in years (-1: pregnancy).
    pub age: Option<i32>,
    pub theme: Option<Theme>,
    /// Words, all of which must be found in the place or one of its services.
    pub words: Vec<String>,
    pub open_now: bool,
    /// Local time of « ouvert maintenant ».
    pub at: NaiveDateTime,
}

/// One place found, with its matching services.
#[derive(Debug, Clone)]
pub struct Found {
    pub place: Place,
    pub distance_km: Option<f64>,
    /// `None` when the place has no readable hours.
    pub status: Option<Status>,
    pub services: Vec<Service>,
    pub closures: Vec<StoredClosure>,
}

/// Lower-case, without accents: how words are compared.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

impl Query {
    fn service_matches(&self, sv: &Service) -> bool {
        self.age.is_none_or(|a| sv.age_min <= a && a <= sv.age_max)
            && self
                .theme
                .is_none_or(|t| sv.themes.split_whitespace().any(|c| c == t.code()))
    }
}

/// The hours and closures of a place at `at`.
pub fn status_of(place: &Place, closures: &[StoredClosure], at: NaiveDateTime) -> Option<Status> {
    let parsed = OpeningHours::parse(&place.hours).ok()?;
    let cs: Vec<Closure> = closures.iter().map(StoredClosure::closure).collect();
    Some(hours::status(&parsed, &cs, at))
}

/// The published places matching `q`, nearest first (by name without an origin), each with its
/// matching services. A box of latitudes and longitudes around the origin is selected first (on
/// the indexed columns), then the exact great-circle distance decides.
pub fn search(conn: &mut DbConn, q: &Query) -> QueryResult<Vec<Found>> {
    let mut query = p::table
        .filter(p::published.eq(true))
        .select(Place::as_select())
        .into_boxed();
    if let Some((lat, lon)) = q.origin {
        let dlat = q.radius_km / 111.0 + 0.001;
        let dlon = q.radius_km / (111.0 * lat.to_radians().cos().max(0.01)) + 0.001;
        query = query
            .filter(p::latitude.between(lat - dlat, lat + dlat))
            .filter(p::longitude.between(lon - dlon, lon + dlon));
    }
    let mut candidates: Vec<(Place, Option<f64>)> = query
        .load(conn)?
        .into_iter()
        .filter_map(|pl| match q.origin {
            None => Some((pl, None)),
            Some(o) => {
                let d = communes::distance_km(o, (pl.latitude, pl.longitude));
                (d <= q.radius_km).then_some((pl, Some(d)))
            }
        })
        .collect();
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = candidates.iter().map(|(pl, _)| pl.id).collect();
    let mut services: std::collections::HashMap<i64, Vec<Service>> = Default::default();
    let mut closures: std::collections::HashMap<i64, Vec<StoredClosure>> = Default::default();
    for chunk in ids.chunks(900) {
        for sv in s::table
            .filter(s::place_id.eq_any(chunk))
            .order((s::place_id, s::name, s::id))
            .select(Service::as_select())
            .load(conn)?
        {
            services.entry(sv.place_id).or_default().push(sv);
        }
        for c in cl::table
            .filter(cl::place_id.eq_any(chunk))
            .filter(cl::end_day.ge(q.at.date()))
            .order(cl::start_day)
            .select(StoredClosure::as_select())
            .load(conn)?
        {
            closures.entry(c.place_id).or_default().push(c);
        }
    }
    let filtering_services = q.age.is_some() || q.theme.is_some();
    let words: Vec<String> = q.words.iter().map(|w| fold(w)).collect();
    let mut found = Vec::new();
    for (place, distance_km) in candidates.drain(..) {
        let all = services.remove(&place.id).unwrap_or_default();
        let matching: Vec<Service> = all
            .iter()
            .filter(|sv| q.service_matches(sv))
            .cloned()
            .collect();
        if filtering_services && matching.is_empty() {
            continue;
        }
        if !words.is_empty() {
            let mut text = fold(&format!(
                "{} {} {}",
                place.name, place.description, place.commune
            ));
            for sv in &matching {
                text.push(' ');
                text.push_str(&fold(&format!(
                    "{} {} {}",
                    sv.name,
                    sv.description,
                    sv.kind.label()
                )));
                for t in sv.theme_list() {
                    text.push(' ');
                    text.push_str(&fold(t.label()));
                }
            }
            if !words.iter().all(|w| text.contains(w.as_str())) {
                continue;
            }
        }
        let closures = closures.remove(&place.id).unwrap_or_default();
        let status = status_of(&place, &closures, q.at);
        if q.open_now && !status.is_some_and(|s| s.open) {
            continue;
        }
        found.push(Found {
            place,
            distance_km,
            status,
            services: matching,
            closures,
        });
    }
    found.sort_by(|a, b| {
        a.distance_km
            .unwrap_or(0.0)
            .total_cmp(&b.distance_km.unwrap_or(0.0))
            .then_with(|| fold(&a.place.name).cmp(&fold(&b.place.name)))
            .then(a.place.id.cmp(&b.place.id))
    });
    Ok(found)
}

/// One published place with all its services and its current and coming closures.
pub fn published(conn: &mut DbConn, id: i64, today: NaiveDate) -> QueryResult<Option<Found>> {
    let Some(place) = p::table
        .filter(p::id.eq(id))
        .filter(p::published.eq(true))
        .select(Place::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let services = s::table
        .filter(s::place_id.eq(id))
        .order((s::name, s::id))
        .select(Service::as_select())
        .load(conn)?;
    let closures = cl::table
        .filter(cl::place_id.eq(id))
        .filter(cl::end_day.ge(today))
        .order(cl::start_day)
        .select(StoredClosure::as_select())
        .load(conn)?;
    Ok(Some(Found {
        place,
        distance_km: None,
        status: None,
        services,
        closures,
    }))
}

/// The commune a place is in, from its official code.
pub fn commune_of(place: &Place) -> Option<&'static Commune> {
    communes::by_code(&place.commune_code)
}

/// A service to add to a place.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = s)]
pub struct ServiceData {
    pub place_id: i64,
    pub name: String,
    pub kind: ServiceKind,
    pub description: String,
    pub themes: String,
    pub age_min: i32,
    pub age_max: i32,
    pub audience: String,
    pub free: bool,
    pub access: Access,
    pub languages: String,
}

/// Adds a service; its id.
pub fn add_service(conn: &mut DbConn, data: &ServiceData) -> QueryResult<i64> {
    let now = csc_core::time::now();
    diesel::insert_into(s::table)
        .values((data, s::created_at.eq(now), s::updated_at.eq(now)))
        .returning(s::id)
        .get_result(conn)
}

/// The id of the place imported with this data·inclusion `id`.
pub fn id_of_ext(conn: &mut DbConn, ext_id: &str) -> QueryResult<Option<i64>> {
    p::table
        .filter(p::ext_id.eq(ext_id))
        .select(p::id)
        .first(conn)
        .optional()
}
