//! The self-contained HTML report.

mod svg;

use std::fmt::Write as _;

use base64::Engine as _;
use leerrijk_model::view::{Image, PostIt};
use leerrijk_model::{AssignmentKind, Polarity};

use crate::BlobSource;
use crate::format::esc;
use crate::prepared::{Prepared, theme_label};

const STYLE: &str = include_str!("html/style.css");

/// MIME types that may be embedded as data URIs.
const IMAGE_MIMES: &[&str] = &["image/jpeg", "image/png", "image/webp", "image/gif"];

/// Writes formatted text into the page (writing into a `String` cannot fail).
macro_rules! w {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// The "added after archiving" badge.
fn late(r: &Prepared, after_archive: bool) -> String {
    if after_archive {
        format!(r#" <span class="late">{}</span>"#, esc(r.t("late.badge")))
    } else {
        String::new()
    }
}

/// Multi-line user text as paragraphs-with-breaks.
fn text_block(s: &str) -> String {
    esc(s.trim()).replace('\n', "<br>")
}

fn empty(r: &Prepared) -> String {
    format!(r#"<p class="empty">{}</p>"#, esc(r.t("empty")))
}

pub(crate) fn render(r: &Prepared, blobs: &dyn BlobSource) -> String {
    let mut o = String::with_capacity(64 * 1024);
    let v = &r.v;
    let title = if v.title.is_empty() {
        r.t("report.untitled").to_owned()
    } else {
        v.title.clone()
    };
    w!(
        o,
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Leerrijk">
<title>{title} — {kind}</title>
<style>
{STYLE}</style>
</head>
<body>
<main>
"#,
        lang = r.s.lang().code(),
        title = esc(&title),
        kind = esc(r.t("report.kind")),
    );
    title_page(r, &mut o, &title);
    phase1(r, &mut o);
    phase2(r, &mut o, blobs);
    phase3(r, &mut o);
    phase4(r, &mut o);
    phase5(r, &mut o);
    w!(
        o,
        r#"<footer><p>{}</p></footer>
</main>
</body>
</html>
"#,
        esc(&r.s.f("report.footer", &[("id", &v.id)]))
    );
    o
}

fn title_page(r: &Prepared, o: &mut String, title: &str) {
    let v = &r.v;
    w!(
        o,
        r#"<header class="title-page">
<p class="kicker">{kicker}</p>
<h1>{title}</h1>
"#,
        kicker = esc(r.t("report.kicker")),
        title = esc(title),
    );
    if !v.school.is_empty() {
        w!(o, "<p class=\"school\">{}</p>\n", esc(&v.school));
    }
    w!(o, "<dl class=\"facts\">\n");
    if let Some(init) = v.initiator.as_deref().and_then(|i| r.person(i)) {
        w!(
            o,
            "<dt>{}</dt><dd>{}</dd>\n",
            esc(r.t("title.initiator")),
            esc(&init)
        );
    }
    w!(
        o,
        "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{} — {}</dd>\n",
        esc(r.t("title.started")),
        esc(&r.s.date_ms(v.created_at)),
        esc(r.t("title.phase")),
        v.phase,
        esc(r.phase_title(v.phase)),
    );
    let status = match &v.archived {
        Some(a) => match r.person(&a.by) {
            Some(by) => r.s.f(
                "title.archived_by",
                &[("date", &r.datetime_ms(a.at)), ("name", &by)],
            ),
            None => r.s.f("title.archived", &[("date", &r.datetime_ms(a.at))]),
        },
        None => r.t("title.not_archived").to_owned(),
    };
    w!(
        o,
        "<dt>{}</dt><dd class=\"status\">{}</dd>\n</dl>\n",
        esc(r.t("title.status")),
        esc(&status)
    );
    let late_n = r.late_count();
    if late_n > 0 {
        w!(
            o,
            "<p class=\"late-note\"><span class=\"late\">{}</span> {}</p>\n",
            esc(r.t("late.badge")),
            esc(&r.s.f("late.note", &[("n", &late_n.to_string())]))
        );
    }

    w!(o, "<h2>{}</h2>\n", esc(r.t("title.participants")));
    if v.participants.is_empty() {
        o.push_str(&empty(r));
    } else if r.anon {
        w!(
            o,
            "<p>{}</p>\n<table class=\"roles\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            esc(&r.s.f(
                "title.participants_anon",
                &[("n", &v.participants.len().to_string())]
            )),
            esc(r.t("col.role")),
            esc(r.t("col.count")),
        );
        for (role, n) in r.role_counts() {
            w!(o, "<tr><td>{}</td><td>{n}</td></tr>\n", esc(r.role(role)));
        }
        o.push_str("</tbody></table>\n");
    } else {
        w!(
            o,
            "<table class=\"participants\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            esc(r.t("col.name")),
            esc(r.t("col.role")),
        );
        for p in &v.participants {
            let init = if v.initiator.as_deref() == Some(p.id.as_str()) {
                format!(" ({})", r.t("title.initiator_short"))
            } else {
                String::new()
            };
            w!(
                o,
                "<tr><td>{}{}</td><td>{}{}</td></tr>\n",
                esc(&p.name),
                late(r, p.after_archive),
                esc(r.role(p.role)),
                esc(&init),
            );
        }
        o.push_str("</tbody></table>\n");
    }

    w!(
        o,
        "<h2>{}</h2>\n<table class=\"dates\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        esc(r.t("title.planning")),
        esc(r.t("col.phase")),
        esc(r.t("col.date")),
    );
    for phase in 1..=5u8 {
        w!(
            o,
            "<tr><td>{phase}. {}</td><td>{}</td></tr>\n",
            esc(r.phase_title(phase)),
            esc(&r.phase_date(phase).unwrap_or_else(|| "—".to_owned())),
        );
    }
    o.push_str("</tbody></table>\n");
    if r.anon || r.no_logbook {
        w!(o, "<p class=\"privacy\">");
        if r.anon {
            w!(o, "{} ", esc(r.t("privacy.anonymous")));
        }
        if r.no_logbook {
            w!(o, "{}", esc(r.t("privacy.no_logbook")));
        }
        w!(o, "</p>\n");
    }
    o.push_str("</header>\n");
}

fn phase_heading(r: &Prepared, o: &mut String, phase: u8) {
    w!(
        o,
        "<section class=\"phase\" id=\"phase-{phase}\">\n<h2>{}</h2>\n",
        esc(&r.s.f(
            "phase.heading",
            &[("n", &phase.to_string()), ("title", r.phase_title(phase))]
        ))
    );
    if let Some(d) = r.phase_date(phase) {
        w!(
            o,
            "<p class=\"phase-date\">{}</p>\n",
            esc(&r.s.f("phase.date", &[("date", &d)]))
        );
    }
}

fn phase1(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 1);
    w!(o, "<h3>{}</h3>\n", esc(r.t("p1.assignments")));
    if v.assignments.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<ul>\n");
        for k in &v.assignments {
            w!(o, "<li>{}</li>\n", esc(&r.assignment_title(*k)));
        }
        o.push_str("</ul>\n");
    }
    w!(o, "<h3>{}</h3>\n", esc(r.t("p1.letter")));
    if v.letter.trim().is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<div class=\"letter\">{}</div>\n",
            letter_html(&v.letter)
        );
    }
    o.push_str("</section>\n");
}

/// The information letter as HTML: headings, paragraphs, lists, quotes, bold and italic, read
/// by the one Markdown reader ([`crate::md_blocks`]) the app's preview and the Word export use.
/// Text is escaped.
fn letter_html(md: &str) -> String {
    use crate::md_blocks::{MdBlock, MdSpan, md_blocks};
    let spans = |spans: &[MdSpan]| {
        let mut s = String::new();
        for sp in spans {
            let mut t = esc(&sp.text).replace('\n', "<br>");
            if sp.italic {
                t = format!("<em>{t}</em>");
            }
            if sp.bold {
                t = format!("<strong>{t}</strong>");
            }
            s.push_str(&t);
        }
        s
    };
    let mut out = String::new();
    let mut list: Option<&str> = None;
    for block in md_blocks(md) {
        let want = match &block {
            MdBlock::Item { marker, .. } if marker == "•" => Some("ul"),
            MdBlock::Item { .. } => Some("ol"),
            _ => None,
        };
        if list != want {
            if let Some(l) = list {
                w!(out, "</{l}>\n");
            }
            if let Some(l) = want {
                w!(out, "<{l}>\n");
            }
            list = want;
        }
        match &block {
            MdBlock::Heading(_, s) => w!(out, "<h4>{}</h4>\n", spans(s)),
            MdBlock::Paragraph { spans: s, quote } if *quote > 0 => {
                w!(out, "<blockquote><p>{}</p></blockquote>\n", spans(s));
            }
            MdBlock::Paragraph { spans: s, .. } => w!(out, "<p>{}</p>\n", spans(s)),
            MdBlock::Item { spans: s, .. } => w!(out, "<li>{}</li>\n", spans(s)),
            MdBlock::Rule => out.push_str("<hr>\n"),
        }
    }
    if let Some(l) = list {
        w!(out, "</{l}>\n");
    }
    out
}

fn phase2(r: &Prepared, o: &mut String, blobs: &dyn BlobSource) {
    phase_heading(r, o, 2);
    // Stories grouped by assignment.
    w!(o, "<h3>{}</h3>\n", esc(r.t("p2.stories")));
    let groups = r.story_groups();
    if groups.is_empty() {
        o.push_str(&empty(r));
    }
    for (kind, stories) in groups {
        w!(
            o,
            "<h4>{}</h4>\n<p class=\"intro\">{}</p>\n",
            esc(&r.assignment_title(kind)),
            esc(&r.assignment_intro(kind))
        );
        for st in stories {
            o.push_str("<article class=\"story\">\n");
            let mut byline: Vec<String> = Vec::new();
            if let Some(a) = r.person(&st.author) {
                byline.push(r.s.f("story.by", &[("name", &a)]));
            }
            if let Some(c) = st.colleague.as_deref().filter(|_| !r.anon) {
                byline.push(r.s.f("story.colleague", &[("name", c)]));
            }
            if let Some(n) = st.times_past_week {
                byline.push(r.s.f("story.times", &[("n", &n.to_string())]));
            }
            if !byline.is_empty() || st.after_archive {
                w!(
                    o,
                    "<p class=\"byline\">{}{}</p>\n",
                    esc(&byline.join(" · ")),
                    late(r, st.after_archive)
                );
            }
            o.push_str("<dl>\n");
            for (q, a) in r.answers(st) {
                w!(o, "<dt>{}</dt><dd>{}</dd>\n", esc(&q), text_block(&a));
            }
            o.push_str("</dl>\n</article>\n");
        }
    }

    // Red–green continuum.
    w!(o, "<h3>{}</h3>\n", esc(r.t("rg.title")));
    let rg = &r.red_green;
    if rg.positions.is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<figure class=\"chart-box\">{}</figure>\n",
            svg::red_green(r)
        );
        let mut facts = vec![r.s.f(
            "rg.summary",
            &[
                ("n", &rg.positions.len().to_string()),
                ("mean", &r.s.num(rg.mean.unwrap_or(0.0), 0)),
                ("median", &r.s.num(rg.median.unwrap_or(0.0), 0)),
            ],
        )];
        if let Some((lo, hi)) = rg.range {
            facts.push(r.s.f(
                "rg.range",
                &[("low", &lo.to_string()), ("high", &hi.to_string())],
            ));
        }
        w!(o, "<p>{}</p>\n", esc(&facts.join(" ")));
        w!(
            o,
            "<table class=\"bands\"><thead><tr><th>{}</th><th>0–19</th><th>20–39</th><th>40–59</th><th>60–79</th><th>80–100</th></tr></thead><tbody><tr><td>{}</td>",
            esc(r.t("rg.band")),
            esc(r.t("col.count"))
        );
        for b in rg.bands {
            w!(o, "<td>{b}</td>");
        }
        o.push_str("</tr></tbody></table>\n");
        let notes: Vec<_> =
            r.v.placements
                .iter()
                .filter(|p| !p.note.trim().is_empty())
                .collect();
        if !notes.is_empty() {
            w!(
                o,
                "<h4>{}</h4>\n<ul class=\"notes\">\n",
                esc(r.t("rg.notes"))
            );
            for p in notes {
                let who = r
                    .person(&p.participant)
                    .map(|n| format!("<strong>{}</strong> ({}): ", esc(&n), p.value))
                    .unwrap_or_else(|| format!("({}) ", p.value));
                w!(o, "<li>{who}{}</li>\n", text_block(&p.note));
            }
            o.push_str("</ul>\n");
        }
    }

    // Logbook.
    if !r.no_logbook {
        logbook(r, o);
    }

    // Brain-crackers.
    w!(o, "<h3>{}</h3>\n", esc(r.t("bc.title")));
    let bc = &r.brain;
    if bc.items.is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<table class=\"brain\"><thead><tr><th>{}</th>",
            esc(r.t("bc.situation"))
        );
        if !r.anon {
            w!(
                o,
                "<th>{}</th><th>{}</th>",
                esc(r.t("bc.asked_by")),
                esc(r.t("bc.colleague"))
            );
        }
        w!(o, "<th>{}</th></tr></thead><tbody>\n", esc(r.t("bc.times")));
        for it in &bc.items {
            let late_flag =
                r.v.stories
                    .iter()
                    .any(|s| s.id == it.story && s.after_archive);
            w!(
                o,
                "<tr><td>{}{}</td>",
                text_block(&it.situation),
                late(r, late_flag)
            );
            if !r.anon {
                w!(
                    o,
                    "<td>{}</td><td>{}</td>",
                    esc(&it.author),
                    esc(it.colleague.as_deref().unwrap_or("—"))
                );
            }
            w!(
                o,
                "<td class=\"num\">{}</td></tr>\n",
                it.times_past_week
                    .map_or_else(|| "—".to_owned(), |n| n.to_string())
            );
        }
        o.push_str("</tbody></table>\n");
        w!(
            o,
            "<p>{}</p>\n",
            esc(&r.s.f(
                "bc.summary",
                &[
                    ("n", &bc.items.len().to_string()),
                    ("total", &bc.total_times.to_string()),
                    ("mean", &r.s.num(bc.mean_times.unwrap_or(0.0), 1)),
                ]
            ))
        );
    }

    // Shared sources of satisfaction.
    w!(o, "<h3>{}</h3>\n", esc(r.t("sat.title")));
    w!(
        o,
        "<p class=\"intro\">{}</p>\n",
        esc(&r.s.f(
            "sat.intro",
            &[("question", &r.question(AssignmentKind::Satisfaction, "q5"))]
        ))
    );
    if r.satisfaction.is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<table class=\"sources\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            esc(r.t("sat.word")),
            esc(r.t(if r.anon { "col.count" } else { "sat.people" })),
        );
        for src in &r.satisfaction {
            let who = r
                .names(&src.people)
                .unwrap_or_else(|| src.people.len().to_string());
            w!(
                o,
                "<tr><td>{}</td><td>{}</td></tr>\n",
                esc(&src.word),
                esc(&who)
            );
        }
        o.push_str("</tbody></table>\n");
    }

    // Gallery.
    w!(o, "<h3>{}</h3>\n", esc(r.t("img.title")));
    if r.v.images.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<div class=\"gallery\">\n");
        for img in &r.v.images {
            figure(r, o, img, blobs);
        }
        o.push_str("</div>\n");
    }
    o.push_str("</section>\n");
}

fn figure(r: &Prepared, o: &mut String, img: &Image, blobs: &dyn BlobSource) {
    o.push_str("<figure class=\"photo\">");
    let mime = img.mime.trim().to_lowercase();
    let bytes = if IMAGE_MIMES.contains(&mime.as_str()) {
        blobs.blob(&img.blob)
    } else {
        None
    };
    match bytes {
        Some(b) => {
            let data = base64::engine::general_purpose::STANDARD.encode(b);
            let dims = if img.width > 0 && img.height > 0 {
                format!(" width=\"{}\" height=\"{}\"", img.width, img.height)
            } else {
                String::new()
            };
            w!(
                o,
                "<img src=\"data:{mime};base64,{data}\"{dims} alt=\"{}\">",
                esc(&img.caption)
            );
        }
        None => w!(
            o,
            "<div class=\"missing-photo\">{}</div>",
            esc(r.t("img.missing"))
        ),
    }
    let by = r
        .person(&img.author)
        .map(|n| format!(" <span class=\"by\">— {}</span>", esc(&n)))
        .unwrap_or_default();
    w!(
        o,
        "<figcaption>{}{by}{}</figcaption></figure>\n",
        text_block(&img.caption),
        late(r, img.after_archive)
    );
}

fn logbook(r: &Prepared, o: &mut String) {
    w!(o, "<h3>{}</h3>\n", esc(r.t("lb.title")));
    let lb = &r.logbook;
    if r.v.logbook.is_empty() {
        o.push_str(&empty(r));
        return;
    }
    w!(
        o,
        "<figure class=\"chart-box\">{}</figure>\n",
        svg::quadrants(
            r,
            &lb.team,
            &r.s.f("lb.team", &[("hours", &r.s.num(lb.team.total(), 1))]),
            true
        )
    );
    if let Some(q) = lb.team.largest() {
        w!(
            o,
            "<p>{}</p>\n",
            esc(&r.s.f("lb.largest", &[("quadrant", r.quadrant(q))]))
        );
    }
    w!(
        o,
        "<h4>{}</h4>\n<div class=\"small-multiples\">\n",
        esc(r.t("lb.per_person"))
    );
    let mut people: Vec<(&String, &leerrijk_model::analysis::QuadrantHours)> =
        lb.per_person.iter().collect();
    if r.anon {
        people.sort_by(|a, b| b.1.total().total_cmp(&a.1.total()));
    } else {
        people.sort_by_key(|(id, _)| r.v.name_of(id));
    }
    for (i, (id, hours)) in people.iter().enumerate() {
        let who = r
            .person(id)
            .unwrap_or_else(|| r.s.f("lb.person_n", &[("n", &(i + 1).to_string())]));
        let label = r.s.f(
            "lb.person_chart",
            &[("name", &who), ("hours", &r.s.num(hours.total(), 1))],
        );
        w!(o, "{}\n", svg::quadrants(r, hours, &label, false));
    }
    o.push_str("</div>\n");
    w!(
        o,
        "<table class=\"logbook\"><thead><tr>{}<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        if r.anon {
            String::new()
        } else {
            format!("<th>{}</th>", esc(r.t("col.name")))
        },
        esc(r.t("lb.quadrant")),
        esc(r.t("lb.hours")),
        esc(r.t("lb.what")),
    );
    for e in &r.v.logbook {
        w!(o, "<tr>");
        if let Some(n) = r.person(&e.author) {
            w!(o, "<td>{}</td>", esc(&n));
        }
        w!(
            o,
            "<td>{}</td><td class=\"num\">{}</td><td>{}{}</td></tr>\n",
            esc(r.quadrant(e.quadrant)),
            esc(&r.s.num(e.hours, 1)),
            text_block(&e.text),
            late(r, e.after_archive)
        );
    }
    o.push_str("</tbody></table>\n");
}

fn postit_html(r: &Prepared, p: &PostIt) -> String {
    let colour = match p.colour.as_str() {
        "pink" | "green" | "blue" | "orange" => p.colour.as_str(),
        _ => "yellow",
    };
    let by = match p.author.as_deref().and_then(|a| r.person(a)) {
        Some(n) => format!("<span class=\"by\">{}</span>", esc(&n)),
        None if p.anonymous && !r.anon => {
            format!("<span class=\"by\">{}</span>", esc(r.t("postit.anonymous")))
        }
        None => String::new(),
    };
    format!(
        "<li class=\"postit {colour}\">{}{by}{}</li>\n",
        text_block(&p.text),
        late(r, p.after_archive)
    )
}

fn phase3(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 3);
    w!(
        o,
        "<h3>{}</h3>\n<p class=\"intro\">{}</p>\n",
        esc(r.t("p3.flipover")),
        esc(r.t("p3.intro"))
    );
    if v.themes.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<div class=\"flipover\">\n");
        for (pol, class) in [
            (Polarity::Positive, "positive"),
            (Polarity::Negative, "negative"),
        ] {
            w!(
                o,
                "<div class=\"column {class}\">\n<h4>{}</h4>\n",
                esc(r.polarity(pol))
            );
            let themes: Vec<_> = v.themes.iter().filter(|t| t.polarity == pol).collect();
            if themes.is_empty() {
                o.push_str(&empty(r));
            }
            for t in themes {
                let count = r
                    .postit_counts
                    .iter()
                    .find(|c| c.theme.as_deref() == Some(t.id.as_str()))
                    .map_or(0, |c| c.count);
                w!(
                    o,
                    "<div class=\"theme\">\n<h5><span class=\"title\">{}</span>{}<span class=\"count\">{}</span></h5>\n",
                    esc(&theme_label(t)),
                    late(r, t.after_archive),
                    esc(&r.postit_count(count))
                );
                let notes: Vec<_> = v
                    .postits
                    .iter()
                    .filter(|p| p.theme.as_deref() == Some(t.id.as_str()))
                    .collect();
                if !notes.is_empty() {
                    o.push_str("<ul class=\"postits\">\n");
                    for p in notes {
                        o.push_str(&postit_html(r, p));
                    }
                    o.push_str("</ul>\n");
                }
                o.push_str("</div>\n");
            }
            o.push_str("</div>\n");
        }
        o.push_str("</div>\n");
    }
    let loose: Vec<_> = v.postits.iter().filter(|p| p.theme.is_none()).collect();
    if !loose.is_empty() {
        w!(
            o,
            "<h4>{}</h4>\n<ul class=\"postits loose\">\n",
            esc(r.t("p3.loose"))
        );
        for p in loose {
            o.push_str(&postit_html(r, p));
        }
        o.push_str("</ul>\n");
    }
    if !v.themes.is_empty() {
        w!(
            o,
            "<h4>{}</h4>\n<table class=\"counts\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            esc(r.t("p3.most_named")),
            esc(r.t("col.theme")),
            esc(r.t("col.polarity")),
            esc(r.t("col.postits")),
        );
        for c in &r.postit_counts {
            let (title, pol) = match (&c.theme, c.polarity) {
                (Some(id), Some(p)) => (r.theme_title(id), r.polarity(p)),
                _ => (r.t("p3.loose").to_owned(), "—"),
            };
            w!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                esc(&title),
                esc(pol),
                c.count
            );
        }
        o.push_str("</tbody></table>\n");
    }
    o.push_str("</section>\n");
}

fn phase4(r: &Prepared, o: &mut String) {
    let rk = &r.ranking;
    phase_heading(r, o, 4);
    w!(o, "<h3>{}</h3>\n", esc(r.t("rank.groups")));
    if rk.groups.is_empty() {
        o.push_str(&empty(r));
        o.push_str("</section>\n");
        return;
    }
    let depth = rk.groups.iter().map(|g| g.2.len()).max().unwrap_or(0);
    w!(
        o,
        "<table class=\"rankings\"><thead><tr><th class=\"num\">{}</th>",
        esc(r.t("rank.place"))
    );
    for (gid, name, _) in &rk.groups {
        let group = r.v.groups.iter().find(|g| &g.id == gid);
        let members = group
            .map(|g| {
                g.members
                    .iter()
                    .filter_map(|m| r.person(m))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let members = if members.is_empty() {
            String::new()
        } else {
            format!(
                "<br><span class=\"members\">{}</span>",
                esc(&members.join(", "))
            )
        };
        w!(
            o,
            "<th>{}{members}{}</th>",
            esc(name),
            late(r, group.is_some_and(|g| g.after_archive))
        );
    }
    o.push_str("</tr></thead><tbody>\n");
    for place in 0..depth {
        w!(o, "<tr><td class=\"num\">{}</td>", place + 1);
        for (_, _, order) in &rk.groups {
            match order.get(place) {
                Some(th) => {
                    let top = rk.clear_top.as_deref() == Some(th.as_str());
                    w!(
                        o,
                        "<td{}>{}</td>",
                        if top { " class=\"top\"" } else { "" },
                        esc(&r.theme_title(th))
                    );
                }
                None => o.push_str("<td></td>"),
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table>\n");

    w!(
        o,
        "<h3>{}</h3>\n<p class=\"intro\">{}</p>\n<table class=\"aggregate\"><thead><tr><th class=\"num\">{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>\n",
        esc(r.t("rank.aggregate")),
        esc(r.t("rank.aggregate_intro")),
        esc(r.t("rank.place")),
        esc(r.t("col.theme")),
        esc(r.t("col.polarity")),
        esc(r.t("rank.borda")),
        esc(r.t("rank.mean_rank")),
        esc(r.t("rank.first_places")),
    );
    for (i, sc) in rk.aggregate.iter().enumerate() {
        let pol = r.v.theme(&sc.theme).map_or("—", |t| r.polarity(t.polarity));
        let top = rk.clear_top.as_deref() == Some(sc.theme.as_str());
        w!(
            o,
            "<tr{}><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            if top { " class=\"top\"" } else { "" },
            i + 1,
            esc(&r.theme_title(&sc.theme)),
            esc(pol),
            esc(&r.s.num(sc.borda, 1)),
            esc(&r.s.num(sc.mean_rank, 2)),
            sc.first_places,
        );
    }
    o.push_str("</tbody></table>\n");
    w!(
        o,
        "<p class=\"agreement\">{}</p>\n",
        esc(&r.agreement_words())
    );
    match &rk.clear_top {
        Some(th) => w!(
            o,
            "<div class=\"clear-top\"><strong>{}</strong> {}</div>\n",
            esc(r.t("rank.clear_top")),
            esc(&r
                .s
                .f("rank.clear_top_text", &[("theme", &r.theme_title(th))]))
        ),
        None => w!(
            o,
            "<p class=\"no-clear-top\">{}</p>\n",
            esc(r.t("rank.no_clear_top"))
        ),
    }
    o.push_str("</section>\n");
}

fn phase5(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 5);
    w!(o, "<h3>{}</h3>\n", esc(r.t("act.title")));
    if v.actions.is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<table class=\"actions\"><thead><tr><th>{}</th>",
            esc(r.t("act.what"))
        );
        if !r.anon {
            w!(o, "<th>{}</th>", esc(r.t("act.owner")));
        }
        w!(
            o,
            "<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            esc(r.t("act.due")),
            esc(r.t("act.status")),
            esc(r.t("col.theme")),
        );
        for a in &v.actions {
            w!(
                o,
                "<tr><td>{}{}</td>",
                text_block(&a.text),
                late(r, a.after_archive)
            );
            if !r.anon {
                w!(
                    o,
                    "<td>{}</td>",
                    esc(&a
                        .owner
                        .as_deref()
                        .and_then(|p| r.person(p))
                        .unwrap_or_else(|| "—".into()))
                );
            }
            w!(
                o,
                "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&a
                    .due
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), |d| r.s.iso_date(d))),
                esc(r.status(a.status)),
                esc(&a
                    .theme
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), |t| r.theme_title(t))),
            );
        }
        o.push_str("</tbody></table>\n");
    }

    w!(
        o,
        "<h3>{}</h3>\n<p class=\"intro\">{}</p>\n",
        esc(r.t("mkt.title")),
        esc(r.t("mkt.intro"))
    );
    // "Wie kan je vinden voor wat": the matches.
    w!(o, "<h4>{}</h4>\n", esc(r.t("mkt.matches")));
    if r.market.matches.is_empty() {
        o.push_str(&empty(r));
    } else {
        w!(
            o,
            "<table class=\"matches\"><thead><tr><th>{}</th>",
            esc(r.t("mkt.request"))
        );
        if !r.anon {
            w!(
                o,
                "<th>{}</th><th>{}</th>",
                esc(r.t("mkt.asked_by")),
                esc(r.t("mkt.can_help"))
            );
        }
        w!(
            o,
            "<th>{}</th></tr></thead><tbody>\n",
            esc(r.t("mkt.offer"))
        );
        for m in &r.market.matches {
            let (Some(req), Some(off)) = (r.request(&m.request), r.offer(&m.offer)) else {
                continue;
            };
            w!(
                o,
                "<tr><td>{}{}</td>",
                text_block(&req.topic),
                late(r, req.after_archive)
            );
            if !r.anon {
                let star = if m.asked_for_by_name {
                    format!(
                        " <span class=\"star\" title=\"{0}\">★ {0}</span>",
                        esc(r.t("mkt.by_name"))
                    )
                } else {
                    String::new()
                };
                w!(
                    o,
                    "<td>{}</td><td>{}{star}</td>",
                    esc(&m.to),
                    esc(&m.from.join(", "))
                );
            }
            w!(
                o,
                "<td>{}{}</td></tr>\n",
                text_block(&off.topic),
                late(r, off.after_archive)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    // Shared offers.
    w!(o, "<h4>{}</h4>\n", esc(r.t("mkt.shared")));
    if r.market.shared_offers.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<ul class=\"shared\">\n");
        for c in &r.market.shared_offers {
            let who = r
                .names(&c.people)
                .unwrap_or_else(|| r.s.f("mkt.n_people", &[("n", &c.people.len().to_string())]));
            w!(
                o,
                "<li><strong>{}</strong> — {}</li>\n",
                esc(&c.topics.join(" / ")),
                esc(&who)
            );
        }
        o.push_str("</ul>\n");
    }
    // Unmet requests.
    w!(o, "<h4>{}</h4>\n", esc(r.t("mkt.unmet")));
    if r.market.unmet_requests.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<ul class=\"unmet\">\n");
        for id in &r.market.unmet_requests {
            if let Some(req) = r.request(id) {
                let who = r
                    .person_name(&req.person)
                    .map(|n| format!(" — {}", esc(&n)))
                    .unwrap_or_default();
                w!(
                    o,
                    "<li>{}{who}{}</li>\n",
                    text_block(&req.topic),
                    late(r, req.after_archive)
                );
            }
        }
        o.push_str("</ul>\n");
    }
    // The two sheets.
    w!(
        o,
        "<div class=\"sheets\">\n<div class=\"sheet\">\n<h4>{}</h4>\n",
        esc(r.t("mkt.offers"))
    );
    if v.offers.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<ul>\n");
        for off in &v.offers {
            let who = r
                .names(&off.people)
                .map(|n| format!(" — {}", esc(&n)))
                .unwrap_or_default();
            let tags = tags_html(&off.tags);
            w!(
                o,
                "<li>{}{who}{tags}{}</li>\n",
                text_block(&off.topic),
                late(r, off.after_archive)
            );
        }
        o.push_str("</ul>\n");
    }
    w!(
        o,
        "</div>\n<div class=\"sheet\">\n<h4>{}</h4>\n",
        esc(r.t("mkt.requests"))
    );
    if v.requests.is_empty() {
        o.push_str(&empty(r));
    } else {
        o.push_str("<ul>\n");
        for req in &v.requests {
            let mut who = r
                .person_name(&req.person)
                .map(|n| format!(" — {}", esc(&n)))
                .unwrap_or_default();
            if let Some(f) = r.names(&req.from_whom) {
                who.push_str(&format!(
                    " <span class=\"from\">({})</span>",
                    esc(&r.s.f("mkt.from_whom", &[("names", &f)]))
                ));
            }
            let tags = tags_html(&req.tags);
            w!(
                o,
                "<li>{}{who}{tags}{}</li>\n",
                text_block(&req.topic),
                late(r, req.after_archive)
            );
        }
        o.push_str("</ul>\n");
    }
    o.push_str("</div>\n</div>\n</section>\n");
}

fn tags_html(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!(" <span class=\"tag\">{}</span>", esc(t)))
        .collect()
}
