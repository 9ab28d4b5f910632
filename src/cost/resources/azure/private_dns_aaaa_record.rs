//! `azurerm_private_dns_aaaa_record`: a private AAAA record set, billed by the
//! DNS queries it answers (usage key `monthly_queries`; see [`super::dns_queries`]).

pub(crate) use super::dns_queries::price;
