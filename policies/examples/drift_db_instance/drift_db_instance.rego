# Drift on any aws_db_instance fails, on the drift input (the drift report
# of `driftcost drift|scan --format json`, or of a worker run). Databases
# hold state nobody can rebuild: any change made outside terraform, and any
# database deleted outside it, must be looked at by a person.
package examples.drift_db_instance

import rego.v1

deny contains msg if {
	some item in input.items
	item.resource_type == "aws_db_instance"
	paths := [c.path | some c in item.changes]
	msg := sprintf("%s: database drifted (%s)%s", [item.address, item.kind, changed(paths)])
}

changed(paths) := "" if count(paths) == 0

changed(paths) := sprintf(": %s", [concat(", ", paths)]) if count(paths) > 0
