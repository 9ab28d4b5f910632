# Sourced by the bench scripts that run real terraform: the driftcost binary
# ($bin: $DRIFTCOST, else target/release, else a debug build), the local
# provider mirror, a quiet non-interactive terraform, and a temp dir $tmp
# removed on exit. Expects $root to be the repository root (and the cwd).
bin="${DRIFTCOST:-}"
if [[ -z "$bin" ]]; then
    if [[ -x target/release/driftcost ]]; then bin="$root/target/release/driftcost"; else
        cargo build --quiet --bin driftcost
        bin="$root/target/debug/driftcost"
    fi
fi
mirror="$(scripts/build-test-provider.sh)"
export TF_CLI_CONFIG_FILE="$mirror/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_LOG

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
