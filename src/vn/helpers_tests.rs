//! Helper tests.
