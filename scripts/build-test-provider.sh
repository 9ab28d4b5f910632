#!/usr/bin/env bash
# Builds the file-backed stand-in for hashicorp/aws (tests/tf-provider) and lays it out as an
# unpacked terraform filesystem mirror plus a CLI config file that points at it, so terraform
# can `init` offline. Prints the mirror directory (the only thing written to stdout).
#
#   MIRROR            mirror directory (default: <target dir>/tf-mirror)
#   PROTOC            protoc to build the provider's gRPC code with; default: the one shipped
#                     in the protoc-bin-vendored crate (tests/protoc-path), so no system package
#
# Use it with:  TF_CLI_CONFIG_FILE="$MIRROR/terraformrc" terraform init -input=false
# The binary is replaced only when it changed. When it does change, lock files written
# against the old one no longer match: delete `.terraform.lock.hcl` and run `init` again.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -z "${PROTOC:-}" ]]; then
    PROTOC="$(cargo run --quiet -p driftcost-protoc-path)"
    export PROTOC
fi

target_dir="${CARGO_TARGET_DIR:-$root/target}"
mirror="${MIRROR:-$target_dir/tf-mirror}"
version="0.1.0"
platform="linux_amd64"

cargo build --quiet -p driftcost-test-provider --bin terraform-provider-aws >&2
built="$target_dir/debug/terraform-provider-aws"

mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)"
dest_dir="$mirror/registry.terraform.io/hashicorp/aws/$version/$platform"
dest="$dest_dir/terraform-provider-aws_v$version"
mkdir -p "$dest_dir"

# Replace by rename: a terraform running right now keeps the file it opened.
if ! cmp -s "$built" "$dest"; then
    replaced=0
    [[ -e "$dest" ]] && replaced=1
    cp "$built" "$dest.tmp.$$"
    chmod 0755 "$dest.tmp.$$"
    mv -f "$dest.tmp.$$" "$dest"
    if [[ $replaced == 1 ]]; then
        echo "build-test-provider: provider binary updated; existing .terraform.lock.hcl files" \
            "that pin the old one must be deleted before the next init" >&2
    fi
fi

rc="$mirror/terraformrc"
config="provider_installation {
  filesystem_mirror {
    path    = \"$mirror\"
    include = [\"registry.terraform.io/hashicorp/aws\"]
  }
}
"
if [[ ! -f "$rc" ]] || [[ "$(cat "$rc")"$'\n' != "$config" ]]; then
    printf '%s' "$config" >"$rc.tmp.$$"
    mv -f "$rc.tmp.$$" "$rc"
fi

echo "$mirror"
