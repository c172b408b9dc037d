use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, DataType, Reader, Xlsx};
use chrono::NaiveDate;
use csc_documents::{workbook_xlsx, Cell, Sheet};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn registrations() -> Sheet {
    Sheet {
        name: "Inscriptions".into(),
        headers: vec!["Enfant", "Naissance", "Jours", "Prix", "Remarque"]
            .into_iter()
            .map(String::from)
            .collect(),
        rows: vec![
            vec![
                "Élodie Lefèvre".into(),
                Cell::Date(date(2018, 3, 5)),
                Cell::Int(3),
                Cell::Money(1240),
                "Allergie : arachide ; « pas de goûter »".into(),
            ],
            vec![
                "Noé".into(),
                Cell::Empty,
                Cell::Int(1),
                Cell::Money(123_456),
            ],
        ],
    }
}

#[test]
fn xlsx_reads_back_with_numbers_and_dates() -> TestResult {
    let bytes = registrations().to_xlsx()?;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))?;
    assert_eq!(book.sheet_names(), ["Inscriptions"]);
    let range = book.worksheet_range("Inscriptions")?;
    assert_eq!(range.get_size(), (3, 5));
    let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 0), Data::String("Enfant".into()));
    assert_eq!(cell(0, 4), Data::String("Remarque".into()));
    assert_eq!(cell(1, 0), Data::String("Élodie Lefèvre".into()));
    assert_eq!(cell(1, 1).as_date(), Some(date(2018, 3, 5)));
    assert_eq!(cell(1, 2).as_f64(), Some(3.0));
    assert_eq!(cell(1, 3), Data::Float(12.4));
    assert_eq!(
        cell(1, 4),
        Data::String("Allergie : arachide ; « pas de goûter »".into())
    );
    assert_eq!(cell(2, 1), Data::Empty);
    assert_eq!(cell(2, 3), Data::Float(1234.56));
    Ok(())
}

#[test]
fn workbook_holds_several_sheets_with_distinct_names() -> TestResult {
    let mut summary = registrations();
    summary.rows.truncate(1);
    let bytes = workbook_xlsx(&[registrations(), summary, Sheet::default()])?;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))?;
    assert_eq!(
        book.sheet_names(),
        ["Inscriptions", "Inscriptions (2)", "Feuille 3"]
    );
    assert_eq!(book.worksheet_range("Inscriptions (2)")?.get_size(), (2, 5));
    Ok(())
}

#[test]
fn csv_is_ready_for_french_excel() {
    let sheet = Sheet {
        name: "Export".into(),
        headers: vec!["Nom".into(), "Date".into(), "Montant".into(), "Note".into()],
        rows: vec![
            vec![
                "Élodie".into(),
                Cell::Date(date(2025, 9, 3)),
                Cell::Money(1240),
                "tarif ; réduit".into(),
            ],
            vec!["Jean \"Jo\"".into(), Cell::Empty, Cell::Money(-5)],
            vec![
                "=HYPERLINK(\"x\")".into(),
                Cell::Empty,
                Cell::Money(123_400),
                Cell::Int(3),
            ],
        ],
    };
    let expected = "\u{FEFF}Nom;Date;Montant;Note\r\n\
                    Élodie;03/09/2025;12,40;\"tarif ; réduit\"\r\n\
                    \"Jean \"\"Jo\"\"\";;-0,05;\r\n\
                    \"'=HYPERLINK(\"\"x\"\")\";;1234,00;3\r\n";
    assert_eq!(String::from_utf8_lossy(&sheet.to_csv()), expected);
    assert!(sheet.to_csv().starts_with(b"\xEF\xBB\xBF"));
}
