//! Month on month: two JSON reports compared, finding by finding and
//! account by account.
