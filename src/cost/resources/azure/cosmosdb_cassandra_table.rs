//! `azurerm_cosmosdb_cassandra_table`: a table in the keyspace its
//! `cassandra_keyspace_id` names (by configuration reference, else the
//! keyspace with that `id`), billed in that keyspace's account, priced by
//! [`super::cosmosdb`] (throughput, storage, backup and restores in each
//! location of the account).

use super::cosmosdb::{self, Parent};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    cosmosdb::price(
        attrs,
        ctx,
        Parent::Via {
            key: "cassandra_keyspace_id",
            resource_type: "azurerm_cosmosdb_cassandra_keyspace",
            field: "id",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::super::cosmosdb::testing::{child, plan, refers};
    use crate::cost::ResourceCost;
    use crate::cost::testing::component;
    use rust_decimal_macros::dec;
    use serde_json::{Value, json};

    const TABLE: &str = "azurerm_cosmosdb_cassandra_table.t";
    const KEYSPACE: &str = "azurerm_cosmosdb_cassandra_keyspace.ks";

    /// A table of 1,000 RU/s in keyspace `ks` (id `ks-id`) of an account in
    /// westus; `keyspace_id` is the table's value and `expressions` its configuration.
    fn table(
        keyspace_id: Option<&str>,
        expressions: Value,
        keyspace_account: Value,
    ) -> ResourceCost {
        let account = json!({"geo_location": [{"location": "westus", "failover_priority": 0}]});
        let mut ks = child(KEYSPACE, json!({"name": "ks", "id": "ks-id"}));
        ks.1["account_name"] = keyspace_account["value"].clone();
        ks.2 = keyspace_account["expressions"].clone();
        let mut after = json!({"name": "t", "throughput": 1000});
        if let Some(id) = keyspace_id {
            after["cassandra_keyspace_id"] = json!(id);
        }
        let p = plan(account, &[ks, (TABLE, after, expressions)]);
        super::super::price_in_plan(p, None, TABLE)
    }

    fn by_reference() -> Value {
        json!({"value": "acct", "expressions": {"account_name": refers("azurerm_cosmosdb_account.acct", "name")}})
    }

    #[test]
    fn bills_in_the_account_of_the_keyspace_it_refers_to() {
        let r = table(
            None,
            json!({"cassandra_keyspace_id": refers(KEYSPACE, "id")}),
            by_reference(),
        );
        // 10 × 100 RU/s × 730 h × $0.008
        let c = component(&r, "Provisioned throughput (provisioned, West US)");
        assert_eq!(c.monthly_cost, Some(dec!(58.40)));
    }

    #[test]
    fn a_keyspace_id_written_out_is_matched_by_the_keyspace_id() {
        let r = table(Some("ks-id"), json!({}), by_reference());
        let c = component(&r, "Provisioned throughput (provisioned, West US)");
        assert_eq!(c.monthly_cost, Some(dec!(58.40)));
    }

    #[test]
    fn a_keyspace_or_account_outside_the_plan_is_said_and_not_priced() {
        let r = table(
            Some("/subscriptions/x/cassandraKeyspaces/other"),
            json!({}),
            by_reference(),
        );
        assert!(r.all_components().is_empty());
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("cassandra_keyspace_id")),
            "{:?}",
            r.metadata.notes
        );
        let elsewhere = json!({"value": "in-another-module", "expressions": {}});
        let r = table(
            None,
            json!({"cassandra_keyspace_id": refers(KEYSPACE, "id")}),
            elsewhere,
        );
        assert!(r.all_components().is_empty());
        // the keyspace's account_name, not the table's (it has none)
        assert!(
            r.metadata
                .notes
                .iter()
                .any(|n| n.contains("`in-another-module`") && n.contains(KEYSPACE)),
            "{:?}",
            r.metadata.notes
        );
    }

    #[test]
    fn a_table_lives_where_its_keyspace_does_not_in_a_guessed_region() {
        // the table has no location or resource group of its own
        let r = table(
            None,
            json!({"cassandra_keyspace_id": refers(KEYSPACE, "id")}),
            by_reference(),
        );
        let region = r.metadata.region.as_ref().unwrap();
        assert_eq!(region.code, "eastus");
        assert!(!region.is_guess(), "{region:?}");
        assert!(
            r.metadata.notes.iter().all(|n| !n.contains("assumed")),
            "{:?}",
            r.metadata.notes
        );
    }
}
