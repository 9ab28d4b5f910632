//! `azurerm_mysql_server`: an Azure Database for MySQL single server,
//! priced as every single server is ([`super::single_server`]).

use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    super::single_server::price_server(attrs, ctx, "Azure Database for MySQL")
}
