//! Vietnamese formatting (filled in by the helpers work).
