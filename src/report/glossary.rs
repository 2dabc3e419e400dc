//! What each finding kind, status, hold reason and warning means, what to
//! do about it, and an example: `explain` and the legends under tables.
