# Allowed instance families per environment, on the plan input
# (`terraform show -json`). The environment is the resource's `env` or
# `environment` tag, else data.environment, else "dev". An aws_instance's
# family is the part of `instance_type` before the dot (`m5.large` -> `m5`);
# an aws_db_instance's is the middle of `instance_class` (`db.r5.large` -> `r5`).
# Families allowed per environment come from data.allowed_instance_families
# when given, else the table below.
package examples.instance_families

import rego.v1

default_allowed := {
	"dev": {"t3", "t3a", "t4g"},
	"staging": {"t3", "t3a", "t4g", "m5", "m6i"},
	"prod": {"m5", "m6i", "m7i", "c5", "c6i", "r5", "r6i"},
}

allowed := object.get(data, "allowed_instance_families", default_allowed)

environment(after) := env if {
	env := after.tags.env
} else := env if {
	env := after.tags.environment
} else := env if {
	env := data.environment
} else := "dev"

family(rc) := split(rc.change.after.instance_type, ".")[0] if rc.type == "aws_instance"

family(rc) := split(rc.change.after.instance_class, ".")[1] if rc.type == "aws_db_instance"

deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "managed"
	some action in rc.change.actions
	action in {"create", "update"}
	fam := family(rc)
	env := environment(rc.change.after)
	families := {f | some f in object.get(allowed, env, [])}
	not fam in families
	msg := sprintf("%s: instance family %q is not allowed in %s (allowed: %s)", [rc.address, fam, env, concat(", ", sort(families))])
}
