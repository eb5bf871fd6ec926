use std::process::ExitCode;

use are::cli::{Cli, Command, OrgCommand, UserCommand};
use are::config::Config;
use clap::Parser;

/// The page renderer allocates and frees many small strings per request on every worker
/// thread; mimalloc does that with less time and lock contention than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `are` (or `are serve`) serves; `are --help` lists the other commands (`src/cli.rs`).
/// A usage error exits with clap's code 2, a failure with 1 and one line on stderr.
fn main() -> ExitCode {
    let command = Cli::parse().into_command();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(anyhow::Error::new(error).context("cannot start the runtime")),
    };
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn fail(error: anyhow::Error) -> ExitCode {
    eprintln!("are: {error:#}");
    ExitCode::FAILURE
}

async fn run(command: Command) -> anyhow::Result<()> {
    let config = Config::from_env()?;
    are::init_logging(&config, !matches!(command, Command::Serve));
    match command {
        Command::Serve => are::run(config).await,
        Command::Migrate => are::migrate(&config).await,
        Command::Org(OrgCommand::Create(args)) => are::org_create(&config, &args).await,
        Command::User(UserCommand::ResetPassword(args)) => {
            are::user_reset_password(&config, &args).await
        }
        Command::Generate(sizes) => are::generate_benchmark_data(&config, sizes).await,
        Command::GenerateInvites(options) => are::generate_invites(&config, options).await,
        Command::BenchExtraction(options) => are::bench_documents::bench_extraction(&options).await,
        Command::SampleResume(options) => are::bench_documents::sample_resume(&options),
    }
}
