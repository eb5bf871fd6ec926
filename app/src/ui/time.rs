//! How times are shown: UTC with an explicit zone, so nobody misreads an hour.

use chrono::{DateTime, Utc};

pub fn format_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn format_optional(at: &Option<DateTime<Utc>>) -> String {
    at.as_ref().map_or_else(|| "—".to_string(), format_time)
}
