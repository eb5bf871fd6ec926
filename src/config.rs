//! Configuration from environment variables, with defaults for a developer's machine.
//! The README lists every variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use app::auth::throttle::ThrottlePolicy;
use app::files::store::{S3Config, StoreConfig};
use app::state::{MailSettings, Settings};

use crate::metrics::MetricsToken;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub listen_addr: SocketAddr,
    pub site_root: PathBuf,
    pub log_filter: String,
    pub log_json: bool,
    pub job_workers: usize,
    /// The most connections this process opens to PostgreSQL.
    pub db_connections: u32,
    /// Take the client address from the rightmost `X-Forwarded-For` entry, the one the
    /// proxy in front of ARE appended (only behind one proxy you run).
    pub trust_proxy: bool,
    pub load_demo_data: bool,
    pub settings: Settings,
    pub throttle: ThrottlePolicy,
    /// Where stored files' bytes go.
    pub files: StoreConfig,
    /// A listener of its own serving `/metrics` to whoever reaches it.
    pub metrics_addr: Option<SocketAddr>,
    /// With it, the public listener serves `/metrics` to requests bearing it.
    pub metrics_token: Option<MetricsToken>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn flag(name: &str, default: bool) -> anyhow::Result<bool> {
    match var(name).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => bail!("{name} must be true or false, not “{other}”"),
    }
}

/// Two connections per core of this machine (the database is usually on it or on one
/// like it), at least four.
fn default_db_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
    (2 * cores).max(4)
}

/// The address the server listens on, so emailed links and the session cookie name the
/// same host the browser uses; `localhost` when it listens on every address.
fn default_public_url(listen_addr: SocketAddr) -> String {
    if listen_addr.ip().is_unspecified() {
        format!("http://localhost:{}", listen_addr.port())
    } else {
        format!("http://{listen_addr}")
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url = var("DATABASE_URL").context(
            "DATABASE_URL is not set: use the README's run command, which starts a local database",
        )?;
        let listen_addr: SocketAddr = var("ARE_LISTEN_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("ARE_LISTEN_ADDR must look like 127.0.0.1:3000")?;
        let public_url = var("ARE_PUBLIC_URL")
            .unwrap_or_else(|| default_public_url(listen_addr))
            .trim_end_matches('/')
            .to_string();
        if !public_url.starts_with("http://") && !public_url.starts_with("https://") {
            bail!("ARE_PUBLIC_URL must start with http:// or https://");
        }
        // Local development over plain HTTP cannot use Secure cookies; anything else must.
        let secure_cookies = flag("ARE_SECURE_COOKIES", public_url.starts_with("https://"))?;
        let job_workers = var("ARE_JOB_WORKERS")
            .map(|n| n.parse().context("ARE_JOB_WORKERS must be a number"))
            .transpose()?
            .unwrap_or(2);
        // PostgreSQL runs as many queries at once as it has cores; more connections only
        // share them out, so a long search stretches every short query next to it. With
        // about two per core the rest wait their turn in the pool, first come first served.
        // The job workers take theirs from the same pool: two are always left for pages.
        let db_connections = var("ARE_DB_CONNECTIONS")
            .map(|n| n.parse().context("ARE_DB_CONNECTIONS must be a number"))
            .transpose()?
            .unwrap_or_else(default_db_connections)
            .max(job_workers as u32 + 2);
        Ok(Self {
            database_url,
            db_connections,
            listen_addr,
            site_root: var("ARE_SITE_ROOT")
                .unwrap_or_else(|| "target/site".into())
                .into(),
            log_filter: var("RUST_LOG").unwrap_or_else(|| "info,are=info,app=info".into()),
            log_json: var("ARE_LOG_FORMAT").as_deref() == Some("json"),
            job_workers,
            trust_proxy: flag("ARE_TRUST_PROXY", false)?,
            load_demo_data: flag("ARE_DEMO_DATA", false)?,
            settings: Settings {
                public_url,
                secure_cookies,
                mail: MailSettings {
                    from: var("ARE_MAIL_FROM")
                        .unwrap_or_else(|| "ARE <no-reply@are.localhost>".into()),
                    smtp_url: var("ARE_SMTP_URL"),
                    dir: var("ARE_MAIL_DIR")
                        .unwrap_or_else(|| ".are/mail".into())
                        .into(),
                },
                signup_open: signup_from_env()?,
            },
            throttle: ThrottlePolicy::default(),
            files: files_from_env()?,
            metrics_addr: var("ARE_METRICS_ADDR")
                .map(|addr| {
                    addr.parse::<SocketAddr>()
                        .context("ARE_METRICS_ADDR must look like 127.0.0.1:9464")
                })
                .transpose()?,
            metrics_token: var("ARE_METRICS_TOKEN")
                .map(|token| {
                    MetricsToken::parse(&token)
                        .map_err(|problem| anyhow::anyhow!("ARE_METRICS_TOKEN {problem}"))
                })
                .transpose()?,
        })
    }

    /// Whether anything serves `/metrics`: else nothing is recorded either.
    pub fn metrics_exposed(&self) -> bool {
        self.metrics_addr.is_some() || self.metrics_token.is_some()
    }
}

/// `ARE_SIGNUP`: `open` lets anyone sign up a new organization; `closed` (the default)
/// leaves organizations to `are org create`.
fn signup_from_env() -> anyhow::Result<bool> {
    match var("ARE_SIGNUP").as_deref() {
        None | Some("closed") => Ok(false),
        Some("open") => Ok(true),
        Some(other) => bail!("ARE_SIGNUP must be open or closed, not “{other}”"),
    }
}

/// `ARE_S3_BUCKET` (with `ARE_S3_ENDPOINT`, `ARE_S3_REGION`, `ARE_S3_ACCESS_KEY_ID` and
/// `ARE_S3_SECRET_ACCESS_KEY`) for S3-compatible storage; otherwise the folder
/// `ARE_FILES_DIR` (default `.are/files`).
fn files_from_env() -> anyhow::Result<StoreConfig> {
    let Some(bucket) = var("ARE_S3_BUCKET") else {
        return Ok(StoreConfig::Local(
            var("ARE_FILES_DIR")
                .unwrap_or_else(|| ".are/files".into())
                .into(),
        ));
    };
    let required = |name: &str| {
        var(name).with_context(|| format!("ARE_S3_BUCKET is set, so {name} must be set too"))
    };
    Ok(StoreConfig::S3(S3Config {
        bucket,
        endpoint: var("ARE_S3_ENDPOINT"),
        region: var("ARE_S3_REGION").unwrap_or_else(|| "us-east-1".into()),
        access_key_id: required("ARE_S3_ACCESS_KEY_ID")?,
        secret_access_key: required("ARE_S3_SECRET_ACCESS_KEY")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::default_public_url;

    #[test]
    fn links_name_the_address_the_server_listens_on() {
        assert_eq!(
            default_public_url("127.0.0.1:3000".parse().unwrap()),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            default_public_url("[::1]:8080".parse().unwrap()),
            "http://[::1]:8080"
        );
        assert_eq!(
            default_public_url("0.0.0.0:3000".parse().unwrap()),
            "http://localhost:3000"
        );
    }
}
