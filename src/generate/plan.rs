//! What each account is before anything is written: its rent, benefit,
//! planted error, way of paying and case, drawn in one fixed order.

use super::*;

/// An account's rent as drawn, before its plant.
struct RentPlan {
    monthly: bool,
    weekly: Decimal,
    rent: Decimal,
    hb: bool,
}

impl RentPlan {
    /// Weekly rent the tenant pays in full: the accounts a late increase
    /// or a case can be planted on.
    fn weekly_rent_only(&self) -> bool {
        !self.monthly && !self.hb
    }
}

impl Landlord<'_> {
    /// Draws account `i`'s rent, benefit, plant and way of paying, each
    /// step's draws in the one order a seed fixes.
    pub(super) fn plan(&mut self, i: usize) -> Tenancy {
        let rent = self.draw_rent(i);
        let (plant, conflict_payer) = self.draw_plant(i, &rent);
        let late_increase = self.increase_late(i, &rent, plant);
        // A case that moves money only where nothing else does, so that
        // its reading is exact.
        let case = self.case_for(
            i,
            rent.weekly_rent_only()
                && plant == Plant::None
                && !late_increase
                && self.landed_on != Some(i),
        );
        let channel = self.rng.below(3);
        let mandate = mandate_of(i);
        let account_ref = account_ref_of(i);
        let reference = if channel == 0 {
            mandate.clone()
        } else {
            account_ref.clone()
        };
        Tenancy {
            i,
            payer: self.names[i].to_uppercase(),
            account_ref,
            weekly: rent.weekly,
            rent: rent.rent,
            monthly: rent.monthly,
            hb: rent.hb,
            plant,
            conflict_payer,
            opening: self.opening_for(plant),
            mandate,
            channel,
            method: ["dd", "standing_order", "card"][channel as usize],
            reference,
            posted: Decimal::ZERO,
            corrected: Decimal::ZERO,
            old_rent: self.rent_before_increase(&rent),
            late_increase,
            case,
        }
    }

    /// Account `i`'s rent period, rent and whether benefit pays it.
    fn draw_rent(&mut self, i: usize) -> RentPlan {
        let rng = &mut self.rng;
        // Weekly rents with distinct pence, so no two accounts' payments look alike.
        let monthly = rng.chance(150);
        // ... but many share one of a few common rents, as on a real estate.
        let weekly = if rng.chance(300) {
            Decimal::new(
                COMMON_RENTS[rng.below(COMMON_RENTS.len() as u64) as usize],
                2,
            )
        } else {
            Decimal::new(8000 + (i as i64 * 37) % 9000, 2)
        };
        let rent = if monthly {
            (weekly * Decimal::from(52) / Decimal::from(12)).round_dp(2)
        } else {
            weekly
        };
        let hb = !monthly && rng.chance(200);
        RentPlan {
            monthly,
            weekly,
            rent,
            hb,
        }
    }

    /// The plant and, for a payer conflict, the other tenant who pays
    /// (no plant where there is no other tenant to be).
    fn draw_plant(&mut self, i: usize, rent: &RentPlan) -> (Plant, Option<(usize, String)>) {
        let plant = self.plant(i, rent.rent, rent.monthly, rent.hb);
        let conflict_payer = match plant {
            Plant::PayerConflict => self.people.other_tenant(i),
            _ => None,
        };
        match (plant, conflict_payer) {
            (Plant::PayerConflict, None) => (Plant::None, None),
            (plant, payer) => (plant, payer),
        }
    }

    /// Whether the account applies the April increase late. Drawn from the
    /// account's index, not the shared stream, so that the other shapes'
    /// draws stay as they were.
    fn increase_late(&self, i: usize, rent: &RentPlan, plant: Plant) -> bool {
        self.cal.increase.is_some()
            && rent.weekly_rent_only()
            && plant == Plant::None
            && (i as u64).wrapping_mul(2_654_435_761) % 1000 < self.args.late_increase
    }

    /// A new claim's tenancy began on a Monday three weeks before the end;
    /// every other account's when the data begins.
    fn opening_for(&self, plant: Plant) -> NaiveDate {
        match plant {
            Plant::NewClaim => self.cal.first_monday.max(self.cal.end - Days::new(20)),
            _ => self.cal.start,
        }
    }

    /// A 3.7% rise, as many landlords' in 2026 (CPI + 1%); Housing
    /// Benefit accounts keep one rent, as the runs pay it.
    fn rent_before_increase(&self, rent: &RentPlan) -> Decimal {
        if rent.hb || self.cal.increase.is_none() {
            rent.rent
        } else {
            (rent.rent / Decimal::new(1037, 3)).round_dp(2)
        }
    }

    /// The error planted on account `i`, if any.
    pub(super) fn plant(&mut self, i: usize, rent: Decimal, monthly: bool, hb: bool) -> Plant {
        let plant = match self.rng.below(100) {
            0..=2 if i + 1 < self.args.accounts && !hb => Plant::WrongAccount,
            3..=4 if !hb => Plant::Unposted,
            5 if !hb => Plant::Unidentified,
            6..=7 if !hb => Plant::AmountMismatch,
            8..=9 if !hb => Plant::Duplicate,
            10 => Plant::Unbanked,
            11..=12 if monthly => Plant::Late,
            13 if !hb => Plant::SuspenseByName,
            14 if !hb => Plant::PayerConflict,
            15..=34 if hb => Plant::NewClaim,
            35..=54 if hb && self.cal.runs.len() >= 2 => Plant::StoppedBenefit,
            _ => Plant::None,
        };
        // One plant per rent amount: two plants on accounts paying the same
        // rent could be read either way round, and the truth must be exact.
        // Nor a plant on the account a wrong-account posting lands on: its
        // own unposted receipt beside the stray credit reads as a mis-keyed
        // amount just as well.
        let plant = if plant != Plant::None
            && (self.landed_on == Some(i) || !self.planted_rents.insert(rent))
        {
            Plant::None
        } else {
            plant
        };
        if plant == Plant::WrongAccount {
            self.landed_on = Some(i + 1);
        }
        plant
    }
}
