//! `azurerm_dns_txt_record`: a public TXT record set, billed by the DNS
//! queries it answers (usage key `monthly_queries`; see [`super::dns_queries`]).

pub(crate) use super::dns_queries::price;
