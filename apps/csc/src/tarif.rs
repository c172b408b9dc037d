//! `csc tarif` and `csc qf`: the price a tariff grid gives and a CAF quotient familial, from
//! the command line, for reception staff and for checking a grid before it is imported.
//!
//! Both return the text to print, so tests can call them; errors are French messages that the
//! binary prints after `Erreur : `.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::bail;
use csc_pricing::qf::Parts;
use csc_pricing::{Cents, Grid, QfInput, Query, Unit};

/// `csc tarif`: one query against one grid file.
#[derive(Debug, Clone, clap::Args)]
pub struct TarifArgs {
    /// Grille tarifaire au format JSON (voir docs/tarifs-grilles.md).
    #[arg(long, value_name = "FICHIER")]
    pub grille: PathBuf,
    /// Quotient familial en euros entiers ; absent, la règle de la grille pour les familles
    /// sans QF s'applique.
    #[arg(long)]
    pub qf: Option<u32>,
    /// Unité : journee, demi_journee, demi_journee_repas, repas, heure, semaine ou sejour.
    #[arg(long, value_name = "CODE")]
    pub unite: String,
    /// Rang de l'enfant parmi les enfants inscrits de la famille (1 pour le premier).
    #[arg(long, default_value_t = 1)]
    pub rang: u8,
    /// La famille habite hors de la commune (ou de la communauté de communes) de la grille.
    #[arg(long)]
    pub hors_commune: bool,
    /// Nombre d'enfants inscrits de la famille (par défaut : le rang de l'enfant).
    #[arg(long, value_name = "N")]
    pub enfants_inscrits: Option<u8>,
    /// Âge de l'enfant en années révolues, pour les grilles à plusieurs barèmes d'âge.
    #[arg(long)]
    pub age: Option<u8>,
    /// Nombre d'unités (journées, repas…).
    #[arg(long, default_value_t = 1)]
    pub quantite: u32,
    /// Tranche choisie par son nom plutôt que par le QF (« conditions CCAS »).
    #[arg(long, value_name = "NOM")]
    pub tranche: Option<String>,
}

/// `csc qf`: what a family declares, amounts as typed.
#[derive(Debug, Clone, clap::Args)]
pub struct QfArgs {
    /// Revenu annuel imposable du foyer, en euros : 30000, 30 000 ou 30000,50.
    #[arg(long, value_name = "EUROS", allow_negative_numbers = true)]
    pub revenus_annuels: String,
    /// Prestations familiales du mois, en euros.
    #[arg(long, value_name = "EUROS", allow_negative_numbers = true)]
    pub prestations_mensuelles: String,
    /// 1 (parent seul) ou 2 (couple) : la CAF compte 2 parts dans les deux cas.
    #[arg(long, value_name = "N")]
    pub adultes: u8,
    /// Enfants à charge.
    #[arg(long, value_name = "N")]
    pub enfants: u8,
    /// Parmi eux, enfants en situation de handicap (0,5 part de plus chacun).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub handicap: u8,
}

/// Prices the query of `csc tarif` and explains the price, one line per step.
pub fn tarif(args: &TarifArgs) -> anyhow::Result<String> {
    let path = args.grille.display();
    let json = std::fs::read_to_string(&args.grille).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "fichier introuvable".to_string(),
            std::io::ErrorKind::PermissionDenied => "accès refusé".to_string(),
            _ => e.to_string(),
        };
        anyhow::anyhow!("impossible de lire la grille « {path} » : {why}.")
    })?;
    // One message rather than an anyhow context: its `: ` separator lacks the French space.
    let grid = Grid::from_json(&json).map_err(|e| anyhow::anyhow!("grille « {path} » : {e}"))?;
    let unit = Unit::parse(&args.unite)?;
    let children_registered = args.enfants_inscrits.unwrap_or(args.rang);
    if children_registered < args.rang {
        bail!(
            "l'enfant de rang {} ne peut pas faire partie de {} enfant(s) inscrit(s) : \
             corrigez --rang ou --enfants-inscrits.",
            args.rang,
            children_registered
        );
    }
    let query = Query {
        named_band: args.tranche.clone(),
        rank: args.rang,
        resident: !args.hors_commune,
        children_registered,
        age: args.age,
        quantity: args.quantite,
        ..Query::new(unit, args.qf)
    };
    let quote = grid.price(&query)?;
    let spec = grid.spec();
    let mut out = format!("Prix : {} {}\n", quote.unit_price, unit.label());
    writeln!(out, "{}", quote.explanation.summary)?;
    for step in &quote.explanation.steps {
        writeln!(out, "  - {step}")?;
    }
    writeln!(
        out,
        "Grille : {}, {} ({}).",
        spec.centre, spec.activity, spec.season
    )?;
    Ok(out)
}

/// Computes the quotient familial of `csc qf` and shows its parts and calculation.
pub fn qf(args: &QfArgs) -> anyhow::Result<String> {
    if !(1..=2).contains(&args.adultes) {
        bail!(
            "--adultes {} : indiquez 1 (parent seul) ou 2 (couple) ; la CAF compte 2 parts \
             pour les adultes dans les deux cas.",
            args.adultes
        );
    }
    let income = amount("--revenus-annuels", &args.revenus_annuels)?;
    let benefits = amount("--prestations-mensuelles", &args.prestations_mensuelles)?;
    let qf = csc_pricing::qf::compute(&QfInput {
        yearly_taxable_income_cents: income.0,
        monthly_benefits_cents: benefits.0,
        children: args.enfants,
        children_with_disability: args.handicap,
    })?;
    let mut out = format!("Quotient familial : {}\n", qf.value);
    let adults = if args.adultes == 1 {
        "1 adulte"
    } else {
        "2 adultes"
    };
    let mut household = format!("{adults}, {}", plural(args.enfants, "enfant"));
    if args.handicap > 0 {
        write!(
            household,
            " dont {} en situation de handicap",
            args.handicap
        )?;
    }
    writeln!(out, "Parts : {} ({household})", halves(qf.parts.halves()))?;
    // Each share is read off the crate's own scale, so this detail cannot drift from it.
    let base = Parts::for_household(0, 0).halves();
    let whose = if args.adultes == 1 {
        "parent seul, compté comme un couple"
    } else {
        "couple"
    };
    writeln!(out, "  - adultes : {} ({whose})", halves(base))?;
    let mut before = base;
    for rank in 1..=args.enfants {
        let now = Parts::for_household(rank, 0).halves();
        writeln!(
            out,
            "  - {} enfant : {}",
            ordinal(rank),
            halves(now - before)
        )?;
        before = now;
    }
    if args.handicap > 0 {
        let extra = qf.parts.halves() - before;
        writeln!(
            out,
            "  - {} en situation de handicap : {}",
            plural(args.handicap, "enfant"),
            halves(extra)
        )?;
    }
    writeln!(
        out,
        "Formule de la CAF : (revenu annuel imposable / 12 + prestations familiales du mois) / nombre de parts"
    )?;
    writeln!(out, "Calcul : {}", qf.explanation)?;
    Ok(out)
}

fn amount(flag: &str, typed: &str) -> anyhow::Result<Cents> {
    Cents::parse(typed).map_err(|e| anyhow::anyhow!("{flag} « {typed} » : {e}"))
}

/// A count of half parts as a French number: `3`, `0,5`, `4,5`.
fn halves(h: u32) -> String {
    if h.is_multiple_of(2) {
        (h / 2).to_string()
    } else {
        format!("{},5", h / 2)
    }
}

/// `0 enfant`, `1 enfant`, `2 enfants`.
fn plural(n: u8, word: &str) -> String {
    if n > 1 {
        format!("{n} {word}s")
    } else {
        format!("{n} {word}")
    }
}

/// `1er`, `2e`, `3e`…
fn ordinal(rank: u8) -> String {
    if rank == 1 {
        "1er".into()
    } else {
        format!("{rank}e")
    }
}
