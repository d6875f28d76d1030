//! The report as Markdown: the same sections as the HTML report, photos listed by caption.

use std::fmt::Write as _;

use leerrijk_model::Polarity;
use leerrijk_model::analysis::QuadrantHours;

use crate::format::md;
use crate::prepared::{Prepared, theme_label};

macro_rules! w {
    ($out:expr) => {{
        $out.push('\n');
    }};
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

fn late(r: &Prepared, after_archive: bool) -> String {
    if after_archive {
        format!(" *({})*", r.t("late.badge"))
    } else {
        String::new()
    }
}

/// Inline-escaped text.
fn i(s: &str) -> String {
    md(s, true)
}

fn table(o: &mut String, header: &[String], rows: &[Vec<String>]) {
    w!(o, "| {} |", header.join(" | "));
    w!(
        o,
        "|{}",
        header.iter().map(|_| " --- |").collect::<String>()
    );
    for row in rows {
        w!(o, "| {} |", row.join(" | "));
    }
    w!(o);
}

fn empty(r: &Prepared, o: &mut String) {
    w!(o, "*{}*\n", r.t("empty"));
}

pub(crate) fn render(r: &Prepared) -> String {
    let mut o = String::with_capacity(32 * 1024);
    title_page(r, &mut o);
    phase1(r, &mut o);
    phase2(r, &mut o);
    phase3(r, &mut o);
    phase4(r, &mut o);
    phase5(r, &mut o);
    w!(
        o,
        "---\n\n{}",
        i(&r.s.f("report.footer", &[("id", &r.v.id)]))
    );
    o
}

fn title_page(r: &Prepared, o: &mut String) {
    let v = &r.v;
    let title = if v.title.is_empty() {
        r.t("report.untitled").to_owned()
    } else {
        v.title.clone()
    };
    w!(o, "# {}\n", i(&title));
    w!(o, "*{}*\n", r.t("report.kicker"));
    if !v.school.is_empty() {
        w!(o, "**{}**\n", i(&v.school));
    }
    if let Some(init) = v.initiator.as_deref().and_then(|x| r.person(x)) {
        w!(o, "- {}: {}", r.t("title.initiator"), i(&init));
    }
    w!(
        o,
        "- {}: {}",
        r.t("title.started"),
        r.s.date_ms(v.created_at)
    );
    w!(
        o,
        "- {}: {} — {}",
        r.t("title.phase"),
        v.phase,
        r.phase_title(v.phase)
    );
    let status = match &v.archived {
        Some(a) => match r.person(&a.by) {
            Some(by) => r.s.f(
                "title.archived_by",
                &[("date", &r.datetime_ms(a.at)), ("name", &i(&by))],
            ),
            None => r.s.f("title.archived", &[("date", &r.datetime_ms(a.at))]),
        },
        None => r.t("title.not_archived").to_owned(),
    };
    w!(o, "- {}: {}\n", r.t("title.status"), status);
    let late_n = r.late_count();
    if late_n > 0 {
        w!(
            o,
            "> **{}**: {}\n",
            r.t("late.badge"),
            r.s.f("late.note", &[("n", &late_n.to_string())])
        );
    }
    if r.anon {
        w!(o, "> {}\n", r.t("privacy.anonymous"));
    }
    if r.no_logbook {
        w!(o, "> {}\n", r.t("privacy.no_logbook"));
    }

    w!(o, "## {}\n", r.t("title.participants"));
    if v.participants.is_empty() {
        empty(r, o);
    } else if r.anon {
        w!(
            o,
            "{}\n",
            r.s.f(
                "title.participants_anon",
                &[("n", &v.participants.len().to_string())]
            )
        );
        let rows: Vec<Vec<String>> = r
            .role_counts()
            .into_iter()
            .map(|(role, n)| vec![r.role(role).to_owned(), n.to_string()])
            .collect();
        table(o, &[r.t("col.role").into(), r.t("col.count").into()], &rows);
    } else {
        let rows: Vec<Vec<String>> = v
            .participants
            .iter()
            .map(|p| {
                let init = if v.initiator.as_deref() == Some(p.id.as_str()) {
                    format!(" ({})", r.t("title.initiator_short"))
                } else {
                    String::new()
                };
                vec![
                    format!("{}{}", i(&p.name), late(r, p.after_archive)),
                    format!("{}{init}", r.role(p.role)),
                ]
            })
            .collect();
        table(o, &[r.t("col.name").into(), r.t("col.role").into()], &rows);
    }
    w!(o, "## {}\n", r.t("title.planning"));
    let rows: Vec<Vec<String>> = (1..=5u8)
        .map(|p| {
            vec![
                format!("{p}. {}", r.phase_title(p)),
                r.phase_date(p).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    table(o, &[r.t("col.phase").into(), r.t("col.date").into()], &rows);
}

fn phase_heading(r: &Prepared, o: &mut String, phase: u8) {
    w!(
        o,
        "## {}\n",
        r.s.f(
            "phase.heading",
            &[("n", &phase.to_string()), ("title", r.phase_title(phase))]
        )
    );
    if let Some(d) = r.phase_date(phase) {
        w!(o, "*{}*\n", r.s.f("phase.date", &[("date", &d)]));
    }
}

fn phase1(r: &Prepared, o: &mut String) {
    phase_heading(r, o, 1);
    w!(o, "### {}\n", r.t("p1.assignments"));
    if r.v.assignments.is_empty() {
        empty(r, o);
    } else {
        for k in &r.v.assignments {
            w!(o, "- {}", i(&r.assignment_title(*k)));
        }
        w!(o);
    }
    w!(o, "### {}\n", r.t("p1.letter"));
    if r.v.letter.trim().is_empty() {
        empty(r, o);
    } else {
        // The letter is Markdown already: quote it so its headings stay inside this section.
        for line in r.v.letter.trim().lines() {
            if line.trim().is_empty() {
                w!(o, ">");
            } else {
                w!(o, "> {}", line.replace('<', "\\<").replace('>', "\\>"));
            }
        }
        w!(o);
    }
}

fn quadrant_table(r: &Prepared, o: &mut String, h: &QuadrantHours) {
    use leerrijk_model::Quadrant::*;
    let cell = |q| {
        format!(
            "{} ({}%)",
            r.s.f("unit.hours", &[("n", &r.s.num(h.get(q), 1))]),
            r.s.num(h.percent(q), 0)
        )
    };
    // As the app draws it: fun or not in the columns, easy or not in the rows.
    table(
        o,
        &[
            String::new(),
            r.t("quadrant.axis.fun").into(),
            r.t("quadrant.axis.not_fun").into(),
        ],
        &[
            vec![
                format!("**{}**", r.t("quadrant.axis.easy")),
                cell(EasyFun),
                cell(EasyNotFun),
            ],
            vec![
                format!("**{}**", r.t("quadrant.axis.hard")),
                cell(HardFun),
                cell(HardNotFun),
            ],
        ],
    );
}

fn phase2(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 2);
    w!(o, "### {}\n", r.t("p2.stories"));
    let groups = r.story_groups();
    if groups.is_empty() {
        empty(r, o);
    }
    for (kind, stories) in groups {
        w!(o, "#### {}\n", i(&r.assignment_title(kind)));
        w!(o, "*{}*\n", i(&r.assignment_intro(kind)));
        for (n, st) in stories.iter().enumerate() {
            let mut byline: Vec<String> = Vec::new();
            if let Some(a) = r.person(&st.author) {
                byline.push(r.s.f("story.by", &[("name", &i(&a))]));
            }
            if let Some(c) = st.colleague.as_deref().filter(|_| !r.anon) {
                byline.push(r.s.f("story.colleague", &[("name", &i(c))]));
            }
            if let Some(t) = st.times_past_week {
                byline.push(r.s.f("story.times", &[("n", &t.to_string())]));
            }
            let head = if byline.is_empty() {
                r.s.f("story.n", &[("n", &(n + 1).to_string())])
            } else {
                byline.join(" · ")
            };
            w!(o, "**{head}**{}\n", late(r, st.after_archive));
            for (q, a) in r.answers(st) {
                w!(
                    o,
                    "- *{}*  \n  {}",
                    i(&q),
                    md(a.trim(), false).replace('\n', "  \n  ")
                );
            }
            w!(o);
        }
    }

    w!(o, "### {}\n", r.t("rg.title"));
    let rg = &r.red_green;
    if rg.positions.is_empty() {
        empty(r, o);
    } else {
        w!(o, "*{}*\n", r.t("rg.scale"));
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
        w!(o, "{}\n", facts.join(" "));
        let mut header = vec![r.t("rg.position").to_owned()];
        if !r.anon {
            header.insert(0, r.t("col.name").into());
        }
        header.push(r.t("rg.note").into());
        let rows: Vec<Vec<String>> = rg
            .positions
            .iter()
            .map(|(id, _, value)| {
                let note = v
                    .placements
                    .iter()
                    .find(|p| &p.participant == id)
                    .map(|p| i(&p.note))
                    .unwrap_or_default();
                let mut row = vec![value.to_string()];
                if let Some(n) = r.person(id) {
                    row.insert(0, i(&n));
                }
                row.push(note);
                row
            })
            .collect();
        // Anonymous: placements have no participant, so the notes come from the export view.
        let rows = if r.anon {
            let mut ps: Vec<_> = v.placements.iter().collect();
            ps.sort_by_key(|p| p.value);
            ps.iter()
                .map(|p| vec![p.value.to_string(), i(&p.note)])
                .collect()
        } else {
            rows
        };
        table(o, &header, &rows);
        table(
            o,
            &[
                r.t("rg.band").into(),
                "0–19".into(),
                "20–39".into(),
                "40–59".into(),
                "60–79".into(),
                "80–100".into(),
            ],
            &[std::iter::once(r.t("col.count").to_owned())
                .chain(rg.bands.iter().map(ToString::to_string))
                .collect()],
        );
    }

    if !r.no_logbook {
        w!(o, "### {}\n", r.t("lb.title"));
        let lb = &r.logbook;
        if v.logbook.is_empty() {
            empty(r, o);
        } else {
            w!(
                o,
                "#### {}\n",
                r.s.f("lb.team", &[("hours", &r.s.num(lb.team.total(), 1))])
            );
            quadrant_table(r, o, &lb.team);
            if let Some(q) = lb.team.largest() {
                w!(
                    o,
                    "{}\n",
                    r.s.f("lb.largest", &[("quadrant", r.quadrant(q))])
                );
            }
            let mut people: Vec<_> = lb.per_person.iter().collect();
            if r.anon {
                people.sort_by(|a, b| b.1.total().total_cmp(&a.1.total()));
            } else {
                people.sort_by_key(|(id, _)| v.name_of(id));
            }
            for (n, (id, hours)) in people.iter().enumerate() {
                let who = r
                    .person(id)
                    .map(|x| i(&x))
                    .unwrap_or_else(|| r.s.f("lb.person_n", &[("n", &(n + 1).to_string())]));
                w!(
                    o,
                    "#### {}\n",
                    r.s.f(
                        "lb.person_chart",
                        &[("name", &who), ("hours", &r.s.num(hours.total(), 1))]
                    )
                );
                quadrant_table(r, o, hours);
            }
            let mut header = vec![
                r.t("lb.quadrant").to_owned(),
                r.t("lb.hours").into(),
                r.t("lb.what").into(),
            ];
            if !r.anon {
                header.insert(0, r.t("col.name").into());
            }
            let rows: Vec<Vec<String>> = v
                .logbook
                .iter()
                .map(|e| {
                    let mut row = vec![
                        r.quadrant(e.quadrant).to_owned(),
                        r.s.num(e.hours, 1),
                        format!("{}{}", i(&e.text), late(r, e.after_archive)),
                    ];
                    if let Some(n) = r.person(&e.author) {
                        row.insert(0, i(&n));
                    }
                    row
                })
                .collect();
            table(o, &header, &rows);
        }
    }

    w!(o, "### {}\n", r.t("bc.title"));
    let bc = &r.brain;
    if bc.items.is_empty() {
        empty(r, o);
    } else {
        let mut header = vec![r.t("bc.situation").to_owned()];
        if !r.anon {
            header.push(r.t("bc.asked_by").into());
            header.push(r.t("bc.colleague").into());
        }
        header.push(r.t("bc.times").into());
        let rows: Vec<Vec<String>> = bc
            .items
            .iter()
            .map(|it| {
                let late_flag = v
                    .stories
                    .iter()
                    .any(|s| s.id == it.story && s.after_archive);
                let mut row = vec![format!("{}{}", i(&it.situation), late(r, late_flag))];
                if !r.anon {
                    row.push(i(&it.author));
                    row.push(it.colleague.as_deref().map_or_else(|| "—".into(), i));
                }
                row.push(
                    it.times_past_week
                        .map_or_else(|| "—".to_owned(), |n| n.to_string()),
                );
                row
            })
            .collect();
        table(o, &header, &rows);
        w!(
            o,
            "{}\n",
            r.s.f(
                "bc.summary",
                &[
                    ("n", &bc.items.len().to_string()),
                    ("total", &bc.total_times.to_string()),
                    ("mean", &r.s.num(bc.mean_times.unwrap_or(0.0), 1)),
                ]
            )
        );
    }

    w!(o, "### {}\n", r.t("sat.title"));
    w!(
        o,
        "*{}*\n",
        i(&r.s.f(
            "sat.intro",
            &[(
                "question",
                &r.question(leerrijk_model::AssignmentKind::Satisfaction, "q5")
            )]
        ))
    );
    if r.satisfaction.is_empty() {
        empty(r, o);
    } else {
        let rows: Vec<Vec<String>> = r
            .satisfaction
            .iter()
            .map(|s| {
                vec![
                    i(&s.word),
                    r.names(&s.people)
                        .map(|n| i(&n))
                        .unwrap_or_else(|| s.people.len().to_string()),
                ]
            })
            .collect();
        table(
            o,
            &[
                r.t("sat.word").into(),
                r.t(if r.anon { "col.count" } else { "sat.people" }).into(),
            ],
            &rows,
        );
    }

    w!(o, "### {}\n", r.t("img.title"));
    if v.images.is_empty() {
        empty(r, o);
    } else {
        w!(o, "*{}*\n", r.t("img.md_note"));
        for img in &v.images {
            let by = r
                .person(&img.author)
                .map(|n| format!(" — {}", i(&n)))
                .unwrap_or_default();
            w!(o, "- {}{by}{}", i(&img.caption), late(r, img.after_archive));
        }
        w!(o);
    }
}

fn postit_line(r: &Prepared, p: &leerrijk_model::view::PostIt) -> String {
    let by = match p.author.as_deref().and_then(|a| r.person(a)) {
        Some(n) => format!(" — {}", i(&n)),
        None if p.anonymous && !r.anon => format!(" — {}", r.t("postit.anonymous")),
        None => String::new(),
    };
    format!("- {}{by}{}", i(&p.text), late(r, p.after_archive))
}

fn phase3(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 3);
    w!(o, "### {}\n", r.t("p3.flipover"));
    w!(o, "*{}*\n", r.t("p3.intro"));
    if v.themes.is_empty() {
        empty(r, o);
    }
    for pol in [Polarity::Positive, Polarity::Negative] {
        let themes: Vec<_> = v.themes.iter().filter(|t| t.polarity == pol).collect();
        if v.themes.is_empty() {
            break;
        }
        w!(o, "#### {}\n", r.polarity(pol));
        if themes.is_empty() {
            empty(r, o);
        }
        for t in themes {
            let count = r
                .postit_counts
                .iter()
                .find(|c| c.theme.as_deref() == Some(t.id.as_str()))
                .map_or(0, |c| c.count);
            w!(
                o,
                "**{}** ({}){}\n",
                i(&theme_label(t)),
                r.postit_count(count),
                late(r, t.after_archive)
            );
            let notes: Vec<_> = v
                .postits
                .iter()
                .filter(|p| p.theme.as_deref() == Some(t.id.as_str()))
                .collect();
            for p in &notes {
                w!(o, "{}", postit_line(r, p));
            }
            if !notes.is_empty() {
                w!(o);
            }
        }
    }
    let loose: Vec<_> = v.postits.iter().filter(|p| p.theme.is_none()).collect();
    if !loose.is_empty() {
        w!(o, "#### {}\n", r.t("p3.loose"));
        for p in loose {
            w!(o, "{}", postit_line(r, p));
        }
        w!(o);
    }
    if !v.themes.is_empty() {
        w!(o, "#### {}\n", r.t("p3.most_named"));
        let rows: Vec<Vec<String>> = r
            .postit_counts
            .iter()
            .map(|c| match (&c.theme, c.polarity) {
                (Some(id), Some(p)) => vec![
                    i(&r.theme_title(id)),
                    r.polarity(p).to_owned(),
                    c.count.to_string(),
                ],
                _ => vec![r.t("p3.loose").into(), "—".into(), c.count.to_string()],
            })
            .collect();
        table(
            o,
            &[
                r.t("col.theme").into(),
                r.t("col.polarity").into(),
                r.t("col.postits").into(),
            ],
            &rows,
        );
    }
}

fn phase4(r: &Prepared, o: &mut String) {
    let rk = &r.ranking;
    phase_heading(r, o, 4);
    w!(o, "### {}\n", r.t("rank.groups"));
    if rk.groups.is_empty() {
        empty(r, o);
        return;
    }
    let mut header = vec![r.t("rank.place").to_owned()];
    for (gid, name, _) in &rk.groups {
        let group = r.v.groups.iter().find(|g| &g.id == gid);
        header.push(format!(
            "{}{}",
            i(name),
            late(r, group.is_some_and(|g| g.after_archive))
        ));
    }
    let depth = rk.groups.iter().map(|g| g.2.len()).max().unwrap_or(0);
    let rows: Vec<Vec<String>> = (0..depth)
        .map(|place| {
            std::iter::once((place + 1).to_string())
                .chain(rk.groups.iter().map(|(_, _, order)| {
                    order.get(place).map_or_else(String::new, |th| {
                        let title = i(&r.theme_title(th));
                        if rk.clear_top.as_deref() == Some(th.as_str()) {
                            format!("**{title}**")
                        } else {
                            title
                        }
                    })
                }))
                .collect()
        })
        .collect();
    table(o, &header, &rows);
    if !r.anon {
        for (gid, name, _) in &rk.groups {
            let members: Vec<String> =
                r.v.groups
                    .iter()
                    .find(|g| &g.id == gid)
                    .map(|g| g.members.iter().filter_map(|m| r.person(m)).collect())
                    .unwrap_or_default();
            if !members.is_empty() {
                w!(
                    o,
                    "- {}",
                    r.s.f(
                        "rank.members",
                        &[("group", &i(name)), ("names", &i(&members.join(", ")))]
                    )
                );
            }
        }
        w!(o);
    }
    w!(o, "### {}\n", r.t("rank.aggregate"));
    w!(o, "*{}*\n", r.t("rank.aggregate_intro"));
    let rows: Vec<Vec<String>> = rk
        .aggregate
        .iter()
        .enumerate()
        .map(|(n, sc)| {
            let pol = r.v.theme(&sc.theme).map_or("—", |t| r.polarity(t.polarity));
            vec![
                (n + 1).to_string(),
                i(&r.theme_title(&sc.theme)),
                pol.to_owned(),
                r.s.num(sc.borda, 1),
                r.s.num(sc.mean_rank, 2),
                sc.first_places.to_string(),
            ]
        })
        .collect();
    table(
        o,
        &[
            r.t("rank.place").into(),
            r.t("col.theme").into(),
            r.t("col.polarity").into(),
            r.t("rank.borda").into(),
            r.t("rank.mean_rank").into(),
            r.t("rank.first_places").into(),
        ],
        &rows,
    );
    w!(o, "{}\n", r.agreement_words());
    match &rk.clear_top {
        Some(th) => w!(
            o,
            "> **{}** {}\n",
            r.t("rank.clear_top"),
            r.s.f("rank.clear_top_text", &[("theme", &i(&r.theme_title(th)))])
        ),
        None => w!(o, "{}\n", r.t("rank.no_clear_top")),
    }
}

fn phase5(r: &Prepared, o: &mut String) {
    let v = &r.v;
    phase_heading(r, o, 5);
    w!(o, "### {}\n", r.t("act.title"));
    if v.actions.is_empty() {
        empty(r, o);
    } else {
        let mut header = vec![r.t("act.what").to_owned()];
        if !r.anon {
            header.push(r.t("act.owner").into());
        }
        header.extend([
            r.t("act.due").to_owned(),
            r.t("act.status").into(),
            r.t("col.theme").into(),
        ]);
        let rows: Vec<Vec<String>> = v
            .actions
            .iter()
            .map(|a| {
                let mut row = vec![format!("{}{}", i(&a.text), late(r, a.after_archive))];
                if !r.anon {
                    row.push(
                        a.owner
                            .as_deref()
                            .and_then(|p| r.person(p))
                            .map_or_else(|| "—".into(), |n| i(&n)),
                    );
                }
                row.push(
                    a.due
                        .as_deref()
                        .map_or_else(|| "—".to_owned(), |d| r.s.iso_date(d)),
                );
                row.push(r.status(a.status).into());
                row.push(
                    a.theme
                        .as_deref()
                        .map_or_else(|| "—".to_owned(), |t| i(&r.theme_title(t))),
                );
                row
            })
            .collect();
        table(o, &header, &rows);
    }

    w!(o, "### {}\n", r.t("mkt.title"));
    w!(o, "*{}*\n", r.t("mkt.intro"));
    w!(o, "#### {}\n", r.t("mkt.matches"));
    if r.market.matches.is_empty() {
        empty(r, o);
    } else {
        let mut header = vec![r.t("mkt.request").to_owned()];
        if !r.anon {
            header.push(r.t("mkt.asked_by").into());
            header.push(r.t("mkt.can_help").into());
        }
        header.push(r.t("mkt.offer").into());
        let rows: Vec<Vec<String>> = r
            .market
            .matches
            .iter()
            .filter_map(|m| {
                let req = r.request(&m.request)?;
                let off = r.offer(&m.offer)?;
                let mut row = vec![format!("{}{}", i(&req.topic), late(r, req.after_archive))];
                if !r.anon {
                    row.push(i(&m.to));
                    let star = if m.asked_for_by_name {
                        format!(" ★ {}", r.t("mkt.by_name"))
                    } else {
                        String::new()
                    };
                    row.push(format!("{}{star}", i(&m.from.join(", "))));
                }
                row.push(format!("{}{}", i(&off.topic), late(r, off.after_archive)));
                Some(row)
            })
            .collect();
        table(o, &header, &rows);
    }
    w!(o, "#### {}\n", r.t("mkt.shared"));
    if r.market.shared_offers.is_empty() {
        empty(r, o);
    } else {
        for c in &r.market.shared_offers {
            let who = r
                .names(&c.people)
                .map(|n| i(&n))
                .unwrap_or_else(|| r.s.f("mkt.n_people", &[("n", &c.people.len().to_string())]));
            w!(o, "- **{}** — {who}", i(&c.topics.join(" / ")));
        }
        w!(o);
    }
    w!(o, "#### {}\n", r.t("mkt.unmet"));
    if r.market.unmet_requests.is_empty() {
        empty(r, o);
    } else {
        for id in &r.market.unmet_requests {
            if let Some(req) = r.request(id) {
                let who = r
                    .person_name(&req.person)
                    .map(|n| format!(" — {}", i(&n)))
                    .unwrap_or_default();
                w!(o, "- {}{who}{}", i(&req.topic), late(r, req.after_archive));
            }
        }
        w!(o);
    }
    w!(o, "#### {}\n", r.t("mkt.offers"));
    if v.offers.is_empty() {
        empty(r, o);
    } else {
        for off in &v.offers {
            let who = r
                .names(&off.people)
                .map(|n| format!(" — {}", i(&n)))
                .unwrap_or_default();
            let tags = tags_md(&off.tags);
            w!(
                o,
                "- {}{who}{tags}{}",
                i(&off.topic),
                late(r, off.after_archive)
            );
        }
        w!(o);
    }
    w!(o, "#### {}\n", r.t("mkt.requests"));
    if v.requests.is_empty() {
        empty(r, o);
    } else {
        for req in &v.requests {
            let mut who = r
                .person_name(&req.person)
                .map(|n| format!(" — {}", i(&n)))
                .unwrap_or_default();
            if let Some(f) = r.names(&req.from_whom) {
                who.push_str(&format!(
                    " ({})",
                    r.s.f("mkt.from_whom", &[("names", &i(&f))])
                ));
            }
            let tags = tags_md(&req.tags);
            w!(
                o,
                "- {}{who}{tags}{}",
                i(&req.topic),
                late(r, req.after_archive)
            );
        }
        w!(o);
    }
}

fn tags_md(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!(" `{}`", t.replace('`', "'")))
        .collect()
}
