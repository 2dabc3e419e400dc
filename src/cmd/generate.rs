//! `rent-audit generate`: the synthetic landlord (src/generate), built
//! only with the `generate` feature (on by default).

pub use crate::generate::run;
