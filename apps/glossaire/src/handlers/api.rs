//! `GET /api/v1/glossaire/recherche?q=…&lexique=…`: the search for other tools and services.

use actix_web::{web, HttpResponse};
use csc_core::AppError;
use csc_db::Db;
use serde::Serialize;

use super::public::SearchParams;
use crate::search::{SearchError, Searcher};

#[derive(Serialize)]
struct Resultat {
    terme: String,
    lexique: String,
    correspondance: &'static str,
}

#[derive(Serialize)]
struct Reponse {
    resultats: Vec<Resultat>,
}

/// `{"resultats": [{"terme", "lexique", "correspondance"}]}`, best first; a bad query is a 400
/// and an unknown lexicon a 404, each with its French message.
pub async fn search(
    db: web::Data<Db>,
    searcher: web::Data<Searcher>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let s = searcher.get_ref().clone();
    let q = params.q.unwrap_or_default();
    let lexique = params.lexique;
    let found = db.run(move |c| s.search(c, lexique.as_deref(), &q)).await?;
    match found {
        Ok(hits) => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(Reponse {
                resultats: hits
                    .into_iter()
                    .map(|h| Resultat {
                        terme: h.term,
                        lexique: h.lexicon,
                        correspondance: h.correspondance.code(),
                    })
                    .collect(),
            })),
        Err(e @ SearchError::UnknownLexicon(_)) => Ok(HttpResponse::NotFound()
            .json(serde_json::json!({ "error": e.message(), "status": 404 }))),
        Err(e) => Err(AppError::bad_request(e.message())),
    }
}
