//! The candidate's test page entry: it hydrates the test island and nothing else, so the
//! candidate downloads only the test (`scripts/build.sh` builds it beside the staff
//! pages' bundle, and `app::candidate_test::bundle` points the test page at it).

// The island lives in `app` and exports itself to JavaScript; linking the crate is what
// puts it in the bundle, since nothing here calls it by name.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
