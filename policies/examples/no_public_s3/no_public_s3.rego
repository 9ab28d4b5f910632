# No public S3 buckets, on the plan input. Fails on a bucket made public by
#  - a public canned ACL on aws_s3_bucket (`acl`, AWS provider < 4) or aws_s3_bucket_acl;
#  - an aws_s3_bucket_public_access_block that turns any of its four guards off;
#  - an aws_s3_bucket_policy granting to Principal "*" (or {"AWS": "*"}).
package examples.no_public_s3

import rego.v1

public_acls := {"public-read", "public-read-write", "authenticated-read"}

changed contains rc if {
	some rc in input.resource_changes
	rc.mode == "managed"
	some action in rc.change.actions
	action in {"create", "update"}
}

deny contains msg if {
	some rc in changed
	rc.type in {"aws_s3_bucket", "aws_s3_bucket_acl"}
	rc.change.after.acl in public_acls
	msg := sprintf("%s: canned ACL %q makes the bucket public", [rc.address, rc.change.after.acl])
}

deny contains msg if {
	some rc in changed
	rc.type == "aws_s3_bucket_public_access_block"
	some guard in ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]
	rc.change.after[guard] == false
	msg := sprintf("%s: %s is false, so the bucket can be made public", [rc.address, guard])
}

deny contains msg if {
	some rc in changed
	rc.type == "aws_s3_bucket_policy"
	policy := json.unmarshal(rc.change.after.policy)
	some statement in policy.Statement
	statement.Effect == "Allow"
	public_principal(statement.Principal)
	msg := sprintf("%s: the bucket policy allows everyone (Principal \"*\")", [rc.address])
}

public_principal(p) if p == "*"

public_principal(p) if p.AWS == "*"
