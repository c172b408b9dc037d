//! Tables exported for spreadsheets: `.xlsx` workbooks and CSV files that French
//! Excel opens as they are (UTF-8 with BOM, `;` separator, decimal comma).

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::Result;

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cell {
    /// Nothing.
    #[default]
    Empty,
    /// Text, written as text (never as a formula).
    Text(String),
    /// A whole number.
    Int(i64),
    /// An amount in euro cents, shown in euros.
    Money(i64),
    /// A calendar date, shown dd/mm/yyyy.
    Date(NaiveDate),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Cell::Int(n)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Self {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A named table with a header row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sheet {
    /// Worksheet name; characters Excel refuses are replaced, long names shortened.
    pub name: String,
    /// Titles of the columns (bold, frozen, with filter buttons); may be empty.
    pub headers: Vec<String>,
    /// The data; rows may be shorter than the header.
    pub rows: Vec<Vec<Cell>>,
}

/// Excel's number format codes are stored in the US notation; French Excel shows
/// this one as `1 234,56 €`.
const MONEY_FORMAT: &str = "#,##0.00\\ \"€\"";
const DATE_FORMAT: &str = "dd/mm/yyyy";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl Sheet {
    /// The sheet alone in an `.xlsx` workbook.
    pub fn to_xlsx(&self) -> Result<Vec<u8>> {
        workbook_xlsx(std::slice::from_ref(self))
    }

    /// The sheet as CSV for French Excel: UTF-8 with BOM, `;`, CRLF, `12,40`
    /// for money, dd/mm/yyyy dates, quotes where needed.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = UTF8_BOM.to_vec();
        let columns = self.columns();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .flexible(true)
            .from_writer(&mut out);
        let header = (!self.headers.is_empty()).then(|| {
            let texts = (0..columns).map(|i| self.headers.get(i).map_or("", String::as_str));
            texts.map(csv_text).collect::<Vec<_>>()
        });
        let rows = self.rows.iter().map(|row| {
            let cells = (0..columns).map(|i| row.get(i).unwrap_or(&Cell::Empty));
            cells.map(csv_field).collect::<Vec<_>>()
        });
        for record in header.into_iter().chain(rows) {
            // Writing to memory with `flexible` cannot fail.
            writer.write_record(&record).expect("writing CSV to memory");
        }
        writer.flush().expect("writing CSV to memory");
        drop(writer);
        out
    }

    fn columns(&self) -> usize {
        self.rows
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .max(self.headers.len())
    }
}

/// Several sheets in one `.xlsx` workbook, in order; duplicate names get " (2)"….
pub fn workbook_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>> {
    let formats = Formats {
        header: Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin),
        money: Format::new().set_num_format(MONEY_FORMAT),
        date: Format::new().set_num_format(DATE_FORMAT),
    };
    let mut workbook = Workbook::new();
    let mut taken: Vec<String> = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        let name = sheet_name(&sheet.name, i, &taken);
        taken.push(name.to_lowercase());
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(name)?;
        write_sheet(worksheet, sheet, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats {
    header: Format,
    money: Format,
    date: Format,
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    let col = |i: usize| ColNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError);
    let has_header = !sheet.headers.is_empty();
    let first_row = u32::from(has_header);
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, h, &f.header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r)
            .ok()
            .and_then(|r| r.checked_add(first_row))
            .ok_or(XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            let c = col(c)?;
            match cell {
                Cell::Empty => continue,
                Cell::Text(t) => ws.write_string(r, c, t)?,
                Cell::Int(n) => ws.write_number(r, c, *n as f64)?,
                Cell::Money(cents) => {
                    ws.write_number_with_format(r, c, *cents as f64 / 100.0, &f.money)?
                }
                Cell::Date(d) => ws.write_datetime_with_format(r, c, d, &f.date)?,
            };
        }
    }
    let columns = sheet.columns();
    if has_header {
        let last_row =
            u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofilter(0, 0, last_row, col(columns - 1)?)?;
    }
    for c in 0..columns {
        ws.set_column_width(col(c)?, column_width(sheet, c))?;
    }
    Ok(())
}

/// Width of column `c` in characters: its longest content, plus room for the
/// filter button beside the header.
fn column_width(sheet: &Sheet, c: usize) -> f64 {
    let longest_line = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let header = sheet
        .headers
        .get(c)
        .map_or(0, |h| longest_line(h) * 11 / 10 + 3);
    let cells = sheet
        .rows
        .iter()
        .filter_map(|r| r.get(c))
        .map(|cell| match cell {
            Cell::Empty => 0,
            Cell::Text(t) => longest_line(t),
            Cell::Int(n) => n.to_string().len(),
            // Digits, thousands separators, " €".
            Cell::Money(cents) => euros(*cents).len() * 4 / 3 + 2,
            Cell::Date(_) => DATE_FORMAT.len(),
        });
    let chars = cells.max().unwrap_or(0).max(header);
    (chars + 1).clamp(6, 60) as f64
}

/// Excel wants 1 to 31 characters, none of `[]:*?/\`, no apostrophe at either end,
/// names unique regardless of case, and not "History".
fn sheet_name(wanted: &str, index: usize, taken: &[String]) -> String {
    let forbidden = |c: char| "[]:*?/\\".contains(c) || c.is_control();
    let cleaned: String = wanted
        .chars()
        .map(|c| if forbidden(c) { '-' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let base = if cleaned.is_empty() {
        format!("Feuille {}", index + 1)
    } else {
        cleaned.chars().take(31).collect()
    };
    let is_free = |name: &str| {
        let lower = name.to_lowercase();
        lower != "history" && !taken.contains(&lower)
    };
    let mut name = base.clone();
    let mut n = 2;
    while !is_free(&name) {
        let suffix = format!(" ({n})");
        let head: String = base.chars().take(31 - suffix.len()).collect();
        name = format!("{}{suffix}", head.trim_end());
        n += 1;
    }
    name
}

/// `12,40`, `-0,05`, `1234,00`: no thousands separator, so Excel reads a number.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(t) => csv_text(t),
        Cell::Int(n) => n.to_string(),
        Cell::Money(cents) => euros(*cents),
        Cell::Date(d) => d.format("%d/%m/%Y").to_string(),
    }
}

/// Text that Excel would run as a formula (`=…`, `@…`, `+cmd|…`) gets a leading
/// apostrophe; signed numbers such as "+33 6 12 34 56 78" stay as they are.
fn csv_text(text: &str) -> String {
    let mut chars = text.chars();
    let risky = match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.all(|c| c.is_ascii_digit() || " .,/()".contains(c)),
        _ => false,
    };
    if risky {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_made_acceptable_to_excel() {
        let taken = vec!["inscriptions".to_string()];
        assert_eq!(sheet_name("Inscriptions", 0, &taken), "Inscriptions (2)");
        assert_eq!(sheet_name("2025/2026 : été", 0, &[]), "2025-2026 - été");
        assert_eq!(sheet_name(" '' ", 2, &[]), "Feuille 3");
        assert_eq!(sheet_name("History", 0, &[]), "History (2)");
        let long = sheet_name(&"é".repeat(40), 0, &["é".repeat(31)]);
        assert_eq!(long.chars().count(), 31);
        assert!(long.ends_with(" (2)"));
    }

    #[test]
    fn formulas_are_neutralised_in_csv() {
        assert_eq!(csv_text("=1+1"), "'=1+1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
        assert_eq!(csv_text("+33 6 12 34 56 78"), "+33 6 12 34 56 78");
        assert_eq!(csv_text("-"), "-");
        assert_eq!(csv_text("Dupont"), "Dupont");
    }

    #[test]
    fn euros_use_a_decimal_comma() {
        assert_eq!(euros(1240), "12,40");
        assert_eq!(euros(-5), "-0,05");
        assert_eq!(euros(123_400), "1234,00");
    }
}
