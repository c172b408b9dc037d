//! `csc encadrement`: the staffing a day of an accueil de loisirs requires, for directors
//! preparing it (rules in `csc_animconnect::staffing`). Returns the text to print; errors are
//! French messages that the binary prints after `Erreur : ` (exit 1).

use std::fmt::Write as _;

use anyhow::{anyhow, bail};
use chrono::{NaiveDate, NaiveTime};
use csc_animconnect::staffing::{self, Headcount, Qualification, Reception, Team};

/// `csc encadrement`: every value as typed, read here so that each mistake gets a French message.
#[derive(Debug, Clone, clap::Args)]
pub struct EncadrementArgs {
    /// Jour de l'accueil : 2025-07-15 ou 15/07/2025.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Heure d'ouverture de l'accueil : 08:00 ou 8h.
    #[arg(long, value_name = "HEURE")]
    pub debut: Option<String>,
    /// Heure de fermeture de l'accueil.
    #[arg(long, value_name = "HEURE")]
    pub fin: Option<String>,
    /// Nombre de mineurs de moins de 6 ans ce jour-là.
    #[arg(long = "moins-de-6", value_name = "N", allow_negative_numbers = true)]
    pub moins_de_6: Option<String>,
    /// Nombre de mineurs de 6 ans ou plus ce jour-là.
    #[arg(long = "plus-de-6", value_name = "N", allow_negative_numbers = true)]
    pub plus_de_6: Option<String>,
    /// Le centre a un projet éducatif territorial (PEDT).
    #[arg(long)]
    pub pedt: bool,
    /// L'équipe d'animation, séparée par des virgules : bafa, fonctionnaire, stagiaire,
    /// non-qualifie (sans le directeur ou la directrice).
    #[arg(long, value_name = "LISTE")]
    pub equipe: Option<String>,
    /// Compter le directeur ou la directrice comme animateur·rice (50 mineurs ou moins).
    #[arg(long = "directeur-compte")]
    pub directeur_compte: bool,
    /// Une ligne JSON pour d'autres outils.
    #[arg(long)]
    pub json: bool,
}

fn required<'a>(value: &'a Option<String>, flag: &str, example: &str) -> anyhow::Result<&'a str> {
    match value.as_deref().map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => bail!("indiquez --{flag} (par exemple --{flag} {example})."),
    }
}

fn date(text: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| anyhow!("date « {text} » non reconnue : écrivez-la 2025-07-15 ou 15/07/2025."))
}

fn time(text: &str, flag: &str) -> anyhow::Result<NaiveTime> {
    let t = text.to_lowercase().replace(' ', "");
    let parsed = NaiveTime::parse_from_str(&t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&t, "%Hh%M"))
        .or_else(|_| NaiveTime::parse_from_str(&format!("{t}00"), "%Hh%M"));
    parsed.map_err(|_| anyhow!("--{flag} « {text} » n'est pas une heure : écrivez 08:00 ou 8h30."))
}

fn count(text: &str, flag: &str) -> anyhow::Result<u32> {
    match text.parse::<u32>() {
        Ok(n) if n <= 10_000 => Ok(n),
        _ => bail!("--{flag} « {text} » : indiquez un nombre entier de mineurs, 0 ou plus."),
    }
}

fn team(text: &str) -> anyhow::Result<Team> {
    let mut members = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let q = Qualification::read(word).ok_or_else(|| {
            anyhow!(
                "membre de l'équipe « {word} » inconnu : écrivez bafa, fonctionnaire, stagiaire ou non-qualifie."
            )
        })?;
        members.push(q);
    }
    Ok(Team::of(&members))
}

fn hours(minutes: i64) -> String {
    match minutes % 60 {
        0 => format!("{} h", minutes / 60),
        m => format!("{} h {m:02}", minutes / 60),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Computes and writes the requirement (and the team's verdict with `--equipe`).
pub fn encadrement(args: &EncadrementArgs) -> anyhow::Result<String> {
    let day = date(required(&args.date, "date", "2025-07-15")?)?;
    let start = time(required(&args.debut, "debut", "08:00")?, "debut")?;
    let end = time(required(&args.fin, "fin", "18:00")?, "fin")?;
    let headcount = Headcount {
        under_six: count(
            required(&args.moins_de_6, "moins-de-6", "20")?,
            "moins-de-6",
        )?,
        six_and_over: count(required(&args.plus_de_6, "plus-de-6", "28")?, "plus-de-6")?,
    };
    let team = args.equipe.as_deref().map(team).transpose()?;
    let reception = Reception {
        date: day,
        start,
        end,
        pedt: args.pedt,
    };
    let req = staffing::requirement(reception, headcount, args.directeur_compte)
        .map_err(|e| anyhow!("{e}."))?;
    let verdict = team.map(|t| staffing::check(&req, t));

    if args.json {
        let value = serde_json::json!({
            "periode": req.period.code(),
            "taux": [req.rate.under_six, req.rate.six_and_over],
            "requis": req.required,
            "qualifies_min": req.qualified_min,
            "non_qualifies_max": req.unqualified_max,
            "directeur_compte": req.director_counts,
            "conforme": verdict.as_ref().map(|v| v.complies),
            "raisons": verdict.as_ref().map(|v| v.reasons.clone()).unwrap_or_default(),
        });
        return Ok(format!("{value}\n"));
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} de {} à {} ({}) : {} ({}).",
        capitalised(&csc_core::time::format_date_long(day)),
        start.format("%H:%M"),
        end.format("%H:%M"),
        hours(req.minutes),
        req.period.label().to_lowercase(),
        req.why
    );
    let _ = writeln!(
        out,
        "Taux : 1 animateur·rice pour {} mineurs de moins de 6 ans, 1 pour {} de 6 ans ou plus{}.",
        req.rate.under_six,
        req.rate.six_and_over,
        if args.pedt && req.period == staffing::Period::Periscolaire {
            " (PEDT)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        out,
        "Mineurs : {} de moins de 6 ans, {} de 6 ans ou plus, {} en tout.",
        headcount.under_six,
        headcount.six_and_over,
        headcount.total()
    );
    let _ = writeln!(
        out,
        "Encadrement requis : {} (⌈{}/{} + {}/{}⌉).",
        req.required,
        headcount.under_six,
        req.rate.under_six,
        headcount.six_and_over,
        req.rate.six_and_over
    );
    let _ = writeln!(
        out,
        "Qualifié·e·s (BAFA, équivalent ou fonctionnaire) : {} au moins ; non-qualifié·e·s : {} au plus ; stagiaires sans limite.",
        req.qualified_min, req.unqualified_max
    );
    if req.director_counts {
        let _ = writeln!(
            out,
            "Le directeur ou la directrice compte comme animateur·rice qualifié·e (50 mineurs ou moins)."
        );
    } else if req.director_refused {
        let _ = writeln!(
            out,
            "Le directeur ou la directrice ne compte pas comme animateur·rice : plus de 50 mineurs."
        );
    }
    match verdict {
        Some(v) if v.complies => {
            let _ = writeln!(out, "Équipe conforme.");
        }
        Some(v) => {
            let _ = writeln!(out, "Équipe non conforme :");
            for reason in v.reasons {
                let _ = writeln!(out, "- {reason}.");
            }
        }
        None => {}
    }
    Ok(out)
}
