//! `new`, `list`, `show`, `phase`.

use leerrijk_model::Role;

use crate::exit::user_error;
use crate::library::Library;

pub fn new(
    lib: &Library,
    title: &str,
    initiator: &str,
    school: &str,
    role: &str,
) -> anyhow::Result<()> {
    let role = Role::parse(role)?;
    let session = lib.create(title, school, initiator, role)?;
    crate::cli::outln!("{}", session.trajectory().id());
    Ok(())
}

pub fn list(lib: &Library) -> anyhow::Result<()> {
    for id in lib.list()? {
        match lib.open_trajectory(id.as_str()) {
            Ok(s) => crate::cli::outln!("{}\t{}", id, s.trajectory().view().title),
            Err(e) => eprintln!("leerrijk: {id}: {}", crate::exit::one_line(&e)),
        }
    }
    Ok(())
}

pub fn show(lib: &Library, id: &str, json: bool) -> anyhow::Result<()> {
    let session = lib.open_trajectory(id)?;
    let v = session.trajectory().view();
    if json {
        crate::cli::outln!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    crate::cli::outln!(
        "{} — {}",
        v.title,
        if v.school.is_empty() { "-" } else { &v.school }
    );
    crate::cli::outln!("id: {}", v.id);
    crate::cli::outln!("phase: {}", v.phase);
    if let Some(name) = v.initiator_name() {
        crate::cli::outln!("initiator: {name}");
    }
    if v.archived.is_some() {
        crate::cli::outln!("archived (read-only)");
    }
    crate::cli::outln!(
        "participants: {}",
        v.participants
            .iter()
            .map(|p| format!("{} ({})", p.name, p.role.slug()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    crate::cli::outln!(
        "stories: {}, logbook entries: {}, images: {}, themes: {}, post-its: {}, groups: {}, actions: {}, offers: {}, requests: {}",
        v.stories.len(),
        v.logbook.len(),
        v.images.len(),
        v.themes.len(),
        v.postits.len(),
        v.groups.len(),
        v.actions.len(),
        v.offers.len(),
        v.requests.len()
    );
    Ok(())
}

pub fn phase(lib: &Library, id: &str, phase: i64) -> anyhow::Result<()> {
    let mut session = lib.open_trajectory(id)?;
    let me = session
        .me(lib.device_id())
        .ok_or_else(|| user_error("this device is not registered for anyone in this trajectory; only the initiator may move the phase"))?;
    session.edit(|t| t.set_phase(&me, phase))?;
    Ok(())
}
