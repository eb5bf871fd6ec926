use are::config::Config;

/// The page renderer allocates and frees many small strings per request on every worker
/// thread; mimalloc does that with less time and lock contention than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `are` serves; `are generate [--candidates N --requisitions N --applications N]` fills
/// the database with the benchmark organization instead; `are generate-invites --invites N
/// --out FILE` makes the test-taking benchmark's invites.
#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    are::init_logging(&config);
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None => are::run(config).await,
        Some("generate") => {
            let sizes = are::generate::Sizes::parse(&args[1..])?;
            are::generate_benchmark_data(&config, sizes).await
        }
        Some("generate-invites") => {
            let options = are::generate_invites::Options::parse(&args[1..])?;
            are::generate_invites(&config, options).await
        }
        Some(other) => anyhow::bail!(
            "unknown command {other:?}: run `are`, `are generate` or `are generate-invites`"
        ),
    }
}
