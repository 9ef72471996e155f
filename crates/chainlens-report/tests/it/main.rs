//! Integration tests of the report crate, one binary.

mod fixture;
mod html;
mod workbook;
