//! Demo data of `csc demo`: a shared library of about thirty sheets written by the teams of the
//! demo centres, across ages and themes, a few of them rated and one adapted.

use csc_auth::centres;
use csc_core::AppError;
use csc_db::DbConn;
use diesel::prelude::*;

use crate::schema::animconnect_sheets as s;
use crate::sheets::{
    self, Author, Material, Notes, Place, SheetData, SheetKind, Step, Theme, Visibility,
};

/// title, summary, kind, theme, ages, group, minutes, place, rainy day, tags, materials
/// (« quantité|unité|article » separated by `;`), steps (« moment|quoi|qui » separated by `;`).
type Row = (
    &'static str,
    &'static str,
    SheetKind,
    Theme,
    (i32, i32),
    (i32, i32),
    i32,
    Place,
    bool,
    &'static str,
    &'static str,
    &'static str,
);

const SHEETS: &[Row] = &[
    ("Le relais des déménageurs", "Course de relais où chaque équipe transporte des objets fragiles sans les faire tomber.", SheetKind::Sport, Theme::Cooperation, (6, 11), (8, 24), 45, Place::Outside, false, "relais, équipe, coopération", "4|seaux|seaux;20||balles de tennis;8||plots", "5 min|Former 4 équipes et expliquer la règle|Animateur;30 min|Relais : chaque enfant porte un objet jusqu'au seau de son équipe|Tous;10 min|Compter les objets et discuter de l'entraide|Animateur"),
    ("Pâte à sel des petits", "Modeler des personnages en pâte à sel et les faire sécher pour la semaine suivante.", SheetKind::Crafts, Theme::Creativity, (3, 5), (4, 10), 40, Place::Inside, true, "modelage, motricité fine", "1|kg|farine;500|g|sel fin;1|l|eau tiède;10||plateaux", "10 min|Préparer la pâte ensemble|Animatrice;25 min|Modeler librement|Enfants;5 min|Poser les œuvres à sécher avec le prénom|Tous"),
    ("Chasse aux feuilles d'automne", "Ramasser des feuilles au parc, les classer par forme et couleur, puis faire un herbier collectif.", SheetKind::Nature, Theme::Environment, (4, 10), (6, 16), 90, Place::Outside, false, "automne, herbier, parc", "16||sacs en papier;2||grands cahiers;1|rouleau|ruban adhésif", "20 min|Trajet et consignes de sécurité|Animateur;40 min|Cueillette par binômes|Enfants;30 min|Classement et collage|Tous"),
    ("Les crêpes de la Chandeleur", "Préparer une pâte à crêpes, peser, mesurer, puis partager le goûter.", SheetKind::Cooking, Theme::Health, (6, 12), (6, 12), 90, Place::Inside, true, "cuisine, goûter, mesures", "500|g|farine;1|l|lait;4||œufs;2||poêles;12||assiettes", "15 min|Lavage des mains, règles de la cuisine|Animatrice;30 min|Peser et mélanger par équipes|Enfants;30 min|Cuisson par l'adulte, garniture par les enfants|Animatrice;15 min|Goûter et vaisselle|Tous"),
    ("Théâtre d'ombres", "Fabriquer des silhouettes en carton et jouer une courte histoire derrière un drap éclairé.", SheetKind::Expression, Theme::Culture, (6, 11), (6, 15), 120, Place::Inside, true, "théâtre, ombres, conte", "1||drap blanc;1||lampe de chantier;20||baguettes;10|feuilles|carton noir", "30 min|Lire le conte et se répartir les personnages|Animateur;45 min|Découper les silhouettes|Enfants;30 min|Répétition et spectacle|Tous;15 min|Rangement|Tous"),
    ("Loup glacé géant", "Le loup touche, on se fige ; un camarade libère en passant sous les jambes.", SheetKind::Game, Theme::Body, (5, 10), (10, 30), 30, Place::Either, false, "jeu de poursuite, défoulement", "4||chasubles;8||plots", "5 min|Délimiter le terrain, désigner les loups|Animateur;20 min|Parties de 3 minutes, on change de loups|Tous;5 min|Retour au calme|Animateur"),
    ("Mon premier code", "Programmer un camarade « robot » avec des flèches sur une grille au sol.", SheetKind::Digital, Theme::Science, (6, 10), (6, 16), 60, Place::Inside, true, "programmation débranchée, logique", "1||quadrillage au sol;40||cartes flèches;4||gommettes objectif", "10 min|Démonstration avec un adulte robot|Animateur;40 min|Par trois : un programmeur, un robot, un vérificateur|Enfants;10 min|Défi final collectif|Tous"),
    ("Grand jeu : les pirates de la Deûle", "Jeu de piste par équipes sur tout le centre : énigmes, épreuves et trésor final.", SheetKind::BigGame, Theme::Cooperation, (7, 12), (16, 40), 150, Place::Either, false, "grand jeu, énigmes, piste", "6||coffres;30||énigmes imprimées;6||cartes au trésor;1|sac|pièces en chocolat", "20 min|Mise en scène d'arrivée des pirates|Deux animateurs;100 min|Épreuves par équipe, 6 ateliers tournants|Un animateur par atelier;30 min|Ouverture du trésor et partage|Tous"),
    ("Éveil musical : les bruits du corps", "Découvrir les sons que fait notre corps, taper, frotter, souffler, et créer une petite musique.", SheetKind::Awakening, Theme::Body, (2, 4), (4, 8), 30, Place::Inside, true, "éveil, musique, tout-petits", "8||coussins;1||tambourin", "5 min|Comptine d'accueil|Animatrice;20 min|Jeux de sons, imitation|Enfants;5 min|Berceuse de retour au calme|Animatrice"),
    ("Fresque des droits de l'enfant", "Chaque enfant illustre un droit ; on assemble une grande fresque pour le hall.", SheetKind::Crafts, Theme::Citizenship, (7, 12), (8, 20), 120, Place::Inside, true, "droits de l'enfant, citoyenneté, fresque", "1|rouleau|papier kraft;24||pots de peinture;20||pinceaux", "20 min|Discussion : c'est quoi un droit ?|Animateur;70 min|Dessin et peinture par droit choisi|Enfants;30 min|Assemblage et présentation|Tous"),
    ("Course d'orientation au parc", "Trouver des balises avec une carte simple du parc, par équipes de trois.", SheetKind::Sport, Theme::Body, (8, 14), (9, 30), 90, Place::Outside, false, "orientation, carte, parc", "12||balises;10||cartes du parc;10||crayons", "15 min|Lire une carte ensemble|Animateur;60 min|Recherche des balises|Enfants;15 min|Correction et bilan|Tous"),
    ("Hôtel à insectes", "Construire un abri pour insectes avec des matériaux récupérés.", SheetKind::Nature, Theme::Environment, (6, 12), (6, 12), 120, Place::Outside, false, "biodiversité, bricolage, récupération", "1||caisse en bois;30||tiges de bambou;2|sacs|pommes de pin;1|botte|paille", "20 min|Quels insectes aident le jardin ?|Animateur;80 min|Remplissage des cases par équipes|Enfants;20 min|Installation au jardin|Tous"),
    ("Qui est-ce géant", "Version grandeur nature du jeu : on devine l'animateur caché avec des questions oui / non.", SheetKind::Game, Theme::Cooperation, (5, 9), (8, 20), 30, Place::Inside, true, "questions, déduction", "20||photos plastifiées", "5 min|Règle et exemple|Animateur;25 min|Parties en deux équipes|Tous"),
    ("Smoothies de saison", "Découvrir les fruits de saison et préparer des smoothies sans sucre ajouté.", SheetKind::Cooking, Theme::Health, (4, 10), (6, 12), 60, Place::Inside, true, "fruits, goûter, santé", "2|kg|fruits de saison;1||blender;12||gobelets", "10 min|Reconnaître les fruits les yeux bandés|Animatrice;35 min|Éplucher, couper, mixer|Enfants;15 min|Dégustation et avis|Tous"),
    ("Danse des émotions", "Exprimer la joie, la colère, la peur avec le corps sur des musiques différentes.", SheetKind::Expression, Theme::Body, (4, 8), (6, 16), 40, Place::Inside, true, "émotions, danse", "1||enceinte;6||cartes émotions", "5 min|Échauffement|Animatrice;25 min|Danser l'émotion de la carte tirée|Enfants;10 min|Cercle de parole|Tous"),
    ("Balade des cinq sens", "Balade dans le quartier en notant ce qu'on entend, sent, voit, touche.", SheetKind::Outing, Theme::Culture, (5, 10), (6, 16), 90, Place::Outside, false, "quartier, sens, sortie", "16||carnets;16||crayons;1||trousse de secours", "10 min|Consignes et binômes|Animateur;60 min|Balade avec arrêts sens|Tous;20 min|Mise en commun au retour|Animateur"),
    ("Fabrique de marionnettes chaussettes", "Transformer de vieilles chaussettes en marionnettes et inventer un dialogue.", SheetKind::Crafts, Theme::Creativity, (5, 10), (4, 12), 75, Place::Inside, true, "récupération, marionnettes", "12||chaussettes;1|boîte|boutons;1||colle textile;1|lot|laine", "10 min|Présenter les matériaux|Animatrice;45 min|Fabrication|Enfants;20 min|Petits dialogues à deux|Enfants"),
    ("Tournoi de jeux coopératifs", "Des jeux où l'on gagne tous ensemble ou pas du tout.", SheetKind::Game, Theme::Cooperation, (6, 12), (8, 24), 60, Place::Either, true, "coopération, tournoi", "1||parachute;10||ballons de baudruche", "10 min|Le parachute|Tous;20 min|Ballons qui ne touchent pas le sol|Tous;30 min|Mission collective chronométrée|Tous"),
    ("Expériences de flottaison", "Ça coule ou ça flotte ? Prédire puis tester avec des objets du quotidien.", SheetKind::Nature, Theme::Science, (4, 8), (4, 12), 45, Place::Inside, true, "sciences, eau, hypothèses", "2||bassines;20||objets variés;1||tableau", "10 min|Faire deviner|Animateur;25 min|Tester et classer|Enfants;10 min|Conclusion dessinée|Enfants"),
    ("Initiation au mini-tennis", "Découvrir la raquette et la balle en mousse, jeux d'adresse et échanges.", SheetKind::Sport, Theme::Body, (6, 11), (6, 12), 60, Place::Either, false, "raquette, adresse", "12||raquettes;12||balles en mousse;1||filet bas", "10 min|Échauffement avec la balle|Animateur;40 min|Ateliers jongle, cible, échanges|Enfants;10 min|Petit match en double|Tous"),
    ("Journal du centre", "Rédiger des articles, interviewer, prendre des photos et mettre en page le journal des vacances.", SheetKind::Expression, Theme::Citizenship, (9, 14), (6, 12), 120, Place::Inside, true, "écriture, journal, médias", "2||appareils photo;12||carnets;1||ordinateur", "20 min|Conférence de rédaction|Animateur;70 min|Enquêtes et écriture|Jeunes;30 min|Mise en page|Animateur"),
    ("Parcours de motricité des petits", "Ramper, sauter, enjamber : un parcours à refaire en variant les consignes.", SheetKind::Awakening, Theme::Body, (2, 5), (4, 10), 40, Place::Inside, true, "motricité, tout-petits, parcours", "6||tapis;4||cerceaux;1||tunnel;6||plots", "10 min|Montrer le parcours|Animatrice;25 min|Passages successifs|Enfants;5 min|Relaxation|Animatrice"),
    ("Le potager en carré", "Semer radis et salades dans un carré potager et organiser l'arrosage de la semaine.", SheetKind::Nature, Theme::Environment, (5, 12), (6, 12), 60, Place::Outside, false, "jardin, semis, potager", "1||carré potager;4|sachets|graines;6||arrosoirs;1|sac|terreau", "10 min|Ce qui pousse en cette saison|Animateur;35 min|Préparer la terre et semer|Enfants;15 min|Tableau des arrosages|Tous"),
    ("Quiz des drapeaux du monde", "Reconnaître les drapeaux et découvrir un mot de chaque pays.", SheetKind::Game, Theme::Culture, (8, 13), (6, 24), 45, Place::Inside, true, "quiz, monde, langues", "40||cartes drapeaux;4||ardoises", "5 min|Former les équipes|Animateur;35 min|Manches du quiz|Tous;5 min|Palmarès|Animateur"),
    ("Cuisine du monde : les msemens", "Préparer des crêpes feuilletées marocaines avec une maman du quartier.", SheetKind::Cooking, Theme::Culture, (8, 14), (6, 10), 120, Place::Inside, true, "cuisine du monde, parents, partage", "1|kg|semoule fine;500|g|farine;1||plaque de cuisson", "20 min|Présentation de la recette par la maman invitée|Parent;70 min|Pâte, pliage, cuisson|Tous;30 min|Dégustation avec les familles|Tous"),
    ("Photo-langage : mon quartier", "À partir de photos du quartier, dire ce qu'on aime et ce qu'on changerait.", SheetKind::Expression, Theme::Citizenship, (10, 16), (6, 14), 60, Place::Inside, true, "quartier, parole, citoyenneté", "40||photos du quartier;1||tableau", "10 min|Choisir une photo|Jeunes;40 min|Tour de parole|Animateur;10 min|Trois propositions au conseil de quartier|Tous"),
    ("Sortie au musée d'histoire naturelle", "Visite du musée de Lille avec un livret-jeu à compléter par équipes.", SheetKind::Outing, Theme::Science, (6, 12), (8, 24), 180, Place::Inside, true, "musée, sortie, sciences", "24||livrets-jeux;1||trousse de secours;24||tickets de métro", "40 min|Trajet en métro|Tous;110 min|Visite et livret|Enfants;30 min|Pique-nique et retour|Tous"),
    ("Béret revisité", "Le jeu du béret avec des calculs : le numéro appelé est une opération.", SheetKind::Game, Theme::Body, (7, 11), (10, 24), 30, Place::Outside, false, "béret, calcul, vitesse", "1||foulard;2||plots", "5 min|Règle et numéros|Animateur;25 min|Parties|Tous"),
    ("Bricolage de mangeoires à oiseaux", "Fabriquer des mangeoires avec des briques de lait et les accrocher pour l'hiver.", SheetKind::Crafts, Theme::Environment, (6, 11), (6, 12), 60, Place::Inside, true, "oiseaux, hiver, récupération", "12||briques de lait;1|kg|graines;12||ficelles;2||paires de ciseaux", "10 min|Quels oiseaux en hiver ?|Animateur;40 min|Découpe et décoration|Enfants;10 min|Accrochage|Tous"),
    ("Relaxation et contes", "Un temps calme après le repas : respiration, puis un conte lu à voix basse.", SheetKind::Awakening, Theme::Health, (3, 7), (4, 16), 30, Place::Inside, true, "temps calme, conte, relaxation", "16||coussins;1||livre de contes", "5 min|S'installer et respirer|Animatrice;20 min|Conte|Animatrice;5 min|Réveil en douceur|Animatrice"),
];

fn materials(spec: &str) -> Vec<Material> {
    spec.split(';')
        .filter_map(|m| {
            let mut it = m.split('|');
            let quantity = it.next()?.parse().ok()?;
            let unit = it.next()?.to_string();
            let article = it.next()?.to_string();
            Some(Material {
                article,
                quantity,
                unit,
            })
        })
        .collect()
}

fn steps(spec: &str) -> Vec<Step> {
    spec.split(';')
        .filter_map(|st| {
            let mut it = st.split('|');
            Some(Step {
                timing: it.next()?.to_string(),
                what: it.next()?.to_string(),
                who: it.next()?.to_string(),
            })
        })
        .collect()
}

const AUTHORS: [&str; 6] = [
    "Yasmine B.",
    "Thomas D.",
    "Inès K.",
    "Julien M.",
    "Awa S.",
    "Kevin L.",
];

/// Creates the library once (nothing when sheets exist), then the demo centre's planning.
pub fn load(c: &mut DbConn, centre_id: i64) -> Result<Vec<(String, String)>, AppError> {
    let mut addresses = vec![(
        "Anim'Connect : la bibliothèque de fiches".to_string(),
        format!("{}/fiches", crate::MOUNT),
    )];
    library(c)?;
    if let Some(period) = planning_demo(c, centre_id)? {
        addresses.push((
            "Anim'Connect : le planning de la période, avec une alerte d'encadrement".to_string(),
            format!("{}/centre/{centre_id}/periodes/{period}", crate::MOUNT),
        ));
        addresses.push((
            "Anim'Connect : la couverture du projet pédagogique".to_string(),
            format!(
                "{}/centre/{centre_id}/periodes/{period}/couverture",
                crate::MOUNT
            ),
        ));
    }
    let slug = centres::get(c, centre_id)?.slug;
    addresses.push((
        "Anim'Connect : le programme pour les familles".to_string(),
        format!("{}/programme/{slug}", crate::MOUNT),
    ));
    Ok(addresses)
}

fn library(c: &mut DbConn) -> Result<(), AppError> {
    let existing: i64 = s::table.count().get_result(c)?;
    if existing > 0 {
        return Ok(());
    }
    let all = centres::list(c)?;
    if all.is_empty() {
        return Ok(());
    }
    for (i, row) in SHEETS.iter().enumerate() {
        let (title, summary, kind, theme, ages, group, duration, place, rainy, tags, mats, st) =
            *row;
        let centre = &all[i % all.len()];
        let author = Author {
            user_id: None,
            name: AUTHORS[i % AUTHORS.len()].to_string(),
            centre_id: centre.id,
        };
        let data = SheetData {
            title: title.into(),
            summary: summary.into(),
            kind,
            theme,
            ages,
            group,
            duration,
            setup: 10,
            tidy: 10,
            place,
            rainy_day: rainy,
            animators: if group.1 > 20 { 2 } else { 1 },
            notes: Notes {
                adaptations: "Prévoir un binôme pour un enfant qui a besoin d'être accompagné ; adapter le rythme et les distances.".into(),
                cancel_when: if place == Place::Outside { "Orage ou vent fort : passer au plan B en intérieur.".into() } else { String::new() },
                evaluation: "Les enfants ont-ils participé ? Qu'ont-ils dit en fin d'activité ?".into(),
                ..Notes::default()
            },
            tags: tags.split(',').map(|t| t.trim().to_string()).collect(),
            visibility: if i % 7 == 6 { Visibility::Centre } else { Visibility::Shared },
            materials: materials(mats),
            steps: steps(st),
            objectives: Vec::new(),
        };
        sheets::create(c, &author, &data, None)?;
    }
    Ok(())
}

/// The demo centre's team, pedagogical project and a period planned for its first two weeks,
/// on the first activity of its calendar (created when there is none). Once: nothing when the
/// centre has a period.
fn planning_demo(c: &mut DbConn, centre_id: i64) -> Result<Option<i64>, AppError> {
    use crate::planning::{self, NewPeriod, SessionData};
    use crate::project;
    use crate::staffing::Qualification;

    if let Some(p) = planning::periods(c, centre_id)?.first() {
        return Ok(Some(p.id));
    }
    let today = csc_core::time::today_paris();
    let activity = match csc_activities::of_centre(c, centre_id)?.first() {
        Some(a) => a.id,
        None => {
            let days: Vec<chrono::NaiveDate> = (1..=70)
                .map(|n| today + chrono::Duration::days(n))
                .filter(|d| chrono::Datelike::weekday(d) == chrono::Weekday::Wed)
                .collect();
            csc_activities::create(
                c,
                centre_id,
                &csc_activities::NewActivity {
                    title: "Mercredis récréatifs".into(),
                    kind: csc_activities::ActivityKind::Wednesdays,
                    description: String::new(),
                    groups: vec![
                        csc_activities::NewGroup {
                            label: "Maternelles".into(),
                            age_min: 3,
                            age_max: 5,
                            capacity: 12,
                        },
                        csc_activities::NewGroup {
                            label: "Élémentaires".into(),
                            age_min: 6,
                            age_max: 11,
                            capacity: 16,
                        },
                    ],
                    days,
                    hours: None,
                },
            )?
        }
    };
    let days: Vec<chrono::NaiveDate> = csc_activities::sessions(c, activity)?
        .into_iter()
        .map(|s| s.day)
        .collect();
    let (Some(first), Some(last)) = (days.first().copied(), days.last().copied()) else {
        return Ok(None);
    };
    let period = planning::create_period(
        c,
        centre_id,
        &NewPeriod {
            activity_id: activity,
            title: "Mercredis récréatifs".into(),
            first_day: first,
            last_day: last,
            slots: planning::default_slots(),
        },
    )?;
    planning::save_settings(
        c,
        centre_id,
        &planning::CentreSettings {
            pedt: false,
            project_summary: "Grandir ensemble : jouer, coopérer, découvrir le quartier et la nature. Chaque enfant choisit une partie de ses activités.".into(),
        },
    )?;
    // The team: the director, two qualified animators, a trainee, a newcomer without diploma.
    let direction = planning::add_member(
        c,
        centre_id,
        "Nadia Benali",
        Qualification::Qualified,
        true,
        None,
    )?;
    let lea = planning::add_member(
        c,
        centre_id,
        "Léa Martin",
        Qualification::Qualified,
        false,
        None,
    )?;
    let karim = planning::add_member(
        c,
        centre_id,
        "Karim Haddad",
        Qualification::Qualified,
        false,
        None,
    )?;
    let tom = planning::add_member(
        c,
        centre_id,
        "Tom Durand",
        Qualification::Trainee,
        false,
        None,
    )?;
    let ines = planning::add_member(
        c,
        centre_id,
        "Inès Lefebvre",
        Qualification::Unqualified,
        false,
        None,
    )?;
    let _ = direction;
    // The project.
    let vivre = project::add(c, centre_id, None, "Vivre ensemble")?.map_err(AppError::internal)?;
    let cooperer = project::add(c, centre_id, Some(vivre), "Apprendre à coopérer")?
        .map_err(AppError::internal)?;
    let equipe = project::add(
        c,
        centre_id,
        Some(cooperer),
        "Jouer en équipe chaque semaine",
    )?
    .map_err(AppError::internal)?;
    project::add(
        c,
        centre_id,
        Some(cooperer),
        "Régler un conflit par la parole",
    )?
    .map_err(AppError::internal)?;
    let nature =
        project::add(c, centre_id, None, "Découvrir la nature")?.map_err(AppError::internal)?;
    let dehors = project::add(
        c,
        centre_id,
        Some(nature),
        "Sortir dehors par tous les temps",
    )?
    .map_err(AppError::internal)?;
    let jardin = project::add(c, centre_id, Some(dehors), "Faire pousser un potager")?
        .map_err(AppError::internal)?;
    let groups = csc_activities::groups(c, activity)?;
    let slots = planning::slots(c, period)?;
    let sheet = |c: &mut DbConn, title: &str| -> Result<Option<i64>, AppError> {
        Ok(s::table
            .filter(s::title.eq(title))
            .select(s::id)
            .first::<i64>(c)
            .optional()?)
    };
    // The first two Wednesdays, morning and afternoon of each group.
    // (group, slot, sheet, leads, objectives)
    type Planned<'a> = (usize, usize, &'a str, &'a [i64], &'a [i64]);
    let plan: [Planned; 4] = [
        (0, 1, "Pâte à sel des petits", &[lea], &[]),
        (0, 4, "Parcours de motricité des petits", &[lea, tom], &[]),
        (1, 1, "Le relais des déménageurs", &[karim], &[equipe]),
        (1, 4, "Le potager en carré", &[ines], &[jardin]),
    ];
    for day in days.iter().take(2) {
        for (g, slot, title, leads, objectives) in plan {
            let (Some(group), Some(slot)) = (groups.get(g), slots.get(slot)) else {
                continue;
            };
            let data = SessionData {
                group_id: group.id,
                day: *day,
                slot_id: slot.id,
                sheet_id: sheet(c, title)?,
                place: if slot.position == 4 {
                    "Jardin du centre".into()
                } else {
                    "Salle d'activité".into()
                },
                leads: leads.to_vec(),
                objectives: objectives.to_vec(),
                ..SessionData::default()
            };
            // Leads never overlap in this plan.
            let p = planning::period(c, centre_id, period)?;
            let _ = planning::save_session(c, &p, &data)?;
        }
    }
    Ok(Some(period))
}
