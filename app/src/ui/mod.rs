//! Shared UI: the page frame with navigation, the form island, fields, error views, the
//! notices that confirm a form's work, route and query parameters, and downloads.

/// "1 candidate", "3 candidates": a count with its noun in the right number.
pub fn counted(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub mod dom;
#[cfg(feature = "ssr")]
pub mod download;
pub mod errors;
pub mod fetch;
pub mod fields;
pub mod form;
pub mod layout;
pub mod load;
pub mod notice;
pub mod query;
pub mod route;
pub mod suggest;
pub mod time;

pub use errors::{error_view, NotFound};
pub use fields::{with_blank, CheckboxGroup, Field, SelectField, TextArea};
pub use form::ServerForm;
pub use layout::StaffPage;
pub use load::loaded;
pub use notice::Notice;
pub use query::UrlQuery;
pub use route::id_param;
