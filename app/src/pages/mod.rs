//! The top layer: pages that combine several domains. Each domain's own pages stay in
//! its folder; a page that shows what several of them hold comes here, so that no
//! domain imports another for its views. Nothing in `app` imports this module but the
//! routes (`lib.rs`).

pub mod application;
pub mod board;
pub mod candidate;
pub mod interview_kit;
pub mod session_review;
