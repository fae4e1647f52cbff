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
}

#[rocket::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => match folio::serve().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("Folio could not start: {e}");
                ExitCode::FAILURE
            }
        },
    }
}
