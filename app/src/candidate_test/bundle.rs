//! The test page's own WASM bundle (`frontend/test-page`): only the test island, so a
//! candidate downloads nothing the staff pages need. `scripts/build.sh` builds it with
//! hashed names and writes the name to `<site>/pkg/are-test.txt`; the document shell
//! loads it instead of the staff pages' bundle on `/test/` pages.

use std::path::Path;
use std::sync::OnceLock;

use leptos::config::LeptosOptions;

/// The file naming the bundle, in the site's package folder.
pub const NAME_FILE: &str = "are-test.txt";

/// Whether the page at `path` is a candidate's test page.
pub fn is_test_page(path: &str) -> bool {
    path.starts_with("/test/")
}

/// The options that make `HydrationScripts` load the test page's bundle; `None` (and an
/// error in the log, once) when the build did not make one.
pub fn hydration_options(options: &LeptosOptions) -> Option<LeptosOptions> {
    static NAME: OnceLock<Option<String>> = OnceLock::new();
    let name = NAME.get_or_init(|| {
        let file = Path::new(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join(NAME_FILE);
        match std::fs::read_to_string(&file) {
            Ok(name) => Some(name.trim().to_string()),
            Err(error) => {
                tracing::error!(file = %file.display(), %error,
                    "no test page bundle: test pages load the staff bundle, where the test does not run (build with scripts/build.sh)");
                None
            }
        }
    });
    let mut options = options.clone();
    options.output_name = name.as_deref()?.into();
    // The name already carries its hash.
    options.hash_files = false;
    Some(options)
}

#[cfg(test)]
mod tests {
    use super::is_test_page;

    #[test]
    fn only_token_links_are_test_pages() {
        assert!(is_test_page("/test/abc"));
        assert!(!is_test_page("/tests"));
        assert!(!is_test_page("/assessments/1"));
    }
}
