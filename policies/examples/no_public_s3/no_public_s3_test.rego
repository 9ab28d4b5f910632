package examples.no_public_s3_test

import data.examples.no_public_s3
import rego.v1

rc(type, after) := {"address": sprintf("%s.b", [type]), "mode": "managed", "type": type, "change": {"actions": ["create"], "after": after}}

test_public_read_acl_fails if {
	count(no_public_s3.deny) == 1 with input as {"resource_changes": [rc("aws_s3_bucket_acl", {"acl": "public-read"})]}
}

test_private_bucket_passes if {
	count(no_public_s3.deny) == 0 with input as {"resource_changes": [rc("aws_s3_bucket", {"bucket": "b", "acl": "private"})]}
}

test_open_access_block_fails if {
	count(no_public_s3.deny) == 2 with input as {"resource_changes": [rc("aws_s3_bucket_public_access_block", {"block_public_acls": false, "block_public_policy": false, "ignore_public_acls": true, "restrict_public_buckets": true})]}
}

test_public_policy_fails if {
	policy := json.marshal({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]})
	count(no_public_s3.deny) == 1 with input as {"resource_changes": [rc("aws_s3_bucket_policy", {"policy": policy})]}
}
