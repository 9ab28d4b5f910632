//! `azurerm_private_dns_txt_record`: a private TXT record set, billed by the
//! DNS queries it answers (usage key `monthly_queries`; see [`super::dns_queries`]).

pub(crate) use super::dns_queries::price;
