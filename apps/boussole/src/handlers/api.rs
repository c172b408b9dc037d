//! `GET /api/v1/boussole/lieux`: the near-me search as JSON.

use actix_web::{web, HttpResponse};
use csc_core::AppError;
use csc_db::Db;
use serde_json::{json, Value};

use crate::communes::Origin;
use crate::places::{self, Found};
use crate::search::SearchParams;

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn place_json(f: &Found) -> Value {
    let services: Vec<Value> = f
        .services
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "nom": s.name,
                "type": s.kind.code(),
                "thematiques": s.theme_list().iter().map(|t| t.code()).collect::<Vec<_>>(),
                "age_min": s.age_min,
                "age_max": s.age_max,
                "gratuit": s.free,
                "modalite": s.access.code(),
                "langues": s.languages.split(',').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "id": f.place.id,
        "nom": f.place.name,
        "commune": f.place.commune,
        "code_insee": f.place.commune_code,
        "code_postal": f.place.postcode,
        "adresse": f.place.address,
        "latitude": f.place.latitude,
        "longitude": f.place.longitude,
        "distance_km": f.distance_km.map(round2),
        "ouvert_maintenant": f.status.map(|s| s.open),
        "prochain_changement": f.status.and_then(|s| s.next_change).map(|t| t.format("%Y-%m-%dT%H:%M").to_string()),
        "services": services,
    })
}

/// The places near a postcode or a commune, nearest first; `choisir_commune` when the postcode
/// covers several communes; 400 with a French `error` on a bad value.
pub async fn lieux(
    db: web::Data<Db>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let search = params
        .into_inner()
        .parse(crate::paris_now())
        .map_err(|errors| {
            AppError::BadRequest(
                errors
                    .into_iter()
                    .map(|(_, m)| m)
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })?;
    if let Origin::Choose(communes) = &search.origin {
        let list: Vec<Value> = communes
            .iter()
            .map(|c| json!({"code": c.code, "nom": c.name}))
            .collect();
        return Ok(HttpResponse::Ok().json(json!({ "choisir_commune": list })));
    }
    let query = search.query;
    let found = db.run(move |c| Ok(places::search(c, &query)?)).await?;
    let lieux: Vec<Value> = found.iter().map(place_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "lieux": lieux })))
}
