#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Two laptops in one process (two data directories, two hubs, live sync on loopback with
//! relays and mDNS off): Anja creates a trajectory and shows the invitation; Bram pastes it
//! into "Meedoen" and joins; both see who is online and which phase screen the other looks
//! at; bad invitations get a clear Dutch message and the window keeps working.

mod sync_support;

use std::time::Duration;

use egui::accesskit::Role as A11y;
use egui_kittest::kittest::Queryable;
use leerrijk_app::gui::{Dialog, JoinState, LiveSyncOptions, SyncPort};
use leerrijk_model::Role;
use leerrijk_sync::{DeviceId, JoinSecret, Ticket, TrajectoryId};
use sync_support::*;

#[test]
fn a_colleague_joins_by_pasting_the_invitation_and_presence_shows_both_ways() {
    let (mut a, id) = initiator(&[], 1);
    let mut b = colleague("Bram", Role::Leerkracht);
    // Before anyone else is there: looking for the team.
    assert!(a.shows_exactly("Team zoeken…"));

    // The invite dialog shows the real ticket (live addresses) as text and as a QR code.
    let ticket_text = ticket_from_invite_dialog(&mut a, &mut b);
    let ticket: Ticket = ticket_text.parse().unwrap();
    assert_eq!(ticket.trajectory.as_str(), id);
    assert_eq!(ticket.title, TITLE);
    assert_eq!(ticket.inviter, a.sync.handle().device_id());
    assert!(
        !ticket.addrs.is_empty(),
        "the ticket carries live addresses"
    );
    assert_eq!(ticket.addrs, a.sync.handle().addrs());
    a.h.get_by_label("QR-code met de uitnodiging");
    a.click("Sluiten");

    // Bram pastes it into "Meedoen" and joins.
    paste_and_join(&mut b, &ticket_text);
    wait_until(&mut a, &mut b, "Bram has the trajectory open", |_, b| {
        b.h.state().ui_state().open_trajectory.as_deref() == Some(id.as_str())
            && b.shows_exactly(TITLE)
    });
    assert_eq!(b.h.state().dialog(), None, "the join dialog closed");
    assert_eq!(b.sync.join_state(), JoinState::Joined(id.clone()));
    // He is a participant now, with his role, on both laptops.
    wait_until(&mut a, &mut b, "Anja's laptop lists Bram", |a, _| {
        a.view(&id)
            .participants
            .iter()
            .any(|p| p.name == "Bram" && p.role == Role::Leerkracht)
    });

    // Presence: each top bar names the other and the phase screen they look at.
    wait_until(&mut a, &mut b, "both top bars show the other", |a, b| {
        a.shows_exactly("1 online: Bram (fase 1)") && b.shows_exactly("1 online: Anja (fase 1)")
    });
    b.show_phase(2, "Ervaringen en voorbeelden verzamelen");
    wait_until(&mut a, &mut b, "Anja sees Bram look at phase 2", |a, _| {
        a.shows_exactly("1 online: Bram (fase 2)")
    });

    // The start screen says who is online per trajectory.
    a.click("‹  Mijn trajecten");
    wait_until(
        &mut a,
        &mut b,
        "Anja's start screen shows Bram online",
        |a, _| a.shows_exactly("Online: Bram"),
    );
    // Bram sees that Anja left the trajectory screen (no phase any more).
    wait_until(&mut a, &mut b, "Bram sees Anja without a phase", |_, b| {
        b.shows_exactly("1 online: Anja")
    });
}

/// A ticket that looks right but points to nobody (a device key nobody runs, a closed port).
fn ticket_for_nobody() -> String {
    let device: DeviceId = leerrijk_sync::device_id_for_key(&[42; 32]);
    Ticket {
        trajectory: TrajectoryId::new("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b").unwrap(),
        secret: JoinSecret([1; 32]),
        inviter: device,
        addrs: vec!["127.0.0.1:9".parse().unwrap()],
        relay: None,
        title: "Nergens".into(),
    }
    .to_string()
}

#[test]
fn bad_invitations_get_a_clear_dutch_message_and_the_window_keeps_working() {
    let options = LiveSyncOptions {
        join_timeout: Duration::from_secs(3),
        ..LiveSyncOptions::loopback()
    };
    let (mut a, id) = initiator_with(&[], 1, LiveSyncOptions::loopback());
    let mut b = colleague_with("Bram", Role::Leerkracht, options);
    let good = ticket_from_invite_dialog(&mut a, &mut b);
    a.click("Sluiten");

    b.click("Meedoen met een uitnodiging");
    let field = |b: &mut Laptop, text: &str| {
        // Select all and replace, as a user pasting over the old text.
        b.h.get_by_role_and_label(A11y::MultilineTextInput, "Uitnodiging")
            .click();
        b.step();
        b.h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        b.step();
        b.h.get_by_role_and_label(A11y::MultilineTextInput, "Uitnodiging")
            .type_text(text);
        b.step();
        b.h.get_by_role_and_label(A11y::Button, "Meedoen").click();
        b.settle();
    };

    // Another app's link.
    field(&mut b, "https://example.org/join/abc");
    assert!(b.shows("Dit is geen geldige uitnodiging: dit is geen uitnodiging voor Leerrijk"));
    // Cut off.
    field(&mut b, &good[..good.len() - 12]);
    assert!(b.shows("de uitnodiging is niet compleet, er is een stuk afgeknipt"));
    // One character changed.
    let mut damaged = good.clone().into_bytes();
    let i = damaged.len() / 2;
    damaged[i] = if damaged[i] == b'a' { b'b' } else { b'a' };
    field(&mut b, &String::from_utf8(damaged).unwrap());
    assert!(b.shows("de uitnodiging is beschadigd"));
    assert_eq!(b.sync.join_state(), JoinState::Idle, "nothing was started");

    // Well-formed, but nobody answers: "joining…", then a clear message, no frozen window.
    field(&mut b, &ticket_for_nobody());
    assert!(b.shows("Verbinden met het team…"));
    wait_until(&mut a, &mut b, "the unreachable message", |_, b| {
        b.shows("Meedoen lukte niet: de laptop van wie je uitnodigde is niet te bereiken")
    });
    assert_eq!(b.h.state().dialog(), Some(Dialog::Join));
    assert!(b.hub.list().unwrap().is_empty(), "nothing was stored");

    // Anja's device, but a trajectory it does not have: refused at once.
    let mut foreign: Ticket = good.parse().unwrap();
    foreign.trajectory = TrajectoryId::new("0193a1b2-c3d4-7e5f-8a9b-000000000000").unwrap();
    foreign.secret = JoinSecret([9; 32]);
    field(&mut b, &foreign.to_string());
    wait_until(&mut a, &mut b, "the refused message", |_, b| {
        b.shows("Deze uitnodiging is verlopen of klopt niet")
    });
    assert!(b.hub.list().unwrap().is_empty(), "nothing was stored");

    // And the good invitation still works afterwards.
    field(&mut b, &good);
    wait_until(&mut a, &mut b, "Bram has the trajectory open", |_, b| {
        b.h.state().ui_state().open_trajectory.as_deref() == Some(id.as_str())
    });
}
