//! `azurerm_private_dns_srv_record`: a private SRV record set, billed by the
//! DNS queries it answers (usage key `monthly_queries`; see [`super::dns_queries`]).

pub(crate) use super::dns_queries::price;
