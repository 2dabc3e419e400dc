//! Unit tests of `profile init`'s guesses.
