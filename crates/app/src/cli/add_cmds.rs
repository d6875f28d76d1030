//! `add ID <item> …`: scriptable edits. Each prints the id of what it added.

use clap::Subcommand;
use leerrijk_model::{
    ActionStatus, AssignmentKind, NewAction, NewLogbookEntry, NewPostIt, NewStory, Polarity,
    Quadrant, Role,
};

use crate::exit::user_error;
use crate::library::Library;

/// Items that can be added.
#[derive(Debug, Subcommand)]
pub enum AddItem {
    /// A core theme.
    Theme {
        /// Title.
        #[arg(long)]
        title: String,
        /// positive (bevorderend) or negative (belemmerend).
        #[arg(long)]
        polarity: String,
        /// Who adds it (name).
        #[arg(long)]
        by: Option<String>,
    },
    /// A post-it.
    Postit {
        /// The point.
        #[arg(long)]
        text: String,
        /// Theme id to stick it on.
        #[arg(long)]
        theme: Option<String>,
        /// Author (name).
        #[arg(long)]
        author: Option<String>,
        /// Write it as an anonymous note.
        #[arg(long)]
        anonymous: bool,
        /// Colour: yellow, pink, green, blue, orange.
        #[arg(long)]
        colour: Option<String>,
    },
    /// A marketplace offer.
    Offer {
        /// The expertise on offer.
        #[arg(long)]
        topic: String,
        /// Who offers it (repeatable).
        #[arg(long = "person", required = true)]
        people: Vec<String>,
        /// Tags for matching (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// A marketplace request.
    Request {
        /// What someone wants to learn.
        #[arg(long)]
        topic: String,
        /// Who asks.
        #[arg(long)]
        person: String,
        /// From whom they would like to learn it (repeatable).
        #[arg(long = "from")]
        from_whom: Vec<String>,
        /// Tags for matching (repeatable).
        #[arg(long = "tag")]
        tags: Vec<String>,
    },
    /// An action.
    Action {
        /// What will be done.
        #[arg(long)]
        text: String,
        /// Owner (name).
        #[arg(long)]
        owner: String,
        /// Due date, YYYY-MM-DD.
        #[arg(long)]
        due: Option<String>,
        /// Theme id it serves.
        #[arg(long)]
        theme: Option<String>,
        /// open, doing or done.
        #[arg(long, default_value = "open")]
        status: String,
    },
    /// A shared story (answers to a practice assignment).
    Story {
        /// red_green, satisfaction, brain_cracker, logbook or images.
        #[arg(long)]
        kind: String,
        /// Author (name).
        #[arg(long)]
        author: String,
        /// An answer as QID=TEXT, e.g. q1="De schoolmusical" (repeatable).
        #[arg(long = "answer", required = true)]
        answers: Vec<String>,
        /// The colleague interviewed.
        #[arg(long)]
        colleague: Option<String>,
        /// Brain-crackers: how often in the past week.
        #[arg(long)]
        times: Option<i64>,
    },
    /// A participant.
    Participant {
        /// Name.
        #[arg(long)]
        name: String,
        /// leerkracht, directie, ib, bouwcoordinator, onderwijsondersteuner or anders.
        #[arg(long)]
        role: String,
    },
    /// A red–green placement (prints the participant id).
    Placement {
        /// Who (name).
        #[arg(long)]
        person: String,
        /// 0 = 100% red … 100 = 100% green.
        #[arg(long, allow_hyphen_values = true)]
        value: i64,
        /// Optional note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// A logbook entry.
    Logbook {
        /// Author (name).
        #[arg(long)]
        author: String,
        /// easy_fun, easy_not_fun, hard_fun or hard_not_fun.
        #[arg(long)]
        quadrant: String,
        /// Hours.
        #[arg(long, allow_hyphen_values = true)]
        hours: f64,
        /// What it was.
        #[arg(long)]
        text: String,
    },
    /// A group's ranking of the themes, top first (creates the group if needed; prints its id).
    Ranking {
        /// Group name.
        #[arg(long)]
        group: String,
        /// Theme ids, comma-separated, most important first.
        #[arg(long, value_delimiter = ',')]
        themes: Vec<String>,
    },
}

fn parse_answer(s: &str) -> anyhow::Result<(String, String)> {
    match s.split_once('=') {
        Some((q, a)) if !q.trim().is_empty() => Ok((q.trim().to_owned(), a.to_owned())),
        _ => Err(user_error(format!(
            "answer must look like QID=TEXT (e.g. q1=...), got: {s}"
        ))),
    }
}

/// Runs `add`.
pub fn add(lib: &Library, id: &str, item: AddItem) -> anyhow::Result<()> {
    let mut s = lib.open_trajectory(id)?;
    let new_id = match item {
        AddItem::Theme {
            title,
            polarity,
            by,
        } => {
            let polarity = Polarity::parse(&polarity)?;
            s.edit(|t| {
                let by = by.as_deref().map(|n| t.ensure_participant(n)).transpose()?;
                t.add_theme(&title, polarity, by.as_deref())
            })?
        }
        AddItem::Postit {
            text,
            theme,
            author,
            anonymous,
            colour,
        } => {
            let (postit, author) = s.edit(|t| {
                let author = author
                    .as_deref()
                    .map(|n| t.ensure_participant(n))
                    .transpose()?;
                let postit = t.add_postit(NewPostIt {
                    text,
                    theme,
                    author: author.clone(),
                    anonymous,
                    colour,
                })?;
                Ok((postit, author))
            })?;
            if let Some(author) = author.filter(|_| anonymous) {
                lib.remember_own_postits(id, &[(postit.to_string(), author.to_string())])?;
            }
            postit
        }
        AddItem::Offer {
            topic,
            people,
            tags,
        } => s.edit(|t| t.add_offer(&topic, &people, &tags))?,
        AddItem::Request {
            topic,
            person,
            from_whom,
            tags,
        } => s.edit(|t| t.add_request(&topic, &person, &from_whom, &tags))?,
        AddItem::Action {
            text,
            owner,
            due,
            theme,
            status,
        } => {
            let status = ActionStatus::parse(&status)?;
            s.edit(|t| {
                let owner = Some(t.ensure_participant(&owner)?);
                t.add_action(NewAction {
                    text,
                    owner,
                    due,
                    theme,
                    status,
                })
            })?
        }
        AddItem::Story {
            kind,
            author,
            answers,
            colleague,
            times,
        } => {
            let kind = AssignmentKind::parse(&kind)?;
            let answers = answers
                .iter()
                .map(|a| parse_answer(a))
                .collect::<anyhow::Result<Vec<_>>>()?;
            s.edit(|t| {
                let author = t.ensure_participant(&author)?;
                t.add_story(NewStory {
                    kind,
                    author,
                    colleague,
                    times_past_week: times,
                    answers,
                })
            })?
        }
        AddItem::Participant { name, role } => {
            let role = Role::parse(&role)?;
            s.edit(|t| t.add_participant(&name, role))?
        }
        AddItem::Placement {
            person,
            value,
            note,
        } => s.edit(|t| {
            if !(0..=100).contains(&value) {
                return Err(leerrijk_model::ModelError::PlacementOutOfRange(value));
            }
            let p = t.ensure_participant(&person)?;
            t.set_placement(&p, value, &note)?;
            Ok(p)
        })?,
        AddItem::Logbook {
            author,
            quadrant,
            hours,
            text,
        } => {
            let quadrant = Quadrant::parse(&quadrant)?;
            s.edit(|t| {
                let author = t.ensure_participant(&author)?;
                t.add_logbook_entry(NewLogbookEntry {
                    author,
                    quadrant,
                    hours,
                    text,
                })
            })?
        }
        AddItem::Ranking { group, themes } => {
            let themes: Vec<String> = themes
                .into_iter()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect();
            s.edit(|t| {
                let g = match t.find_group_by_name(&group) {
                    Some(g) => g,
                    None => t.add_group(&group, &[])?,
                };
                t.set_ranking(&g, &themes)?;
                Ok(g)
            })?
        }
    };
    crate::cli::outln!("{new_id}");
    Ok(())
}
