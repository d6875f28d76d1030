//! Errors of the report.

/// What can go wrong while making a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The compiled-in translation files or question texts cannot be read (a build defect).
    #[error("built-in report assets are damaged: {0}")]
    Assets(String),
    /// A language that is not supported.
    #[error("unknown report language \"{0}\" (expected nl or en)")]
    UnknownLang(String),
    /// Writing CSV failed.
    #[error("could not write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Writing JSON failed.
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing a Word document failed.
    #[error("could not write the Word document: {0}")]
    Docx(String),
}

impl From<leerrijk_model::ModelError> for ReportError {
    fn from(e: leerrijk_model::ModelError) -> Self {
        ReportError::Assets(e.to_string())
    }
}
