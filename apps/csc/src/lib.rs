//! The suite: every app of Centres Sociaux Connectés mounted in one process, and the admin
//! commands.

pub mod boussole;
pub mod demo;
pub mod encadrement;
pub mod glossaire;
pub mod horaires;
pub mod tarif;

use csc_web::AppModule;

/// Every app of the suite, in menu order. Apps are added here as they are built.
pub fn modules() -> Vec<AppModule> {
    vec![
        csc_kiosque::module(),
        csc_preinscription::module(),
        csc_animconnect::module(),
        csc_biens_communs::module(),
        csc_boussole::module(),
        csc_glossaire::module(),
        csc_check::module(),
    ]
}
