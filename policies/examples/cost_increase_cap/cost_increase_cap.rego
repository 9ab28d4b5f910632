# Cost increase cap per pull request, on the cost input of `cost diff`
# (`diffTotalMonthlyCost` is after − before, as in Infracost's JSON).
# Fails when the plan raises the monthly cost by more than the cap (100 USD,
# or data.cost_increase_cap.usd), warns when it raises it by more than
# 25 % (data.cost_increase_cap.percent) of what it was.
package examples.cost_increase_cap

import rego.v1

cap := object.get(data, ["cost_increase_cap", "usd"], 100)

percent := object.get(data, ["cost_increase_cap", "percent"], 25)

diff := to_number(input.diffTotalMonthlyCost)

past := to_number(input.pastTotalMonthlyCost)

deny contains msg if {
	diff > cap
	msg := sprintf("this change adds %.2f USD a month (cap %v USD)", [diff, cap])
}

warn contains msg if {
	past > 0
	diff * 100 > past * percent
	msg := sprintf("this change raises the monthly cost by %.0f%% (%.2f -> %.2f USD)", [(diff * 100) / past, past, past + diff])
}
