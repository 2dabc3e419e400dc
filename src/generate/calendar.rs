//! The dates every account shares: the data's span, the Housing Benefit
//! runs, the April increase and the weeks rent is charged.

use super::*;

/// The dates every account shares.
pub(super) struct Calendar {
    pub(super) start: NaiveDate,
    pub(super) end: NaiveDate,
    pub(super) first_monday: NaiveDate,
    /// Housing Benefit runs: every 28 days from the first Monday, in arrears.
    pub(super) runs: Vec<NaiveDate>,
    /// The April rent increase, where two charges fall either side of it:
    /// (the first Monday of April for weekly rent, 1 April for monthly).
    pub(super) increase: Option<(NaiveDate, NaiveDate)>,
    /// The Mondays weekly rent is charged on: from the first, less the
    /// two rent-free weeks from Christmas.
    pub(super) weeks: Vec<NaiveDate>,
}

impl Calendar {
    pub(super) fn of(args: &GenerateArgs) -> Result<Calendar> {
        let start = args.start;
        let end = start
            .checked_add_months(Months::new(args.months))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| GenerateError::arguments("--months is too far ahead".into()))?;
        let first_monday =
            start + Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7));
        let runs = (1..)
            .map(|k| first_monday + Days::new(28 * k))
            .take_while(|d| *d <= end)
            .collect();
        let increase = (start.year()..=end.year())
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 4, 1))
            .find(|&april| {
                april
                    .checked_sub_months(Months::new(2))
                    .is_some_and(|d| d >= start)
                    && april
                        .checked_add_months(Months::new(2))
                        .is_some_and(|d| d <= end)
            })
            .map(|april| {
                let monday =
                    april + Days::new(u64::from((7 - april.weekday().num_days_from_monday()) % 7));
                (monday, april)
            });
        let rent_free: Vec<NaiveDate> = (start.year()..=end.year())
            .filter_map(|y| NaiveDate::from_ymd_opt(y, 12, 25))
            .map(|christmas| {
                christmas - Days::new(u64::from(christmas.weekday().num_days_from_monday()))
            })
            .flat_map(|monday| [monday, monday + Days::new(7)])
            .filter(|&m| m >= first_monday && m <= end)
            .collect();
        let weeks = (0..)
            .map(|k| first_monday + Days::new(7 * k))
            .take_while(|d| *d <= end)
            .filter(|d| !rent_free.contains(d))
            .collect();
        Ok(Calendar {
            start,
            end,
            first_monday,
            runs,
            increase,
            weeks,
        })
    }
}
