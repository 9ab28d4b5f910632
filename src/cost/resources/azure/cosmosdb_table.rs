//! `azurerm_cosmosdb_table`: a Table API table of the account its `account_name` names,
//! priced by [`super::cosmosdb`] (throughput, storage, backup and restores
//! in each location of its account).

use super::cosmosdb::{self, Parent};
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    cosmosdb::price(attrs, ctx, Parent::Account)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bills_in_the_locations_of_the_account_it_names() {
        super::super::cosmosdb::testing::bills_in_the_accounts_location("azurerm_cosmosdb_table");
    }
}
