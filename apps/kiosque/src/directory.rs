//! The help directory: the help desks near the centre (structures that help with procedures).

use chrono::NaiveDateTime;
use csc_core::{time, AppError, Email, Phone, Postcode, WebUrl};
use csc_db::DbConn;
use csc_web::forms::{optional, optional_parsed, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::kiosque_help_places as h;
use csc_db::exactly_one;

csc_core::coded! {
    /// What kind of structure a help desk is (the directory lists them in this
    /// order).
    #[derive(diesel::AsExpression, diesel::FromSqlRow)]
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub enum Kind {
        SocialCentre = ("centre-social", "Centre social"),
        FranceServices = ("france-services", "Espace France Services"),
        Ccas = ("ccas", "CCAS (centre communal d'action sociale)"),
        DigitalHelp = ("mediation", "Médiation numérique"),
        TownHall = ("mairie", "Mairie"),
        Other = ("autre", "Autre structure"),
    }
}

csc_db::sql_coded!(Kind);

/// A help desk of the directory.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = h)]
pub struct HelpDesk {
    pub id: i64,
    pub centre_id: i64,
    pub name: String,
    pub kind: Kind,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub hours: String,
    pub services: String,
    pub accessibility: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The help desk form as posted.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HelpDeskForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub services: String,
    #[serde(default)]
    pub accessibility: String,
}

/// A checked help desk.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = h)]
pub struct HelpDeskData {
    pub name: String,
    pub kind: Kind,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub hours: String,
    pub services: String,
    pub accessibility: String,
}

impl HelpDeskForm {
    /// Every field checked at once.
    pub fn parse(&self) -> Result<HelpDeskData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required(&self.name, 120, "le nom de la structure"));
        let kind = e.check(
            "kind",
            Kind::parse(&self.kind).ok_or_else(|| "Choisissez le type de structure.".to_string()),
        );
        let address = e.check("address", optional(&self.address, 200));
        let postcode = e.check("postcode", optional_parsed(&self.postcode, Postcode::parse));
        let city = e.check("city", optional(&self.city, 100));
        let phone = e.check("phone", optional_parsed(&self.phone, Phone::parse));
        let email = e.check("email", optional_parsed(&self.email, Email::parse));
        let website = e.check(
            "website",
            optional_parsed(&self.website, WebUrl::parse_typed),
        );
        let hours = e.check("hours", optional(&self.hours, 1000));
        let services = e.check("services", optional(&self.services, 1000));
        let accessibility = e.check("accessibility", optional(&self.accessibility, 500));
        if !e.is_empty() {
            return Err(e);
        }
        match (
            name,
            kind,
            address,
            postcode,
            city,
            phone,
            email,
            website,
            hours,
            services,
            accessibility,
        ) {
            (
                Some(name),
                Some(kind),
                Some(address),
                Some(postcode),
                Some(city),
                Some(phone),
                Some(email),
                Some(website),
                Some(hours),
                Some(services),
                Some(accessibility),
            ) => Ok(HelpDeskData {
                name,
                kind,
                address,
                postcode,
                city,
                phone,
                email,
                website,
                hours,
                services,
                accessibility,
            }),
            _ => Err(e),
        }
    }

    /// The form filled from a stored help desk.
    pub fn from_help_desk(p: &HelpDesk) -> Self {
        Self {
            name: p.name.clone(),
            kind: p.kind.code().into(),
            address: p.address.clone(),
            postcode: p.postcode.clone(),
            city: p.city.clone(),
            phone: p.phone.clone(),
            email: p.email.clone(),
            website: p.website.clone(),
            hours: p.hours.clone(),
            services: p.services.clone(),
            accessibility: p.accessibility.clone(),
        }
    }
}

/// The centre's help desks, by kind order then name.
pub fn of_centre(conn: &mut DbConn, centre_id: i64) -> QueryResult<Vec<HelpDesk>> {
    let mut v: Vec<HelpDesk> = h::table
        .filter(h::centre_id.eq(centre_id))
        .select(HelpDesk::as_select())
        .load(conn)?;
    v.sort_by_key(|p| (p.kind, p.name.to_lowercase()));
    Ok(v)
}

/// One help desk of the centre.
pub fn get(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<HelpDesk, AppError> {
    Ok(h::table
        .filter(h::id.eq(id))
        .filter(h::centre_id.eq(centre_id))
        .select(HelpDesk::as_select())
        .first(conn)?)
}

/// Adds a help desk.
pub fn create(conn: &mut DbConn, centre_id: i64, data: &HelpDeskData) -> QueryResult<i64> {
    let now = time::now();
    diesel::insert_into(h::table)
        .values((
            data,
            h::centre_id.eq(centre_id),
            h::created_at.eq(now),
            h::updated_at.eq(now),
        ))
        .returning(h::id)
        .get_result(conn)
}

/// Changes a help desk of the centre.
pub fn update(
    conn: &mut DbConn,
    centre_id: i64,
    id: i64,
    data: &HelpDeskData,
) -> Result<(), AppError> {
    let n = diesel::update(
        h::table
            .filter(h::id.eq(id))
            .filter(h::centre_id.eq(centre_id)),
    )
    .set((data, h::updated_at.eq(time::now())))
    .execute(conn)?;
    exactly_one(n)
}

/// Removes a help desk of the centre.
pub fn delete(conn: &mut DbConn, centre_id: i64, id: i64) -> Result<(), AppError> {
    let n = diesel::delete(
        h::table
            .filter(h::id.eq(id))
            .filter(h::centre_id.eq(centre_id)),
    )
    .execute(conn)?;
    exactly_one(n)
}
