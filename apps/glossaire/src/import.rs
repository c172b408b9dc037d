//! Import of an existing lexicon from a CSV file (`;`-separated, UTF-8): columns
//! `lexique;terme;alias;classe;definition;exemple;categorie`, aliases separated by `|`, an
//! optional header line. Every line is checked first: one bad line and nothing is written, each
//! bad line reported with its number. Imported entries are published at once, credited to their
//! lexicon's structure; a lexicon named in the file is created when missing.

use csc_core::AppError;
use csc_db::DbConn;
use serde::Serialize;

use crate::entries::{self, NewVersion, Published};
use crate::text::normalize;

/// The columns, in order.
pub const COLUMNS: [&str; 7] = [
    "lexique",
    "terme",
    "alias",
    "classe",
    "definition",
    "exemple",
    "categorie",
];

/// One checked line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub number: usize,
    pub lexicon: String,
    pub term: String,
    pub aliases: Vec<String>,
    pub word_class: String,
    pub definition: String,
    pub example: String,
    pub category: String,
}

/// A bad line: its number and what is wrong, in French.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "ligne {} : {}", self.line, self.message)
        }
    }
}

fn field(
    raw: &[u8],
    line: usize,
    name: &str,
    max: usize,
    required: bool,
) -> Result<String, LineError> {
    let err = |message: String| LineError { line, message };
    let text = std::str::from_utf8(raw)
        .map_err(|_| {
            err(format!(
                "la colonne « {name} » n'est pas du texte UTF-8 (enregistrez le fichier en UTF-8)"
            ))
        })?
        .trim()
        .to_string();
    if required && text.is_empty() {
        return Err(err(format!("la colonne « {name} » est vide")));
    }
    if text.chars().count() > max {
        return Err(err(format!(
            "la colonne « {name} » dépasse {max} caractères"
        )));
    }
    Ok(text)
}

fn is_header(rec: &csv::ByteRecord) -> bool {
    let cell = |i: usize| rec.get(i).map(|b| normalize(&String::from_utf8_lossy(b)));
    cell(0).as_deref() == Some("lexique") && cell(1).as_deref() == Some("terme")
}

/// Reads and checks every line: the lines, or every error found.
pub fn parse(bytes: &[u8]) -> Result<Vec<Line>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<(String, String, usize)> = Vec::new();
    let mut first = true;
    let mut record = csv::ByteRecord::new();
    loop {
        let number = reader.position().line() as usize;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(number, |p| p.line() as usize);
                errors.push(LineError {
                    line,
                    message: "la ligne n'a pas pu être lue (guillemet non fermé ?)".into(),
                });
                break;
            }
        }
        let number = record.position().map_or(number, |p| p.line() as usize);
        if first {
            first = false;
            if is_header(&record) {
                continue;
            }
        }
        if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        match check(&record, number) {
            Ok(line) => {
                let key = (
                    entries::lexicon_slug(&line.lexicon).unwrap_or_default(),
                    normalize(&line.term),
                );
                if let Some((_, _, at)) = seen.iter().find(|(l, t, _)| (l, t) == (&key.0, &key.1)) {
                    errors.push(LineError {
                        line: number,
                        message: format!("le mot « {} » est déjà à la ligne {at}", line.term),
                    });
                } else {
                    seen.push((key.0, key.1, number));
                    lines.push(line);
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() && lines.is_empty() {
        errors.push(LineError {
            line: 0,
            message: format!(
                "Le fichier ne contient aucun mot. Colonnes attendues : {}.",
                COLUMNS.join(";")
            ),
        });
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(errors)
    }
}

fn check(rec: &csv::ByteRecord, number: usize) -> Result<Line, LineError> {
    if rec.len() != COLUMNS.len() {
        return Err(LineError {
            line: number,
            message: format!(
                "{} colonnes au lieu de 7 ({}, séparées par des points-virgules)",
                rec.len(),
                COLUMNS.join(";")
            ),
        });
    }
    let col = |i: usize| rec.get(i).unwrap_or_default();
    let lexicon = field(col(0), number, "lexique", 60, true)?;
    entries::lexicon_slug(&lexicon).map_err(|m| LineError {
        line: number,
        message: m,
    })?;
    let term = field(col(1), number, "terme", 100, true)?;
    if normalize(&term).is_empty() {
        return Err(LineError {
            line: number,
            message: format!("le terme « {term} » doit contenir des lettres ou des chiffres"),
        });
    }
    let alias_text = field(col(2), number, "alias", 500, false)?;
    let mut aliases = Vec::new();
    for a in alias_text
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        if a.chars().count() > 100 {
            return Err(LineError {
                line: number,
                message: format!("l'alias « {a} » dépasse 100 caractères"),
            });
        }
        if normalize(a).is_empty() {
            return Err(LineError {
                line: number,
                message: format!("l'alias « {a} » doit contenir des lettres ou des chiffres"),
            });
        }
        aliases.push(a.to_string());
    }
    Ok(Line {
        number,
        lexicon,
        term,
        aliases,
        word_class: field(col(3), number, "classe", 40, false)?,
        definition: field(col(4), number, "definition", 1500, true)?,
        example: field(col(5), number, "exemple", 600, false)?,
        category: field(col(6), number, "categorie", 60, false)?,
    })
}

/// What an import did, or would do (dry run).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub lexicons_created: Vec<String>,
    pub dry_run: bool,
}

impl Report {
    /// The French summary.
    pub fn summary(&self) -> String {
        let mut s = if self.dry_run {
            format!(
                "Essai : {} mot{} serai{} ajouté{}, {} mis à jour (nouvelle version). Rien n'a été enregistré.",
                self.created,
                plural(self.created),
                if self.created > 1 { "ent" } else { "t" },
                plural(self.created),
                self.updated
            )
        } else {
            format!(
                "{} mot{} ajouté{}, {} mis à jour (nouvelle version), publiés.",
                self.created,
                plural(self.created),
                plural(self.created),
                self.updated
            )
        };
        if !self.lexicons_created.is_empty() {
            s.push_str(&format!(
                " Lexique{} créé{} : {}.",
                plural(self.lexicons_created.len()),
                plural(self.lexicons_created.len()),
                self.lexicons_created.join(", ")
            ));
        }
        s
    }
}

fn plural(n: usize) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

/// Writes the checked lines (in the caller's transaction), or only counts what would be done
/// (`dry_run`). `by`: the admin account, when known.
pub fn apply(
    conn: &mut DbConn,
    lines: &[Line],
    dry_run: bool,
    by: Option<i64>,
) -> Result<Report, AppError> {
    let mut report = Report {
        dry_run,
        ..Report::default()
    };
    for line in lines {
        let lexicon = if dry_run {
            entries::lexicon_named(conn, &line.lexicon)?
        } else {
            let (x, created) = entries::ensure_lexicon(conn, &line.lexicon, None)?;
            if created {
                report.lexicons_created.push(x.name.clone());
            }
            Some(x)
        };
        let Some(lexicon) = lexicon else {
            if !report
                .lexicons_created
                .iter()
                .any(|n| normalize(n) == normalize(&line.lexicon))
            {
                report.lexicons_created.push(line.lexicon.clone());
            }
            report.created += 1;
            continue;
        };
        if dry_run {
            match entries::find_entry(conn, lexicon.id, &line.term)? {
                Some(_) => report.updated += 1,
                None => report.created += 1,
            }
            continue;
        }
        let new = NewVersion {
            term: line.term.clone(),
            aliases: line.aliases.clone(),
            word_class: line.word_class.clone(),
            definition: line.definition.clone(),
            example: line.example.clone(),
            related: String::new(),
            category: line.category.clone(),
            structure_id: lexicon.structure_id,
            draft_id: None,
            created_by: by,
        };
        match entries::publish(conn, lexicon.id, &new, true)? {
            Published::New(_) => report.created += 1,
            Published::Updated(_) => report.updated += 1,
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "lexique;terme;alias;classe;definition;exemple;categorie\n";

    #[test]
    fn good_lines_are_read_with_their_aliases() {
        let csv = format!(
            "{HEADER}numérique;wifi;wi-fi|wi fi;nom;Une connexion sans fil.;Le wifi marche.;internet\n\
             parentalité;PMI;;sigle;Protection maternelle et infantile.;;\n"
        );
        let lines = parse(csv.as_bytes()).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 2);
        assert_eq!(lines[0].aliases, vec!["wi-fi", "wi fi"]);
        assert_eq!(lines[1].term, "PMI");
        assert!(lines[1].aliases.is_empty());
    }

    #[test]
    fn the_header_is_optional_and_a_bom_ignored() {
        let csv = "\u{feff}numerique;wifi;;;Sans fil.;;\n";
        assert_eq!(parse(csv.as_bytes()).unwrap()[0].number, 1);
    }

    #[test]
    fn every_bad_line_is_reported_with_its_number() {
        let csv = format!(
            "{HEADER}numerique;wifi;;;Sans fil.;;\n\
             numerique;;;;Sans mot.;;\n\
             numerique;souris;;;\n\
             numerique;clavier;;;;;\n\
             numerique;WIFI;;;Encore.;;\n\
             ;ecran;;;Un écran.;;\n"
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            vec![
                "ligne 3 : la colonne « terme » est vide",
                "ligne 4 : 5 colonnes au lieu de 7 (lexique;terme;alias;classe;definition;exemple;categorie, séparées par des points-virgules)",
                "ligne 5 : la colonne « definition » est vide",
                "ligne 6 : le mot « WIFI » est déjà à la ligne 2",
                "ligne 7 : la colonne « lexique » est vide",
            ]
        );
    }

    #[test]
    fn an_empty_file_or_bad_bytes_are_refused() {
        assert!(parse(b"").is_err());
        assert!(parse(HEADER.as_bytes()).is_err());
        let bad = b"numerique;caf\xe9;;;D\xe9finition.;;\n";
        let e = parse(bad).unwrap_err();
        assert_eq!(e[0].line, 1);
        assert!(e[0].message.contains("UTF-8"));
    }

    #[test]
    fn html_is_kept_as_text() {
        let csv = "numerique;balise;;;<script>alert(1)</script> une balise;;\n";
        assert!(parse(csv.as_bytes()).unwrap()[0]
            .definition
            .starts_with("<script>"));
    }
}
