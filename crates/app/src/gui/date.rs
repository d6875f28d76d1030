//! Dates as people type and read them: `dd-mm-jjjj` on screen, `YYYY-MM-DD` in the document.

use super::i18n::I18n;

/// Reads a date typed as `dd-mm-jjjj`, `d-m-jjjj` (also with `/` or `.`) or `YYYY-MM-DD`;
/// returns it as `YYYY-MM-DD`, or `None` if it is not a real calendar date.
pub fn parse_input(s: &str) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['-', '/', '.']).map(str::trim).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (y, m, d) = if parts[0].len() == 4 {
        (parts[0], parts[1], parts[2])
    } else if parts[2].len() == 4 {
        (parts[2], parts[1], parts[0])
    } else {
        return None;
    };
    let (y, m, d): (i32, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

/// Shows a stored `YYYY-MM-DD` date as `dd-mm-jjjj` (anything else unchanged).
pub fn display(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    if parts.len() == 3 && parts[0].len() == 4 {
        format!("{}-{}-{}", parts[2], parts[1], parts[0])
    } else {
        iso.to_owned()
    }
}

/// "just now", "5 minutes ago", "yesterday", or a date, for a moment `secs` (Unix seconds)
/// seen at `now` (Unix seconds).
pub fn relative(tr: &I18n, secs: i64, now: i64) -> String {
    let ago = (now - secs).max(0);
    if ago < 60 {
        tr.t("time.just_now")
    } else if ago < 3600 {
        tr.f("time.minutes_ago", &[("n", &(ago / 60))])
    } else if ago < 86_400 {
        tr.f("time.hours_ago", &[("n", &(ago / 3600))])
    } else if ago < 2 * 86_400 {
        tr.t("time.yesterday")
    } else if ago < 7 * 86_400 {
        tr.f("time.days_ago", &[("n", &(ago / 86_400))])
    } else {
        match time::OffsetDateTime::from_unix_timestamp(secs) {
            Ok(t) => format!("{:02}-{:02}-{:04}", t.day(), u8::from(t.month()), t.year()),
            Err(_) => String::new(),
        }
    }
}

/// Now, in Unix seconds.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::Lang;

    #[test]
    fn dutch_and_iso_dates_are_read() {
        assert_eq!(parse_input("15-01-2027").as_deref(), Some("2027-01-15"));
        assert_eq!(parse_input(" 5/1/2027 ").as_deref(), Some("2027-01-05"));
        assert_eq!(parse_input("2027-01-15").as_deref(), Some("2027-01-15"));
        assert_eq!(parse_input("29.02.2028").as_deref(), Some("2028-02-29"));
        for bad in [
            "",
            "31-02-2027",
            "2027-13-01",
            "morgen",
            "15-01-27",
            "1-2-3-4",
        ] {
            assert_eq!(parse_input(bad), None, "{bad}");
        }
        assert_eq!(display("2027-01-15"), "15-01-2027");
    }

    #[test]
    fn relative_times() {
        let tr = I18n::new(Lang::En);
        let now = 1_800_000_000;
        assert_eq!(relative(&tr, now - 10, now), tr.t("time.just_now"));
        assert!(relative(&tr, now - 300, now).contains('5'));
        assert_eq!(relative(&tr, now - 90_000, now), tr.t("time.yesterday"));
        assert_eq!(relative(&tr, 1_700_000_000, now), "14-11-2023");
    }
}
