//! A confirmation carried across a form's post/redirect/get: the server function redirects
//! to its page with the sentence and its signature in the query (`notice`, `notice_sig`),
//! and the page shows it in a status region that takes the focus, so that whoever used the
//! keyboard or a screen reader learns what happened where they are. Only sentences this
//! server signed for that page, within `ErrorSeal::LIFETIME_SECS`, are shown: a crafted
//! link's text never is.

use leptos::prelude::*;

/// What a notice's signature covers besides its text: the page, apart from any server
/// function's path (an error's signature covers that).
#[cfg(feature = "ssr")]
fn signed_for(page: &str) -> String {
    format!("notice:{page}")
}

/// Redirects to the page at `page` (a path without a query), which shows `text` as its
/// notice.
#[cfg(feature = "ssr")]
pub fn redirect_with_notice(page: &str, text: &str) {
    match use_context::<crate::ui::form::ErrorSeal>() {
        Some(seal) => leptos_axum::redirect(&notice_location(&seal, page, text)),
        None => leptos_axum::redirect(page),
    }
}

/// The URL of the page at `page` showing `text` as its notice, signed with `seal` (for a
/// plain route's redirect).
#[cfg(feature = "ssr")]
pub fn notice_location(seal: &crate::ui::form::ErrorSeal, page: &str, text: &str) -> String {
    use crate::ui::query::encode_query_value;
    use base64::Engine;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let signature = seal.sign(&signed_for(page), &encoded, chrono::Utc::now().timestamp());
    format!(
        "{page}?notice={}&notice_sig={}",
        encode_query_value(&encoded),
        encode_query_value(&signature)
    )
}

/// The query names a notice travels in.
pub const QUERY_KEYS: [&str; 2] = ["notice", "notice_sig"];

/// A location's query (`?a=1&notice=…`) without its notice, when it carries one: a page
/// shown again after another form's answer (a reload, an error) must not repeat it.
pub fn query_without_notice(search: &str) -> Option<String> {
    let pairs: Vec<&str> = search.trim_start_matches('?').split('&').collect();
    let is_notice = |pair: &&str| QUERY_KEYS.contains(&pair.split('=').next().unwrap_or(""));
    if !pairs.iter().any(is_notice) {
        return None;
    }
    let kept: Vec<&str> = pairs
        .into_iter()
        .filter(|pair| !pair.is_empty() && !is_notice(pair))
        .collect();
    Some(if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    })
}

/// The notice the server signed for the page at `page`, when the URL carries one. Pages
/// call it while the server renders them; in the browser, which holds no key, it is `None`.
pub fn notice_from_query(page: &str) -> Option<String> {
    use leptos_router::hooks::use_query_map;
    let query = use_query_map();
    query.with_untracked(|q| verified(page, &q.get("notice")?, &q.get("notice_sig")?))
}

#[cfg(feature = "ssr")]
fn verified(page: &str, encoded: &str, signature: &str) -> Option<String> {
    use base64::Engine;
    let seal = use_context::<crate::ui::form::ErrorSeal>()?;
    let now = chrono::Utc::now().timestamp();
    if !seal.verify(&signed_for(page), encoded, signature, now) {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(encoded)
        .ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(not(feature = "ssr"))]
fn verified(_page: &str, _encoded: &str, _signature: &str) -> Option<String> {
    None
}

/// The notice, when there is one: a status region that takes the focus as the page loads
/// (`autofocus`, so without JavaScript too).
#[component]
pub fn Notice(text: Option<String>) -> impl IntoView {
    text.map(|text| {
        view! { <p class="notice" role="status" tabindex="-1" autofocus=true>{text}</p> }
    })
}

#[cfg(test)]
mod query_tests {
    use super::query_without_notice;

    #[test]
    fn a_notice_leaves_the_query_and_the_rest_stays() {
        assert_eq!(query_without_notice("?stage=2"), None);
        assert_eq!(query_without_notice(""), None);
        assert_eq!(
            query_without_notice("?notice=QQ&notice_sig=x").as_deref(),
            Some("")
        );
        assert_eq!(
            query_without_notice("?tag=a&notice=QQ&notice_sig=x&page=2").as_deref(),
            Some("?tag=a&page=2")
        );
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::signed_for;
    use crate::ui::form::ErrorSeal;

    #[test]
    fn a_notice_signed_for_one_page_does_not_verify_for_another_or_as_an_error() {
        let seal = ErrorSeal::new(b"k");
        let signature = seal.sign(&signed_for("/candidates/1"), "QWRkZWQ", 100);
        assert!(seal.verify(&signed_for("/candidates/1"), "QWRkZWQ", &signature, 100));
        assert!(!seal.verify(&signed_for("/candidates/2"), "QWRkZWQ", &signature, 100));
        assert!(!seal.verify("/candidates/1", "QWRkZWQ", &signature, 100));
    }
}
