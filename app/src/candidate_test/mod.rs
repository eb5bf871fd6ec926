//! The candidate's timed test (seed TestSession, Answer): the token link's page, consent,
//! a deadline the server fixes at the start, answers saved as they change (each with a
//! sequence number, so an older save never overwrites a newer one), submission, and the
//! background job that closes sessions whose deadline has passed.

#[cfg(feature = "ssr")]
pub mod scoring;
