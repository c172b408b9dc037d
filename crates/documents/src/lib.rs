//! Documents handed to people: A4 PDF summaries ([`pdf`]) and spreadsheet exports
//! ([`sheet`]: `.xlsx` and CSV for French Excel).

pub mod pdf;
pub mod sheet;

pub use pdf::{Align, Document};
pub use sheet::{workbook_xlsx, Cell, Sheet};

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The PDF writer or its fonts failed.
    #[error("PDF generation failed: {0}")]
    Pdf(String),
    /// The workbook writer refused the data (too many rows, text too long…).
    #[error("spreadsheet generation failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Result of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
