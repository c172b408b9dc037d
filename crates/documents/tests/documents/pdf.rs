use csc_documents::{Align, Document};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn text_of(pdf: &[u8]) -> Result<String, Box<dyn std::error::Error>> {
    let text = pdf_extract::extract_text_from_mem(pdf)?;
    Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn page_count(pdf: &[u8]) -> Result<usize, Box<dyn std::error::Error>> {
    Ok(pdf_extract::Document::load_mem(pdf)?.get_pages().len())
}

const PARAGRAPH: &str =
    "Votre demande a bien été enregistrée. L’équipe d’accueil du centre social \
    l’étudie et vous répond par courriel sous dix jours ouvrés ; en cas de question, \
    appelez-nous ou passez nous voir aux heures d’ouverture, du lundi au vendredi, \
    avec votre dernière attestation de quotient familial et le carnet de santé de chaque enfant.";

fn request(rows: usize) -> Document {
    let mut doc = Document::new("Demande de pré-inscription n° 12");
    doc.subtitle("Centre social Arbrisseau — 12 rue des Écoles, 59000 Lille")
        .heading("Famille")
        .key_values(&[
            ("Responsable", "« Élodie » Lefèvre-Łukasiewicz"),
            ("Quotient familial", "825\u{a0}€"),
            ("Régime", "CAF"),
        ])
        .paragraph(PARAGRAPH)
        .heading("Enfants et formules");
    let days = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi"];
    let table: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            vec![
                format!("Enfant {i}"),
                days[i % 5].to_string(),
                "Journée avec repas et goûter (accueil dès 7 h 30)".to_string(),
                if i == 0 {
                    "1\u{202F}250,00\u{a0}€".to_string()
                } else {
                    "12,40\u{a0}€".to_string()
                },
            ]
        })
        .collect();
    doc.table(
        &["Enfant", "Jour", "Formule", "Prix"],
        &table,
        &[Align::Left, Align::Left, Align::Left, Align::Right],
    )
    .small("Vos droits : vos données servent uniquement à traiter cette demande (RGPD).");
    doc
}

#[test]
fn french_text_survives_extraction() -> TestResult {
    let pdf = request(3).render()?;
    assert!(pdf.starts_with(b"%PDF"));
    assert_eq!(page_count(&pdf)?, 1);
    let text = text_of(&pdf)?;
    for expected in [
        "Demande de pré-inscription n° 12",
        "Centre social Arbrisseau — 12 rue des Écoles, 59000 Lille",
        "« Élodie » Lefèvre-Lukasiewicz",
        "825 €",
        "12,40 €",
        "1 250,00 €",
        "Vos droits : vos données servent uniquement",
        "Page 1 / 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text:?}");
    }
    Ok(())
}

#[test]
fn wrapped_paragraph_keeps_all_its_words() -> TestResult {
    let text = text_of(&request(1).render()?)?;
    assert!(text.contains(PARAGRAPH), "paragraph not whole in {text:?}");
    Ok(())
}

#[test]
fn long_table_continues_on_a_numbered_second_page() -> TestResult {
    let pdf = request(45).render()?;
    assert_eq!(page_count(&pdf)?, 2);
    let text = text_of(&pdf)?;
    assert!(text.contains("Page 1 / 2") && text.contains("Page 2 / 2"));
    assert!(!text.contains("Page 3"));
    for i in 0..45 {
        assert!(text.contains(&format!("Enfant {i} ")), "row {i} missing");
    }
    // The header is repeated at the top of the second page.
    assert_eq!(text.matches("Enfant Jour Formule Prix").count(), 2);
    assert_eq!(text.matches("12,40 €").count(), 44);
    Ok(())
}

#[test]
fn empty_document_has_one_numbered_page() -> TestResult {
    let pdf = Document::new("").render()?;
    assert_eq!(page_count(&pdf)?, 1);
    assert!(text_of(&pdf)?.contains("Page 1 / 1"));
    Ok(())
}
