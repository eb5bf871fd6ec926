//! OCR of a scanned PDF with the command-line tools `pdftoppm` (poppler-utils) and
//! `tesseract`, when the server has them.
//!
//! The pages are rendered to PNG in a temporary folder, then read one by one. Each child
//! process's output goes to a file (so a full pipe cannot stall it) and the process is
//! killed when the time limit passes.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::text::normalize_whitespace;
use super::ExtractError;

/// At most this many pages are read: a résumé longer than that is not a résumé.
pub const OCR_PAGE_LIMIT: u32 = 20;

/// The resolution pages are rendered at: enough for Tesseract on 10 pt text.
const RENDER_DPI: &str = "200";

/// How often a running child process is checked on.
const POLL: Duration = Duration::from_millis(20);

/// How long a tool's error may be in [`ExtractError::Ocr`]'s detail.
const DETAIL_LEN: usize = 160;

/// Whether both OCR tools, `pdftoppm` and `tesseract`, are on the `PATH`.
pub fn ocr_available() -> bool {
    std::env::var_os("PATH").is_some_and(|path| tools_in(&path))
}

/// Whether both OCR tools are in one of the folders of the `PATH`-style list `path`.
fn tools_in(path: &OsStr) -> bool {
    in_path(path, "pdftoppm") && in_path(path, "tesseract")
}

/// Whether an executable file named `program` is in one of `path`'s folders.
fn in_path(path: &OsStr, program: &str) -> bool {
    std::env::split_paths(path).any(|folder| is_executable(&folder.join(program)))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// Reads a scanned PDF with OCR: its first [`OCR_PAGE_LIMIT`] pages are rendered at
/// 200 dpi and read by Tesseract. Returns the text and how many pages were read.
///
/// Without the tools this is [`ExtractError::NoOcr`]; past `time_limit` the running tool
/// is killed and this is [`ExtractError::TimedOut`].
pub fn ocr_pdf(bytes: &[u8], time_limit: Duration) -> Result<(String, i32), ExtractError> {
    if !ocr_available() {
        return Err(ExtractError::NoOcr);
    }
    let deadline = Deadline {
        at: Instant::now() + time_limit,
        limit: time_limit,
    };
    let folder = tempfile::tempdir().map_err(io_error)?;
    let pdf = folder.path().join("resume.pdf");
    fs::write(&pdf, bytes).map_err(io_error)?;
    let images = render_pages(folder.path(), &pdf, deadline)?;
    let mut pages = Vec::with_capacity(images.len());
    for image in &images {
        pages.push(read_page(folder.path(), image, deadline)?);
    }
    let text = normalize_whitespace(&pages.join("\n\n"));
    if text.is_empty() {
        return Err(ExtractError::Ocr(
            "no text was recognised on any page".into(),
        ));
    }
    Ok((text, i32::try_from(images.len()).unwrap_or(i32::MAX)))
}

/// When the time for OCR runs out, and how long it was (for the error).
#[derive(Clone, Copy)]
struct Deadline {
    at: Instant,
    limit: Duration,
}

/// Renders the PDF's first pages to `page-N.png` files in `folder`, in page order.
fn render_pages(
    folder: &Path,
    pdf: &Path,
    deadline: Deadline,
) -> Result<Vec<PathBuf>, ExtractError> {
    let mut command = Command::new("pdftoppm");
    command
        .args(["-r", RENDER_DPI, "-png", "-l", &OCR_PAGE_LIMIT.to_string()])
        .arg(pdf)
        .arg(folder.join("page"));
    run(command, folder, "pdftoppm", deadline)?;
    let mut images: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(io_error)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "png"))
        .collect();
    // pdftoppm pads the page numbers to one width, so the names sort in page order.
    images.sort();
    if images.is_empty() {
        return Err(ExtractError::Ocr(
            "the PDF's pages could not be rendered".into(),
        ));
    }
    Ok(images)
}

/// Reads one page image with Tesseract (on one thread, to leave the server's cores to it).
fn read_page(folder: &Path, image: &Path, deadline: Deadline) -> Result<String, ExtractError> {
    let mut command = Command::new("tesseract");
    command
        .arg(image)
        .arg("stdout")
        .env("OMP_THREAD_LIMIT", "1");
    let output = run(command, folder, "tesseract", deadline)?;
    Ok(String::from_utf8_lossy(&output).into_owned())
}

/// Runs `command` with its output in files under `folder`, killing it at the deadline;
/// returns what it wrote to stdout.
fn run(
    mut command: Command,
    folder: &Path,
    tool: &str,
    deadline: Deadline,
) -> Result<Vec<u8>, ExtractError> {
    let stdout_path = folder.join(format!("{tool}.out"));
    let stderr_path = folder.join(format!("{tool}.err"));
    let mut child = command
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).map_err(io_error)?)
        .stderr(File::create(&stderr_path).map_err(io_error)?)
        .spawn()
        .map_err(|error| ExtractError::Ocr(format!("{tool} could not be started: {error}")))?;
    let status = wait_until(&mut child, deadline)?;
    if !status.success() {
        let stderr = fs::read(&stderr_path).unwrap_or_default();
        let detail: String = String::from_utf8_lossy(&stderr)
            .trim()
            .chars()
            .take(DETAIL_LEN)
            .collect();
        return Err(ExtractError::Ocr(format!(
            "{tool} failed ({status}): {detail}"
        )));
    }
    fs::read(&stdout_path).map_err(io_error)
}

/// Waits for `child` to exit, or kills it (and reaps it) when the deadline passes.
fn wait_until(
    child: &mut Child,
    deadline: Deadline,
) -> Result<std::process::ExitStatus, ExtractError> {
    loop {
        if let Some(status) = child.try_wait().map_err(io_error)? {
            return Ok(status);
        }
        if Instant::now() >= deadline.at {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ExtractError::TimedOut(deadline.limit));
        }
        thread::sleep(POLL);
    }
}

/// A failure of the temporary folder or of waiting on a tool.
fn io_error(error: std::io::Error) -> ExtractError {
    ExtractError::Ocr(format!("a temporary file could not be used: {error}"))
}

#[cfg(test)]
mod tests {
    use super::super::super::sample::{self, SampleResume};
    use super::*;

    #[test]
    fn tools_are_found_only_in_the_path_folders() {
        let path = std::env::var_os("PATH").unwrap();
        assert!(in_path(&path, "sh"));
        assert!(!in_path(&path, "surely-no-such-tool-here"));
        assert!(!tools_in(OsStr::new("")));
        assert!(!tools_in(OsStr::new("/nonexistent-folder")));
        assert_eq!(ocr_available(), tools_in(&path));
    }

    #[test]
    fn without_the_tools_ocr_says_it_is_not_installed() {
        if ocr_available() {
            return;
        }
        assert_eq!(
            ocr_pdf(&sample::scanned_pdf(), Duration::from_secs(5)),
            Err(ExtractError::NoOcr)
        );
    }

    /// A scan of a sample résumé: its first page rendered by pdftoppm at 150 dpi as a
    /// grey image, wrapped in a PDF with no text layer.
    fn scanned_resume(resume: &SampleResume) -> Vec<u8> {
        let folder = tempfile::tempdir().unwrap();
        let pdf = folder.path().join("text.pdf");
        fs::write(&pdf, resume.pdf()).unwrap();
        let status = Command::new("pdftoppm")
            .args(["-r", "150", "-gray", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(folder.path().join("scan"))
            .status()
            .unwrap();
        assert!(status.success());
        let pgm = fs::read(folder.path().join("scan.pgm")).unwrap();
        let (width, height, pixels) = parse_pgm(&pgm);
        sample::image_pdf(width, height, pixels)
    }

    /// A binary PGM's width, height and pixels (pdftoppm writes `P5\nW H\n255\n`).
    fn parse_pgm(pgm: &[u8]) -> (u32, u32, &[u8]) {
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            let end = at + pgm[at..].iter().position(u8::is_ascii_whitespace).unwrap();
            if end > at {
                fields.push(std::str::from_utf8(&pgm[at..end]).unwrap());
            }
            at = end + 1;
        }
        assert_eq!(fields[0], "P5");
        (
            fields[1].parse().unwrap(),
            fields[2].parse().unwrap(),
            &pgm[at..],
        )
    }

    #[test]
    fn ocr_reads_a_scanned_resume() {
        if !ocr_available() {
            return;
        }
        let resume = SampleResume::from_seed(4);
        let scan = scanned_resume(&resume);
        assert_eq!(super::super::pdf_text(&scan), Err(ExtractError::Scanned));
        let (text, pages) = ocr_pdf(&scan, Duration::from_secs(60)).unwrap();
        assert_eq!(pages, 1);
        // Tesseract sometimes puts a space after the `@`.
        assert!(text.replace(' ', "").contains(&resume.email), "{text}");
        assert!(text.contains(&resume.name), "{text}");
        assert!(text.contains(&resume.jobs[0].employer), "{text}");
    }

    #[test]
    fn ocr_past_its_time_limit_is_stopped() {
        if !ocr_available() {
            return;
        }
        let scan = scanned_resume(&SampleResume::from_seed(4));
        assert_eq!(
            ocr_pdf(&scan, Duration::from_millis(1)),
            Err(ExtractError::TimedOut(Duration::from_millis(1)))
        );
    }
}
