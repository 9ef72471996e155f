//! Integration tests of chainlens-sim, one binary (see STYLE.md §6).

mod boario;
mod cascade;
mod support;
