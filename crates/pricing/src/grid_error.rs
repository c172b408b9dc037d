//! Why a grid is refused at import, in words an admin can act on.

use crate::money::{Cents, Percent};
use crate::unit::{Unit, UnknownUnit};

/// Why a grid cannot be loaded. Messages are meant for the admin who typed or imported it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GridError {
    /// Not JSON, or not the shape of a grid.
    #[error("Le fichier n'est pas une grille valide (ligne {line}, colonne {column}) : {message}")]
    Json {
        /// Line of the problem, from 1.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
        /// What the JSON reader said.
        message: String,
    },
    /// A unit code no grid knows.
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
    /// Neither prices nor membership fees.
    #[error("La grille ne contient ni barème ni adhésion.")]
    Empty,
    /// Several schedules, one without ages.
    #[error("Le barème « {0} » doit indiquer ses âges : la grille a plusieurs barèmes, l'âge de l'enfant choisit le bon.")]
    MissingAges(String),
    /// An age bracket upside down.
    #[error("Les âges du barème « {0} » sont inversés (minimum supérieur au maximum).")]
    InvertedAges(String),
    /// Two schedules for the same age.
    #[error(
        "Les barèmes « {first} » et « {second} » concernent tous deux les enfants de {age} ans."
    )]
    OverlappingAges {
        /// One schedule.
        first: String,
        /// The other one.
        second: String,
        /// An age both cover.
        age: u8,
    },
    /// A schedule without any band or unit.
    #[error("Le barème « {0} » ne contient aucun prix.")]
    NoPrices(String),
    /// Two bands with the same label.
    #[error("Deux tranches du barème « {schedule} » s'appellent « {band} ».")]
    DuplicateBand {
        /// Schedule.
        schedule: String,
        /// The repeated label.
        band: String,
    },
    /// A band whose limits leave no QF in it.
    #[error("La tranche « {0} » est vide : sa limite basse dépasse sa limite haute.")]
    EmptyBand(String),
    /// A special band with QF limits.
    #[error("La tranche spéciale « {0} » est choisie par son nom : elle ne doit pas avoir de limites de QF.")]
    SpecialBandWithLimits(String),
    /// The first band does not start at QF 0.
    #[error("La première tranche « {band} » commence au QF {from} : les QF 0 à {to} ne sont dans aucune tranche.")]
    GapAtStart {
        /// First band.
        band: String,
        /// Its lowest QF.
        from: i64,
        /// Last QF left out.
        to: i64,
    },
    /// QFs between two bands belong to neither.
    #[error("Trou entre les tranches « {before} » et « {after} » : {gap} dans aucune tranche.")]
    Gap {
        /// Band below the gap.
        before: String,
        /// Band above the gap.
        after: String,
        /// `le QF 450 n'est` or `les QF 451 à 460 ne sont`.
        gap: String,
    },
    /// Two bands share QFs.
    #[error(
        "Les tranches « {first} » et « {second} » se chevauchent : le QF {qf} est dans les deux."
    )]
    Overlap {
        /// Lower band.
        first: String,
        /// Upper band.
        second: String,
        /// A QF in both.
        qf: i64,
    },
    /// Bands listed out of order.
    #[error("Les tranches doivent être rangées par QF croissant : « {0} » est mal placée.")]
    Unsorted(String),
    /// The last band stops somewhere.
    #[error("La dernière tranche « {band} » s'arrête au QF {to} : la dernière tranche ne doit pas avoir de limite haute.")]
    OpenTop {
        /// Last band.
        band: String,
        /// Its highest QF.
        to: i64,
    },
    /// Bands of a schedule do not price the same units.
    #[error("La tranche « {band} » ne donne pas de prix pour {unit} alors que d'autres tranches du barème en donnent.")]
    UnitMismatch {
        /// Band lacking the unit.
        band: String,
        /// The unit, as a label.
        unit: Unit,
    },
    /// An empty list of prices by rank.
    #[error("{0} : la liste des prix par rang d'enfant est vide.")]
    EmptyRankList(String),
    /// A price or fee below zero.
    #[error("{place} : le montant {cents} est négatif.")]
    NegativePrice {
        /// Where: `Tranche « T1 », la journée`.
        place: String,
        /// The amount.
        cents: Cents,
    },
    /// A price or fee above what any activity costs (a typing slip, or a number meant to break
    /// the sums).
    #[error("{place} : le montant {cents} dépasse {max}, le plus haut qu'une grille accepte.")]
    PriceTooHigh {
        /// Where: `Tranche « T1 », la journée`.
        place: String,
        /// The amount.
        cents: Cents,
        /// The highest amount accepted.
        max: Cents,
    },
    /// A taux d'effort with its floor above its ceiling.
    #[error("Taux d'effort pour {unit} : le plancher {floor} dépasse le plafond {ceiling}.")]
    FloorAboveCeiling {
        /// The unit.
        unit: Unit,
        /// Floor.
        floor: Cents,
        /// Ceiling.
        ceiling: Cents,
    },
    /// A rate of zero, negative or over 100 %.
    #[error("Taux d'effort pour {unit} : {rate} n'est pas un taux possible (entre 0 et 100 %).")]
    BadRate {
        /// The unit.
        unit: Unit,
        /// The rate.
        rate: Percent,
    },
    /// A percentage outside what makes sense.
    #[error("{what} : {percent} n'est pas possible (entre {min} et {max}).")]
    BadPercent {
        /// What the percentage is for.
        what: &'static str,
        /// The percentage.
        percent: Percent,
        /// Lowest allowed.
        min: Percent,
        /// Highest allowed.
        max: Percent,
    },
    /// Prices by rank and a sibling reduction would reduce twice.
    #[error("La grille donne déjà des prix par rang d'enfant : une réduction fratrie en plus s'appliquerait deux fois.")]
    RankPricesAndSiblingDiscount,
    /// A lower-band threshold that would apply to every family.
    #[error("« Tranche inférieure à partir de {0} enfants » : il faut au moins 2 enfants.")]
    BadChildrenThreshold(u8),
    /// The missing-QF rule names a band that does not exist.
    #[error("Sans QF, la grille applique la tranche « {band} », qui n'existe pas dans le barème « {schedule} ».")]
    UnknownMissingQfBand {
        /// The label.
        band: String,
        /// The schedule lacking it.
        schedule: String,
    },
    /// Two fees for the same kind of membership.
    #[error("L'{0} est indiquée deux fois.")]
    DuplicateMembership(&'static str),
}
