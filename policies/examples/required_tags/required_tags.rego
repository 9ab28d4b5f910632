# Required tags, on the plan input: every managed resource that is created
# or updated and has a `tags` attribute must carry the tags listed in
# data.required_tags (default: owner and cost_center), each non-empty.
# Resources whose type has no `tags` attribute are not checked.
package examples.required_tags

import rego.v1

required := object.get(data, "required_tags", ["owner", "cost_center"])

deny contains msg if {
	some rc in input.resource_changes
	rc.mode == "managed"
	some action in rc.change.actions
	action in {"create", "update"}
	object.keys(rc.change.after)["tags"]
	tags := object.get(rc.change.after, "tags", {})
	missing := [t | some t in required; not has_tag(tags, t)]
	count(missing) > 0
	msg := sprintf("%s is missing required tags: %s", [rc.address, concat(", ", missing)])
}

has_tag(tags, t) if {
	is_object(tags)
	value := tags[t]
	value != ""
}
