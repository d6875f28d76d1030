//! Small formatting helpers shared by the renderers.

use time::OffsetDateTime;

/// `YYYY-MM-DD` (UTC) of a timestamp in ms since the epoch.
pub(crate) fn iso_date_of_ms(ms: i64) -> String {
    iso_datetime_of_ms(ms).0
}

/// (`YYYY-MM-DD`, `HH:MM`) (UTC) of a timestamp in ms since the epoch.
pub(crate) fn iso_datetime_of_ms(ms: i64) -> (String, String) {
    let t = OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    (
        format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        format!("{:02}:{:02}", t.hour(), t.minute()),
    )
}

/// A timestamp (ms since the epoch) as `YYYY-MM-DD` and `HH:MM` in this computer's local
/// time zone (UTC if the zone cannot be determined).
pub(crate) fn local_datetime_of_ms(ms: i64) -> (String, String) {
    use chrono::{Datelike, TimeZone, Timelike};
    match chrono::Local.timestamp_millis_opt(ms).single() {
        Some(t) => (
            format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day()),
            format!("{:02}:{:02}", t.hour(), t.minute()),
        ),
        None => iso_datetime_of_ms(ms),
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown: Markdown and HTML syntax characters get a backslash, and line
/// breaks become spaces in `inline` mode (for tables and list items).
pub(crate) fn md(s: &str, inline: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' if inline => out.push(' '),
            _ => out.push(c),
        }
    }
    if inline { out.trim().to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(md("a|b *c*\nd", true), r"a\|b \*c\* d");
        assert_eq!(md("<script>", false), r"\<script\>");
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date_of_ms(1_764_000_000_000), "2025-11-24");
        assert_eq!(iso_datetime_of_ms(1_764_000_000_000).1, "16:00", "UTC");
    }
}
