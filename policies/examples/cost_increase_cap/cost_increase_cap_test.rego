package examples.cost_increase_cap_test

import data.examples.cost_increase_cap
import rego.v1

test_big_increase_fails if {
	count(cost_increase_cap.deny) == 1 with input as {"diffTotalMonthlyCost": "150", "pastTotalMonthlyCost": "1000"}
}

test_small_increase_passes if {
	count(cost_increase_cap.deny) == 0 with input as {"diffTotalMonthlyCost": "20", "pastTotalMonthlyCost": "1000"}
	count(cost_increase_cap.warn) == 0 with input as {"diffTotalMonthlyCost": "20", "pastTotalMonthlyCost": "1000"}
}

test_relative_increase_warns if {
	count(cost_increase_cap.warn) == 1 with input as {"diffTotalMonthlyCost": "30", "pastTotalMonthlyCost": "100"}
}

test_a_saving_never_fails if {
	count(cost_increase_cap.deny) == 0 with input as {"diffTotalMonthlyCost": "-500", "pastTotalMonthlyCost": "1000"}
}
