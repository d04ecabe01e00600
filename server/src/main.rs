//! `moim-server`: starts the portal, creates the first admin, loads data.

use clap::{Parser, Subcommand};
use moim_server::{AppState, Config, Db, app, auth, db, seed};
use std::{net::SocketAddr, time::Duration};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "moim-server",
    args_conflicts_with_subcommands = true,
    about = "Moim: the self-service portal of Korea's industrial-complex innovation clusters"
)]
struct Cli {
    /// Database URL: sqlite://path (embedded, the default) or postgres://…
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/moim.db",
        global = true
    )]
    database_url: String,
    /// Directory for mail files (without SMTP) and, by default, uploaded files.
    #[arg(long, env = "MOIM_DATA_DIR", default_value = "data", global = true)]
    data_dir: std::path::PathBuf,
    /// Where uploaded files live: s3://bucket[/prefix] for an S3-compatible
    /// object store shared by every instance (endpoint and credentials from
    /// AWS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
    /// AWS_ALLOW_HTTP), or file:///directory. Default: <data-dir>/attachments.
    #[arg(long, env = "MOIM_FILES", global = true)]
    files: Option<String>,
    /// Log lines as text or as JSON objects (one per line, with the request's id).
    #[arg(
        long,
        env = "MOIM_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// What `serve` reads; also read at the top level, so `moim-server --listen …`
/// without a subcommand serves (clap's `args_conflicts_with_subcommands`: the
/// flags go either before no subcommand or after `serve`, never both).
#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "MOIM_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Load the sample portal (regions, complexes, consortia, fictional members).
    #[arg(long)]
    demo: bool,
    /// Mark the session cookie Secure (serve over TLS).
    #[arg(long, env = "MOIM_COOKIE_SECURE")]
    cookie_secure: bool,
    /// Trust X-Forwarded-For / X-Forwarded-Proto from a load balancer.
    #[arg(long, env = "MOIM_TRUST_PROXY")]
    trust_proxy: bool,
    /// How many proxies in front append to X-Forwarded-For (the client's
    /// address is that many entries from the right).
    #[arg(long, env = "MOIM_PROXY_HOPS", default_value_t = 1)]
    proxy_hops: usize,
    /// The portal's public address, for links in email, calendars and QR codes.
    #[arg(long, env = "MOIM_PUBLIC_URL")]
    public_url: Option<String>,
    /// Serve the app built into this directory (by `.ci/build-app`) instead of
    /// the one built into the binary.
    #[arg(long, env = "MOIM_SITE_DIR")]
    site_dir: Option<std::path::PathBuf>,
    /// SMTP server as a URL: smtps://user:pass@host:465, or
    /// smtp://user:pass@host:587?tls=required for STARTTLS. Without it, mail is
    /// written as .eml files under <data-dir>/mail.
    #[arg(long, env = "MOIM_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of Moim's mail.
    #[arg(
        long,
        env = "MOIM_MAIL_FROM",
        default_value = "모임 Moim <no-reply@moim.example>"
    )]
    mail_from: String,
    /// Seconds between the mail worker's rounds.
    #[arg(long, env = "MOIM_MAIL_EVERY", default_value_t = 10)]
    mail_every: u64,
    /// Serve Prometheus metrics at /metrics to a scraper sending
    /// `Authorization: Bearer <token>` (without it there is no /metrics).
    #[arg(long, env = "MOIM_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Let agency admins and CMs use their powers without a second factor
    /// (by default they add an authenticator app first). For trials only.
    #[arg(long, env = "MOIM_STAFF_WITHOUT_SECOND_FACTOR")]
    staff_without_second_factor: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default: `moim-server` alone takes the same flags).
    Serve(ServeArgs),
    /// Create an agency admin account (or make an existing account admin).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Read from MOIM_ADMIN_PASSWORD so it stays out of shell history.
        #[arg(long, env = "MOIM_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Copy every uploaded file from a directory into the configured storage
    /// (--files), reading each back to check it. Run again after an
    /// interruption: files already there are checked, not copied. Nothing is
    /// removed from the directory.
    MoveFiles {
        /// The directory the files were kept in until now.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Back up while the portal serves: a consistent copy of a SQLite database
    /// (for PostgreSQL use pg_dump, see the README) and every file its rows
    /// name, into a new directory.
    Backup {
        /// A directory that does not exist yet (or is empty).
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Restore a backup into a database that does not exist yet (SQLite; for
    /// PostgreSQL run pg_restore first) and an empty file storage.
    Restore {
        /// The backup's directory.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Load the benchmark dataset (300 consortia, 20,000 member firms by default).
    SeedBench {
        #[arg(long, default_value_t = 300)]
        consortia: usize,
        #[arg(long, default_value_t = 20_000)]
        members: usize,
    },
    /// Load expert profiles and problems for the matching and search benchmarks
    /// (after seed-bench).
    SeedBenchProblems {
        #[arg(long, default_value_t = 20_000)]
        experts: usize,
        #[arg(long, default_value_t = 200_000)]
        problems: usize,
    },
    /// Load networking activities and registrations for the cockpit benchmark
    /// (after seed-bench).
    SeedBenchActivities {
        #[arg(long, default_value_t = 50_000)]
        activities: usize,
        #[arg(long, default_value_t = 500_000)]
        registrations: usize,
    },
    /// Load firms' figures, industry averages and answered yearly surveys for
    /// the headline and survey export benchmarks (after seed-bench).
    SeedBenchResults {
        #[arg(long, default_value_t = 10)]
        years: i32,
        #[arg(long, default_value_t = 5)]
        surveys: usize,
    },
    /// Load a call in its evaluation for the ranking benchmark (after
    /// seed-bench): submitted applications, evaluators, their scores on five
    /// criteria and some decisions.
    SeedBenchCalls {
        #[arg(long, default_value_t = 500)]
        applications: usize,
        #[arg(long, default_value_t = 20)]
        evaluators: usize,
    },
    /// Load ideas and 공감 votes for the feed benchmark (after seed-bench).
    SeedBenchIdeas {
        #[arg(long, default_value_t = 100_000)]
        ideas: usize,
        #[arg(long, default_value_t = 1_000_000)]
        votes: usize,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    match cli.log_format {
        LogFormat::Text => tracing_subscriber::fmt().with_env_filter(filter).init(),
        LogFormat::Json => tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init(),
    }
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let files = moim_server::files::Storage::from_url(cli.files.as_deref(), &cli.data_dir)?;
    // A restore comes before anything opens (and so creates) the database.
    if let Some(Command::Restore { from }) = &cli.command {
        let db = moim_server::backup::restore(from, &cli.database_url, &files)
            .await
            .map_err(|e| e.to_string())?;
        db.migrate().await?;
        tracing::info!(
            "restored {} into {} ({} database, integrity ok) and {}",
            from.display(),
            cli.database_url.split('@').next_back().unwrap_or_default(),
            db.backend(),
            files.describe
        );
        db.close().await;
        return Ok(());
    }
    let db = Db::connect(&cli.database_url).await?;
    db.migrate().await?;
    db::reference::seed(&db).await?;
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(ServeArgs {
            listen,
            demo,
            cookie_secure,
            trust_proxy,
            proxy_hops,
            public_url,
            site_dir,
            smtp_url,
            mail_from,
            mail_every,
            metrics_token,
            staff_without_second_factor,
        }) => {
            if demo {
                seed::demo(&db).await?;
                tracing::info!(
                    "sample portal loaded: sign in as admin@moim.example, cm.changwon@moim.example or kim.minsu@hanbit.example with password {}",
                    seed::DEMO_PASSWORD
                );
            }
            let listen_url = format!("http://{listen}");
            if public_url.is_none() && (listen.ip().is_loopback() || listen.ip().is_unspecified()) {
                tracing::warn!(
                    "no --public-url: links in mail, calendars and QR codes name {listen_url}, which other devices cannot open; set MOIM_PUBLIC_URL to the portal's address"
                );
            }
            // Links in calendars and QR codes name the public address, or the
            // listen address: never a request's `Host`, which its sender writes.
            let config = Config {
                cookie_secure,
                trust_proxy,
                proxy_hops,
                data_dir: cli.data_dir.clone(),
                public_url: Some(public_url.clone().unwrap_or_else(|| listen_url.clone())),
                site_dir,
                staff_second_factor: !staff_without_second_factor,
                metrics_token: metrics_token.filter(|t| !t.is_empty()),
                ..Config::default()
            };
            let mailer = moim_server::mail::Mailer::new(
                smtp_url.as_deref(),
                &mail_from,
                public_url.as_deref().unwrap_or(&listen_url),
                &cli.data_dir,
            )?;
            tracing::info!(
                "mail: {}",
                match &mailer.transport {
                    moim_server::mail::Transport::Smtp(_) => "SMTP".to_owned(),
                    moim_server::mail::Transport::Files(d) => format!("files in {}", d.display()),
                }
            );
            // SIGTERM or Ctrl-C: no new connections, requests in flight and the
            // mail round under way finish (for up to SHUTDOWN_GRACE), exit 0.
            let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                stop_signal().await;
                tracing::info!("stopping: finishing the requests in flight");
                let _ = stop_tx.send(true);
            });
            let mail = tokio::spawn(moim_server::jobs::mail_rounds(
                db.clone(),
                std::sync::Arc::new(mailer),
                Duration::from_secs(mail_every.max(1)),
                stop_rx.clone(),
            ));
            tracing::info!("files: {}", files.describe);
            // Records past their retention and stored files no row names go, hourly.
            tokio::spawn(moim_server::jobs::hourly(
                db.clone(),
                files.clone(),
                config.retention(),
            ));
            let listener = tokio::net::TcpListener::bind(listen).await?;
            tracing::info!(
                "Moim on http://{} ({} database)",
                listener.local_addr()?,
                db.backend()
            );
            let mut stopping = stop_rx.clone();
            let serve = axum::serve(
                listener,
                app(AppState::new(db.clone(), files, config))
                    .into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stopping.wait_for(|s| *s).await;
            });
            let mut grace = stop_rx.clone();
            tokio::select! {
                served = std::future::IntoFuture::into_future(serve) => served?,
                () = async move {
                    let _ = grace.wait_for(|s| *s).await;
                    tokio::time::sleep(SHUTDOWN_GRACE).await;
                } => tracing::warn!("stopping: requests still in flight after {SHUTDOWN_GRACE:?} are cut off"),
            }
            if tokio::time::timeout(SHUTDOWN_GRACE, mail).await.is_err() {
                tracing::warn!(
                    "stopping: the mail round under way is cut off (its leases expire by themselves)"
                );
            }
            db.close().await;
            tracing::info!("stopped");
        }
        Command::Restore { .. } => {}
        Command::Backup { to } => {
            let started = std::time::Instant::now();
            let manifest = moim_server::backup::backup(&db, &files, &to)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!(
                "backed up into {} in {:.1} s: {} files{}",
                to.display(),
                started.elapsed().as_secs_f64(),
                manifest.files,
                if manifest.backend == "sqlite" {
                    " and the database (moim.db)".to_owned()
                } else {
                    "; copy the PostgreSQL database with pg_dump --format=custom (see the README)"
                        .to_owned()
                }
            );
            for key in &manifest.missing {
                tracing::warn!("named by a row but gone from the storage: {key}");
            }
        }
        Command::MoveFiles { from } => {
            if !from.is_dir() {
                return Err(format!("--from {}: no such directory", from.display()).into());
            }
            let source = moim_server::files::Storage::local(&from)?;
            if source.describe == files.describe {
                return Err(format!(
                    "--from names the storage the files are in already ({}); set --files to the new one",
                    files.describe
                )
                .into());
            }
            tracing::info!(
                "copying files from {} to {}",
                source.describe,
                files.describe
            );
            let moved = moim_server::files::copy_all(&db, &source, &files).await?;
            tracing::info!(
                "copied and checked {}, already there and checked {}, missing {}, failed {}",
                moved.copied,
                moved.present,
                moved.missing.len(),
                moved.failed.len()
            );
            for key in &moved.missing {
                tracing::warn!("missing from both: {key}");
            }
            for key in &moved.failed {
                tracing::error!("read back different: {key}");
            }
            if !moved.failed.is_empty() {
                return Err("some files did not copy whole; run again".into());
            }
        }
        Command::CreateAdmin {
            email,
            name,
            password,
        } => {
            let email = moim_core::validate::normalize_email(&email);
            let mut errors = moim_core::FieldErrors::default();
            errors.email("email", &email);
            moim_core::account::check_password(&mut errors, "password", &password, &email);
            errors.text("name", &name, 1, moim_core::validate::PERSON_NAME_MAX);
            if errors.is_empty()
                && let Some(hint) =
                    auth::weak_password(password.clone(), vec![email.clone(), name.clone()])
                        .await
                        .map_err(|e| e.to_string())?
            {
                errors.add(
                    "password",
                    moim_core::ErrorCode::WeakPassword {
                        hint: hint.code().to_owned(),
                    },
                );
            }
            if !errors.is_empty() {
                return Err(format!("refused: {errors:?}").into());
            }
            let id = match db::users::find_by_email(&db, &email).await? {
                Some(u) => moim_core::UserId(u.id),
                None => {
                    let hash = auth::hash_password(password)
                        .await
                        .map_err(|e| e.to_string())?;
                    let agency = moim_core::account::NewOrganisation {
                        kind: moim_core::account::OrgKind::Agency,
                        name: "한국산업단지공단".into(),
                        business_no: None,
                        complex_id: None,
                        headcount: None,
                        industry: None,
                    };
                    let user = db::users::NewUser {
                        email: &email,
                        password_hash: &hash,
                        name: &name,
                        department: None,
                        is_expert: false,
                        role: moim_core::account::Role::Admin,
                        is_sample: false,
                        verified: true,
                        // Asked at their first visit, as everyone is.
                        consented: false,
                    };
                    db::users::insert(
                        &db,
                        &user,
                        db::users::OrgTarget::New(&agency),
                        chrono::Utc::now(),
                    )
                    .await?
                    .0
                }
            };
            db::users::set_admin(&db, id).await?;
            let mut tx = db.begin().await?;
            db::audit::record(
                &mut tx,
                None,
                moim_core::consortium::AuditAction::AdminCreated,
                db::audit::Subject {
                    user: Some(id),
                    ..Default::default()
                },
                chrono::Utc::now(),
            )
            .await?;
            tx.commit().await?;
            println!("admin ready: {email}");
        }
        Command::SeedBench { consortia, members } => {
            seed::bench::members(&db, consortia, members)
                .await
                .map_err(|e| e.to_string())?;
            println!("benchmark data loaded: {consortia} consortia, {members} member firms");
        }
        Command::SeedBenchProblems { experts, problems } => {
            seed::bench::problems(&db, experts, problems)
                .await
                .map_err(|e| e.to_string())?;
            println!("benchmark data loaded: {experts} experts, {problems} problems");
        }
        Command::SeedBenchActivities {
            activities,
            registrations,
        } => {
            seed::bench::activities(&db, activities, registrations)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "benchmark data loaded: {activities} activities, {registrations} registrations"
            );
        }
        Command::SeedBenchResults { years, surveys } => {
            seed::bench::results(&db, years.clamp(2, 30), surveys.min(20))
                .await
                .map_err(|e| e.to_string())?;
            println!("benchmark data loaded: {years} years of figures, {surveys} answered surveys");
        }
        Command::SeedBenchCalls {
            applications,
            evaluators,
        } => {
            let (applications, evaluators) =
                (applications.clamp(3, 5_000), evaluators.clamp(1, 100));
            let (call, evaluator) = seed::bench::calls(&db, applications, evaluators)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "benchmark data loaded: call {call} with {applications} applications, {evaluators} evaluators"
            );
            println!("evaluator: {evaluator}");
        }
        Command::SeedBenchIdeas { ideas, votes } => {
            seed::bench::ideas(&db, ideas, votes)
                .await
                .map_err(|e| e.to_string())?;
            println!("benchmark data loaded: {ideas} ideas, {votes} votes");
        }
    }
    db.close().await;
    Ok(())
}

/// How long stopping waits for requests in flight, and then for the mail round.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// Resolves on SIGTERM (what a service manager or container runtime sends) or
/// Ctrl-C.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
