//! Leerrijk report.
