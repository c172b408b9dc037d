//! A4 portrait poster ("kit de communication") advertising a centre's
//! e-administration portal, with a QR code of the portal address.
//!
//! Text is set in the standard PDF fonts (Helvetica, Helvetica-Bold) with the
//! WinAnsi encoding: the file stays small, its text is extractable and covers
//! French (accents, « », ’, €, œ). A character outside WinAnsi is printed as "?".
//! The QR code is drawn as vector rectangles, so it stays crisp at any size.

use anyhow::bail;
use csc_documents::pdf::text::{clean_without_transliteration, Fonts};
use printpdf::{Mm, OffsetDateTime, PdfDocument, PdfPage, PdfParseErrorSeverity, PdfSaveOptions};

mod draw;
mod layout;
mod qr;
mod style;
mod text;

use draw::draw;
use layout::layout;
use style::TITLE;

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

#[cfg(test)]
mod tests {
    use anyhow::Result;

    use super::style::{MARGIN, PAGE_H, PT_PER_MM, SCAN_CAPTION, SUBTITLE};
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
}
