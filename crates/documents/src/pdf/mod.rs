//! Plain A4 documents (summaries, receipts) in the standard PDF fonts.
//!
//! Text is set in Helvetica and Helvetica-Bold with the WinAnsi encoding: no font
//! file is embedded, the text stays extractable and covers French (accents, « »,
//! ’, €, œ). Other characters are transliterated ("Ł" -> "L") or printed as "?".
//!
//! ```ignore
//! let mut doc = Document::new("Demande de pré-inscription n° 12");
//! doc.heading("Enfants").table(&["Enfant", "Prix"], &rows, &[Align::Left, Align::Right]);
//! let bytes = doc.render()?;
//! ```

mod layout;
pub mod text;

use printpdf::{
    Color, Line, LinePoint, Mm, OffsetDateTime, Op, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

use crate::{Error, Result};
use layout::{Mark, PAGE_H};
use text::{clean, Fonts};

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Text (the default).
    #[default]
    Left,
    /// Amounts and numbers.
    Right,
    /// Short codes, ticks.
    Center,
}

/// One piece of content, laid out in order.
#[derive(Debug, Clone)]
enum Block {
    Title(String),
    Subtitle(String),
    Heading(String),
    Paragraph(String),
    Small(String),
    KeyValues(Vec<(String, String)>),
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        align: Vec<Align>,
    },
}

/// An A4 document built block by block, then rendered to PDF bytes.
#[derive(Debug, Clone)]
pub struct Document {
    title: String,
    blocks: Vec<Block>,
}

impl Document {
    /// A document whose title is both its metadata title and its big heading.
    pub fn new(title: impl Into<String>) -> Self {
        let title = title.into();
        Document {
            blocks: vec![Block::Title(title.clone())],
            title,
        }
    }

    /// A line under the title (centre name, address, date).
    pub fn subtitle(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Subtitle(text.into()))
    }

    /// A section heading, kept on the same page as the start of what follows.
    pub fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Heading(text.into()))
    }

    /// Body text, wrapped; `\n` starts a new line.
    pub fn paragraph(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Paragraph(text.into()))
    }

    /// Small print, e.g. the data-protection notice.
    pub fn small(&mut self, text: impl Into<String>) -> &mut Self {
        self.push(Block::Small(text.into()))
    }

    /// Labels in bold with their values beside them.
    pub fn key_values<K: AsRef<str>, V: AsRef<str>>(&mut self, pairs: &[(K, V)]) -> &mut Self {
        let pairs = pairs
            .iter()
            .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
            .collect();
        self.push(Block::KeyValues(pairs))
    }

    /// A table filling the page width; cells wrap in their column, rows never split
    /// across pages (unless taller than a page) and the header repeats on each page.
    /// Columns without an alignment in `align` are left-aligned.
    pub fn table<H, R, C>(&mut self, headers: &[H], rows: &[R], align: &[Align]) -> &mut Self
    where
        H: AsRef<str>,
        R: AsRef<[C]>,
        C: AsRef<str>,
    {
        let strings = |cells: &[C]| cells.iter().map(|c| c.as_ref().to_string()).collect();
        self.push(Block::Table {
            headers: headers.iter().map(|h| h.as_ref().to_string()).collect(),
            rows: rows.iter().map(|r| strings(r.as_ref())).collect(),
            align: align.to_vec(),
        })
    }

    fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// The PDF file, with "Page n / N" at the bottom of each page.
    pub fn render(&self) -> Result<Vec<u8>> {
        let fonts = Fonts::load()?;
        let pages = layout::paginate(fonts, &self.blocks)
            .iter()
            .map(|marks| PdfPage::new(Mm(210.0), Mm(297.0), ops(marks)))
            .collect();
        let mut doc = PdfDocument::new(&clean(&self.title));
        let now = OffsetDateTime::now_utc();
        let info = &mut doc.metadata.info;
        info.creation_date = now;
        info.modification_date = now;
        info.metadata_date = now;
        info.creator = "csc-documents".to_string();
        let mut warnings = Vec::new();
        let bytes = doc
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings);
        match warnings
            .iter()
            .find(|w| w.severity == PdfParseErrorSeverity::Error)
        {
            Some(w) => Err(Error::Pdf(w.msg.clone())),
            None => Ok(bytes),
        }
    }
}

fn gray(level: f32) -> Color {
    Color::Rgb(Rgb::new(level, level, level, None))
}

fn point(x: f32, top: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_H - top),
        },
        bezier: false,
    }
}

fn ops(marks: &[Mark]) -> Vec<Op> {
    let mut ops = vec![Op::SaveGraphicsState, Op::SetFillColor { col: gray(0.0) }];
    for mark in marks {
        match mark {
            Mark::Text {
                x,
                baseline,
                face,
                size,
                text,
            } => ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::Builtin(face.builtin()),
                    size: Pt(*size),
                },
                Op::SetTextCursor {
                    pos: point(*x, *baseline).p,
                },
                Op::ShowText {
                    items: vec![TextItem::Text(text.clone())],
                },
                Op::EndTextSection,
            ]),
            Mark::Rule {
                x,
                top,
                w,
                thickness,
                gray: level,
            } => ops.extend([
                Op::SetOutlineColor { col: gray(*level) },
                Op::SetOutlineThickness { pt: Pt(*thickness) },
                Op::DrawLine {
                    line: Line {
                        points: vec![point(*x, *top), point(x + w, *top)],
                        is_closed: false,
                    },
                },
            ]),
        }
    }
    ops.push(Op::RestoreGraphicsState);
    ops
}

#[cfg(test)]
mod tests {
    use super::layout::{paginate, BOTTOM, MARGIN_X, PAGE_W, TOP};
    use super::*;

    /// Every mark lies inside the margins (page numbers below the content).
    #[test]
    fn marks_stay_within_the_margins() -> Result<()> {
        let fonts = Fonts::load()?;
        let mut doc = Document::new("Titre ".repeat(30));
        let long = "mot ".repeat(400);
        let mut rows: Vec<Vec<String>> = (0..80)
            .map(|i| vec![format!("{i} {}", "x".repeat(i)), long[..i * 4].to_string()])
            .collect();
        // Taller than a page: split between lines.
        rows.insert(40, vec!["géant".to_string(), "mot ".repeat(2500)]);
        doc.paragraph(&long)
            .key_values(&[(
                "Une clé assez longue pour être coupée en deux",
                long.as_str(),
            )])
            .table(&["A", "B"], &rows, &[Align::Right]);
        let pages = paginate(fonts, &doc.blocks);
        assert!(pages.len() > 5);
        let words: usize = pages
            .iter()
            .flatten()
            .map(|m| match m {
                Mark::Text { text, .. } => text.matches("mot").count(),
                Mark::Rule { .. } => 0,
            })
            .sum();
        let in_rows: usize = (0..80usize).sum();
        assert_eq!(words, 400 + 400 + in_rows + 2500);
        for page in &pages {
            let (content, footer) = page.split_at(page.len() - 1);
            assert!(matches!(&footer[0], Mark::Text { baseline, .. } if *baseline > BOTTOM));
            for mark in content {
                match mark {
                    Mark::Text {
                        x,
                        baseline,
                        face,
                        size,
                        text,
                    } => {
                        let right = x + fonts.width(text, *face, *size);
                        assert!(*x >= MARGIN_X - 0.01 && right <= PAGE_W - MARGIN_X + 0.01);
                        assert!(*baseline > TOP && *baseline <= BOTTOM, "{text:?}");
                    }
                    Mark::Rule { top, .. } => assert!(*top >= TOP && *top <= BOTTOM + 0.01),
                }
            }
        }
        Ok(())
    }
}
