package examples.required_tags_test

import data.examples.required_tags
import rego.v1

rc(after) := {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "change": {"actions": ["create"], "after": after}}

test_missing_tags_fail if {
	msgs := required_tags.deny with input as {"resource_changes": [rc({"tags": {"owner": "alice"}})]}
	msgs == {"aws_instance.web is missing required tags: cost_center"}
}

test_null_tags_fail if {
	count(required_tags.deny) == 1 with input as {"resource_changes": [rc({"tags": null})]}
}

test_all_tags_pass if {
	count(required_tags.deny) == 0 with input as {"resource_changes": [rc({"tags": {"owner": "a", "cost_center": "42"}})]}
}

test_empty_tag_value_fails if {
	count(required_tags.deny) == 1 with input as {"resource_changes": [rc({"tags": {"owner": "", "cost_center": "42"}})]}
}

test_types_without_tags_are_skipped if {
	count(required_tags.deny) == 0 with input as {"resource_changes": [rc({"bucket": "b"})]}
}

test_required_list_from_data if {
	count(required_tags.deny) == 0 with input as {"resource_changes": [rc({"tags": {}})]}
		with data.required_tags as []
}
