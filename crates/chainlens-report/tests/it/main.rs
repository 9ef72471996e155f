//! Integration tests of the report crate, one binary.

mod fixture;
mod histogram;
mod html;
mod workbook;
