//! Text for the standard PDF fonts: WinAnsi clean-up, widths and line breaking.
//!
//! Also used by the kiosque poster (apps/kiosque/src/poster.rs), which glues French
//! punctuation with plain spaces, cuts long words at its own characters and prints
//! "?" rather than transliterating: those choices are parameters here.

use std::sync::OnceLock;

use printpdf::{BuiltinFont, ParsedFont};

use crate::{Error, Result};

/// French punctuation is glued to its word by a no-break space in this crate's documents.
const GLUE: char = '\u{A0}';
/// Where the documents of this crate cut a word too wide for its line.
const CUT_AFTER: &[char] = &[' ', '\u{A0}', '/', '.', '-', '?', '&', '=', '_'];

/// The two faces used: Helvetica and Helvetica-Bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

impl Face {
    /// The standard PDF font of this face.
    pub fn builtin(self) -> BuiltinFont {
        match self {
            Face::Regular => BuiltinFont::Helvetica,
            Face::Bold => BuiltinFont::HelveticaBold,
        }
    }
}

/// Advance widths of a standard font, read from the metric-compatible face
/// that printpdf ships for it.
struct Metrics {
    font: ParsedFont,
    units_per_em: f32,
}

impl Metrics {
    fn load(face: Face) -> Option<Self> {
        let font = face.builtin().get_parsed_font()?;
        let units_per_em = f32::from(font.units_per_em.max(1));
        Some(Metrics { font, units_per_em })
    }

    /// Advance of `c` in em.
    fn advance(&self, c: char) -> f32 {
        // The shipped faces have no space glyph; Helvetica's space is 278/1000 em
        // in both weights.
        if c == ' ' || c == '\u{A0}' {
            return 0.278;
        }
        let glyph = |c: char| self.font.lookup_glyph_index(u32::from(c));
        glyph(c)
            .or_else(|| glyph('?'))
            .and_then(|g| self.font.get_glyph_width(g))
            .map_or(0.556, |w| f32::from(w) / self.units_per_em)
    }
}

/// Metrics of both faces, loaded once per process.
#[derive(Clone, Copy)]
pub struct Fonts {
    regular: &'static Metrics,
    bold: &'static Metrics,
}

impl Fonts {
    /// The metrics of both faces, parsed on the first call only.
    pub fn load() -> Result<Self> {
        static REGULAR: OnceLock<Option<Metrics>> = OnceLock::new();
        static BOLD: OnceLock<Option<Metrics>> = OnceLock::new();
        let missing = |name: &str| Error::Pdf(format!("{name} metrics unavailable"));
        let regular = REGULAR
            .get_or_init(|| Metrics::load(Face::Regular))
            .as_ref()
            .ok_or_else(|| missing("Helvetica"))?;
        let bold = BOLD
            .get_or_init(|| Metrics::load(Face::Bold))
            .as_ref()
            .ok_or_else(|| missing("Helvetica-Bold"))?;
        Ok(Fonts { regular, bold })
    }

    fn metrics(self, face: Face) -> &'static Metrics {
        match face {
            Face::Regular => self.regular,
            Face::Bold => self.bold,
        }
    }

    /// Width of `text` in points.
    pub fn width(self, text: &str, face: Face, size: f32) -> f32 {
        let m = self.metrics(face);
        text.chars().map(|c| m.advance(c)).sum::<f32>() * size
    }

    /// Lines of `text` set in `max_w`: each `\n` starts a new line, long lines wrap.
    pub(crate) fn wrap_text(self, text: &str, face: Face, size: f32, max_w: f32) -> Vec<String> {
        // A positive width, so that cutting a word always ends.
        let max_w = max_w.max(1.0);
        text.split('\n')
            .flat_map(|part| {
                let words = tokens(&clean(part), GLUE);
                let lines = self.wrap(&words, face, size, max_w, CUT_AFTER);
                if lines.is_empty() {
                    vec![String::new()]
                } else {
                    lines
                }
            })
            .collect()
    }

    /// Width of the widest word of `text` (the narrowest column that needs no cut).
    pub(crate) fn widest_word(self, text: &str, face: Face, size: f32) -> f32 {
        tokens(&clean(text), GLUE)
            .iter()
            .map(|w| self.width(w, face, size))
            .fold(0.0, f32::max)
    }

    /// Greedy wrap of `words` (joined by spaces); a word wider than `max_w` (a URL)
    /// is cut, preferably after one of the characters `cut_after`.
    pub fn wrap(
        self,
        words: &[String],
        face: Face,
        size: f32,
        max_w: f32,
        cut_after: &[char],
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let mut current = String::new();
        for word in words {
            let candidate = if current.is_empty() {
                word.clone()
            } else {
                format!("{current} {word}")
            };
            if self.width(&candidate, face, size) <= max_w {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            let mut rest = word.as_str();
            while self.width(rest, face, size) > max_w {
                let cut = self.cut_point(rest, face, size, max_w, cut_after);
                lines.push(rest[..cut].trim_end().to_string());
                rest = rest[cut..].trim_start();
            }
            current = rest.to_string();
        }
        if !current.is_empty() {
            lines.push(current);
        }
        lines
    }

    /// Byte index where to cut `word` so that the head fits in `max_w` (at least one char).
    fn cut_point(self, word: &str, face: Face, size: f32, max_w: f32, cut_after: &[char]) -> usize {
        let m = self.metrics(face);
        let mut width = 0.0;
        let mut fit_end = 0;
        let mut preferred = None;
        for (i, c) in word.char_indices() {
            width += m.advance(c) * size;
            if width > max_w && i > 0 {
                break;
            }
            fit_end = i + c.len_utf8();
            if cut_after.contains(&c) && fit_end < word.len() {
                preferred = Some(fit_end);
            }
        }
        // Use the preferred break only if it does not leave a very short line.
        match preferred {
            Some(p) if p * 2 >= fit_end => p,
            _ => fit_end,
        }
    }
}

/// Whether `c` exists in WinAnsiEncoding (the encoding of the standard fonts).
pub(crate) fn is_win_ansi(c: char) -> bool {
    matches!(u32::from(c), 0x20..=0x7E | 0xA0..=0xFF) || "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// Normalises text to one line of WinAnsi characters: whitespace runs become one
/// space, narrow/thin spaces become no-break spaces, Unicode hyphens become "-",
/// invisible characters are dropped, other letters are transliterated ("Ł" -> "L")
/// and what is left outside WinAnsi is "?".
pub(crate) fn clean(s: &str) -> String {
    normalise(s, transliterate)
}

/// Like `clean`, but every character outside WinAnsi becomes "?" ("Ł" -> "?").
pub fn clean_without_transliteration(s: &str) -> String {
    normalise(s, |_| "?")
}

/// The clean-up, with `outside` standing in for characters outside WinAnsi.
fn normalise(s: &str, outside: fn(char) -> &'static str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let mut buf = [0u8; 4];
        let text: &str = match c {
            '\u{2007}' | '\u{2009}' | '\u{200A}' | '\u{202F}' => "\u{A0}",
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => "-",
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => continue,
            c if c.is_whitespace() && c != '\u{A0}' => {
                pending_space = true;
                continue;
            }
            c if c.is_control() => continue,
            c if is_win_ansi(c) => c.encode_utf8(&mut buf),
            c => outside(c),
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(text);
    }
    out
}

/// An ASCII stand-in for a character outside WinAnsi: letters and digits of other
/// scripts are transliterated, so are symbols with a short stand-in, the rest is "?".
fn transliterate(c: char) -> &'static str {
    match deunicode::deunicode_char(c).map(str::trim) {
        Some(t) if !t.is_empty() && (c.is_alphanumeric() || t.len() <= 3) => t,
        _ => "?",
    }
}

/// Words to wrap, keeping "«" with the next word and "»", ":", ";", "!", "?",
/// "€", "%" with the previous one, joined by `glue` (French spacing must not
/// start a line).
pub fn tokens(text: &str, glue: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let glue_prev = matches!(
            word.chars().next(),
            Some('»' | ':' | ';' | '!' | '?' | '€' | '%')
        );
        match out.last_mut() {
            Some(last) if glue_prev || glue_next => {
                last.push(glue);
                last.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
        glue_next = word.ends_with('«');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keeps_french_and_replaces_the_rest() {
        assert_eq!(
            clean("  Centre\n social\t de l’Épine  "),
            "Centre social de l’Épine"
        );
        assert_eq!(clean("12\u{202F}€ ‑ « ok »"), "12\u{A0}€ - « ok »");
        assert_eq!(clean("Łódź → 😀"), "Lódz - ?");
        assert!(clean("Œuvre, cœur, 1 000 €, n° 5").chars().all(is_win_ansi));
        assert_eq!(clean_without_transliteration("Łódź → 😀"), "?ód? ? ?");
        assert_eq!(
            clean_without_transliteration("12\u{202F}€ ‑ ok"),
            "12\u{A0}€ - ok"
        );
    }

    #[test]
    fn standard_fonts_cover_win_ansi() -> Result<()> {
        let fonts = Fonts::load()?;
        for face in [Face::Regular, Face::Bold] {
            let m = fonts.metrics(face);
            // Spaces have a fixed advance; the soft hyphen is dropped by `clean`.
            let win_ansi =
                ('!'..='ÿ').filter(|c| is_win_ansi(*c) && *c != '\u{A0}' && *c != '\u{AD}');
            for c in win_ansi.chain("€’«»œŒ…–".chars()) {
                assert!(
                    m.font.lookup_glyph_index(u32::from(c)).is_some(),
                    "{face:?} lacks {c:?}"
                );
            }
        }
        Ok(())
    }

    #[test]
    fn french_spacing_never_starts_a_line() {
        assert_eq!(
            tokens("Centre « Les Trois » : 0,10 € !", '\u{A0}'),
            [
                "Centre",
                "«\u{A0}Les",
                "Trois\u{A0}»\u{A0}:",
                "0,10\u{A0}€\u{A0}!"
            ]
            .map(String::from)
        );
        assert_eq!(
            tokens("Centre « Les Trois » : 0,10 € !", ' '),
            ["Centre", "« Les", "Trois » :", "0,10 € !"].map(String::from)
        );
    }

    #[test]
    fn long_words_are_cut_after_the_given_characters() -> Result<()> {
        let fonts = Fonts::load()?;
        let words = ["https://csc.example.fr/kiosque#abcdefghijklmnop".to_string()];
        let cut = |after: &[char]| fonts.wrap(&words, Face::Regular, 10.0, 150.0, after);
        assert_eq!(
            cut(&['#']),
            ["https://csc.example.fr/kiosque#", "abcdefghijklmnop"]
        );
        assert_eq!(
            cut(CUT_AFTER),
            ["https://csc.example.fr/", "kiosque#abcdefghijklmnop"]
        );
        Ok(())
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() -> Result<()> {
        let fonts = Fonts::load()?;
        let text = "Une phrase assez longue pour être coupée, avec un mot interminable: \
                    https://csc.example.fr/preinscription/demandes/0123456789abcdef0123456789";
        let lines = fonts.wrap_text(text, Face::Regular, 10.0, 120.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(fonts.width(line, Face::Regular, 10.0) <= 120.0, "{line:?}");
        }
        let joined: String = lines
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(joined, expected);
        Ok(())
    }

    #[test]
    fn newlines_start_new_lines() -> Result<()> {
        let fonts = Fonts::load()?;
        let lines = fonts.wrap_text("12 rue Haute\n\n59000 Lille", Face::Bold, 10.0, 400.0);
        assert_eq!(lines, ["12 rue Haute", "", "59000 Lille"]);
        Ok(())
    }
}
