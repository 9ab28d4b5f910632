package examples.drift_db_instance_test

import data.examples.drift_db_instance
import rego.v1

test_db_drift_fails if {
	msgs := drift_db_instance.deny with input as {"items": [{"address": "aws_db_instance.main", "resource_type": "aws_db_instance", "kind": "changed", "changes": [{"path": "instance_class"}]}]}
	msgs == {"aws_db_instance.main: database drifted (changed): instance_class"}
}

test_deleted_db_fails if {
	count(drift_db_instance.deny) == 1 with input as {"items": [{"address": "aws_db_instance.main", "resource_type": "aws_db_instance", "kind": "deleted", "changes": []}]}
}

test_other_drift_passes if {
	count(drift_db_instance.deny) == 0 with input as {"items": [{"address": "aws_instance.web", "resource_type": "aws_instance", "kind": "changed", "changes": []}]}
}
