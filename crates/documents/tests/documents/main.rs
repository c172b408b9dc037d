//! Documents read back with independent readers: pdf-extract for PDF, calamine for `.xlsx`.

mod pdf;
mod sheet;
