use are::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    are::init_logging(&config);
    are::run(config).await
}
