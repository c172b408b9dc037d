//! `csc glossaire import FICHIER.csv [--essai]`: imports a lexicon (see `csc_glossaire::import`):
//! every line checked first, each bad line reported, nothing written unless all are good.

use std::path::Path;

use csc_core::Settings;

/// Imports the file (or only checks it with `dry_run`); the French summary, or the report of
/// every bad line as the error.
pub async fn import(settings: &Settings, file: &Path, dry_run: bool) -> anyhow::Result<String> {
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("impossible de lire {} : {e}", file.display()))?;
    let lines = csc_glossaire::import::parse(&bytes).map_err(|errors| {
        let mut text = format!(
            "{} ligne{} à corriger, rien n'a été importé :",
            errors.len(),
            if errors.len() > 1 { "s" } else { "" }
        );
        for e in &errors {
            text.push_str(&format!("\n  {e}"));
        }
        anyhow::anyhow!(text)
    })?;
    let db = csc_server::open_database(settings).await?;
    let report = if dry_run {
        db.run(move |c| csc_glossaire::import::apply(c, &lines, true, None))
            .await
    } else {
        db.write(move |c| csc_glossaire::import::apply(c, &lines, false, None))
            .await
    }
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(report.summary())
}
