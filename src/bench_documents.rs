//! `are bench-extraction` and `are sample-resume`: the documents benchmark's two tools.
//!
//! The first generates résumés of 1–3 pages (`app::documents::sample`, PDF and DOCX in
//! turn), reads each as the extraction job does (`documents::job::read_text`, then the
//! fields and the skill matcher), two at a time, and prints documents per minute with the
//! p50/p95/p99 per document; beside it, the machine's ceiling for the same work in the same
//! run: poppler's `pdftotext` and `unzip -p` of the DOCX's text, two at a time. The
//! second writes one generated résumé to stdout (the careers form's benchmark posts it).

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use app::documents::extract::Kind;
use app::documents::sample::SampleResume;
use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Args)]
pub struct ExtractionOptions {
    /// How many résumés to generate and read.
    #[arg(long, default_value_t = 1000)]
    pub count: u64,
    /// How many are read at a time.
    #[arg(long, default_value_t = 2)]
    pub concurrency: usize,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Pdf,
    Docx,
    Txt,
}

#[derive(Debug, Clone, Args)]
pub struct SampleOptions {
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value = "pdf")]
    pub format: Format,
    /// Pads a PDF with a comment (or a text with blank lines) to at least this many bytes.
    #[arg(long, default_value_t = 0)]
    pub min_bytes: usize,
}

/// Writes one résumé to stdout.
pub fn sample_resume(options: &SampleOptions) -> anyhow::Result<()> {
    let resume = SampleResume::from_seed(options.seed);
    let mut bytes = match options.format {
        Format::Pdf => resume.pdf(),
        Format::Docx => resume.docx(),
        Format::Txt => resume.text().into_bytes(),
    };
    if bytes.len() < options.min_bytes {
        match options.format {
            // A PDF reader skips a comment after the end of the file.
            Format::Pdf => {
                bytes.extend_from_slice(b"%");
                bytes.resize(options.min_bytes - 1, b'x');
                bytes.extend_from_slice(b"\n");
            }
            Format::Txt => bytes.resize(options.min_bytes, b'\n'),
            Format::Docx => anyhow::bail!("a DOCX cannot be padded"),
        }
    }
    std::io::stdout().write_all(&bytes)?;
    Ok(())
}

/// p50, p95, p99 of `durations` (sorted here).
fn percentiles(durations: &mut [Duration]) -> [Duration; 3] {
    durations.sort();
    let at = |p: f64| {
        let index = ((durations.len() as f64) * p).ceil() as usize;
        durations[index.clamp(1, durations.len()) - 1]
    };
    [at(0.50), at(0.95), at(0.99)]
}

fn report(label: &str, count: usize, elapsed: Duration, durations: &mut [Duration]) -> f64 {
    let per_minute = count as f64 / elapsed.as_secs_f64() * 60.0;
    let [p50, p95, p99] = percentiles(durations);
    println!(
        "{label:<44} {per_minute:>8.0} documents/min  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms",
        p50.as_secs_f64() * 1000.0,
        p95.as_secs_f64() * 1000.0,
        p99.as_secs_f64() * 1000.0,
    );
    per_minute
}

/// Runs `work` over every item, `concurrency` at a time; returns the wall time and each
/// item's duration.
async fn timed<T, F, Fut>(items: Vec<T>, concurrency: usize, work: F) -> (Duration, Vec<Duration>)
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let work = Arc::new(work);
    let started = Instant::now();
    let mut handles = Vec::with_capacity(items.len());
    for item in items {
        let permit = permits
            .clone()
            .acquire_owned()
            .await
            .expect("open semaphore");
        let work = work.clone();
        handles.push(tokio::spawn(async move {
            let began = Instant::now();
            work(item).await;
            drop(permit);
            began.elapsed()
        }));
    }
    let mut durations = Vec::with_capacity(handles.len());
    for handle in handles {
        durations.push(handle.await.expect("a benchmark task panicked"));
    }
    (started.elapsed(), durations)
}

pub async fn bench_extraction(options: &ExtractionOptions) -> anyhow::Result<()> {
    let skills: Vec<(uuid::Uuid, String, Vec<String>)> = crate::generate::SKILLS
        .iter()
        .map(|name| (uuid::Uuid::new_v4(), name.to_string(), Vec::new()))
        .collect();
    let documents: Vec<(Kind, Vec<u8>)> = (0..options.count)
        .map(|seed| {
            let resume = SampleResume::from_seed(seed);
            if seed % 2 == 0 {
                (Kind::Pdf, resume.pdf())
            } else {
                (Kind::Docx, resume.docx())
            }
        })
        .collect();
    let pages: usize = (0..options.count)
        .map(|seed| SampleResume::from_seed(seed).pages())
        .sum();
    println!(
        "{} résumés ({} pages; PDF and DOCX in turn), {} at a time",
        documents.len(),
        pages,
        options.concurrency
    );
    let dir = tempfile::tempdir().context("no temporary folder")?;
    for (n, (kind, bytes)) in documents.iter().enumerate() {
        let extension = if *kind == Kind::Pdf { "pdf" } else { "docx" };
        std::fs::write(dir.path().join(format!("{n}.{extension}")), bytes)?;
    }

    let skills = Arc::new(skills);
    let failures = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (elapsed, mut durations) = {
        let failures = failures.clone();
        timed(
            documents.clone(),
            options.concurrency,
            move |(kind, bytes)| {
                let skills = skills.clone();
                let failures = failures.clone();
                async move {
                    let tried = app::documents::job::read_text(kind, bytes).await;
                    match tried.into_iter().find_map(|t| t.result.ok()) {
                        Some(extracted) => {
                            let _ = app::documents::fields::parse(
                                &extracted.text,
                                chrono::Utc::now().date_naive(),
                            );
                            let terms: Vec<app::skills::matching::SkillTerms> = skills
                                .iter()
                                .map(|(id, name, aliases)| app::skills::matching::SkillTerms {
                                    id: *id,
                                    name,
                                    aliases,
                                })
                                .collect();
                            let _ = app::skills::matching::find(&extracted.text, &terms);
                        }
                        None => {
                            failures.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                }
            },
        )
        .await
    };
    let failed = failures.load(std::sync::atomic::Ordering::Relaxed);
    let app_rate = report(
        "ARE: text, fields and skills (job's path)",
        documents.len(),
        elapsed,
        &mut durations,
    );
    if failed > 0 {
        println!("  {failed} documents could not be read");
    }

    let have = |tool: &str| std::process::Command::new(tool).arg("-v").output().is_ok();
    if have("pdftotext") && have("unzip") {
        let paths: Vec<(Kind, std::path::PathBuf)> = documents
            .iter()
            .enumerate()
            .map(|(n, (kind, _))| {
                let extension = if *kind == Kind::Pdf { "pdf" } else { "docx" };
                (*kind, dir.path().join(format!("{n}.{extension}")))
            })
            .collect();
        let (elapsed, mut durations) =
            timed(paths, options.concurrency, |(kind, path)| async move {
                let mut command = if kind == Kind::Pdf {
                    let mut command = tokio::process::Command::new("pdftotext");
                    command.arg(&path).arg("-");
                    command
                } else {
                    let mut command = tokio::process::Command::new("unzip");
                    command.arg("-p").arg(&path).arg("word/document.xml");
                    command
                };
                let _ = command.output().await;
            })
            .await;
        let ceiling = report(
            "Ceiling: pdftotext / unzip -p (text only)",
            documents.len(),
            elapsed,
            &mut durations,
        );
        println!(
            "ARE reads {:.0}% of the ceiling's documents per minute.",
            100.0 * app_rate / ceiling
        );
    } else {
        println!("Ceiling not measured: pdftotext (poppler-utils) or unzip is missing.");
    }
    Ok(())
}
