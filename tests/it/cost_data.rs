//! A plan that resizes a MySQL instance and deletes a Redis cluster, priced
//! end to end from the shipped tables.

use rust_decimal_macros::dec;
use std::path::Path;

#[test]
fn db_resize_and_cache_delete_give_hand_worked_totals() {
    let plan = driftcost::plan::load_plan(Path::new("tests/fixtures/plan_data_update_delete.json"))
        .expect("fixture loads");
    let cost = driftcost::cost::estimate(
        &plan,
        driftcost::pricing::PriceTable::embedded(),
        &Default::default(),
    );
    // Past: db.t3.xlarge MySQL 0.272 $/h × 730 = 198.56
    //     + 20 GB gp2 storage × 0.115 $/GB-month = 2.30
    //     + cache.m3.2xlarge Redis 0.728 $/h × 730 = 531.44  → 732.30
    assert_eq!(cost.past_breakdown.total_monthly_cost, dec!(732.3));
    // Future: db.r5.12xlarge MySQL 5.76 $/h × 730 = 4204.8 + the same storage 2.30;
    // the cache is gone.
    assert_eq!(cost.breakdown.total_monthly_cost, dec!(4207.1));
    // Diff: 4207.1 − 732.3 = 3474.8
    assert_eq!(cost.diff.total_monthly_cost, dec!(3474.8));
    assert_eq!(cost.breakdown.resources.len(), 1);
    assert!(
        !cost
            .summary
            .price_not_found
            .iter()
            .any(|m| m.component == "Storage (general purpose SSD, gp2)"),
        "us-east-1 gp2 storage is shipped"
    );
}
