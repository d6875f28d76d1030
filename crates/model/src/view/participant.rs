use serde::Serialize;

use crate::Role;

/// A team member taking part in the trajectory.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Participant {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role in the school.
    pub role: Role,
    /// When they joined (ms since epoch).
    pub joined_at: i64,
    /// Device ids (iroh endpoint ids) acting for this participant.
    pub devices: Vec<String>,
    /// Added after the trajectory was archived.
    #[serde(skip_serializing_if = "super::is_false")]
    pub after_archive: bool,
}

/// A participant's position on the red–green continuum.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Placement {
    /// Participant id.
    pub participant: String,
    /// 0 = 100% red (narrowing), 100 = 100% green (learning).
    pub value: u8,
    /// Optional note.
    pub note: String,
    /// Last change (ms since epoch).
    pub updated_at: i64,
}
