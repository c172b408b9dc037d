//! The poster's fixed wording, geometry, colours and text styles.

use csc_documents::pdf::text::Face;
use printpdf::{Color, Rgb};

// Fixed wording

pub(super) const TITLE: &str = "Le numérique à mon service";
pub(super) const SUBTITLE: &str = "Vos démarches en ligne, près de chez vous";
pub(super) const BULLETS: [&str; 3] = [
    "Un ordinateur et une imprimante en libre accès",
    "Les démarches des principaux organismes (CAF, impôts, France Travail…)",
    "De l’aide pour vos démarches et des ateliers numériques",
];
pub(super) const SCAN_CAPTION: &str = "Scannez pour ouvrir le portail";
pub(super) const PHONE_PREFIX: &str = "Tél. : ";

// Geometry (PDF points; `top` values are measured down from the top edge)

pub(super) const PT_PER_MM: f32 = 72.0 / 25.4;
pub(super) const PAGE_W: f32 = 210.0 * PT_PER_MM;
pub(super) const PAGE_H: f32 = 297.0 * PT_PER_MM;
/// Print-safe margin around everything.
pub(super) const MARGIN: f32 = 12.0 * PT_PER_MM;
pub(super) const BAND_PAD_X: f32 = 9.0 * PT_PER_MM;
pub(super) const BAND_PAD_Y: f32 = 8.0 * PT_PER_MM;
pub(super) const CONTENT_X: f32 = MARGIN + 6.0 * PT_PER_MM;
pub(super) const CONTENT_W: f32 = PAGE_W - 2.0 * CONTENT_X;
/// Smallest vertical gap between two groups of the middle section.
pub(super) const GAP_MIN: f32 = 5.0 * PT_PER_MM;
/// QR symbol side (quiet zone excluded).
pub(super) const QR_MIN: f32 = 62.0 * PT_PER_MM;
pub(super) const QR_MAX: f32 = 80.0 * PT_PER_MM;
/// Quiet zone around the QR symbol, in modules (ISO/IEC 18004).
pub(super) const QUIET_MODULES: usize = 4;
pub(super) const RULE_W: f32 = 30.0 * PT_PER_MM;
pub(super) const RULE_H: f32 = 1.2 * PT_PER_MM;
pub(super) const BULLET_INDENT: f32 = 9.0 * PT_PER_MM;
/// Line height as a multiple of the font size.
pub(super) const LEADING: f32 = 1.22;
/// Baseline position below the top of the font-size box (Helvetica ascender).
pub(super) const ASCENT: f32 = 0.76;
/// Text size reductions tried, largest first, until the middle section fits.
pub(super) const SCALES: [f32; 8] = [1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58];

/// The accent colour (#174A7C, dark blue): contrast 8.9:1 against white.
const ACCENT: [u8; 3] = [0x17, 0x4A, 0x7C];

/// How a piece of text is set.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub(super) face: Face,
    /// Preferred and smallest sizes, in points.
    pub(super) max: f32,
    pub(super) min: f32,
    pub(super) max_lines: usize,
    /// Prefer fewer lines (down to 75 % of `max`), as for headings; otherwise
    /// keep the largest size that fits in `max_lines`, as for body text.
    pub(super) fewer_lines: bool,
    pub(super) ink: Ink,
}

impl Style {
    pub(super) fn scaled(self, scale: f32) -> Self {
        Style {
            max: (self.max * scale).max(self.min),
            ..self
        }
    }
}

pub(super) const TITLE_STYLE: Style = Style {
    face: Face::Bold,
    max: 36.0,
    min: 22.0,
    max_lines: 2,
    fewer_lines: true,
    ink: Ink::White,
};
pub(super) const SUBTITLE_STYLE: Style = Style {
    face: Face::Regular,
    max: 21.0,
    min: 14.0,
    ..TITLE_STYLE
};
pub(super) const NAME_STYLE: Style = Style {
    face: Face::Bold,
    max: 32.0,
    min: 17.0,
    max_lines: 3,
    fewer_lines: true,
    ink: Ink::Black,
};
pub(super) const BULLET_STYLE: Style = Style {
    face: Face::Regular,
    max: 19.0,
    min: 12.0,
    max_lines: 2,
    fewer_lines: false,
    ink: Ink::Black,
};
pub(super) const WELCOME_STYLE: Style = Style {
    max: 16.0,
    min: 10.5,
    max_lines: 6,
    ..BULLET_STYLE
};
pub(super) const CAPTION_STYLE: Style = Style {
    face: Face::Bold,
    max: 22.0,
    min: 15.0,
    max_lines: 1,
    fewer_lines: true,
    ink: Ink::Accent,
};
pub(super) const URL_STYLE: Style = Style {
    max: 15.0,
    min: 9.0,
    max_lines: 4,
    ..BULLET_STYLE
};
pub(super) const ADDRESS_STYLE: Style = Style {
    max: 15.0,
    min: 10.0,
    max_lines: 2,
    fewer_lines: true,
    ..BULLET_STYLE
};
pub(super) const PHONE_STYLE: Style = Style {
    face: Face::Bold,
    max: 17.0,
    min: 11.0,
    max_lines: 1,
    fewer_lines: true,
    ink: Ink::Black,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ink {
    Black,
    White,
    Accent,
}

impl Ink {
    pub(super) fn color(self) -> Color {
        let [r, g, b] = match self {
            Ink::Black => [0, 0, 0],
            Ink::White => [0xFF, 0xFF, 0xFF],
            Ink::Accent => ACCENT,
        };
        let c = |v: u8| f32::from(v) / 255.0;
        Color::Rgb(Rgb::new(c(r), c(g), c(b), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
