package examples.instance_families_test

import data.examples.instance_families
import rego.v1

rc(type, attrs) := {"address": sprintf("%s.x", [type]), "type": type, "mode": "managed", "change": {"actions": ["create"], "after": attrs}}

test_large_family_in_dev_fails if {
	count(instance_families.deny) == 1 with input as {"resource_changes": [rc("aws_instance", {"instance_type": "m5.4xlarge", "tags": {"env": "dev"}})]}
}

test_burstable_in_dev_passes if {
	count(instance_families.deny) == 0 with input as {"resource_changes": [rc("aws_instance", {"instance_type": "t3.micro", "tags": {"env": "dev"}})]}
}

test_prod_refuses_burstable if {
	count(instance_families.deny) == 1 with input as {"resource_changes": [rc("aws_instance", {"instance_type": "t3.micro", "tags": {"environment": "prod"}})]}
}

test_db_instance_class_family if {
	count(instance_families.deny) == 1 with input as {"resource_changes": [rc("aws_db_instance", {"instance_class": "db.r5.large", "tags": null})]}
}

test_unknown_environment_allows_nothing if {
	count(instance_families.deny) == 1 with input as {"resource_changes": [rc("aws_instance", {"instance_type": "t3.micro", "tags": {"env": "sandbox"}})]}
}

test_deletes_are_not_checked if {
	count(instance_families.deny) == 0 with input as {"resource_changes": [{"address": "aws_instance.x", "type": "aws_instance", "mode": "managed", "change": {"actions": ["delete"], "after": null}}]}
}
