package examples.monthly_cost_cap_test

import data.examples.monthly_cost_cap
import rego.v1

project(total) := {"name": "web", "breakdown": {"totalMonthlyCost": total, "unpricedComponents": 0}}

test_over_the_cap_fails if {
	some out in monthly_cost_cap.deny with input as {"projects": [project("1200.5")]}
	out.failed
}

test_under_the_cap_passes if {
	outs := monthly_cost_cap.deny with input as {"projects": [project("999.99")]}
	count(outs) == 1
	every out in outs {
		not out.failed
	}
}

test_cap_comes_from_data if {
	some out in monthly_cost_cap.deny with input as {"projects": [project("60")]}
		with data.monthly_cost_cap.usd as 50
	out.failed
}

test_unpriced_components_warn if {
	count(monthly_cost_cap.warn) == 1 with input as {"projects": [{"name": "w", "breakdown": {"totalMonthlyCost": "1", "unpricedComponents": 2}}]}
}
