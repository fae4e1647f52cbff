use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Folio: a self-hosted story site.
#[derive(Parser)]
#[command(name = "folio", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Exit 0 when the running Folio (at the configured address and port)
    /// is ready to serve, 1 otherwise: for container health checks.
    Healthcheck,
    /// Copy the database, consistently, while Folio keeps serving.
    Backup {
        /// The file to write; it must not exist yet.
        path: std::path::PathBuf,
    },
    /// Move this site's SQLite database into an empty PostgreSQL database
    /// (then set DATABASE_URL to it). Checks every table's rows and every
    /// story's read count before keeping anything; safe to stop and rerun.
    MigrateData {
        /// The PostgreSQL database, such as postgres://folio@db/folio.
        #[arg(long)]
        to: String,
    },
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin. The password is asked for at a prompt, or read from
    /// standard input when that is not a terminal.
    Create { username: String },
    /// Make an existing user an admin.
    Promote { username: String },
    /// Print a one-time password-reset link for a user who cannot log in
    /// (valid for `reset_link_hours`; earlier links for the user end).
    ResetLink { username: String },
}

#[rocket::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => folio::serve().await.map(|()| String::new()),
        Command::Healthcheck => folio::ops::healthcheck::check(&folio::figment()),
        Command::Backup { path } => folio::ops::backup::run(folio::figment(), &path).await,
        Command::MigrateData { to } => folio::ops::migrate_data::run(folio::figment(), &to).await,
        Command::Admin { command } => match command {
            AdminCommand::Create { username } => folio::admin::cli::create(&username).await,
            AdminCommand::Promote { username } => folio::admin::cli::promote(&username).await,
            AdminCommand::ResetLink { username } => folio::admin::cli::reset_link(&username).await,
        },
    };
    match outcome {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
