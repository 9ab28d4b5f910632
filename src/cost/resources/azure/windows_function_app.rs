//! `azurerm_windows_function_app`: billed by the plan `service_plan_id` names, as
//! [`super::function_apps`] describes: Elastic Premium vCPU and memory, else
//! consumption execution time and executions from usage.

use super::function_apps;
use crate::cost::{Attrs, Ctx, Priced};

pub(crate) fn price(attrs: &Attrs, ctx: &Ctx) -> Priced {
    function_apps::price(attrs, ctx, "service_plan_id")
}
