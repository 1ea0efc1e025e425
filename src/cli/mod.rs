//! The binary's own modules: the command line, planning a batch, running it,
//! and writing files safely. The library knows nothing of these.
pub mod alloc;
pub mod args;
pub mod plan;
pub mod preview;
pub mod run;
pub mod templates;
pub mod write;
