//! Where everything goes: header band, middle section scaled to leave room for the QR code, footer.

use anyhow::{bail, Result};
use csc_documents::pdf::text::{clean_without_transliteration, tokens, Fonts};

use super::qr::{qr_matrix, QrPlacement};
use super::style::*;
use super::text::{fit, Align, TextBlock, GLUE};
use super::Poster;

/// An accent-coloured rectangle.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fill {
    pub(super) x: f32,
    pub(super) top: f32,
    pub(super) w: f32,
    pub(super) h: f32,
}

#[derive(Debug)]
pub(super) struct Layout {
    pub(super) fills: Vec<Fill>,
    pub(super) texts: Vec<TextBlock>,
    pub(super) qr: QrPlacement,
    /// Clickable area (QR code, caption and URL) as `Fill` geometry.
    pub(super) link: Fill,
    pub(super) url: String,
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

pub(super) fn layout(p: &Poster<'_>, fonts: Fonts) -> Result<Layout> {
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
