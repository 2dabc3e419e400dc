//! `rent-audit explain` and the legends under each table.

#[allow(unused_imports)]
use super::*;
