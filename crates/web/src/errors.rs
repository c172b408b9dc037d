//! French error pages: every 4xx/5xx that is not already a page becomes one (JSON under `/api`).

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{header, StatusCode};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{HttpRequest, HttpResponse};
use csc_core::error::ErrorMessage;
use csc_core::AppError;
use tera::Context;

use crate::render;

/// The middleware to wrap the whole application in.
pub fn handlers<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(page)
}

/// The 404 for unknown routes.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "La demande n'a pas pu être comprise. Vérifiez ce que vous avez saisi.",
        401 => "Veuillez vous connecter pour continuer.",
        403 => "Vous n'avez pas accès à cette page.",
        404 => "Page ou élément introuvable.",
        405 => "Cette action n'est pas possible à cette adresse.",
        413 => "Les données envoyées sont trop volumineuses.",
        415 => "Ce type de contenu n'est pas accepté.",
        422 => "Certaines informations ne sont pas valides.",
        429 => "Trop de demandes. Patientez un moment avant de réessayer.",
        503 => "Le service est momentanément indisponible. Réessayez dans un instant.",
        s if s >= 500 => "Une erreur inattendue est survenue. L'équipe technique a été prévenue.",
        _ => "La demande n'a pas abouti.",
    }
}

fn title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "Demande incorrecte",
        401 => "Connexion nécessaire",
        403 => "Accès refusé",
        404 => "Page introuvable",
        413 => "Envoi trop volumineux",
        429 => "Trop de tentatives",
        s if s >= 500 => "Erreur du service",
        _ => "Erreur",
    }
}

fn page<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if is_html {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let message = res
        .response()
        .extensions()
        .get::<ErrorMessage>()
        .map(|m| m.0.clone())
        .unwrap_or_else(|| default_message(status).to_string());
    let (req, original) = res.into_parts();
    let mut new = build(&req, status, &message);
    // Keep headers the handler chose (Retry-After, Allow, cookies being cleared).
    for (name, value) in original.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

fn build(req: &HttpRequest, status: StatusCode, message: &str) -> HttpResponse<BoxBody> {
    if req.path().starts_with("/api") {
        return HttpResponse::build(status)
            .json(serde_json::json!({ "error": message, "status": status.as_u16() }));
    }
    if status == StatusCode::UNAUTHORIZED {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!(
            "/connexion?suivant={}",
            url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        );
        return HttpResponse::SeeOther()
            .insert_header((header::LOCATION, target))
            .finish();
    }
    let mut ctx = Context::new();
    ctx.insert("status", &status.as_u16());
    ctx.insert("title", title(status));
    ctx.insert("message", message);
    match render::render_status(req, status, "error.html", ctx) {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "error page could not be rendered");
            HttpResponse::build(status)
                .content_type("text/plain; charset=utf-8")
                .body(message.to_string())
        }
    }
}
