//! A4 portrait poster ("kit de communication") advertising a centre's
//! e-administration portal, with a QR code of the portal address.
//!
//! Text is set in the standard PDF fonts (Helvetica, Helvetica-Bold) with the
//! WinAnsi encoding: the file stays small, its text is extractable and covers
//! French (accents, « », ’, €, œ). A character outside WinAnsi is printed as "?".
//! The QR code is drawn as vector rectangles, so it stays crisp at any size.

use anyhow::{bail, Context, Result};
use csc_documents::pdf::text::{clean_without_transliteration, tokens, Face, Fonts};
use printpdf::{
    Actions, BorderArray, Color, LinePoint, LinkAnnotation, Mm, OffsetDateTime, Op, PaintMode,
    PdfDocument, PdfFontHandle, PdfPage, PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon,
    PolygonRing, Pt, Rect, Rgb, TextItem, WindingOrder,
};
use qrcode::{Color as QrColor, EcLevel, QrCode};

/// What the poster shows.
pub struct Poster<'a> {
    /// Centre name, e.g. "Centre social Lazare Garreau" (may contain accents, apostrophes, be long: wrap it).
    pub centre_name: &'a str,
    /// Postal address lines, possibly empty (e.g. ["6 rue Lazare Garreau", "59000 Lille"]).
    pub address_lines: &'a [String],
    /// Phone, possibly empty.
    pub phone: &'a str,
    /// The portal address encoded in the QR code and printed in full, e.g. "https://csc.example.fr/kiosque/c/lazare-garreau".
    pub portal_url: &'a str,
    /// Optional welcome sentence set by the centre (may be empty; wrap it; at most ~300 chars).
    pub welcome: &'a str,
}

/// The poster as PDF bytes (one A4 page).
pub fn render(p: &Poster<'_>) -> anyhow::Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let layout = layout(p, fonts)?;

    let name = clean_without_transliteration(p.centre_name);
    let title = if name.is_empty() {
        TITLE.to_string()
    } else {
        format!("{TITLE} – {name}")
    };
    let mut doc = PdfDocument::new(&title);
    let now = OffsetDateTime::now_utc();
    let info = &mut doc.metadata.info;
    info.creation_date = now;
    info.modification_date = now;
    info.metadata_date = now;
    info.creator = "csc-kiosque".to_string();
    info.subject = "Kit de communication du portail".to_string();
    let page = PdfPage::new(Mm(210.0), Mm(297.0), draw(&layout, fonts));
    let mut warnings = Vec::new();
    let bytes = doc
        .with_pages(vec![page])
        .save(&PdfSaveOptions::default(), &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        bail!("PDF serialisation failed: {}", w.msg);
    }
    Ok(bytes)
}

// ---------------------------------------------------------------------------
// Fixed wording

const TITLE: &str = "Le numérique à mon service";
const SUBTITLE: &str = "Vos démarches en ligne, près de chez vous";
const BULLETS: [&str; 3] = [
    "Un ordinateur et une imprimante en libre accès",
    "Les démarches des principaux organismes (CAF, impôts, France Travail…)",
    "De l’aide pour vos démarches et des ateliers numériques",
];
const SCAN_CAPTION: &str = "Scannez pour ouvrir le portail";
const PHONE_PREFIX: &str = "Tél. : ";

// ---------------------------------------------------------------------------
// Geometry (PDF points; `top` values are measured down from the top edge)

const PT_PER_MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * PT_PER_MM;
const PAGE_H: f32 = 297.0 * PT_PER_MM;
/// Print-safe margin around everything.
const MARGIN: f32 = 12.0 * PT_PER_MM;
const BAND_PAD_X: f32 = 9.0 * PT_PER_MM;
const BAND_PAD_Y: f32 = 8.0 * PT_PER_MM;
const CONTENT_X: f32 = MARGIN + 6.0 * PT_PER_MM;
const CONTENT_W: f32 = PAGE_W - 2.0 * CONTENT_X;
/// Smallest vertical gap between two groups of the middle section.
const GAP_MIN: f32 = 5.0 * PT_PER_MM;
/// QR symbol side (quiet zone excluded).
const QR_MIN: f32 = 62.0 * PT_PER_MM;
const QR_MAX: f32 = 80.0 * PT_PER_MM;
/// Quiet zone around the QR symbol, in modules (ISO/IEC 18004).
const QUIET_MODULES: usize = 4;
const RULE_W: f32 = 30.0 * PT_PER_MM;
const RULE_H: f32 = 1.2 * PT_PER_MM;
const BULLET_INDENT: f32 = 9.0 * PT_PER_MM;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.22;
/// Baseline position below the top of the font-size box (Helvetica ascender).
const ASCENT: f32 = 0.76;
/// Text size reductions tried, largest first, until the middle section fits.
const SCALES: [f32; 8] = [1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58];

/// The accent colour (#174A7C, dark blue): contrast 8.9:1 against white.
const ACCENT: [u8; 3] = [0x17, 0x4A, 0x7C];

// ---------------------------------------------------------------------------
// Line breaking (words and widths from `csc_documents::pdf::text`)

/// French punctuation is glued to its word by a plain space.
const GLUE: char = ' ';
/// Where a word too wide for its line (a URL, an address line) is preferably cut.
const CUT_AFTER: &[char] = &[' ', '/', '.', '-', '?', '&', '=', '_', '#'];

/// Cuts `lines` to `max_lines`, ending the last one with "…".
fn truncate(
    fonts: Fonts,
    mut lines: Vec<String>,
    max_lines: usize,
    face: Face,
    size: f32,
    max_w: f32,
) -> Vec<String> {
    if lines.len() <= max_lines {
        return lines;
    }
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        loop {
            let candidate = format!("{}…", last.trim_end());
            if fonts.width(&candidate, face, size) <= max_w || last.is_empty() {
                *last = candidate;
                break;
            }
            last.pop();
        }
    }
    lines
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    /// Preferred and smallest sizes, in points.
    max: f32,
    min: f32,
    max_lines: usize,
    /// Prefer fewer lines (down to 75 % of `max`), as for headings; otherwise
    /// keep the largest size that fits in `max_lines`, as for body text.
    fewer_lines: bool,
    ink: Ink,
}

impl Style {
    fn scaled(self, scale: f32) -> Self {
        Style {
            max: (self.max * scale).max(self.min),
            ..self
        }
    }
}

const TITLE_STYLE: Style = Style {
    face: Face::Bold,
    max: 36.0,
    min: 22.0,
    max_lines: 2,
    fewer_lines: true,
    ink: Ink::White,
};
const SUBTITLE_STYLE: Style = Style {
    face: Face::Regular,
    max: 21.0,
    min: 14.0,
    ..TITLE_STYLE
};
const NAME_STYLE: Style = Style {
    face: Face::Bold,
    max: 32.0,
    min: 17.0,
    max_lines: 3,
    fewer_lines: true,
    ink: Ink::Black,
};
const BULLET_STYLE: Style = Style {
    face: Face::Regular,
    max: 19.0,
    min: 12.0,
    max_lines: 2,
    fewer_lines: false,
    ink: Ink::Black,
};
const WELCOME_STYLE: Style = Style {
    max: 16.0,
    min: 10.5,
    max_lines: 6,
    ..BULLET_STYLE
};
const CAPTION_STYLE: Style = Style {
    face: Face::Bold,
    max: 22.0,
    min: 15.0,
    max_lines: 1,
    fewer_lines: true,
    ink: Ink::Accent,
};
const URL_STYLE: Style = Style {
    max: 15.0,
    min: 9.0,
    max_lines: 4,
    ..BULLET_STYLE
};
const ADDRESS_STYLE: Style = Style {
    max: 15.0,
    min: 10.0,
    max_lines: 2,
    fewer_lines: true,
    ..BULLET_STYLE
};
const PHONE_STYLE: Style = Style {
    face: Face::Bold,
    max: 17.0,
    min: 11.0,
    max_lines: 1,
    fewer_lines: true,
    ink: Ink::Black,
};

/// Size and lines setting `words` in `max_w` (see [`Style`]); text still too
/// long at the smallest size is truncated.
fn fit(fonts: Fonts, words: &[String], style: Style, max_w: f32) -> (f32, Vec<String>) {
    let Style {
        face,
        min,
        max_lines,
        ..
    } = style;
    let max = style.max.max(min);
    let first = if style.fewer_lines { 1 } else { max_lines };
    for n in first..=max_lines {
        let floor = if n < max_lines {
            (max * 0.75).max(min)
        } else {
            min
        };
        let mut size = max;
        loop {
            let lines = fonts.wrap(words, face, size, max_w, CUT_AFTER);
            if lines.len() <= n {
                return (size, lines);
            }
            if size <= floor {
                break;
            }
            size = (size - 0.5).max(floor);
        }
    }
    let lines = fonts.wrap(words, face, min, max_w, CUT_AFTER);
    (min, truncate(fonts, lines, max_lines, face, min, max_w))
}

// ---------------------------------------------------------------------------
// QR matrix

/// A horizontal run of dark modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    x: usize,
    y: usize,
    len: usize,
}

/// The QR symbol as runs of dark modules (quiet zone not included).
#[derive(Debug)]
struct QrMatrix {
    width: usize,
    runs: Vec<Run>,
}

fn qr_matrix(data: &str) -> Result<QrMatrix> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(data.as_bytes(), EcLevel::L))
        .context("portal URL too long for a QR code")?;
    let width = code.width();
    let colors = code.to_colors();
    let mut runs = Vec::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == QrColor::Dark {
                let start = x;
                while x < width && row[x] == QrColor::Dark {
                    x += 1;
                }
                runs.push(Run {
                    x: start,
                    y,
                    len: x - start,
                });
            } else {
                x += 1;
            }
        }
    }
    Ok(QrMatrix { width, runs })
}

// ---------------------------------------------------------------------------
// Layout

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ink {
    Black,
    White,
    Accent,
}

impl Ink {
    fn color(self) -> Color {
        let [r, g, b] = match self {
            Ink::Black => [0, 0, 0],
            Ink::White => [0xFF, 0xFF, 0xFF],
            Ink::Accent => ACCENT,
        };
        let c = |v: u8| f32::from(v) / 255.0;
        Color::Rgb(Rgb::new(c(r), c(g), c(b), None))
    }
}

/// Lines of text set in a box of width `width` whose top is `top`.
#[derive(Debug, Clone)]
struct TextBlock {
    face: Face,
    size: f32,
    lines: Vec<String>,
    align: Align,
    ink: Ink,
    x: f32,
    width: f32,
    top: f32,
}

impl TextBlock {
    /// A centred block of `text` set in `width`.
    fn fitted(fonts: Fonts, text: &str, style: Style, x: f32, width: f32) -> Self {
        Self::fitted_words(fonts, &tokens(text, GLUE), style, x, width)
    }

    /// A centred block of `words` (see [`Fonts::wrap`]) set in `width`.
    fn fitted_words(fonts: Fonts, words: &[String], style: Style, x: f32, width: f32) -> Self {
        let (size, lines) = fit(fonts, words, style, width);
        TextBlock {
            face: style.face,
            size,
            lines,
            align: Align::Center,
            ink: style.ink,
            x,
            width,
            top: 0.0,
        }
    }

    fn leading(&self) -> f32 {
        self.size * LEADING
    }

    fn height(&self) -> f32 {
        self.lines.len() as f32 * self.leading()
    }

    /// Distance from the block top to the baseline of line `i`.
    fn baseline(&self, i: usize) -> f32 {
        i as f32 * self.leading() + (self.leading() - self.size) / 2.0 + ASCENT * self.size
    }
}

/// An accent-coloured rectangle.
#[derive(Debug, Clone, Copy)]
struct Fill {
    x: f32,
    top: f32,
    w: f32,
    h: f32,
}

#[derive(Debug)]
struct QrPlacement {
    /// Top-left corner of the symbol (the quiet zone lies around it).
    x: f32,
    top: f32,
    module: f32,
    matrix: QrMatrix,
}

impl QrPlacement {
    fn side(&self) -> f32 {
        self.module * self.matrix.width as f32
    }

    fn quiet(&self) -> f32 {
        self.module * QUIET_MODULES as f32
    }
}

#[derive(Debug)]
struct Layout {
    fills: Vec<Fill>,
    texts: Vec<TextBlock>,
    qr: QrPlacement,
    /// Clickable area (QR code, caption and URL) as `Fill` geometry.
    link: Fill,
    url: String,
}

/// The middle section, sized but not yet placed.
struct Middle {
    name: Option<TextBlock>,
    bullets: Vec<TextBlock>,
    bullet_gap: f32,
    welcome: Option<TextBlock>,
    caption: TextBlock,
    url: TextBlock,
}

impl Middle {
    fn build(fonts: Fonts, name: &str, welcome: &str, url: &str, scale: f32) -> Self {
        let block = |text: &str, style: Style| {
            TextBlock::fitted(fonts, text, style.scaled(scale), CONTENT_X, CONTENT_W)
        };
        let name = (!name.is_empty()).then(|| block(name, NAME_STYLE));

        // Bullets share one size: the smallest any of them needs.
        let text_w = CONTENT_W - BULLET_INDENT;
        let style = BULLET_STYLE.scaled(scale);
        let size = BULLETS
            .iter()
            .map(|b| fit(fonts, &tokens(b, GLUE), style, text_w).0)
            .fold(f32::INFINITY, f32::min);
        let style = Style {
            max: size,
            min: size,
            ..style
        };
        let mut bullets: Vec<TextBlock> = BULLETS
            .iter()
            .map(|b| TextBlock {
                align: Align::Left,
                ..TextBlock::fitted(fonts, b, style, 0.0, text_w)
            })
            .collect();
        // Centre the list as a whole on its widest line.
        let widest = bullets
            .iter()
            .flat_map(|b| b.lines.iter())
            .map(|l| fonts.width(l, style.face, size))
            .fold(0.0, f32::max);
        let list_x = CONTENT_X + (CONTENT_W - BULLET_INDENT - widest).max(0.0) / 2.0;
        for b in &mut bullets {
            b.x = list_x + BULLET_INDENT;
        }

        let welcome = (!welcome.is_empty()).then(|| block(welcome, WELCOME_STYLE));
        let caption = block(SCAN_CAPTION, CAPTION_STYLE);
        let url = block(url, URL_STYLE);
        Middle {
            name,
            bullets,
            bullet_gap: size * 0.45,
            welcome,
            caption,
            url,
        }
    }

    fn name_group_height(&self) -> f32 {
        self.name
            .as_ref()
            .map_or(0.0, |n| n.height() + name_rule_gap(n) + RULE_H)
    }

    fn bullets_height(&self) -> f32 {
        let texts: f32 = self.bullets.iter().map(TextBlock::height).sum();
        texts + self.bullet_gap * (self.bullets.len().saturating_sub(1)) as f32
    }

    /// Heights of the groups other than the QR one (empty groups omitted).
    fn text_groups(&self) -> Vec<f32> {
        let mut groups = vec![];
        if self.name.is_some() {
            groups.push(self.name_group_height());
        }
        groups.push(self.bullets_height());
        if let Some(w) = &self.welcome {
            groups.push(w.height());
        }
        groups
    }

    /// Height of the QR group for a symbol side of `side`, `width` modules wide.
    fn qr_group_height(&self, side: f32, width: usize) -> f32 {
        side * (1.0 + 2.0 * QUIET_MODULES as f32 / width as f32)
            + self.caption.height()
            + url_gap(&self.caption)
            + self.url.height()
    }
}

fn name_rule_gap(name: &TextBlock) -> f32 {
    name.size * 0.45
}

fn url_gap(caption: &TextBlock) -> f32 {
    caption.size * 0.2
}

fn layout(p: &Poster<'_>, fonts: Fonts) -> Result<Layout> {
    let url = p.portal_url.trim();
    if url.is_empty() {
        bail!("portal URL is empty");
    }
    let matrix = qr_matrix(url)?;
    let printed_url = clean_without_transliteration(url);
    let name = clean_without_transliteration(p.centre_name);
    let welcome = clean_without_transliteration(p.welcome);

    let mut fills = Vec::new();
    let mut texts = Vec::new();

    // Header band: white title and subtitle on the accent colour.
    let band_w = PAGE_W - 2.0 * MARGIN;
    let inner_x = MARGIN + BAND_PAD_X;
    let inner_w = band_w - 2.0 * BAND_PAD_X;
    let mut y = MARGIN + BAND_PAD_Y;
    let mut title = TextBlock::fitted(fonts, TITLE, TITLE_STYLE, inner_x, inner_w);
    title.top = y;
    y += title.height() + 1.5 * PT_PER_MM;
    let mut subtitle = TextBlock::fitted(fonts, SUBTITLE, SUBTITLE_STYLE, inner_x, inner_w);
    subtitle.top = y;
    y += subtitle.height() + BAND_PAD_Y;
    fills.push(Fill {
        x: MARGIN,
        top: MARGIN,
        w: band_w,
        h: y - MARGIN,
    });
    texts.push(title);
    texts.push(subtitle);
    let middle_top = y;

    // Footer, anchored to the bottom margin: rule, address, phone.
    // Address lines joined by dashes, breaking preferably between them.
    let mut address: Vec<String> = p
        .address_lines
        .iter()
        .map(|l| clean_without_transliteration(l))
        .filter(|l| !l.is_empty())
        .collect();
    let count = address.len();
    for line in address.iter_mut().take(count.saturating_sub(1)) {
        line.push_str(" –");
    }
    let phone = clean_without_transliteration(p.phone);
    let mut footer = Vec::new();
    if !address.is_empty() {
        footer.push(TextBlock::fitted_words(
            fonts,
            &address,
            ADDRESS_STYLE,
            CONTENT_X,
            CONTENT_W,
        ));
    }
    if !phone.is_empty() {
        let text = format!("{PHONE_PREFIX}{phone}");
        footer.push(TextBlock::fitted(
            fonts,
            &text,
            PHONE_STYLE,
            CONTENT_X,
            CONTENT_W,
        ));
    }
    let bottom = PAGE_H - MARGIN;
    let middle_bottom = if footer.is_empty() {
        bottom
    } else {
        let height: f32 = footer.iter().map(TextBlock::height).sum();
        let mut y = bottom - height;
        let rule_top = y - 3.0 * PT_PER_MM - 0.8 * PT_PER_MM;
        fills.push(Fill {
            x: CONTENT_X,
            top: rule_top,
            w: CONTENT_W,
            h: 0.8 * PT_PER_MM,
        });
        for block in &mut footer {
            block.top = y;
            y += block.height();
        }
        rule_top
    };

    // Middle: biggest text scale for which a QR code of at least QR_MIN fits.
    let avail = middle_bottom - middle_top;
    let mut chosen = None;
    for scale in SCALES {
        let middle = Middle::build(fonts, &name, &welcome, &printed_url, scale);
        let groups = middle.text_groups();
        let gaps = (groups.len() + 2) as f32 * GAP_MIN;
        let fixed: f32 =
            groups.iter().sum::<f32>() + gaps + middle.qr_group_height(0.0, matrix.width);
        let per_side =
            middle.qr_group_height(1.0, matrix.width) - middle.qr_group_height(0.0, matrix.width);
        let side = ((avail - fixed) / per_side).min(QR_MAX);
        let fits = side >= QR_MIN;
        if fits || scale == SCALES[SCALES.len() - 1] {
            chosen = Some((middle, side.max(QR_MIN)));
        }
        if fits {
            break;
        }
    }
    let Some((middle, side)) = chosen else {
        bail!("poster layout failed");
    };
    let module = side / matrix.width as f32;
    let groups = middle.text_groups();
    let used: f32 = groups.iter().sum::<f32>() + middle.qr_group_height(side, matrix.width);
    let gap = ((avail - used) / (groups.len() + 2) as f32).max(0.0);

    let mut y = middle_top + gap;
    if let Some(mut n) = middle.name {
        n.top = y;
        y += n.height() + name_rule_gap(&n);
        fills.push(Fill {
            x: (PAGE_W - RULE_W) / 2.0,
            top: y,
            w: RULE_W,
            h: RULE_H,
        });
        y += RULE_H + gap;
        texts.push(n);
    }
    for (i, mut b) in middle.bullets.into_iter().enumerate() {
        if i > 0 {
            y += middle.bullet_gap;
        }
        b.top = y;
        // Square bullet centred on the x-height of the first line.
        let square = b.size * 0.36;
        fills.push(Fill {
            x: b.x - BULLET_INDENT + 1.0 * PT_PER_MM,
            top: y + b.baseline(0) - 0.26 * b.size - square / 2.0,
            w: square,
            h: square,
        });
        y += b.height();
        texts.push(b);
    }
    y += gap;
    if let Some(mut w) = middle.welcome {
        w.top = y;
        y += w.height() + gap;
        texts.push(w);
    }
    let qr = QrPlacement {
        x: (PAGE_W - side) / 2.0,
        top: y + module * QUIET_MODULES as f32,
        module,
        matrix,
    };
    let qr_group_top = y;
    y = qr.top + qr.side() + qr.quiet();
    let mut caption = middle.caption;
    caption.top = y;
    y += caption.height() + url_gap(&caption);
    let mut url_block = middle.url;
    url_block.top = y;
    y += url_block.height();
    texts.push(caption);
    texts.push(url_block);
    // Footer last, so the text reads top to bottom.
    texts.extend(footer);

    let link = Fill {
        x: CONTENT_X,
        top: qr_group_top,
        w: CONTENT_W,
        h: y - qr_group_top,
    };
    Ok(Layout {
        fills,
        texts,
        qr,
        link,
        url: url.to_string(),
    })
}

// ---------------------------------------------------------------------------
// Drawing

fn point(x: f32, top: f32) -> LinePoint {
    LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_H - top),
        },
        bezier: false,
    }
}

fn rect(f: &Fill) -> Rect {
    Rect {
        x: Pt(f.x),
        y: Pt(PAGE_H - f.top - f.h),
        width: Pt(f.w),
        height: Pt(f.h),
        mode: Some(PaintMode::Fill),
        winding_order: Some(WindingOrder::NonZero),
    }
}

/// All dark modules as one filled path (no seams between adjacent modules).
fn qr_polygon(qr: &QrPlacement) -> Polygon {
    let m = qr.module;
    let rings = qr
        .matrix
        .runs
        .iter()
        .map(|r| {
            let left = qr.x + r.x as f32 * m;
            let right = left + r.len as f32 * m;
            let top = qr.top + r.y as f32 * m;
            let bottom = top + m;
            PolygonRing {
                points: vec![
                    point(left, top),
                    point(right, top),
                    point(right, bottom),
                    point(left, bottom),
                ],
            }
        })
        .collect();
    Polygon {
        rings,
        mode: PaintMode::Fill,
        winding_order: WindingOrder::NonZero,
    }
}

fn draw(l: &Layout, fonts: Fonts) -> Vec<Op> {
    let mut ops = vec![
        Op::SaveGraphicsState,
        Op::SetFillColor {
            col: Ink::Accent.color(),
        },
    ];
    ops.extend(
        l.fills
            .iter()
            .map(|f| Op::DrawRectangle { rectangle: rect(f) }),
    );
    ops.push(Op::SetFillColor {
        col: Ink::Black.color(),
    });
    ops.push(Op::DrawPolygon {
        polygon: qr_polygon(&l.qr),
    });
    for block in &l.texts {
        ops.push(Op::SetFillColor {
            col: block.ink.color(),
        });
        for (i, line) in block.lines.iter().enumerate() {
            let x = match block.align {
                Align::Left => block.x,
                Align::Center => {
                    block.x
                        + (block.width - fonts.width(line, block.face, block.size)).max(0.0) / 2.0
                }
            };
            ops.extend([
                Op::StartTextSection,
                Op::SetFont {
                    font: PdfFontHandle::Builtin(block.face.builtin()),
                    size: Pt(block.size),
                },
                Op::SetTextCursor {
                    pos: Point {
                        x: Pt(x),
                        y: Pt(PAGE_H - block.top - block.baseline(i)),
                    },
                },
                Op::ShowText {
                    items: vec![TextItem::Text(line.clone())],
                },
                Op::EndTextSection,
            ]);
        }
    }
    ops.push(Op::RestoreGraphicsState);
    ops.push(Op::LinkAnnotation {
        link: LinkAnnotation::new(
            rect(&l.link),
            Actions::uri(l.url.clone()),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            None,
            None,
        ),
    });
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<'a>(
        name: &'a str,
        url: &'a str,
        address: &'a [String],
        welcome: &'a str,
    ) -> Poster<'a> {
        Poster {
            centre_name: name,
            address_lines: address,
            phone: "03 20 12 34 56",
            portal_url: url,
            welcome,
        }
    }

    fn page_count(pdf: &[u8]) -> usize {
        let doc = pdf_extract::Document::load_mem(pdf).expect("PDF parses");
        doc.get_pages().len()
    }

    fn squash(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn no_space(s: &str) -> String {
        s.chars().filter(|c| !c.is_whitespace()).collect()
    }

    const NAME: &str = "Centre social de l'Épine – Hellemmes";
    const URL: &str = "https://csc.example.fr/kiosque/c/epine-hellemmes";
    const WELCOME: &str = "Bienvenue ! L’équipe vous accueille du lundi au vendredi ; l’accès est gratuit (impression : 0,10 € la page).";

    #[test]
    fn text_is_extractable_with_accents() -> Result<()> {
        let address = vec![
            "6 rue Lazare Garreau".to_string(),
            "59000 Lille".to_string(),
        ];
        let pdf = render(&sample(NAME, URL, &address, WELCOME))?;
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(page_count(&pdf), 1);
        let text = squash(&pdf_extract::extract_text_from_mem(&pdf)?);
        for expected in [
            TITLE,
            SUBTITLE,
            NAME,
            URL,
            WELCOME,
            "03 20 12 34 56",
            "Tél. :",
            "6 rue Lazare Garreau – 59000 Lille",
            SCAN_CAPTION,
            "France Travail…",
            "De l’aide pour vos démarches",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text:?}");
        }
        Ok(())
    }

    #[test]
    fn long_name_and_url_still_fit_one_page() -> Result<()> {
        let name = "Centre social et culturel intercommunal de la Vallée de l’Œuvre, de Saint-André-lez-Lille et des communes associées du Val de Marque – antenne des Épinettes";
        let url = format!(
            "https://centres-sociaux.example.fr/kiosque/c/{}?utm_source=affiche&utm_medium=qr&utm_campaign=kit-communication",
            "centre-social-et-culturel-intercommunal-de-la-vallee".repeat(3)
        );
        let welcome = "Ici, on prend le temps : ".repeat(20);
        let address: Vec<String> = (1..=6)
            .map(|i| format!("Bâtiment {i}, résidence des Peupliers, allée Jean-Baptiste Lebas"))
            .collect();
        let p = sample(name, &url, &address, &welcome);
        let pdf = render(&p)?;
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(page_count(&pdf), 1);
        let text = no_space(&pdf_extract::extract_text_from_mem(&pdf)?);
        assert!(text.contains(&no_space(&url)), "URL not printed in full");
        assert!(text.contains("Centresocialetculturelintercommunal"));

        assert_fits(&p)
    }

    #[test]
    fn extreme_inputs_stay_on_the_page() -> Result<()> {
        let name = "Centre social « Très long nom » ".repeat(30);
        let welcome = "Un accueil chaleureux, des ateliers et de l’aide. ".repeat(40);
        let url = format!(
            "https://csc.example.fr/kiosque/c/{}",
            "abcdefghij".repeat(150)
        );
        let address = vec!["12 boulevard de la Liberté prolongé ".repeat(10); 8];
        let p = sample(&name, &url, &address, &welcome);
        assert_eq!(page_count(&render(&p)?), 1);
        assert_fits(&p)?;
        let too_long = format!("https://csc.example.fr/{}", "x".repeat(3000));
        assert!(render(&sample(NAME, &too_long, &[], "")).is_err());
        Ok(())
    }

    /// Everything lies within the margins and nothing enters the QR code or its quiet zone.
    fn assert_fits(p: &Poster<'_>) -> Result<()> {
        let fonts = Fonts::load()?;
        let l = layout(p, fonts)?;
        let qr_top = l.qr.top - l.qr.quiet();
        let qr_bottom = l.qr.top + l.qr.side() + l.qr.quiet();
        assert!(l.qr.side() >= 60.0 * PT_PER_MM);
        assert!(qr_top >= MARGIN && qr_bottom <= PAGE_H - MARGIN);
        let eps = 0.01;
        for b in &l.texts {
            let bottom = b.top + b.height();
            assert!(
                b.top >= MARGIN - eps && bottom <= PAGE_H - MARGIN + eps,
                "{:?}",
                b.lines
            );
            assert!(
                bottom <= qr_top + eps || b.top >= qr_bottom - eps,
                "{:?}",
                b.lines
            );
            for line in &b.lines {
                assert!(
                    fonts.width(line, b.face, b.size) <= b.width + eps,
                    "{line:?}"
                );
            }
        }
        for f in &l.fills {
            assert!(f.top + f.h <= qr_top + eps || f.top >= qr_bottom - eps);
        }
        // Text blocks are stacked without overlapping.
        let mut spans: Vec<(f32, f32)> = l
            .texts
            .iter()
            .map(|b| (b.top, b.top + b.height()))
            .collect();
        spans.sort_by(|a, b| a.0.total_cmp(&b.0));
        for pair in spans.windows(2) {
            assert!(pair[0].1 <= pair[1].0 + eps, "{pair:?}");
        }
        Ok(())
    }

    #[test]
    fn minimal_poster_renders() -> Result<()> {
        let pdf = render(&sample("", "https://x.fr", &[], ""))?;
        assert_eq!(page_count(&pdf), 1);
        assert!(render(&sample("", "  ", &[], "")).is_err());
        Ok(())
    }

    #[test]
    fn qr_runs_match_the_qrcode_matrix() -> Result<()> {
        let url = "https://csc.example.fr/kiosque/c/lazare-garreau";
        let m = qr_matrix(url)?;
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
        assert_eq!(m.width, code.width());
        let colors = code.to_colors();
        let dark = colors.iter().filter(|c| **c == QrColor::Dark).count();
        assert_eq!(m.runs.iter().map(|r| r.len).sum::<usize>(), dark);
        // Rebuilding the matrix from the runs gives the qrcode crate's exactly.
        let mut rebuilt = vec![QrColor::Light; m.width * m.width];
        for r in &m.runs {
            for x in r.x..r.x + r.len {
                rebuilt[r.y * m.width + x] = QrColor::Dark;
            }
        }
        assert_eq!(rebuilt, colors);
        Ok(())
    }

    #[test]
    fn accent_colour_contrast_is_at_least_4_5() {
        let lin = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = ACCENT;
        let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
        assert!((1.05 / (l + 0.05)) >= 4.5);
    }
}
