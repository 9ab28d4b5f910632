#!/usr/bin/env bash
# Builds the release archive that the README's install instructions and the GitHub Action
# (deploy/github-action, input `version`) download:
#
#   target/dist/driftcost-<version>-<target>.tar.gz  holding driftcost-<version>-<target>/
#     {driftcost, LICENSE, README.md, example.toml, completions/, man/}
#   target/dist/driftcost-<version>-<target>.tar.gz.sha256
#
# Verify and install one with:
#   sha256sum -c driftcost-<version>-<target>.tar.gz.sha256
#   tar -xzf driftcost-<version>-<target>.tar.gz
#   install -m 0755 driftcost-<version>-<target>/driftcost /usr/local/bin/
#
#   OUT   output directory (default: <target dir>/dist)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
target="$(rustc -vV | sed -n 's/^host: //p')"
[[ -n "$version" && -n "$target" ]] || { echo "package-release: cannot read the version or host target" >&2; exit 1; }
name="driftcost-$version-$target"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
out="${OUT:-$target_dir/dist}"

cargo build --release --locked --bin driftcost >&2
bin="$target_dir/release/driftcost"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
dir="$stage/$name"
mkdir -p "$dir/completions" "$dir/man"
install -m 0755 "$bin" "$dir/driftcost"
cp LICENSE README.md "$dir/"
cp jobs/example.toml "$dir/example.toml"
"$bin" completion bash >"$dir/completions/driftcost.bash"
"$bin" completion zsh >"$dir/completions/_driftcost"
"$bin" completion fish >"$dir/completions/driftcost.fish"
"$bin" man --dir "$dir/man" 2>/dev/null

mkdir -p "$out"
tar -C "$stage" -czf "$stage/$name.tar.gz" "$name"
(cd "$stage" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
mv -f "$stage/$name.tar.gz" "$stage/$name.tar.gz.sha256" "$out/"
echo "$out/$name.tar.gz"
