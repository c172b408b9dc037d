//! Demo data: the eight centres that ran the prototypes, and one account per role.

use csc_auth::centres::{self, CentreForm};
use csc_auth::{password, users};
use csc_core::{AppError, Email, Role};
use csc_db::DbConn;
use csc_web::AppModule;
use rand::distr::{Alphanumeric, SampleString};

/// The centres of the 2018–2021 prototypes (addresses from the 2020 activity report).
pub const CENTRES: [(&str, &str, &str, &str, &str, &str, &str); 8] = [
    (
        "arbrisseau",
        "Centre Social et Culturel de l'Arbrisseau",
        "194 rue du Vaisseau le Vengeur",
        "59000",
        "Lille",
        "03 20 16 84 30",
        "https://www.larbrisseau.com",
    ),
    (
        "lazare-garreau",
        "Centre Social et Culturel Lazare Garreau",
        "45 rue Lazare Garreau",
        "59000",
        "Lille",
        "03 28 55 38 20",
        "https://www.centre-social-lazare-garreau-lille.fr",
    ),
    (
        "faubourg-de-bethune",
        "Centre Social Faubourg de Béthune (Projet)",
        "65 rue Saint-Bernard",
        "59000",
        "Lille",
        "03 20 92 21 49",
        "https://www.association-projet.org",
    ),
    (
        "chemin-rouge",
        "La Maison du Chemin Rouge",
        "80 chemin Rouge",
        "59155",
        "Faches-Thumesnil",
        "",
        "https://www.cheminrouge.fr",
    ),
    (
        "belencontre",
        "Centre Socioculturel Belencontre",
        "62 avenue John Fitzgerald Kennedy",
        "59200",
        "Tourcoing",
        "03 20 94 13 57",
        "https://www.agcscbp.org",
    ),
    (
        "phalempins",
        "Centre Socioculturel Phalempins",
        "216 rue Ingres",
        "59200",
        "Tourcoing",
        "03 20 28 46 60",
        "https://www.agcscbp.org",
    ),
    (
        "echo",
        "Maison de Développement Social Echo",
        "60 rue d'Oran",
        "59100",
        "Roubaix",
        "03 20 26 04 11",
        "https://www.centresocialecho.fr",
    ),
    (
        "virolois",
        "La Maison pour tous du Virolois",
        "132 rue des Piats",
        "59200",
        "Tourcoing",
        "03 20 01 45 67",
        "https://www.lamaison-tourcoing.fr",
    ),
];

/// One demo account per role, all in the first centre (the admin is federation-wide).
pub const ACCOUNTS: [(&str, &str, Option<Role>); 7] = [
    ("admin@demo.csc.test", "Alice Admin (fédération)", None),
    (
        "referent@demo.csc.test",
        "Rachid Référent",
        Some(Role::Referent),
    ),
    (
        "accueil@demo.csc.test",
        "Amandine Accueil",
        Some(Role::Accueil),
    ),
    (
        "animateur@demo.csc.test",
        "Anthony Animateur",
        Some(Role::Animateur),
    ),
    (
        "habitant@demo.csc.test",
        "Hélène Habitante",
        Some(Role::Habitant),
    ),
    (
        "contributeur@demo.csc.test",
        "Camille",
        Some(Role::Contributeur),
    ),
    (
        "accompagnateur@demo.csc.test",
        "Agnès Accompagnatrice",
        Some(Role::Accompagnateur),
    ),
];

/// What the demo did, for the terminal.
pub struct DemoReport {
    pub centres_created: usize,
    /// (e-mail, role, Some(password) when created now, None when it already existed)
    pub accounts: Vec<(String, String, Option<String>)>,
    /// What each app made worth visiting: (what, address relative to the suite).
    pub addresses: Vec<(String, String)>,
}

/// Creates what is missing, with each app's demo data; running it again changes nothing.
pub fn load(conn: &mut DbConn, modules: &[AppModule]) -> Result<DemoReport, AppError> {
    let mut created = 0;
    let mut first_centre = None;
    for (slug, name, address, postcode, city, phone, website) in CENTRES {
        let id = match centres::by_slug(conn, slug) {
            Ok(c) => c.id,
            Err(AppError::NotFound) => {
                let form = CentreForm {
                    name: name.into(),
                    slug: slug.into(),
                    address: address.into(),
                    postcode: postcode.into(),
                    city: city.into(),
                    phone: phone.into(),
                    email: String::new(),
                    website: website.into(),
                };
                let data = form
                    .parse()
                    .map_err(|e| AppError::internal(format!("demo centre {slug}: {e:?}")))?;
                let centre = centres::create(conn, &data)?
                    .map_err(|e| AppError::internal(format!("demo centre {slug}: {e:?}")))?;
                created += 1;
                centre.id
            }
            Err(e) => return Err(e),
        };
        first_centre.get_or_insert(id);
    }
    let centre_id = first_centre.ok_or_else(|| AppError::internal("no demo centre"))?;
    let mut accounts = Vec::new();
    for (email, name, role) in ACCOUNTS {
        let email = Email::parse(email).map_err(AppError::internal)?;
        let label = role
            .map_or("Administrateur·rice (fédération)", |r| r.label())
            .to_string();
        let password = match users::by_email(conn, &email)? {
            Some(_) => None,
            None => {
                let pw = Alphanumeric.sample_string(&mut rand::rng(), 14);
                let hash = password::hash(&pw)?;
                let user = users::create(conn, &email, name, Some(&hash), role.is_none())?;
                if let Some(r) = role {
                    users::grant(conn, user.id, centre_id, r)?;
                }
                Some(pw)
            }
        };
        accounts.push((email.to_string(), label, password));
    }
    let mut addresses = Vec::new();
    for m in modules {
        if let Some(demo) = m.demo {
            addresses.extend(demo(conn, centre_id)?);
        }
    }
    Ok(DemoReport {
        centres_created: created,
        accounts,
        addresses,
    })
}
