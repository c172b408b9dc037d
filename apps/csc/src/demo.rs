//! Demo data: the eight centres that ran the prototypes, and one account per role.

use csc_auth::centres::{self, CentreForm};
use csc_auth::{password, users};
use csc_core::{AppError, Email, Role};
use csc_db::DbConn;
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
    /// The address of the first centre's demo kiosk (relative).
    pub kiosk: Option<String>,
}

/// Creates what is missing; running it again changes nothing.
pub fn load(conn: &mut DbConn) -> Result<DemoReport, AppError> {
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
    let kiosk = kiosque_demo(conn, centre_id)?;
    preinscription_demo(conn, centre_id)?;
    Ok(DemoReport {
        centres_created: created,
        accounts,
        kiosk,
    })
}

/// The first centre's kiosk, help directory and a workshop, when it has none.
fn kiosque_demo(conn: &mut DbConn, centre_id: i64) -> Result<Option<String>, AppError> {
    use csc_kiosque::{directory, kiosks, workshops};
    let mut list = kiosks::of_centre(conn, centre_id)?;
    if list.is_empty() {
        list.push(kiosks::create(
            conn,
            centre_id,
            "Borne de démonstration",
            120,
            30,
        )?);
    }
    if directory::of_centre(conn, centre_id)?.is_empty() {
        let place = directory::PlaceForm {
            name: "Espace France Services de démonstration".into(),
            kind: "france-services".into(),
            address: "1 place de la Mairie".into(),
            postcode: "59000".into(),
            city: "Lille".into(),
            phone: "03 20 00 00 00".into(),
            hours: "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h".into(),
            services: "Aide pour la CAF, les impôts, l'assurance maladie, la retraite, France Travail et l'ANTS, sans rendez-vous le matin".into(),
            accessibility: "Accès de plain-pied, boucle magnétique à l'accueil".into(),
            ..directory::PlaceForm::default()
        };
        let data = place
            .parse()
            .map_err(|e| AppError::internal(format!("demo help place: {e:?}")))?;
        directory::create(conn, centre_id, &data)?;
    }
    let now = csc_core::time::now();
    if workshops::all_since(conn, centre_id, now)?.is_empty() {
        let day = (now + chrono::Duration::days(14)).date();
        let form = workshops::WorkshopForm {
            title: "Créer et utiliser son adresse e-mail".into(),
            topic: "Messagerie".into(),
            level: "debutant".into(),
            date: day.format("%Y-%m-%d").to_string(),
            time: "14:00".into(),
            duration_minutes: "90".into(),
            place: "Salle informatique".into(),
            seats: "8".into(),
            description:
                "Pour débuter : créer une adresse, lire et envoyer un message, joindre un document."
                    .into(),
        };
        let data = form
            .parse(now)
            .map_err(|e| AppError::internal(format!("demo workshop: {e:?}")))?;
        workshops::create(conn, centre_id, &data)?;
    }
    Ok(list
        .iter()
        .find(|k| k.revoked_at.is_none())
        .map(|k| format!("/kiosque/borne/{}", k.token)))
}

/// The first centre's tariff grid and a term of Wednesdays open to pre-registration, when it
/// has none.
fn preinscription_demo(conn: &mut DbConn, centre_id: i64) -> Result<(), AppError> {
    use csc_preinscription::{activities, grids};
    if grids::of_centre(conn, centre_id)?.is_empty() {
        let form = grids::GridForm {
            name: "Accueil de loisirs (démonstration)".into(),
            spec: include_str!("../../preinscription/data/grille-demo.json").into(),
        };
        let (name, spec) = form
            .parse()
            .map_err(|e| AppError::internal(format!("demo grid: {e:?}")))?;
        grids::save(conn, centre_id, &name, &spec)?;
    }
    if activities::of_centre(conn, centre_id, false)?.is_empty() {
        let grid = grids::of_centre(conn, centre_id)?
            .first()
            .map(|g| g.id.to_string())
            .unwrap_or_default();
        let today = csc_core::time::today_paris();
        let field = |k: &str, v: String| (k.to_string(), v);
        let form = activities::ActivityForm(
            [
                field("title", "Mercredis récréatifs".into()),
                field("kind", "mercredis".into()),
                field(
                    "description",
                    "Jeux, sorties et ateliers, de 8 h 30 à 17 h 30 ; repas du midi fourni.".into(),
                ),
                field("grid_id", grid),
                field("unit_journee", "on".into()),
                field("unit_demi_journee_repas", "on".into()),
                field("unit_demi_journee", "on".into()),
                field(
                    "start",
                    (today + chrono::Duration::days(1))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                field(
                    "end",
                    (today + chrono::Duration::days(70))
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                field("wd_3", "on".into()),
                field("resident_postcodes", "59000".into()),
                field("g1_label", "Maternelles".into()),
                field("g1_age_min", "3".into()),
                field("g1_age_max", "5".into()),
                field("g1_capacity", "12".into()),
                field("g2_label", "Élémentaires".into()),
                field("g2_age_min", "6".into()),
                field("g2_age_max", "11".into()),
                field("g2_capacity", "16".into()),
            ]
            .into_iter()
            .collect(),
        );
        let ids: Vec<i64> = grids::of_centre(conn, centre_id)?
            .iter()
            .map(|g| g.id)
            .collect();
        let data = form
            .parse(&ids, today)
            .map_err(|e| AppError::internal(format!("demo activity: {e:?}")))?;
        activities::create(conn, centre_id, &data)?;
    }
    Ok(())
}
