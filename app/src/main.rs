//! `watchfloor`: the console, and its subcommands.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use tracing_subscriber::EnvFilter;
use watchfloor_app::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = init_logging(&cli.log_level) {
        // Logging is not up, so this one message goes to stderr directly.
        #[expect(clippy::print_stderr, reason = "logging failed to start")]
        {
            eprintln!("watchfloor: {e:#}");
        }
        return ExitCode::FAILURE;
    }
    match watchfloor_app::compose::run(&cli) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(filter: &str) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(filter)
        .with_context(|| format!("--log-level `{filter}` is not a valid level or filter"))?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    Ok(())
}
