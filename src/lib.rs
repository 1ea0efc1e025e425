//! baocao: Vietnamese official reports from TOML data and Handlebars templates.
pub mod helpers;
pub mod vn;
