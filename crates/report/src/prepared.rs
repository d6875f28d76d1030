//! Everything a renderer needs: the exported view, the analyses, the strings.

use leerrijk_model::analysis::{
    BrainCrackerTally, LogbookTotals, MarketMatching, RankingComparison, RedGreenDistribution,
    SharedSource, ThemeCount, brain_cracker_tally, compare_rankings, logbook_totals,
    market_matching, postits_per_theme, red_green_distribution, shared_satisfaction_sources,
};
use leerrijk_model::view::{Offer, Request, Story, Theme};
use leerrijk_model::{
    ActionStatus, AssignmentKind, Polarity, Quadrant, QuestionCatalog, Role, TrajectoryView,
};

use crate::i18n::Strings;
use crate::{ExportOptions, ReportError, anonymize};

/// The report's data, computed once and shared by the HTML, Markdown and CSV renderers.
pub(crate) struct Prepared {
    /// The exported view (privacy applied).
    pub v: TrajectoryView,
    /// Names are left out.
    pub anon: bool,
    /// The logbook is left out.
    pub no_logbook: bool,
    /// Times of day in local time (else UTC).
    pub local_time: bool,
    /// Strings of the chosen language.
    pub s: &'static Strings,
    /// Question texts.
    pub catalog: &'static QuestionCatalog,
    /// Red–green distribution.
    pub red_green: RedGreenDistribution,
    /// Logbook hours.
    pub logbook: LogbookTotals,
    /// Brain-crackers.
    pub brain: BrainCrackerTally,
    /// Shared sources of satisfaction.
    pub satisfaction: Vec<SharedSource>,
    /// Post-its per theme.
    pub postit_counts: Vec<ThemeCount>,
    /// Ranking comparison.
    pub ranking: RankingComparison,
    /// Marketplace matching.
    pub market: MarketMatching,
}

impl Prepared {
    pub(crate) fn new(view: &TrajectoryView, opts: &ExportOptions) -> Result<Self, ReportError> {
        let s = Strings::get(opts.lang)?;
        let catalog = QuestionCatalog::get()?;
        let placeholder = s.t("anon.redacted");
        let a = anonymize::analysis_view(view, opts, placeholder);
        Ok(Prepared {
            red_green: red_green_distribution(&a),
            logbook: logbook_totals(&a),
            brain: brain_cracker_tally(&a),
            satisfaction: shared_satisfaction_sources(&a),
            postit_counts: postits_per_theme(&a),
            ranking: compare_rankings(&a),
            market: market_matching(&a),
            v: anonymize::export_view(view, opts, placeholder),
            anon: opts.anonymous,
            no_logbook: opts.leave_out_logbook,
            local_time: opts.local_time,
            s,
            catalog,
        })
    }

    /// A timestamp (ms since the epoch) as date and time: local time, or UTC (marked).
    pub(crate) fn datetime_ms(&self, ms: i64) -> String {
        self.s.datetime_ms(ms, self.local_time)
    }

    /// Shorthand for a plain string.
    pub(crate) fn t(&self, key: &'static str) -> &'static str {
        self.s.t(key)
    }

    /// A participant's name by id (None when anonymous or unknown).
    pub(crate) fn person(&self, id: &str) -> Option<String> {
        if self.anon || id.is_empty() {
            return None;
        }
        Some(match self.v.participant(id) {
            Some(p) => p.name.clone(),
            None => self.t("person.unknown").to_owned(),
        })
    }

    /// A person named by name (marketplace), None when anonymous or empty.
    pub(crate) fn person_name(&self, name: &str) -> Option<String> {
        (!self.anon && !name.trim().is_empty()).then(|| name.to_owned())
    }

    /// Names joined with ", " (None when anonymous or empty).
    pub(crate) fn names(&self, names: &[String]) -> Option<String> {
        (!self.anon && !names.is_empty()).then(|| names.join(", "))
    }

    /// The assignment's title in the report language.
    pub(crate) fn assignment_title(&self, kind: AssignmentKind) -> String {
        self.catalog
            .assignment(kind)
            .map(|a| a.title.get(self.s.lang().code()).to_owned())
            .unwrap_or_else(|| kind.slug().to_owned())
    }

    /// The assignment's introduction in the report language.
    pub(crate) fn assignment_intro(&self, kind: AssignmentKind) -> String {
        self.catalog
            .assignment(kind)
            .map(|a| a.intro.get(self.s.lang().code()).to_owned())
            .unwrap_or_default()
    }

    /// A question's text (the id itself when unknown).
    pub(crate) fn question(&self, kind: AssignmentKind, qid: &str) -> String {
        self.catalog
            .assignment(kind)
            .and_then(|a| a.questions.iter().find(|q| q.id == qid))
            .map(|q| q.text(self.s.lang().code()).to_owned())
            .unwrap_or_else(|| qid.to_owned())
    }

    /// A story's answers in question order: (question text, answer). Empty answers are left out.
    pub(crate) fn answers(&self, story: &Story) -> Vec<(String, String)> {
        let order: Vec<String> = self
            .catalog
            .assignment(story.kind)
            .map(|a| a.questions.iter().map(|q| q.id.clone()).collect())
            .unwrap_or_default();
        let mut ids: Vec<&String> = story.answers.keys().collect();
        ids.sort_by_key(|id| order.iter().position(|o| o == *id).unwrap_or(usize::MAX));
        ids.into_iter()
            .filter_map(|id| {
                let a = story.answers.get(id)?;
                (!a.trim().is_empty()).then(|| (self.question(story.kind, id), a.clone()))
            })
            .collect()
    }

    /// Assignments with at least one shared story, in the publication's order.
    pub(crate) fn story_groups(&self) -> Vec<(AssignmentKind, Vec<&Story>)> {
        AssignmentKind::ALL
            .into_iter()
            .filter_map(|k| {
                let stories: Vec<&Story> = self.v.stories.iter().filter(|s| s.kind == k).collect();
                (!stories.is_empty()).then_some((k, stories))
            })
            .collect()
    }

    /// A theme's title (with every concurrent title when a rename conflict stands).
    pub(crate) fn theme_title(&self, id: &str) -> String {
        match self.v.theme(id) {
            Some(t) => theme_label(t),
            None => self.t("theme.unknown").to_owned(),
        }
    }

    /// Role name.
    pub(crate) fn role(&self, r: Role) -> &'static str {
        self.s.t(match r {
            Role::Leerkracht => "role.leerkracht",
            Role::Directie => "role.directie",
            Role::Ib => "role.ib",
            Role::Bouwcoordinator => "role.bouwcoordinator",
            Role::Onderwijsondersteuner => "role.onderwijsondersteuner",
            Role::Anders => "role.anders",
        })
    }

    /// Polarity name.
    pub(crate) fn polarity(&self, p: Polarity) -> &'static str {
        self.s.t(match p {
            Polarity::Positive => "polarity.positive",
            Polarity::Negative => "polarity.negative",
        })
    }

    /// Quadrant name.
    pub(crate) fn quadrant(&self, q: Quadrant) -> &'static str {
        self.s.t(match q {
            Quadrant::EasyFun => "quadrant.easy_fun",
            Quadrant::EasyNotFun => "quadrant.easy_not_fun",
            Quadrant::HardFun => "quadrant.hard_fun",
            Quadrant::HardNotFun => "quadrant.hard_not_fun",
        })
    }

    /// Action status name.
    pub(crate) fn status(&self, st: ActionStatus) -> &'static str {
        self.s.t(match st {
            ActionStatus::Open => "status.open",
            ActionStatus::Doing => "status.doing",
            ActionStatus::Done => "status.done",
        })
    }

    /// Phase title, 1–5.
    pub(crate) fn phase_title(&self, phase: u8) -> &'static str {
        self.s.t(match phase {
            1 => "phase.1",
            2 => "phase.2",
            3 => "phase.3",
            4 => "phase.4",
            _ => "phase.5",
        })
    }

    /// The planned date of a phase, in the report's date form.
    pub(crate) fn phase_date(&self, phase: u8) -> Option<String> {
        self.v
            .dates
            .get(&phase.to_string())
            .map(|d| self.s.iso_date(d))
    }

    /// Roles and how many participants have each (for the anonymous title page).
    pub(crate) fn role_counts(&self) -> Vec<(Role, usize)> {
        Role::ALL
            .iter()
            .map(|r| {
                (
                    *r,
                    self.v.participants.iter().filter(|p| p.role == *r).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Kendall's W in plain words.
    pub(crate) fn agreement_words(&self) -> String {
        match self.ranking.kendall_w {
            None => self.t("rank.w.none").to_owned(),
            Some(w) => {
                let key = if w >= 0.7 {
                    "rank.w.strong"
                } else if w >= 0.4 {
                    "rank.w.moderate"
                } else if w >= 0.2 {
                    "rank.w.weak"
                } else {
                    "rank.w.little"
                };
                self.s.f(
                    key,
                    &[
                        ("w", &self.s.num(w, 2)),
                        ("groups", &self.ranking.groups.len().to_string()),
                    ],
                )
            }
        }
    }

    /// An offer by id.
    pub(crate) fn offer(&self, id: &str) -> Option<&Offer> {
        self.v.offers.iter().find(|o| o.id == id)
    }

    /// A request by id.
    pub(crate) fn request(&self, id: &str) -> Option<&Request> {
        self.v.requests.iter().find(|r| r.id == id)
    }

    /// Offer topics that meet a request.
    pub(crate) fn offers_for_request(&self, request: &str) -> Vec<&Offer> {
        self.market
            .matches
            .iter()
            .filter(|m| m.request == request)
            .filter_map(|m| self.offer(&m.offer))
            .collect()
    }

    /// Request topics an offer meets.
    pub(crate) fn requests_for_offer(&self, offer: &str) -> Vec<&Request> {
        self.market
            .matches
            .iter()
            .filter(|m| m.offer == offer)
            .filter_map(|m| self.request(&m.request))
            .collect()
    }

    /// "n post-its" (singular for one, from `p3.count.one`).
    pub(crate) fn postit_count(&self, n: usize) -> String {
        self.s.f("p3.count", &[("n", &n.to_string())])
    }

    /// Colour name of a post-it.
    pub(crate) fn colour(&self, c: &str) -> String {
        match c {
            "yellow" => self.t("colour.yellow"),
            "pink" => self.t("colour.pink"),
            "green" => self.t("colour.green"),
            "blue" => self.t("colour.blue"),
            "orange" => self.t("colour.orange"),
            other => other,
        }
        .to_owned()
    }

    /// Number of items added after archiving.
    pub(crate) fn late_count(&self) -> usize {
        let v = &self.v;
        v.participants.iter().filter(|x| x.after_archive).count()
            + v.stories.iter().filter(|x| x.after_archive).count()
            + v.logbook.iter().filter(|x| x.after_archive).count()
            + v.images.iter().filter(|x| x.after_archive).count()
            + v.themes.iter().filter(|x| x.after_archive).count()
            + v.postits.iter().filter(|x| x.after_archive).count()
            + v.groups.iter().filter(|x| x.after_archive).count()
            + v.actions.iter().filter(|x| x.after_archive).count()
            + v.offers.iter().filter(|x| x.after_archive).count()
            + v.requests.iter().filter(|x| x.after_archive).count()
    }
}

/// A theme's title, with the other concurrent titles when a rename conflict stands.
pub(crate) fn theme_label(t: &Theme) -> String {
    let others: Vec<&str> = t
        .title_conflicts
        .iter()
        .filter(|c| **c != t.title)
        .map(String::as_str)
        .collect();
    if others.is_empty() {
        t.title.clone()
    } else {
        format!("{} / {}", t.title, others.join(" / "))
    }
}
