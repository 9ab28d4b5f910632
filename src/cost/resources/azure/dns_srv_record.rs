//! `azurerm_dns_srv_record`: a public SRV record set, billed by the DNS
//! queries it answers (usage key `monthly_queries`; see [`super::dns_queries`]).

pub(crate) use super::dns_queries::price;
