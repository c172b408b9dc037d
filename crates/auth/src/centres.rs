//! Centres: the social centres of the federation.

use chrono::NaiveDateTime;
use csc_core::{time, AppError, Email, Phone, Postcode, Slug, WebUrl};
use csc_db::DbConn;
use csc_web::forms::{optional, optional_parsed, required};
use csc_web::FieldErrors;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::schema::centres;

/// A centre as listed and shown (the logo bytes are loaded apart).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = centres)]
pub struct Centre {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub logo_type: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The centre form as posted; every field is kept to be shown again on error.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CentreForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: String,
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
}

/// A checked centre, ready to store.
#[derive(Debug, Clone, AsChangeset, Insertable)]
#[diesel(table_name = centres)]
pub struct CentreData {
    pub slug: String,
    pub name: String,
    pub address: String,
    pub postcode: String,
    pub city: String,
    pub phone: String,
    pub email: String,
    pub website: String,
}

impl CentreForm {
    /// Every field checked at once; the errors name the fields.
    pub fn parse(&self) -> Result<CentreData, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required(&self.name, 120, "le nom du centre"));
        let slug = if self.slug.trim().is_empty() {
            match &name {
                Some(n) => e.check("slug", Slug::from_name(n)),
                None => None,
            }
        } else {
            e.check("slug", Slug::parse(&self.slug))
        };
        let address = e.check("address", optional(&self.address, 200));
        let postcode = e.check("postcode", optional_parsed(&self.postcode, Postcode::parse));
        let city = e.check("city", optional(&self.city, 100));
        let phone = e.check("phone", optional_parsed(&self.phone, Phone::parse));
        let email = e.check("email", optional_parsed(&self.email, Email::parse));
        let website = e.check(
            "website",
            optional_parsed(&self.website, WebUrl::parse_typed),
        );
        match (name, slug, address, postcode, city, phone, email, website) {
            (
                Some(name),
                Some(slug),
                Some(address),
                Some(postcode),
                Some(city),
                Some(phone),
                Some(email),
                Some(website),
            ) if e.is_empty() => Ok(CentreData {
                slug: slug.to_string(),
                name,
                address,
                postcode,
                city,
                phone,
                email,
                website,
            }),
            _ => Err(e),
        }
    }

    /// The form filled from a stored centre.
    pub fn from_centre(c: &Centre) -> Self {
        Self {
            name: c.name.clone(),
            slug: c.slug.clone(),
            address: c.address.clone(),
            postcode: c.postcode.clone(),
            city: c.city.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            website: c.website.clone(),
        }
    }
}

/// All centres, by name.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Centre>> {
    centres::table
        .select(Centre::as_select())
        .order(centres::name)
        .load(conn)
}

/// The centres where `who` holds one of `roles` (every centre for an admin), by name; a staff
/// page's list of centres. Forbidden when there is none.
pub fn staffed_by(
    conn: &mut DbConn,
    who: &csc_core::Identity,
    roles: &[csc_core::Role],
) -> Result<Vec<Centre>, AppError> {
    let mine: Vec<Centre> = list(conn)?
        .into_iter()
        .filter(|c| who.has_any_role(c.id, roles))
        .collect();
    if mine.is_empty() {
        Err(AppError::Forbidden)
    } else {
        Ok(mine)
    }
}

/// The centre `centre_id`, for a staff page that `who` may use only with one of `roles` there
/// (403 otherwise, checked before the database is read).
pub async fn managed(
    db: &csc_db::Db,
    who: &csc_core::Identity,
    centre_id: i64,
    roles: &[csc_core::Role],
) -> Result<Centre, AppError> {
    who.require_role(centre_id, roles)?;
    db.run(move |c| get(c, centre_id)).await
}

/// One centre by id.
pub fn get(conn: &mut DbConn, id: i64) -> Result<Centre, AppError> {
    Ok(centres::table
        .find(id)
        .select(Centre::as_select())
        .first(conn)?)
}

/// One centre by slug.
pub fn by_slug(conn: &mut DbConn, slug: &str) -> Result<Centre, AppError> {
    Ok(centres::table
        .filter(centres::slug.eq(slug))
        .select(Centre::as_select())
        .first(conn)?)
}

#[derive(Insertable)]
#[diesel(table_name = centres)]
struct NewCentre {
    #[diesel(embed)]
    data: CentreData,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Creates a centre; a taken slug is a field error.
pub fn create(
    conn: &mut DbConn,
    data: &CentreData,
) -> Result<Result<Centre, FieldErrors>, AppError> {
    if slug_taken(conn, &data.slug, None)? {
        return Ok(Err(slug_error()));
    }
    let now = time::now();
    let c = diesel::insert_into(centres::table)
        .values(NewCentre {
            data: data.clone(),
            created_at: now,
            updated_at: now,
        })
        .get_result::<CentreRow>(conn)?;
    Ok(Ok(get(conn, c.id)?))
}

/// Updates a centre; a taken slug is a field error.
pub fn update(
    conn: &mut DbConn,
    id: i64,
    data: &CentreData,
) -> Result<Result<(), FieldErrors>, AppError> {
    get(conn, id)?;
    if slug_taken(conn, &data.slug, Some(id))? {
        return Ok(Err(slug_error()));
    }
    diesel::update(centres::table.find(id))
        .set((data, centres::updated_at.eq(time::now())))
        .execute(conn)?;
    Ok(Ok(()))
}

fn slug_error() -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(
        "slug",
        "Cet identifiant court est déjà utilisé par un autre centre.",
    );
    e
}

fn slug_taken(conn: &mut DbConn, slug: &str, except: Option<i64>) -> QueryResult<bool> {
    let ids: Vec<i64> = centres::table
        .filter(centres::slug.eq(slug))
        .select(centres::id)
        .load(conn)?;
    Ok(ids.iter().any(|id| Some(*id) != except))
}

/// Full row, only to read back an insert.
#[derive(Queryable)]
#[allow(dead_code)]
struct CentreRow {
    id: i64,
    slug: String,
    name: String,
    address: String,
    postcode: String,
    city: String,
    phone: String,
    email: String,
    website: String,
    logo: Option<Vec<u8>>,
    logo_type: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Stores the logo of a centre.
pub fn set_logo(
    conn: &mut DbConn,
    id: i64,
    bytes: Vec<u8>,
    content_type: &str,
) -> Result<(), AppError> {
    let n = diesel::update(centres::table.find(id))
        .set((
            centres::logo.eq(Some(bytes)),
            centres::logo_type.eq(Some(content_type)),
            centres::updated_at.eq(time::now()),
        ))
        .execute(conn)?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// The logo of a centre, by slug.
pub fn logo(conn: &mut DbConn, slug: &str) -> Result<(Vec<u8>, String), AppError> {
    let (bytes, ct): (Option<Vec<u8>>, Option<String>) = centres::table
        .filter(centres::slug.eq(slug))
        .select((centres::logo, centres::logo_type))
        .first(conn)?;
    match (bytes, ct) {
        (Some(b), Some(t)) => Ok((b, t)),
        _ => Err(AppError::NotFound),
    }
}

/// Recognises PNG, JPEG and WebP by their first bytes (never trust the declared type).
pub fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centre_form_reports_every_bad_field() {
        let form = CentreForm {
            name: " ".into(),
            postcode: "5900".into(),
            phone: "12".into(),
            email: "pas-une-adresse".into(),
            website: "javascript:alert(1)".into(),
            ..Default::default()
        };
        let errors = form.parse().expect_err("must fail");
        for f in ["name", "postcode", "phone", "email", "website"] {
            assert!(errors.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn centre_form_normalises_good_input() {
        let form = CentreForm {
            name: "Centre Social Faubourg de Béthune".into(),
            postcode: "59000".into(),
            phone: "0320922149".into(),
            website: "www.association-projet.org".into(),
            ..Default::default()
        };
        let data = form.parse().expect("valid");
        assert_eq!(data.slug, "centre-social-faubourg-de-bethune");
        assert_eq!(data.phone, "03 20 92 21 49");
        assert_eq!(data.website, "https://www.association-projet.org/");
    }

    #[test]
    fn empty_contact_fields_stay_empty_and_phones_are_normalised() {
        let form = CentreForm {
            name: "Centre A".into(),
            phone: "+33 3 20 16 84 30".into(),
            ..Default::default()
        };
        let data = form.parse().expect("valid");
        assert_eq!(data.phone, "03 20 16 84 30");
        assert_eq!(
            (data.postcode, data.email, data.website),
            Default::default()
        );
    }

    #[test]
    fn images_are_recognised_by_content() {
        assert_eq!(
            sniff_image(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0]),
            Some("image/png")
        );
        assert_eq!(sniff_image(b"<svg onload=alert(1)>"), None);
    }
}
