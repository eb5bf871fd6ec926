//! The organization's pipeline settings (admins): the stages of the board and the
//! rejection reasons. Stages can be added, renamed, reordered and removed; the outcomes
//! (Hired, Rejected, Withdrawn) can be renamed but always exist, after the stages. A
//! stage that still holds applications cannot be removed, nor the last stage or the
//! last reason. Removed entries are kept (inactive) for the history that names them.

mod api;
pub mod page;

#[cfg(feature = "ssr")]
pub mod data;

pub use api::*;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::StageKind;
use crate::error::AppError;

/// Which of the two lists a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingList {
    Stages,
    Reasons,
}

impl SettingList {
    pub fn parse(value: &str) -> Result<Self, AppError> {
        match value {
            "stages" => Ok(Self::Stages),
            "reasons" => Ok(Self::Reasons),
            _ => Err(AppError::invalid("Choose stages or rejection reasons.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stages => "stages",
            Self::Reasons => "reasons",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Stages => "stage",
            Self::Reasons => "rejection reason",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSetting {
    pub id: Uuid,
    pub name: String,
    pub kind: StageKind,
    /// Applications in the stage now, over all requisitions.
    pub applications: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonSetting {
    pub id: Uuid,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSettings {
    pub stages: Vec<StageSetting>,
    pub reasons: Vec<ReasonSetting>,
}

pub const NAME_MAX: usize = 60;

/// A stage name or reason label as typed: trimmed, not empty, not too long.
pub fn parse_name(list: SettingList, value: &str) -> Result<String, AppError> {
    let value = crate::input::bounded(&format!("the {}", list.noun()), value, NAME_MAX)?;
    if value.is_empty() {
        return Err(AppError::invalid(format!(
            "Give the {} a name.",
            list.noun()
        )));
    }
    Ok(value)
}

/// Why an entry may not be removed, if it may not.
pub fn removal_refused(
    list: SettingList,
    kind: Option<StageKind>,
    applications: i64,
    remaining: usize,
) -> Option<String> {
    match list {
        SettingList::Stages if kind != Some(StageKind::Active) => Some(
            "Hired, Rejected and Withdrawn are outcomes every pipeline needs: rename them instead."
                .into(),
        ),
        SettingList::Stages if applications > 0 => Some(format!(
            "{applications} application{} still in this stage: move {} to another stage first.",
            if applications == 1 { " is" } else { "s are" },
            if applications == 1 { "it" } else { "them" },
        )),
        _ if remaining <= 1 => Some(format!("Keep at least one {}.", list.noun())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            parse_name(SettingList::Stages, "  Final round ").unwrap(),
            "Final round"
        );
        assert!(parse_name(SettingList::Stages, "   ").is_err());
        assert!(parse_name(SettingList::Reasons, &"x".repeat(61)).is_err());
    }

    #[test]
    fn outcomes_busy_stages_and_the_last_entry_stay() {
        let active = Some(StageKind::Active);
        assert!(removal_refused(SettingList::Stages, Some(StageKind::Hired), 0, 5).is_some());
        let busy = removal_refused(SettingList::Stages, active, 3, 5).unwrap();
        assert!(busy.starts_with("3 applications are"), "{busy}");
        assert!(removal_refused(SettingList::Stages, active, 0, 1).is_some());
        assert_eq!(removal_refused(SettingList::Stages, active, 0, 2), None);
        assert!(removal_refused(SettingList::Reasons, None, 0, 1).is_some());
        assert_eq!(removal_refused(SettingList::Reasons, None, 0, 2), None);
    }
}
