# Drift older than 7 days warns, on the drift input. An item's age is the
# time from its `first_seen` (RFC 3339; the worker adds it from the run
# history, keyed by the item's fingerprint) to the report's `scanned_at`
# (or now when the report has none). Items without `first_seen` are new.
# The number of days comes from data.drift_age.days when given.
package examples.drift_age

import rego.v1

days := object.get(data, ["drift_age", "days"], 7)

now_ns := time.parse_rfc3339_ns(input.scanned_at) if input.scanned_at

else := time.now_ns()

warn contains msg if {
	some item in input.items
	first := time.parse_rfc3339_ns(item.first_seen)
	age_days := (now_ns - first) / ((24 * 60 * 60) * 1000000000)
	age_days > days
	msg := sprintf("%s: drifted for %d days (since %s); fix it or codify it", [item.address, floor(age_days), item.first_seen])
}
