//! How rows are held in memory: a landlord's files run to millions of rows,
//! so texts share one arena, lines and counted ids are held as runs, and
//! amounts take eight bytes. Nothing here knows what a row means.

pub mod amount;
pub mod counted;
pub mod digits;
pub mod lines;
pub mod text;
