//! `rent-audit diff`: month on month, findings new, resolved and still open.

#[allow(unused_imports)]
use super::*;
