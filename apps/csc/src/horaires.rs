//! `csc horaires`: whether an `opening_hours` string is open at a moment, and its next change,
//! for staff checking a place's hours (rules in `csc_boussole::hours`). Errors are French
//! messages that the binary prints after `Erreur : ` (exit 1).

use anyhow::anyhow;
use chrono::NaiveDateTime;
use csc_boussole::hours::{self, OpeningHours};

/// `csc horaires`: values taken as typed, read here so that each mistake gets a French message.
#[derive(Debug, Clone, clap::Args)]
pub struct HorairesArgs {
    /// Horaires au format OpenStreetMap, par exemple "Mo-Fr 09:00-12:00,14:00-17:30; PH off".
    #[arg(long, value_name = "HORAIRES", allow_hyphen_values = true)]
    pub horaires: Option<String>,
    /// Moment à vérifier, heure de Paris : 2026-05-14T10:00 (maintenant par défaut).
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Une ligne JSON pour d'autres outils.
    #[arg(long)]
    pub json: bool,
}

fn moment(text: &str) -> anyhow::Result<NaiveDateTime> {
    let t = text.trim();
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .ok_or_else(|| {
        anyhow!("date « {text} » non reconnue : écrivez-la 2026-05-14T10:00 (heure de Paris).")
    })
}

/// The text to print: « ouvert » or « fermé », then the next change.
pub fn horaires(args: &HorairesArgs) -> anyhow::Result<String> {
    let text = match args.horaires.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t,
        _ => anyhow::bail!(
            "indiquez --horaires (par exemple --horaires \"Mo-Fr 09:00-12:00; PH off\")."
        ),
    };
    let parsed = OpeningHours::parse(text).map_err(|e| anyhow!("{e}"))?;
    let at = match args.date.as_deref() {
        Some(d) => moment(d)?,
        None => csc_boussole::paris_now(),
    };
    let status = hours::status(&parsed, &[], at);
    let next = status
        .next_change
        .map(|t| t.format("%Y-%m-%dT%H:%M").to_string());
    if args.json {
        return Ok(format!(
            "{}\n",
            serde_json::json!({"ouvert": status.open, "prochain_changement": next})
        ));
    }
    let state = if status.open { "ouvert" } else { "fermé" };
    let change = match (status.next_change, next) {
        (Some(t), Some(iso)) => {
            let verb = if status.open { "ferme" } else { "ouvre" };
            format!(
                "prochain changement : {iso} ({verb} {})",
                hours::french_moment(t)
            )
        }
        _ => "prochain changement : aucun dans l'année qui vient".to_string(),
    };
    Ok(format!("{state}\n{change}\n"))
}
