//! One file sent with a multipart form (an image, a PDF), read with one limit on the whole body
//! and on the number of parts, so no upload can fill the memory.

use actix_multipart::Multipart;
use futures_util::StreamExt;

/// What the form may add around the file (its boundaries, a field or two).
pub const EXTRA_BYTES: usize = 16 * 1024;
/// At most this many parts in the form.
pub const MAX_PARTS: usize = 8;

/// Why an upload was refused, in French for the page.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("Le fichier dépasse {0} Ko. Choisissez un fichier plus léger.")]
    TooLarge(usize),
    #[error("Le formulaire envoyé contient trop de parties.")]
    TooManyParts,
    #[error("L'envoi du fichier a été interrompu ou n'a pas pu être lu.")]
    Broken,
    #[error("Choisissez un fichier.")]
    Missing,
}

impl From<UploadError> for csc_core::AppError {
    fn from(e: UploadError) -> Self {
        match e {
            UploadError::TooLarge(_) => csc_core::AppError::PayloadTooLarge(e.to_string()),
            _ => csc_core::AppError::bad_request(e.to_string()),
        }
    }
}

/// The bytes of the first part named `name`, at most `max` bytes (the whole body at most `max`
/// plus [`EXTRA_BYTES`]); other parts are read and dropped.
pub async fn read_file(
    payload: &mut Multipart,
    name: &str,
    max: usize,
) -> Result<Vec<u8>, UploadError> {
    let mut bytes: Vec<u8> = Vec::new();
    let (mut found, mut read, mut parts) = (false, 0usize, 0usize);
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| UploadError::Broken)?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(UploadError::TooManyParts);
        }
        let wanted = field.name() == Some(name) && !found;
        found |= wanted;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| UploadError::Broken)?;
            read += chunk.len();
            if read > max + EXTRA_BYTES || (wanted && bytes.len() + chunk.len() > max) {
                return Err(UploadError::TooLarge(max / 1024));
            }
            if wanted {
                bytes.extend_from_slice(&chunk);
            }
        }
    }
    if bytes.is_empty() {
        return Err(UploadError::Missing);
    }
    Ok(bytes)
}
