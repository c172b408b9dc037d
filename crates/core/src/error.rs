//! The one error type at the HTTP edge. Its response carries a French message; the error-page
//! middleware of `csc-web` turns it into a full HTML page (or JSON under `/api`).

/// Result of a handler or a service.
pub type AppResult<T> = Result<T, AppError>;

/// What went wrong, as the user is told.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("Page ou élément introuvable.")]
    NotFound,
    #[error("Veuillez vous connecter pour continuer.")]
    Unauthorized,
    #[error("Vous n'avez pas accès à cette page.")]
    Forbidden,
    #[error("{0}")]
    Denied(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("Le service est momentanément indisponible. Réessayez dans un instant.")]
    Unavailable,
    #[error("Une erreur inattendue est survenue. L'équipe technique a été prévenue.")]
    Internal(#[from] anyhow::Error),
}

/// The user-facing message of an error response, kept for the page renderer.
#[derive(Debug, Clone)]
pub struct ErrorMessage(pub String);

impl AppError {
    /// A 400 with a message for the user.
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::BadRequest(msg.into())
    }

    /// An internal error from anything displayable (logged, never shown).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(anyhow::anyhow!("{e}"))
    }
}

#[cfg(feature = "http")]
impl actix_web::ResponseError for AppError {
    fn status_code(&self) -> actix_web::http::StatusCode {
        use actix_web::http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Denied(_) => StatusCode::FORBIDDEN,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        if let AppError::Internal(e) = self {
            tracing::error!(error = format!("{e:#}"), "internal error");
        }
        let message = self.to_string();
        let mut res = actix_web::HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(message.clone());
        res.extensions_mut().insert(ErrorMessage(message));
        res
    }
}

#[cfg(feature = "db")]
impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("Cet élément existe déjà.".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                AppError::Conflict("Cet élément est lié à d'autres données.".into())
            }
            other => AppError::Internal(other.into()),
        }
    }
}

#[cfg(all(test, feature = "http", feature = "db"))]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::ResponseError;

    #[test]
    fn diesel_errors_map_to_http_statuses() {
        assert_eq!(
            AppError::from(diesel::result::Error::NotFound).status_code(),
            StatusCode::NOT_FOUND
        );
        let unique = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new(String::from("dup")),
        );
        assert_eq!(AppError::from(unique).status_code(), StatusCode::CONFLICT);
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let e = AppError::Internal(anyhow::anyhow!("password=secret"));
        assert!(!e.to_string().contains("secret"));
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
