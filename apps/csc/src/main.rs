//! `csc`: run the suite and its admin commands.

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use csc_core::{Email, Settings};
use csc_server::Application;

/// mimalloc rather than the system allocator: a busy server allocates and frees many small
/// buffers across threads (templates, statistics events), which glibc's malloc handles poorly.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "csc",
    version,
    about = "Centres Sociaux Connectés : la suite de services des centres sociaux"
)]
struct Cli {
    /// Configuration file (default: csc.toml in the current folder, if present).
    #[arg(long, global = true, env = "CSC_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve every service (migrates the database first).
    Serve {
        /// Load the demo data before serving.
        #[arg(long)]
        demo: bool,
        /// Serve only these apps, comma-separated (`kiosque,preinscription`; empty: the shared
        /// pages only); every app when absent. Sign-in, administration, statistics and the home
        /// page are always served.
        #[arg(long, env = "CSC_APPS")]
        apps: Option<String>,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo data (idempotent): the eight centres and one account per role.
    Demo,
    /// Kiosque: the e-administration portal's maintenance.
    Kiosque {
        #[command(subcommand)]
        command: KiosqueCommand,
    },
    /// Glossaire : import d'un lexique.
    Glossaire {
        #[command(subcommand)]
        command: GlossaireCommand,
    },
    /// Prix d'une unité selon une grille tarifaire, avec son explication.
    Tarif(csc::tarif::TarifArgs),
    /// Quotient familial calculé comme la CAF, avec ses parts et son calcul.
    Qf(csc::tarif::QfArgs),
    /// Encadrement requis d'un accueil de loisirs un jour donné, et conformité d'une équipe.
    Encadrement(csc::encadrement::EncadrementArgs),
    /// Boussole des parents : l'annuaire des lieux de soutien à la parentalité.
    Boussole {
        #[command(subcommand)]
        command: BoussoleCommand,
    },
    /// Ouvert ou fermé à un moment donné selon des horaires OpenStreetMap, et le prochain changement.
    Horaires(csc::horaires::HorairesArgs),
    /// Check : import des présences passées et rapports mensuels.
    Check {
        #[command(subcommand)]
        command: csc_check::cli::CheckCommand,
    },
    /// Create a federation administrator. The password is read from standard input, or generated.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum BoussoleCommand {
    /// Importe (ou met à jour, par leur id) des lieux depuis un fichier CSV de structures data·inclusion.
    Import {
        /// Le fichier CSV (séparateur virgule ou point-virgule, en-tête data·inclusion).
        fichier: PathBuf,
    },
}

#[derive(Subcommand)]
enum KiosqueCommand {
    /// Check every address of the catalogue and of the centres' links now (also done daily).
    CheckLinks {
        /// Seconds allowed to each site.
        #[arg(long, default_value_t = 15)]
        timeout: u64,
    },
}

#[derive(Subcommand)]
enum GlossaireCommand {
    /// Importe un fichier CSV (lexique;terme;alias;classe;definition;exemple;categorie) : les mots
    /// sont publiés tout de suite ; au moindre problème, rien n'est importé.
    Import {
        /// Le fichier CSV, en UTF-8, séparé par des points-virgules.
        fichier: PathBuf,
        /// Vérifier seulement, sans rien enregistrer.
        #[arg(long, alias = "dry-run")]
        essai: bool,
    },
}

#[actix_web::main]
async fn main() {
    csc_server::init_tracing();
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("Erreur : {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // Pure computations: no configuration or database, so they work on any machine.
    match &cli.command {
        Command::Tarif(args) => {
            print!("{}", csc::tarif::tarif(args)?);
            return Ok(());
        }
        Command::Qf(args) => {
            print!("{}", csc::tarif::qf(args)?);
            return Ok(());
        }
        Command::Encadrement(args) => {
            print!("{}", csc::encadrement::encadrement(args)?);
            return Ok(());
        }
        Command::Horaires(args) => {
            print!("{}", csc::horaires::horaires(args)?);
            return Ok(());
        }
        _ => {}
    }
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Serve { demo, apps } => {
            if let Some(list) = apps {
                settings.apps = Some(
                    list.split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
            if demo {
                load_demo(&settings).await?;
            }
            let app = Application::build(settings.clone(), &csc::modules()).await?;
            println!(
                "Centres Sociaux Connectés est prêt : {}",
                settings.base_url()
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            csc_server::open_database(&settings).await?;
            println!("Base de données à jour.");
        }
        Command::Demo => load_demo(&settings).await?,
        Command::Check { command } => {
            let db = csc_server::open_database(&settings).await?;
            let printed = csc_check::cli::run(&db, command).await?;
            print!("{}", printed.stdout);
            if printed.code != 0 {
                std::process::exit(printed.code);
            }
        }
        Command::Kiosque {
            command: KiosqueCommand::CheckLinks { timeout },
        } => check_links(&settings, timeout).await?,
        Command::Boussole {
            command: BoussoleCommand::Import { fichier },
        } => print!("{}", csc::boussole::import(&settings, &fichier).await?),
        Command::Glossaire {
            command: GlossaireCommand::Import { fichier, essai },
        } => println!(
            "{}",
            csc::glossaire::import(&settings, &fichier, essai).await?
        ),
        Command::CreateAdmin {
            email,
            name,
            password_stdin,
        } => create_admin(&settings, &email, &name, password_stdin).await?,
        Command::Tarif(_) | Command::Qf(_) | Command::Encadrement(_) | Command::Horaires(_) => {}
    }
    Ok(())
}

async fn load_demo(settings: &Settings) -> anyhow::Result<()> {
    let db = csc_server::open_database(settings).await?;
    let report = db
        .write(|c| csc::demo::load(c, &csc::modules()))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "Données de démonstration : {} centre(s) créé(s).",
        report.centres_created
    );
    println!("Comptes de démonstration (les mots de passe ne sont affichés qu'une fois) :");
    for (email, role, password) in report.accounts {
        match password {
            Some(pw) => println!("  {email:<32} {pw:<16} {role}"),
            None => println!("  {email:<32} {:<16} {role}", "(déjà créé)"),
        }
    }
    for (what, path) in report.addresses {
        println!("{what} : {}{path}", settings.base_url());
    }
    Ok(())
}

/// `csc kiosque check-links`: prints the broken addresses; exit status 0 even when some are
/// broken (they are reported to admins and referents), 1 when the check could not run.
async fn check_links(settings: &Settings, timeout: u64) -> anyhow::Result<()> {
    let db = csc_server::open_database(settings).await?;
    db.run(|c| csc_kiosque::catalogue::seed(c).map_err(csc_core::AppError::Internal))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let summary =
        csc_kiosque::links::check_all(&db, std::time::Duration::from_secs(timeout.max(1))).await?;
    let broken = db
        .run(|c| Ok(csc_kiosque::links::broken(c, None)?))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    for b in &broken {
        println!("EN ERREUR  {}  {}  ({})", b.title, b.url, b.detail);
    }
    println!(
        "{} adresse(s) vérifiée(s), {} en erreur.",
        summary.checked, summary.broken
    );
    Ok(())
}

async fn create_admin(
    settings: &Settings,
    email: &str,
    name: &str,
    from_stdin: bool,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!(e))?;
    let (password, generated) = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        csc_auth::password::check_new(&pw, &pw).map_err(|e| anyhow::anyhow!(e))?;
        (pw, false)
    } else {
        use rand::distr::{Alphanumeric, SampleString};
        (Alphanumeric.sample_string(&mut rand::rng(), 16), true)
    };
    let hash = csc_auth::password::hash(&password)?;
    let db = csc_server::open_database(settings).await?;
    let name = name.trim().to_string();
    anyhow::ensure!(!name.is_empty(), "indiquez un nom avec --name");
    let shown = email.to_string();
    db.run(move |c| csc_auth::users::create(c, &email, &name, Some(&hash), true))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Administrateur créé : {shown}");
    if generated {
        println!("Mot de passe (affiché une seule fois) : {password}");
    }
    Ok(())
}
