//! `csc check import` and `csc check rapport`.

use std::path::PathBuf;

use csc_core::{time, AppError};
use csc_db::Db;

use crate::import::{self, read};

/// Check's commands.
#[derive(clap::Subcommand, Debug)]
pub enum CheckCommand {
    /// Importer des présences passées (colonnes date;debut;fin;seance;famille;nom;prenom;naissance;role;etat).
    Import {
        /// Le centre (son identifiant court, par exemple « chemin-rouge »).
        #[arg(long)]
        centre: String,
        /// Le nom de l'activité ; elle est créée avec les séances du fichier si elle n'existe pas.
        #[arg(long)]
        activite: String,
        /// Le fichier CSV (UTF-8 ou Windows-1252, « ; » ou « , ») ou XLSX.
        #[arg(long)]
        fichier: PathBuf,
        /// Essai à blanc : compter sans rien enregistrer.
        #[arg(long)]
        essai: bool,
        /// Sortie en JSON : {"a_creer": N, "doublons": N, "erreurs": [{"ligne": L, "raison": "…"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Rapport mensuel d'une activité.
    Rapport {
        #[arg(long)]
        centre: String,
        #[arg(long)]
        activite: String,
        /// Le mois, par exemple 2025-03.
        #[arg(long)]
        mois: String,
        /// text, json ou csv.
        #[arg(long, default_value = "text")]
        format: String,
    },
}

/// What a command prints, and its exit status.
pub struct Printed {
    pub stdout: String,
    pub code: i32,
}

fn app(e: AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Runs a command of Check on the database.
pub async fn run(db: &Db, cmd: CheckCommand) -> anyhow::Result<Printed> {
    match cmd {
        CheckCommand::Import {
            centre,
            activite,
            fichier,
            essai,
            json,
        } => {
            let bytes = std::fs::read(&fichier)
                .map_err(|e| anyhow::anyhow!("fichier illisible {} : {e}", fichier.display()))?;
            let name = fichier
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let outcome = db
                .write(move |c| {
                    let centre = csc_auth::centres::by_slug(c, &centre).map_err(|_| {
                        AppError::BadRequest(format!("centre inconnu « {centre} »"))
                    })?;
                    import_bytes(c, centre.id, &activite, &name, &bytes, !essai)
                })
                .await
                .map_err(app)?;
            let refused = !essai && !outcome.erreurs.is_empty();
            let stdout = if json {
                format!("{}\n", serde_json::to_string(&outcome)?)
            } else {
                let mut s = format!(
                    "À créer : {}\nDoublons : {}\nErreurs : {}\n",
                    outcome.a_creer,
                    outcome.doublons,
                    outcome.erreurs.len()
                );
                for e in &outcome.erreurs {
                    s.push_str(&format!("ligne {} : {}\n", e.ligne, e.raison));
                }
                if essai {
                    s.push_str("Essai à blanc : rien n'a été enregistré.\n");
                } else if refused {
                    s.push_str("Import refusé : rien n'a été enregistré. Corrigez les lignes en erreur puis recommencez.\n");
                } else if let Some(id) = outcome.import {
                    s.push_str(&format!(
                        "Import n° {id} enregistré : {} présence(s) créée(s).\n",
                        outcome.a_creer
                    ));
                }
                s
            };
            Ok(Printed {
                stdout,
                code: i32::from(refused),
            })
        }
        CheckCommand::Rapport {
            centre,
            activite,
            mois,
            format,
        } => {
            let report = db
                .run(move |c| {
                    let centre = csc_auth::centres::by_slug(c, &centre).map_err(|_| {
                        AppError::BadRequest(format!("centre inconnu « {centre} »"))
                    })?;
                    let id = import::find_activity(c, centre.id, &activite)?.ok_or_else(|| {
                        AppError::BadRequest(format!("activité inconnue « {activite} »"))
                    })?;
                    crate::monthly::monthly(c, id, &mois)
                })
                .await
                .map_err(app)?;
            let stdout = match format.as_str() {
                "json" => format!("{}\n", serde_json::to_string_pretty(&report)?),
                "csv" => String::from_utf8_lossy(&report.to_sheet().to_csv()).into_owned(),
                "text" => report.to_text(),
                other => anyhow::bail!("format inconnu « {other} » : text, json ou csv"),
            };
            Ok(Printed { stdout, code: 0 })
        }
    }
}

/// Reads a file with the fixed columns (found by their names) and runs the import (or its dry
/// run) in the caller's transaction.
pub fn import_bytes(
    conn: &mut csc_db::DbConn,
    centre_id: i64,
    activity: &str,
    file_name: &str,
    bytes: &[u8],
    confirm: bool,
) -> Result<import::Outcome, AppError> {
    let table = match read::read(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Ok(import::Outcome {
                erreurs: vec![e],
                ..Default::default()
            })
        }
    };
    let mapping = read::default_mapping(&table.header);
    import_table(
        conn, centre_id, activity, file_name, &table, &mapping, confirm,
    )
}

/// The import of a table read, with its columns mapped.
pub fn import_table(
    conn: &mut csc_db::DbConn,
    centre_id: i64,
    activity: &str,
    file_name: &str,
    table: &read::Table,
    mapping: &read::Mapping,
    confirm: bool,
) -> Result<import::Outcome, AppError> {
    let missing = read::missing(mapping);
    if !missing.is_empty() {
        return Ok(import::Outcome {
            erreurs: vec![read::LineError {
                ligne: 1,
                raison: format!(
                    "colonne(s) manquante(s) : {} (attendu : {})",
                    missing.join(", "),
                    read::COLUMNS.join(";")
                ),
            }],
            ..Default::default()
        });
    }
    let (lines, errors) = read::lines(table, mapping, time::today_paris());
    import::run(
        conn, centre_id, activity, file_name, &lines, errors, confirm,
    )
}
