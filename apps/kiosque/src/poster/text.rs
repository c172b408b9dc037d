//! Line breaking and text fitting (words and widths from `csc_documents::pdf::text`).

use csc_documents::pdf::text::{tokens, Face, Fonts};

use super::style::{Ink, Style, ASCENT, LEADING};

/// French punctuation is glued to its word by a plain space.
pub(super) const GLUE: char = ' ';
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

/// Size and lines setting `words` in `max_w` (see [`Style`]); text still too
/// long at the smallest size is truncated.
pub(super) fn fit(fonts: Fonts, words: &[String], style: Style, max_w: f32) -> (f32, Vec<String>) {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Center,
}

/// Lines of text set in a box of width `width` whose top is `top`.
#[derive(Debug, Clone)]
pub(super) struct TextBlock {
    pub(super) face: Face,
    pub(super) size: f32,
    pub(super) lines: Vec<String>,
    pub(super) align: Align,
    pub(super) ink: Ink,
    pub(super) x: f32,
    pub(super) width: f32,
    pub(super) top: f32,
}

impl TextBlock {
    /// A centred block of `text` set in `width`.
    pub(super) fn fitted(fonts: Fonts, text: &str, style: Style, x: f32, width: f32) -> Self {
        Self::fitted_words(fonts, &tokens(text, GLUE), style, x, width)
    }

    /// A centred block of `words` (see [`Fonts::wrap`]) set in `width`.
    pub(super) fn fitted_words(
        fonts: Fonts,
        words: &[String],
        style: Style,
        x: f32,
        width: f32,
    ) -> Self {
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

    pub(super) fn height(&self) -> f32 {
        self.lines.len() as f32 * self.leading()
    }

    /// Distance from the block top to the baseline of line `i`.
    pub(super) fn baseline(&self, i: usize) -> f32 {
        i as f32 * self.leading() + (self.leading() - self.size) / 2.0 + ASCENT * self.size
    }
}
