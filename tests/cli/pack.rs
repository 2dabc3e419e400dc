//! The HTML evidence packs as a browser shows them.

#[allow(unused_imports)]
use super::*;
