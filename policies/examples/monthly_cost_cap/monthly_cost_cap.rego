# Monthly cost cap, on the cost input (`driftcost cost breakdown --format json`,
# or Infracost's own JSON): fail when a project's monthly cost after the plan
# is over the cap. Written in Infracost's style: `deny[out]` where
# `out.failed` says whether the check failed, so passing checks show too.
#
# The cap is 1000 USD unless data.monthly_cost_cap.usd says otherwise
# (put `monthly_cost_cap: {usd: 500}` in a data.yaml beside this file).
package examples.monthly_cost_cap

import rego.v1

cap := object.get(data, ["monthly_cost_cap", "usd"], 1000)

deny contains out if {
	some project in input.projects
	total := to_number(project.breakdown.totalMonthlyCost)
	out := {
		"msg": sprintf("%s: monthly cost %.2f USD (cap %v USD)", [project.name, total, cap]),
		"failed": total > cap,
	}
}

# Components without a price are left out of the total: say so, never treat them as $0.
warn contains msg if {
	some project in input.projects
	project.breakdown.unpricedComponents > 0
	msg := sprintf("%s: %d cost components have no price; the monthly total is a lower bound", [project.name, project.breakdown.unpricedComponents])
}
