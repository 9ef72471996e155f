//! One module per command; each exposes `Args` (clap) and `run`.

pub mod import;
pub mod info;
pub mod init;
pub mod run;
pub mod validate;
