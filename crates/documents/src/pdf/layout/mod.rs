//! Places the blocks of a document on A4 pages: wrapping, page breaks, tables, page numbers.
//!
//! Positions are PDF points measured down from the top edge of the page.

mod table;

use super::text::{Face, Fonts};
use super::Block;

pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;
pub(crate) const PAGE_W: f32 = 210.0 * PT_PER_MM;
pub(crate) const PAGE_H: f32 = 297.0 * PT_PER_MM;
pub(crate) const MARGIN_X: f32 = 20.0 * PT_PER_MM;
pub(crate) const TOP: f32 = 18.0 * PT_PER_MM;
/// Lowest point of the content; the page number sits below it.
pub(crate) const BOTTOM: f32 = PAGE_H - 22.0 * PT_PER_MM;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;
const CONTENT_H: f32 = BOTTOM - TOP;
const FOOTER_BASELINE: f32 = PAGE_H - 12.0 * PT_PER_MM;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.3;
/// Baseline position below the top of the font-size box (Helvetica ascender).
const ASCENT: f32 = 0.76;

#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
}

impl Style {
    const fn new(face: Face, size: f32) -> Self {
        Style { face, size }
    }

    fn lead(self) -> f32 {
        self.size * LEADING
    }
}

const TITLE: Style = Style::new(Face::Bold, 18.0);
const SUBTITLE: Style = Style::new(Face::Regular, 12.0);
const HEADING: Style = Style::new(Face::Bold, 13.0);
const BODY: Style = Style::new(Face::Regular, 10.5);
const SMALL: Style = Style::new(Face::Regular, 8.5);
const CELL: Style = Style::new(Face::Regular, 10.0);

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    /// One line of WinAnsi text starting at `x`.
    Text {
        x: f32,
        baseline: f32,
        face: Face,
        size: f32,
        text: String,
    },
    /// A horizontal rule; `gray` is 0 for black.
    Rule {
        x: f32,
        top: f32,
        w: f32,
        thickness: f32,
        gray: f32,
    },
}

/// The marks of each page, page numbers included.
pub(crate) fn paginate(fonts: Fonts, blocks: &[Block]) -> Vec<Vec<Mark>> {
    let mut p = Pages {
        fonts,
        pages: vec![Vec::new()],
        y: TOP,
    };
    for block in blocks {
        p.block(block);
    }
    let n = p.pages.len();
    for (i, page) in p.pages.iter_mut().enumerate() {
        let text = format!("Page {} / {n}", i + 1);
        let w = fonts.width(&text, SMALL.face, SMALL.size);
        page.push(Mark::Text {
            x: (PAGE_W - w) / 2.0,
            baseline: FOOTER_BASELINE,
            face: SMALL.face,
            size: SMALL.size,
            text,
        });
    }
    p.pages
}

struct Pages {
    fonts: Fonts,
    pages: Vec<Vec<Mark>>,
    /// Top of the free space on the last page.
    y: f32,
}

impl Pages {
    fn block(&mut self, block: &Block) {
        match block {
            Block::Title(t) => self.text(t, TITLE, 0.0, 1),
            Block::Subtitle(t) => self.text(t, SUBTITLE, 2.0, 1),
            Block::Heading(t) => {
                // Keep the heading with the first lines of what follows.
                let lines = self
                    .fonts
                    .wrap_text(t, HEADING.face, HEADING.size, CONTENT_W);
                self.gap(14.0);
                self.ensure(lines.len() as f32 * HEADING.lead() + 2.0 * BODY.lead());
                self.lines(&lines, HEADING);
                self.y += 2.0;
            }
            Block::Paragraph(t) => self.text(t, BODY, 6.0, 2),
            Block::Small(t) => self.text(t, SMALL, 8.0, 2),
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Table {
                headers,
                rows,
                align,
            } => self.table(headers, rows, align),
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP
    }

    fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    /// Vertical space before a block, dropped at the top of a page.
    fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y += h;
        }
    }

    /// Starts a new page unless `h` fits in what is left of this one.
    fn ensure(&mut self, h: f32) {
        if h > self.room() && !self.at_top() {
            self.new_page();
        }
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    /// One line of text whose line box starts at `top`.
    fn put(&mut self, x: f32, top: f32, text: &str, face: Face, size: f32) {
        if text.is_empty() {
            return;
        }
        self.mark(Mark::Text {
            x,
            baseline: top + (LEADING - 1.0) * size / 2.0 + ASCENT * size,
            face,
            size,
            // No-break spaces only steered the line breaks; a plain space copies better.
            text: text.replace('\u{A0}', " "),
        });
    }

    fn rule(&mut self, thickness: f32, gray: f32) {
        let top = self.y;
        self.mark(Mark::Rule {
            x: MARGIN_X,
            top,
            w: CONTENT_W,
            thickness,
            gray,
        });
    }

    /// Wrapped text across the page width, the first `keep` lines kept together.
    fn text(&mut self, text: &str, style: Style, gap: f32, keep: usize) {
        let lines = self
            .fonts
            .wrap_text(text, style.face, style.size, CONTENT_W);
        self.gap(gap);
        self.ensure(lines.len().min(keep) as f32 * style.lead());
        self.lines(&lines, style);
    }

    fn lines(&mut self, lines: &[String], style: Style) {
        for line in lines {
            self.ensure(style.lead());
            self.put(MARGIN_X, self.y, line, style.face, style.size);
            self.y += style.lead();
        }
    }
}
