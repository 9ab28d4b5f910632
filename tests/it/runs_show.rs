//! `runs show` on a run read back from the store: costs with components
//! without a price are said to be lower bounds, never shown as complete.

use crate::support::cli::driftcost;
use crate::support::store::drift_item;
use chrono::Utc;
use driftcost::drift::CostEffect;
use driftcost::store::{RunResult, RunStatus, Store, Trigger};
use rust_decimal_macros::dec;
use std::collections::BTreeMap;
use std::time::Duration;

async fn stored_run(url: &str, unpriced_components: usize) -> String {
    let store = Store::open(url).await.unwrap();
    let (id, _) = store.enqueue("shop", Trigger::Api, None).await.unwrap();
    store
        .claim("w1", Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let mut r = RunResult::bare(RunStatus::Succeeded, now, now, None);
    r.drift_items = vec![drift_item("aws_lambda_function.api")];
    r.costs = BTreeMap::from([(
        "aws_lambda_function.api".to_string(),
        CostEffect {
            monthly_before: Some(dec!(10)),
            monthly_after: Some(dec!(12.50)),
            unpriced_components,
        },
    )]);
    assert!(store.complete(id, "w1", &r).await.unwrap());
    id.to_string()
}

#[tokio::test]
async fn runs_show_says_when_a_stored_runs_costs_are_lower_bounds() {
    let dir = tempfile::tempdir().unwrap();
    for (n, lower_bound) in [(2usize, true), (0, false)] {
        let db = dir.path().join(format!("runs-{n}.db"));
        let url = format!("sqlite:{}", db.display());
        let id = stored_run(&url, n).await;
        let (code, out, err) = driftcost(&["runs", "show", &id, "--store", &url]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("monthly cost effect: +2.50 USD"), "{out}");
        assert_eq!(out.contains("lower bound"), lower_bound, "{out}");
        assert_eq!(
            out.contains(&format!(
                "{n} components of the drifted resources without a price"
            )),
            lower_bound,
            "{out}"
        );
    }
}
