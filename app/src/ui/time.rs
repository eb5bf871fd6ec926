//! How times are shown: UTC with an explicit zone, so nobody misreads an hour.

use chrono::{DateTime, Utc};

pub fn format_time(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A `<time>` with its machine-readable `datetime`, showing `format_time`.
#[leptos::component]
pub fn Time(at: DateTime<Utc>, #[prop(optional)] class: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let machine = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    view! { <time datetime=machine class=(!class.is_empty()).then_some(class)>{format_time(&at)}</time> }
}

pub fn format_optional(at: &Option<DateTime<Utc>>) -> String {
    at.as_ref().map_or_else(|| "—".to_string(), format_time)
}

/// Time zones: each user picks one (IANA name) and sees interview times in it. Server
/// only: pages get the times already written out.
#[cfg(feature = "ssr")]
mod zones {
    use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
    use chrono_tz::Tz;

    use crate::error::AppError;

    pub fn zone_names() -> Vec<String> {
        let mut names: Vec<String> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|zone| zone.name().to_string())
            .collect();
        names.sort();
        names
    }

    pub fn parse_zone(name: &str) -> Result<Tz, AppError> {
        name.trim().parse::<Tz>().map_err(|_| {
            AppError::invalid(format!(
                "“{}” is not a time zone we know. Choose one from the list, such as Europe/Paris.",
                name.trim()
            ))
        })
    }

    /// The user's zone; an unknown stored name falls back to UTC rather than failing a page.
    pub fn zone_or_utc(name: &str) -> Tz {
        name.parse().unwrap_or(Tz::UTC)
    }

    /// "Mon 23 Nov 2026, 10:00 CET".
    pub fn format_in_zone(at: &DateTime<Utc>, zone: Tz) -> String {
        at.with_timezone(&zone)
            .format("%a %-d %b %Y, %H:%M %Z")
            .to_string()
    }

    /// "Mon 23 Nov 2026, 10:00–11:00 CET" (the end's date when it is another day).
    pub fn format_span_in_zone(start: &DateTime<Utc>, end: &DateTime<Utc>, zone: Tz) -> String {
        let (start, end) = (start.with_timezone(&zone), end.with_timezone(&zone));
        let end_format = if start.date_naive() == end.date_naive() {
            "%H:%M %Z"
        } else {
            "%a %-d %b %Y, %H:%M %Z"
        };
        format!(
            "{}–{}",
            start.format("%a %-d %b %Y, %H:%M"),
            end.format(end_format)
        )
    }

    /// The value of a `datetime-local` input showing `at` in `zone`.
    pub fn local_input_value(at: &DateTime<Utc>, zone: Tz) -> String {
        at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string()
    }

    /// A `datetime-local` value read as a time in `zone`.
    pub fn parse_local(value: &str, zone: Tz) -> Result<DateTime<Utc>, AppError> {
        let value = value.trim();
        let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
            .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
            .map_err(|_| AppError::invalid("Give the start as a date and a time."))?;
        // At a clock change an hour happens twice (take the first) or not at all.
        zone.from_local_datetime(&naive)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
            .ok_or_else(|| {
                AppError::invalid(format!(
                    "{} does not exist in {} (the clocks move forward then); choose another time.",
                    naive.format("%Y-%m-%d %H:%M"),
                    zone.name()
                ))
            })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn local_times_are_read_and_shown_in_the_users_zone() {
            let paris = parse_zone("Europe/Paris").unwrap();
            let at = parse_local("2026-11-23T10:00", paris).unwrap();
            assert_eq!(at.to_rfc3339(), "2026-11-23T09:00:00+00:00");
            assert_eq!(format_in_zone(&at, paris), "Mon 23 Nov 2026, 10:00 CET");
            assert_eq!(local_input_value(&at, paris), "2026-11-23T10:00");
            let new_york = parse_zone("America/New_York").unwrap();
            assert_eq!(format_in_zone(&at, new_york), "Mon 23 Nov 2026, 04:00 EST");
            let end = at + chrono::Duration::minutes(60);
            assert_eq!(
                format_span_in_zone(&at, &end, paris),
                "Mon 23 Nov 2026, 10:00–11:00 CET"
            );
            // Summer time.
            let july = parse_local("2026-07-01T10:00", paris).unwrap();
            assert_eq!(july.to_rfc3339(), "2026-07-01T08:00:00+00:00");
        }

        #[test]
        fn clock_changes_and_bad_input_are_handled() {
            let paris = parse_zone("Europe/Paris").unwrap();
            // 29 March 2026 02:30 does not exist in Paris.
            assert!(parse_local("2026-03-29T02:30", paris).is_err());
            // 25 October 2026 02:30 happens twice: the first (summer time) is taken.
            let twice = parse_local("2026-10-25T02:30", paris).unwrap();
            assert_eq!(twice.to_rfc3339(), "2026-10-25T00:30:00+00:00");
            assert!(parse_local("tomorrow", paris).is_err());
            assert!(parse_zone("Mars/Olympus").is_err());
            assert_eq!(zone_or_utc("nonsense"), chrono_tz::Tz::UTC);
            assert!(zone_names().iter().any(|name| name == "Europe/Paris"));
        }
    }
}

#[cfg(feature = "ssr")]
pub use zones::*;
