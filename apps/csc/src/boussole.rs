//! `csc boussole import FICHIER.csv`: places from a data·inclusion « structures » file. Every
//! line is checked before anything is written; then the file is saved in one transaction.

use anyhow::{anyhow, bail};
use csc_core::Settings;

/// Imports the file; the summary to print, or every line's error (nothing written).
pub async fn import(settings: &Settings, path: &std::path::Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow!("impossible de lire le fichier {} : {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow!(
            "le fichier {} n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».",
            path.display()
        )
    })?;
    let rows = match csc_boussole::import::parse(&text) {
        Ok(rows) => rows,
        Err(errors) => bail!(
            "le fichier a {} erreur(s) ; rien n'a été importé.\n{}",
            errors.len(),
            errors.join("\n")
        ),
    };
    let db = csc_server::open_database(settings).await?;
    let saved = db
        .write(move |c| Ok(csc_boussole::import::save(c, &rows)?))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    Ok(format!(
        "{} lieu(x) importé(s) et publié(s) : {} créé(s), {} mis à jour.\n",
        saved.created + saved.updated,
        saved.created,
        saved.updated
    ))
}
