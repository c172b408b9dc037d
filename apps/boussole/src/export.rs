//! Export of the published directory in data·inclusion's structure and service fields (CSV and
//! JSON), so that the national data can be fed from it; the CSV reads back with `csc boussole
//! import`.

use csc_db::DbConn;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::places::{Place, Service};
use crate::schema::{boussole_places as p, boussole_services as s};

/// The structure columns, in order.
pub const STRUCTURE_FIELDS: [&str; 15] = [
    "id",
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "accessibilite",
    "horaires_accueil",
    "description",
    "date_maj",
];

fn published(conn: &mut DbConn) -> QueryResult<Vec<Place>> {
    p::table
        .filter(p::published.eq(true))
        .order(p::id)
        .select(Place::as_select())
        .load(conn)
}

fn values(pl: &Place) -> [String; 15] {
    [
        pl.ext_id.clone(),
        pl.name.clone(),
        pl.address.clone(),
        pl.postcode.clone(),
        pl.commune.clone(),
        pl.commune_code.clone(),
        pl.latitude.to_string(),
        pl.longitude.to_string(),
        pl.phone.clone(),
        pl.email.clone(),
        pl.website.clone(),
        pl.accessibility.clone(),
        pl.hours.clone(),
        pl.description.clone(),
        pl.updated_at.date().to_string(),
    ]
}

/// The published structures as CSV (comma-separated, UTF-8, a header row).
pub fn structures_csv(conn: &mut DbConn) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(STRUCTURE_FIELDS)?;
    for pl in published(conn)? {
        w.write_record(values(&pl))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The published structures as a JSON array of data·inclusion structures.
pub fn structures_json(conn: &mut DbConn) -> QueryResult<Value> {
    Ok(Value::Array(
        published(conn)?
            .iter()
            .map(|pl| {
                let mut o = serde_json::Map::new();
                for (k, v) in STRUCTURE_FIELDS.iter().zip(values(pl)) {
                    let value = match *k {
                        "latitude" => json!(pl.latitude),
                        "longitude" => json!(pl.longitude),
                        _ => json!(v),
                    };
                    o.insert((*k).to_string(), value);
                }
                Value::Object(o)
            })
            .collect(),
    ))
}

/// The services of the published structures as a JSON array.
pub fn services_json(conn: &mut DbConn) -> QueryResult<Value> {
    let rows: Vec<(Service, String)> = s::table
        .inner_join(p::table)
        .filter(p::published.eq(true))
        .order(s::id)
        .select((Service::as_select(), p::ext_id))
        .load(conn)?;
    Ok(Value::Array(
        rows.iter()
            .map(|(sv, structure)| {
                json!({
                    "id": format!("{structure}-{}", sv.id),
                    "structure_id": structure,
                    "nom": sv.name,
                    "description": sv.description,
                    "types": [sv.kind.code()],
                    "thematiques": sv.theme_list().iter().map(|t| t.code()).collect::<Vec<_>>(),
                    "frais": [if sv.free { "gratuit" } else { "payant" }],
                    "modes_accueil": ["en-presentiel"],
                    "modalites_acces": sv.access.code(),
                    "public": sv.audience,
                    "age_min": sv.age_min,
                    "age_max": sv.age_max,
                    "langues": sv.languages,
                    "date_maj": sv.updated_at.date().to_string(),
                })
            })
            .collect(),
    ))
}
