//! Handlebars helpers (filled in by the helpers work).
