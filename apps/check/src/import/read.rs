//! Reading an attendance file: CSV (UTF-8 or Windows-1252, `;` or `,` detected from the
//! header) or XLSX, into lines of text with their line number in the file (header = line 1),
//! then into typed lines, each bad one with its French reason.

use chrono::{NaiveDate, NaiveTime};
use serde::Serialize;

use crate::model::{AttendanceState, PersonRole};
use crate::text;

/// The fixed columns, in the order of `csc check import`.
pub const COLUMNS: [&str; 10] = [
    "date",
    "debut",
    "fin",
    "seance",
    "famille",
    "nom",
    "prenom",
    "naissance",
    "role",
    "etat",
];

/// Labels of the columns for the mapping form.
pub const COLUMN_LABELS: [&str; 10] = [
    "Date",
    "Heure de début",
    "Heure de fin",
    "Séance",
    "Famille",
    "Nom ou initiale",
    "Prénom",
    "Naissance (date ou année)",
    "Adulte ou enfant",
    "État (présent, absent justifié, absent injustifié)",
];

/// A line refused, with its number in the file and why.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineError {
    pub ligne: usize,
    pub raison: String,
}

/// A file read into rows of text: the header, then numbered rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Which column of the file holds each field (index into the file's columns).
pub type Mapping = [Option<usize>; 10];

/// A line read: one person at one session.
#[derive(Debug, Clone)]
pub struct ImportLine {
    pub no: usize,
    pub day: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub session: String,
    pub family: String,
    pub last_name: String,
    pub first_name: String,
    pub birth: Option<NaiveDate>,
    pub role: PersonRole,
    pub state: AttendanceState,
}

fn err(ligne: usize, raison: impl Into<String>) -> LineError {
    LineError {
        ligne,
        raison: raison.into(),
    }
}

/// Text of a file: UTF-8 (BOM dropped), else Windows-1252 (Excel's « CSV » on Windows).
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads a CSV or XLSX file.
pub fn read(bytes: &[u8]) -> Result<Table, LineError> {
    if is_xlsx(bytes) {
        read_xlsx(bytes)
    } else {
        read_csv(&decode(bytes))
    }
}

fn read_csv(text: &str) -> Result<Table, LineError> {
    let first = text.lines().next().unwrap_or("");
    if first.trim().is_empty() {
        return Err(err(
            1,
            "fichier vide : la première ligne doit nommer les colonnes",
        ));
    }
    let (semi, comma) = (first.matches(';').count(), first.matches(',').count());
    let sep = if semi == 0 && comma == 0 {
        return Err(err(
            1,
            "séparateur non reconnu : les colonnes doivent être séparées par « ; » ou « , »",
        ));
    } else if semi >= comma {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header = None;
    let mut rows = Vec::new();
    let (mut line, mut counted_to) = (1usize, 0usize);
    for record in reader.records() {
        let record = record.map_err(|e| {
            let byte = e.position().map_or(0, |p| p.byte() as usize);
            let line = 1 + text.as_bytes()[..byte.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            err(line, "ligne illisible (guillemet non fermé ?)")
        })?;
        // The reader's own line count skips blank lines: count the file's line breaks.
        let mut byte = record.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(byte), Some(b'\r' | b'\n')) {
            byte += 1;
        }
        // Line breaks counted from the previous record on: linear in the file's size.
        let byte = byte.min(text.len()).max(counted_to);
        line += text.as_bytes()[counted_to..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = byte;
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if header.is_none() {
            header = Some(cells);
        } else {
            rows.push((line, cells));
        }
    }
    Ok(Table {
        header: header.unwrap_or_default(),
        rows,
    })
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, LineError> {
    use calamine::{Data, DataType, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|_| err(1, "classeur XLSX illisible"))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| err(1, "le classeur n'a aucune feuille"))?
        .map_err(|_| err(1, "classeur XLSX illisible"))?;
    let mut rows = Vec::new();
    let mut header = None;
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| match c {
                Data::DateTime(d) if d.as_f64() < 1.0 => c
                    .as_time()
                    .map(|t| t.format("%H:%M").to_string())
                    .unwrap_or_default(),
                Data::DateTime(_) => c
                    .as_date()
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                Data::Empty => String::new(),
                other => other.to_string().trim().to_string(),
            })
            .collect();
        if header.is_none() {
            header = Some(cells);
        } else {
            rows.push((i + 1, cells));
        }
    }
    Ok(Table {
        header: header.unwrap_or_default(),
        rows,
    })
}

/// The columns found by their names in the header (compared without case or accents).
pub fn default_mapping(header: &[String]) -> Mapping {
    let keys: Vec<String> = header.iter().map(|h| text::key(h)).collect();
    let mut m = [None; 10];
    for (i, name) in COLUMNS.iter().enumerate() {
        m[i] = keys.iter().position(|k| k == name);
    }
    m
}

/// The fields no column is mapped to (all are needed except `famille`, `naissance`, `debut`,
/// `fin` and `seance`).
pub fn missing(mapping: &Mapping) -> Vec<&'static str> {
    const NEEDED: [usize; 5] = [0, 5, 6, 8, 9];
    NEEDED
        .iter()
        .filter(|&&i| mapping[i].is_none())
        .map(|&i| COLUMNS[i])
        .collect()
}

/// Reads every row: the lines, and the errors (empty rows are skipped).
pub fn lines(
    table: &Table,
    mapping: &Mapping,
    today: NaiveDate,
) -> (Vec<ImportLine>, Vec<LineError>) {
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for (no, cells) in &table.rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match line(*no, cells, mapping, today) {
            Ok(l) => out.push(l),
            Err(reasons) => errors.push(err(*no, reasons.join(" ; "))),
        }
    }
    (out, errors)
}

fn line(
    no: usize,
    cells: &[String],
    m: &Mapping,
    today: NaiveDate,
) -> Result<ImportLine, Vec<String>> {
    let get = |i: usize| -> &str { m[i].and_then(|c| cells.get(c)).map_or("", |s| s.trim()) };
    let mut reasons = Vec::new();
    let day = text::parse_day(get(0)).map_err(|e| reasons.push(e)).ok();
    let time = |s: &str, what: &str, reasons: &mut Vec<String>| {
        if s.is_empty() {
            None
        } else {
            text::parse_time(s)
                .map_err(|e| reasons.push(format!("{what} : {e}")))
                .ok()
        }
    };
    let starts_at = time(get(1), "début", &mut reasons);
    let ends_at = time(get(2), "fin", &mut reasons);
    if let (Some(s), Some(e)) = (starts_at, ends_at) {
        if e <= s {
            reasons.push("l'heure de fin doit suivre l'heure de début".into());
        }
    }
    if get(5).is_empty() {
        reasons.push("nom manquant".into());
    }
    if get(6).is_empty() {
        reasons.push("prénom manquant".into());
    }
    let birth = text::parse_birth(get(7), today)
        .map_err(|e| reasons.push(e))
        .ok()
        .flatten();
    let role = match text::key(get(8)).as_str() {
        "adulte" | "adultes" | "parent" => Some(PersonRole::Adult),
        "enfant" | "enfants" => Some(PersonRole::Child),
        "" => {
            reasons.push("rôle manquant : adulte ou enfant".into());
            None
        }
        other => {
            reasons.push(format!("rôle inconnu « {other} » : adulte ou enfant"));
            None
        }
    };
    let state = match text::key(get(9)).replace([' ', '-'], "_").as_str() {
        "present" | "presente" => Some(AttendanceState::Present),
        "absent_justifie" | "absente_justifiee" => Some(AttendanceState::AbsentJustified),
        "absent_injustifie" | "absente_injustifiee" | "absent" => {
            Some(AttendanceState::AbsentUnjustified)
        }
        "" => {
            reasons.push("état manquant : present, absent_justifie ou absent_injustifie".into());
            None
        }
        other => {
            reasons.push(format!(
                "état inconnu « {other} » : present, absent_justifie ou absent_injustifie"
            ));
            None
        }
    };
    match (day, role, state) {
        (Some(day), Some(role), Some(state)) if reasons.is_empty() => Ok(ImportLine {
            no,
            day,
            starts_at,
            ends_at,
            session: get(3).to_string(),
            family: get(4).to_string(),
            last_name: get(5).to_string(),
            first_name: get(6).to_string(),
            birth,
            role,
            state,
        }),
        _ => Err(reasons),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    const HEADER: &str = "date;debut;fin;seance;famille;nom;prenom;naissance;role;etat";

    #[test]
    fn semicolon_or_comma_and_windows_1252() {
        let text =
            format!("{HEADER}\n2025-01-08;14:00;17:00;Jeux;Martin;Martin;Élodie;;adulte;present\n");
        let t = read(text.as_bytes()).unwrap();
        let (ls, errs) = lines(&t, &default_mapping(&t.header), today());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ls[0].first_name, "Élodie");
        let comma = text.replace(';', ",");
        let t = read(comma.as_bytes()).unwrap();
        assert_eq!(lines(&t, &default_mapping(&t.header), today()).0.len(), 1);
        let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let t = read(&cp1252).unwrap();
        assert_eq!(
            lines(&t, &default_mapping(&t.header), today()).0[0].first_name,
            "Élodie"
        );
    }

    #[test]
    fn a_header_without_separator_is_refused() {
        let e = read(b"date\tdebut\tfin\n").unwrap_err();
        assert_eq!(e.ligne, 1);
        assert!(e.raison.contains("séparateur"));
    }

    #[test]
    fn bad_lines_say_why_with_their_number_and_empty_lines_are_skipped() {
        let text = format!(
            "{HEADER}\n\n31/02/2025;14:00;17:00;Jeux;A;A;B;;adulte;present\n;;;;;;;;;\n2025-01-08;14:00;13:00;Jeux;A;A;B;;chat;venu\n"
        );
        let t = read(text.as_bytes()).unwrap();
        let (ls, errs) = lines(&t, &default_mapping(&t.header), today());
        assert!(ls.is_empty());
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].ligne, 3);
        assert!(
            errs[0].raison.contains("date impossible"),
            "{}",
            errs[0].raison
        );
        assert_eq!(errs[1].ligne, 5);
        assert!(errs[1].raison.contains("fin doit suivre"));
        assert!(errs[1].raison.contains("rôle inconnu"));
        assert!(errs[1].raison.contains("état inconnu"));
    }
}
