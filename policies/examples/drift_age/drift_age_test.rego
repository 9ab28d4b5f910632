package examples.drift_age_test

import data.examples.drift_age
import rego.v1

item(first_seen) := {"address": "aws_instance.web", "first_seen": first_seen}

test_old_drift_warns if {
	msgs := drift_age.warn with input as {"scanned_at": "2026-03-20T00:00:00Z", "items": [item("2026-03-10T00:00:00Z")]}
	msgs == {"aws_instance.web: drifted for 10 days (since 2026-03-10T00:00:00Z); fix it or codify it"}
}

test_recent_drift_is_quiet if {
	count(drift_age.warn) == 0 with input as {"scanned_at": "2026-03-20T00:00:00Z", "items": [item("2026-03-15T00:00:00Z")]}
}

test_items_without_first_seen_are_new if {
	count(drift_age.warn) == 0 with input as {"scanned_at": "2026-03-20T00:00:00Z", "items": [{"address": "a"}]}
}

