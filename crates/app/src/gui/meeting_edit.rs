//! [`MeetingEdit`]: the document changes of the meeting phases (3 exchange, 4 focus and choose,
//! 5 action) and of the initiator's meeting controls. They reach the model only through
//! [`Edit::Meeting`](super::command::Edit::Meeting) and [`Edit::apply`](super::command::Edit::apply).
//!
//! Applying one also yields its **inverse** (the edit that undoes it), computed from the read
//! view as it was just before; the executor keeps those on this device's undo stack, so undo
//! only ever reverses edits made here, never another person's.

use leerrijk_model::{
    ActionStatus, ModelError, NewAction, NewPostIt, Polarity, Trajectory, TrajectoryView,
};

/// One change in the meeting phases.
#[derive(Clone, Debug, PartialEq)]
pub enum MeetingEdit {
    /// Add a core theme to one of the two columns.
    AddTheme {
        /// Title.
        title: String,
        /// Positive (bevorderend) or negative (belemmerend).
        polarity: Polarity,
    },
    /// Rename a theme (also how one of two concurrent names is chosen).
    RenameTheme {
        /// Theme id.
        theme: String,
        /// The new title.
        title: String,
    },
    /// Move a theme to the other column.
    SetThemePolarity {
        /// Theme id.
        theme: String,
        /// Its new polarity.
        polarity: Polarity,
    },
    /// Remove a theme (its post-its return to the loose pile).
    DeleteTheme {
        /// Theme id.
        theme: String,
    },
    /// Bring back a removed theme.
    RestoreTheme {
        /// Theme id.
        theme: String,
    },
    /// Write a post-it.
    AddPostIt {
        /// The one point it makes.
        text: String,
        /// Theme to stick it on right away.
        theme: Option<String>,
        /// Hide the author from everyone.
        anonymous: bool,
        /// Colour name.
        colour: String,
        /// Participant id of the author when the initiator writes it for someone without a
        /// laptop (`None`: this device's participant).
        on_behalf_of: Option<String>,
    },
    /// Stick a post-it on a theme (`None`: back to the loose pile).
    MovePostIt {
        /// Post-it id.
        postit: String,
        /// Target theme.
        theme: Option<String>,
    },
    /// Change a post-it's text.
    SetPostItText {
        /// Post-it id.
        postit: String,
        /// The new text.
        text: String,
    },
    /// Remove a post-it.
    DeletePostIt {
        /// Post-it id.
        postit: String,
    },
    /// Bring back a removed post-it.
    RestorePostIt {
        /// Post-it id.
        postit: String,
        /// Its text (a removal blanks it in the document).
        text: String,
    },
    /// Hide (or show) the authors of all post-its (initiator).
    SetHideAuthors(bool),
    /// Start a round of silent writing: new post-its face down until revealed (initiator).
    StartSilentWriting,
    /// Reveal the post-its written so far (initiator).
    RevealNotes,
    /// Form ranking groups: (name, member participant ids) each.
    AddGroups {
        /// The groups to form.
        groups: Vec<(String, Vec<String>)>,
    },
    /// Remove groups.
    DeleteGroups {
        /// Group ids.
        groups: Vec<String>,
    },
    /// Bring back removed groups.
    RestoreGroups {
        /// Group ids.
        groups: Vec<String>,
    },
    /// Rename a group.
    RenameGroup {
        /// Group id.
        group: String,
        /// The new name.
        name: String,
    },
    /// Put someone in a group or take them out.
    SetGroupMember {
        /// Group id.
        group: String,
        /// Participant id.
        participant: String,
        /// In (`true`) or out.
        member: bool,
    },
    /// Place a theme strip at a position in a group's order (0 = top).
    RankTheme {
        /// Group id.
        group: String,
        /// Theme id.
        theme: String,
        /// Position, 0 = most important.
        position: usize,
    },
    /// Take a theme strip out of a group's order.
    UnrankTheme {
        /// Group id.
        group: String,
        /// Theme id.
        theme: String,
    },
    /// Replace a group's whole order.
    SetRanking {
        /// Group id.
        group: String,
        /// Theme ids, top first.
        themes: Vec<String>,
    },
    /// Add an action.
    AddAction {
        /// What will be done.
        text: String,
        /// Owner (participant id).
        owner: Option<String>,
        /// Due date, `YYYY-MM-DD`.
        due: Option<String>,
        /// The theme it serves.
        theme: Option<String>,
    },
    /// Change an action's status.
    SetActionStatus {
        /// Action id.
        action: String,
        /// The new status.
        status: ActionStatus,
    },
    /// Change an action's text.
    SetActionText {
        /// Action id.
        action: String,
        /// The new text.
        text: String,
    },
    /// Set an action's owner, due date and theme.
    SetActionDetails {
        /// Action id.
        action: String,
        /// Owner (participant id).
        owner: Option<String>,
        /// Due date, `YYYY-MM-DD`.
        due: Option<String>,
        /// Theme id.
        theme: Option<String>,
    },
    /// Remove an action.
    DeleteAction {
        /// Action id.
        action: String,
    },
    /// Bring back a removed action.
    RestoreAction {
        /// Action id.
        action: String,
    },
    /// Put an offer on the marketplace's "aanbod" sheet.
    AddOffer {
        /// The expertise.
        topic: String,
        /// Who offers it (names).
        people: Vec<String>,
    },
    /// Add a name to an offer ("I can offer that too").
    JoinOffer {
        /// Offer id.
        offer: String,
        /// Name.
        person: String,
    },
    /// Take a name off an offer.
    LeaveOffer {
        /// Offer id.
        offer: String,
        /// Name.
        person: String,
    },
    /// Remove an offer.
    DeleteOffer {
        /// Offer id.
        offer: String,
    },
    /// Bring back a removed offer.
    RestoreOffer {
        /// Offer id.
        offer: String,
        /// Its topic (a removal blanks it in the document).
        topic: String,
    },
    /// Put a request on the "vraag" sheet.
    AddRequest {
        /// What someone wants to learn.
        topic: String,
        /// Who asks (name).
        person: String,
        /// From whom they would like to learn it (names).
        from_whom: Vec<String>,
    },
    /// Remove a request.
    DeleteRequest {
        /// Request id.
        request: String,
    },
    /// Bring back a removed request.
    RestoreRequest {
        /// Request id.
        request: String,
        /// Its topic (a removal blanks it in the document).
        topic: String,
    },
    /// Start the shared workshop timer.
    StartTimer {
        /// Minutes.
        minutes: i64,
    },
    /// Stop the workshop timer.
    StopTimer,
}

/// `me` or the model's "initiator only" error.
fn actor<'a>(me: Option<&'a str>, what: &'static str) -> Result<&'a str, ModelError> {
    me.ok_or(ModelError::NotInitiator(what))
}

impl MeetingEdit {
    /// Applies the edit as participant `me`. `before` is the read view just before the edit
    /// (the cached one); with it, the result carries the edit that undoes this one, if there
    /// is one (starting a silent round or revealing notes cannot be undone).
    pub fn apply(
        self,
        t: &mut Trajectory,
        me: Option<&str>,
        before: Option<&TrajectoryView>,
    ) -> Result<Option<MeetingEdit>, ModelError> {
        use MeetingEdit as E;
        let b = before;
        Ok(match self {
            E::AddTheme { title, polarity } => {
                let id = t.add_theme(&title, polarity, me)?;
                Some(E::DeleteTheme { theme: id })
            }
            E::RenameTheme { theme, title } => {
                t.rename_theme(&theme, &title)?;
                b.and_then(|v| v.theme(&theme))
                    .filter(|old| old.title != title || !old.title_conflicts.is_empty())
                    .map(|old| E::RenameTheme {
                        theme: theme.clone(),
                        title: old.title.clone(),
                    })
            }
            E::SetThemePolarity { theme, polarity } => {
                t.set_theme_polarity(&theme, polarity)?;
                b.and_then(|v| v.theme(&theme))
                    .filter(|old| old.polarity != polarity)
                    .map(|old| E::SetThemePolarity {
                        theme: theme.clone(),
                        polarity: old.polarity,
                    })
            }
            E::DeleteTheme { theme } => {
                t.delete_theme(&theme)?;
                Some(E::RestoreTheme { theme })
            }
            E::RestoreTheme { theme } => {
                t.restore_theme(&theme)?;
                Some(E::DeleteTheme { theme })
            }
            E::AddPostIt {
                text,
                theme,
                anonymous,
                colour,
                on_behalf_of,
            } => {
                let author = match on_behalf_of {
                    Some(someone) if me != Some(someone.as_str()) => {
                        let me = actor(me, "write for someone else")?;
                        if !t.is_initiator(me) {
                            return Err(ModelError::NotInitiator("write for someone else"));
                        }
                        Some(someone)
                    }
                    _ => me.map(str::to_owned),
                };
                let id = t.add_postit(NewPostIt {
                    text,
                    theme,
                    author,
                    anonymous,
                    colour: Some(colour),
                })?;
                Some(E::DeletePostIt { postit: id })
            }
            E::MovePostIt { postit, theme } => {
                t.move_postit(&postit, theme.as_deref())?;
                b.and_then(|v| v.postits.iter().find(|p| p.id == postit))
                    .filter(|old| old.theme != theme || !old.theme_conflicts.is_empty())
                    .map(|old| E::MovePostIt {
                        postit: postit.clone(),
                        theme: old.theme.clone(),
                    })
            }
            E::SetPostItText { postit, text } => {
                t.set_postit_text(&postit, &text)?;
                b.and_then(|v| v.postits.iter().find(|p| p.id == postit))
                    .filter(|old| old.text != text)
                    .map(|old| E::SetPostItText {
                        postit: postit.clone(),
                        text: old.text.clone(),
                    })
            }
            E::DeletePostIt { postit } => {
                t.delete_postit(&postit)?;
                b.and_then(|v| v.postits.iter().find(|p| p.id == postit))
                    .map(|old| E::RestorePostIt {
                        postit: postit.clone(),
                        text: old.text.clone(),
                    })
            }
            E::RestorePostIt { postit, text } => {
                t.restore_postit(&postit, &text)?;
                Some(E::DeletePostIt { postit })
            }
            E::SetHideAuthors(hide) => {
                t.set_hide_postit_authors(actor(me, "hide post-it authors")?, hide)?;
                b.filter(|v| v.hide_postit_authors != hide)
                    .map(|v| E::SetHideAuthors(v.hide_postit_authors))
            }
            E::StartSilentWriting => {
                t.start_silent_writing(actor(me, "start silent writing")?)?;
                None
            }
            E::RevealNotes => {
                t.reveal_notes(actor(me, "reveal the notes")?)?;
                None
            }
            E::AddGroups { groups } => {
                let mut ids = Vec::new();
                for (name, members) in groups {
                    ids.push(t.add_group(&name, &members)?);
                }
                Some(E::DeleteGroups { groups: ids })
            }
            E::DeleteGroups { groups } => {
                for g in &groups {
                    t.delete_group(g)?;
                }
                Some(E::RestoreGroups { groups })
            }
            E::RestoreGroups { groups } => {
                for g in &groups {
                    t.restore_group(g)?;
                }
                Some(E::DeleteGroups { groups })
            }
            E::RenameGroup { group, name } => {
                t.rename_group(&group, &name)?;
                b.and_then(|v| v.groups.iter().find(|g| g.id == group))
                    .filter(|old| old.name != name)
                    .map(|old| E::RenameGroup {
                        group: group.clone(),
                        name: old.name.clone(),
                    })
            }
            E::SetGroupMember {
                group,
                participant,
                member,
            } => {
                t.set_group_member(&group, &participant, member)?;
                b.and_then(|v| v.groups.iter().find(|g| g.id == group))
                    .filter(|old| old.members.contains(&participant) != member)
                    .map(|_| E::SetGroupMember {
                        group: group.clone(),
                        participant: participant.clone(),
                        member: !member,
                    })
            }
            E::RankTheme {
                group,
                theme,
                position,
            } => {
                t.rank_theme(&group, &theme, position)?;
                previous_ranking(b, &group)
            }
            E::UnrankTheme { group, theme } => {
                t.unrank_theme(&group, &theme)?;
                previous_ranking(b, &group)
            }
            E::SetRanking { group, themes } => {
                t.set_ranking(&group, &themes)?;
                previous_ranking(b, &group)
            }
            E::AddAction {
                text,
                owner,
                due,
                theme,
            } => {
                let id = t.add_action(NewAction {
                    text,
                    owner,
                    due,
                    theme,
                    status: ActionStatus::Open,
                })?;
                Some(E::DeleteAction { action: id })
            }
            E::SetActionStatus { action, status } => {
                t.set_action_status(&action, status)?;
                b.and_then(|v| v.actions.iter().find(|a| a.id == action))
                    .filter(|old| old.status != status)
                    .map(|old| E::SetActionStatus {
                        action: action.clone(),
                        status: old.status,
                    })
            }
            E::SetActionText { action, text } => {
                t.set_action_text(&action, &text)?;
                b.and_then(|v| v.actions.iter().find(|a| a.id == action))
                    .filter(|old| old.text != text)
                    .map(|old| E::SetActionText {
                        action: action.clone(),
                        text: old.text.clone(),
                    })
            }
            E::SetActionDetails {
                action,
                owner,
                due,
                theme,
            } => {
                t.set_action_details(&action, owner.as_deref(), due.as_deref(), theme.as_deref())?;
                b.and_then(|v| v.actions.iter().find(|a| a.id == action))
                    .filter(|old| old.owner != owner || old.due != due || old.theme != theme)
                    .map(|old| E::SetActionDetails {
                        action: action.clone(),
                        owner: old.owner.clone(),
                        due: old.due.clone(),
                        theme: old.theme.clone(),
                    })
            }
            E::DeleteAction { action } => {
                t.delete_action(&action)?;
                Some(E::RestoreAction { action })
            }
            E::RestoreAction { action } => {
                t.restore_action(&action)?;
                Some(E::DeleteAction { action })
            }
            E::AddOffer { topic, people } => {
                let id = t.add_offer(&topic, &people, &[])?;
                Some(E::DeleteOffer { offer: id })
            }
            E::JoinOffer { offer, person } => {
                t.add_offer_person(&offer, &person)?;
                let was_on = b
                    .and_then(|v| v.offers.iter().find(|o| o.id == offer))
                    .is_some_and(|o| o.people.iter().any(|p| p.trim() == person.trim()));
                (!was_on && b.is_some()).then(|| E::LeaveOffer {
                    offer: offer.clone(),
                    person: person.trim().to_owned(),
                })
            }
            E::LeaveOffer { offer, person } => {
                t.remove_offer_person(&offer, &person)?;
                Some(E::JoinOffer { offer, person })
            }
            E::DeleteOffer { offer } => {
                t.delete_offer(&offer)?;
                b.and_then(|v| v.offers.iter().find(|o| o.id == offer))
                    .map(|old| E::RestoreOffer {
                        offer: offer.clone(),
                        topic: old.topic.clone(),
                    })
            }
            E::RestoreOffer { offer, topic } => {
                t.restore_offer(&offer, &topic)?;
                Some(E::DeleteOffer { offer })
            }
            E::AddRequest {
                topic,
                person,
                from_whom,
            } => {
                let id = t.add_request(&topic, &person, &from_whom, &[])?;
                Some(E::DeleteRequest { request: id })
            }
            E::DeleteRequest { request } => {
                t.delete_request(&request)?;
                b.and_then(|v| v.requests.iter().find(|r| r.id == request))
                    .map(|old| E::RestoreRequest {
                        request: request.clone(),
                        topic: old.topic.clone(),
                    })
            }
            E::RestoreRequest { request, topic } => {
                t.restore_request(&request, &topic)?;
                Some(E::DeleteRequest { request })
            }
            E::StartTimer { minutes } => {
                t.start_workshop_timer(minutes)?;
                b.filter(|v| v.workshop_timer.is_none())
                    .map(|_| E::StopTimer)
            }
            E::StopTimer => {
                t.stop_workshop_timer()?;
                None
            }
        })
    }
}

/// The edit that puts a group's order back as it was.
fn previous_ranking(before: Option<&TrajectoryView>, group: &str) -> Option<MeetingEdit> {
    before
        .and_then(|v| v.groups.iter().find(|g| g.id == group))
        .map(|g| MeetingEdit::SetRanking {
            group: group.to_owned(),
            themes: g.ranking.clone(),
        })
}

#[cfg(test)]
mod tests {
    use leerrijk_model::{Clock, Role};

    use super::*;

    /// Applies `e` and then its inverse; returns the view after the edit.
    fn round_trip(t: &mut Trajectory, me: &str, e: MeetingEdit) -> TrajectoryView {
        let before = t.view();
        let inverse = e.apply(t, Some(me), Some(&before)).unwrap().unwrap();
        let after = t.view();
        inverse.apply(t, Some(me), Some(&after)).unwrap();
        let back = t.view();
        assert_eq!(back.themes, before.themes);
        assert_eq!(back.postits, before.postits);
        assert_eq!(back.groups, before.groups);
        assert_eq!(back.actions, before.actions);
        assert_eq!(back.offers, before.offers);
        assert_eq!(back.requests, before.requests);
        assert_eq!(back.hide_postit_authors, before.hide_postit_authors);
        after
    }

    #[test]
    fn every_undoable_edit_is_undone_by_its_inverse() {
        let (mut t, me) =
            Trajectory::create("T", "S", "Anja", Role::Directie, Clock::manual(1)).unwrap();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let a = t.add_theme("Samen", Polarity::Positive, None).unwrap();
        let b = t.add_theme("Werkdruk", Polarity::Negative, None).unwrap();
        let p = t
            .add_postit(NewPostIt {
                text: "x".into(),
                ..Default::default()
            })
            .unwrap();
        let g = t.add_group("G", std::slice::from_ref(&me)).unwrap();
        t.set_ranking(&g, std::slice::from_ref(&a)).unwrap();
        let act = t
            .add_action(NewAction {
                text: "doen".into(),
                owner: None,
                due: None,
                theme: None,
                status: ActionStatus::Open,
            })
            .unwrap();
        let o = t.add_offer("Digibord", &["Bram".into()], &[]).unwrap();
        let r = t.add_request("Rekenen", "Els", &[], &[]).unwrap();
        use MeetingEdit as E;
        let edits = vec![
            E::AddTheme {
                title: "Nieuw".into(),
                polarity: Polarity::Positive,
            },
            E::RenameTheme {
                theme: a.clone(),
                title: "Samen lesgeven".into(),
            },
            E::SetThemePolarity {
                theme: a.clone(),
                polarity: Polarity::Negative,
            },
            E::DeleteTheme { theme: b.clone() },
            E::AddPostIt {
                text: "punt".into(),
                theme: Some(a.clone()),
                anonymous: true,
                colour: "pink".into(),
                on_behalf_of: Some(bram.clone()),
            },
            E::MovePostIt {
                postit: p.clone(),
                theme: Some(b.clone()),
            },
            E::SetPostItText {
                postit: p.clone(),
                text: "y".into(),
            },
            E::DeletePostIt { postit: p.clone() },
            E::SetHideAuthors(true),
            E::AddGroups {
                groups: vec![("H".into(), vec![bram.clone()])],
            },
            E::DeleteGroups {
                groups: vec![g.clone()],
            },
            E::RenameGroup {
                group: g.clone(),
                name: "Groep A".into(),
            },
            E::SetGroupMember {
                group: g.clone(),
                participant: bram.clone(),
                member: true,
            },
            E::RankTheme {
                group: g.clone(),
                theme: b.clone(),
                position: 0,
            },
            E::UnrankTheme {
                group: g.clone(),
                theme: a.clone(),
            },
            E::SetRanking {
                group: g.clone(),
                themes: vec![b.clone(), a.clone()],
            },
            E::AddAction {
                text: "meer".into(),
                owner: Some(bram.clone()),
                due: Some("2027-03-01".into()),
                theme: Some(a.clone()),
            },
            E::SetActionStatus {
                action: act.clone(),
                status: ActionStatus::Done,
            },
            E::SetActionText {
                action: act.clone(),
                text: "anders".into(),
            },
            E::SetActionDetails {
                action: act.clone(),
                owner: Some(me.clone()),
                due: None,
                theme: Some(b.clone()),
            },
            E::DeleteAction {
                action: act.clone(),
            },
            E::AddOffer {
                topic: "Rekenen".into(),
                people: vec!["Anja".into()],
            },
            E::JoinOffer {
                offer: o.clone(),
                person: "Sanne".into(),
            },
            E::DeleteOffer { offer: o.clone() },
            E::AddRequest {
                topic: "Digibord".into(),
                person: "Piet".into(),
                from_whom: vec!["Bram".into()],
            },
            E::DeleteRequest { request: r.clone() },
        ];
        for e in edits {
            round_trip(&mut t, &me, e);
        }
        // The timer: starting undoes by stopping.
        let before = t.view();
        let inv = E::StartTimer { minutes: 20 }
            .apply(&mut t, Some(&me), Some(&before))
            .unwrap();
        assert_eq!(inv, Some(E::StopTimer));
    }

    #[test]
    fn only_the_initiator_writes_for_someone_else() {
        let (mut t, me) =
            Trajectory::create("T", "S", "Anja", Role::Directie, Clock::manual(1)).unwrap();
        let bram = t.add_participant("Bram", Role::Leerkracht).unwrap();
        let els = t.add_participant("Els", Role::Ib).unwrap();
        let for_els = |who: &str| MeetingEdit::AddPostIt {
            text: "punt".into(),
            theme: None,
            anonymous: false,
            colour: "yellow".into(),
            on_behalf_of: Some(who.to_owned()),
        };
        assert!(matches!(
            for_els(&els).apply(&mut t, Some(&bram), None),
            Err(ModelError::NotInitiator(_))
        ));
        for_els(&els).apply(&mut t, Some(&me), None).unwrap();
        // Writing "for" oneself is just writing.
        for_els(&bram).apply(&mut t, Some(&bram), None).unwrap();
        let authors: Vec<Option<String>> = t.view().postits.into_iter().map(|p| p.author).collect();
        assert_eq!(authors, vec![Some(els), Some(bram)]);
    }
}
