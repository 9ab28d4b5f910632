#!/usr/bin/env bash
# Measures what `driftcost scan` costs on top of the terraform commands it runs, on a real
# workspace (the file-backed test provider, N resources, local state), and what the plugin
# cache saves on a repeat `init`. Prints medians and ratios; asserts nothing.
#
#   RESOURCES   resources in the workspace (default 40)
#   RUNS        repetitions per measurement (default 5)
#   DRIFTCOST   binary to measure (default: target/release/driftcost if built, else target/debug)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
resources="${RESOURCES:-40}"
runs="${RUNS:-5}"
. scripts/bench-env.sh
ws="$tmp/ws"
mkdir -p "$ws" "$tmp/cloud"
{
    cat <<EOF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "0.1.0" }
  }
}
provider "aws" {
  cloud_dir = "$tmp/cloud"
  region    = "us-east-1"
}
EOF
    for i in $(seq 1 "$resources"); do
        cat <<EOF
resource "aws_instance" "web_$i" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  tags          = { Name = "web-$i" }
}
EOF
    done
} >"$ws/main.tf"
(cd "$ws" && TF_DATA_DIR="$tmp/apply-data" terraform init -input=false >/dev/null &&
    TF_DATA_DIR="$tmp/apply-data" terraform apply -auto-approve -input=false >/dev/null)
rm -f "$ws/.terraform.lock.hcl"

now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# What driftcost runs, by hand: a fresh data dir, init, refresh-only plan, show.
bare_once() {
    local d="$tmp/bare.$1"
    mkdir -p "$d"
    cp "$ws"/*.tf "$ws/terraform.tfstate" "$d/"
    local t0; t0=$(now_ms)
    (cd "$d" && TF_DATA_DIR="$d/.tfdata" terraform init -input=false >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform plan -refresh-only -lock=false -input=false -json -out="$d/plan" >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform show -json "$d/plan" >/dev/null)
    echo $(($(now_ms) - t0))
    rm -rf "$d"
}

scan_once() {
    local t0; t0=$(now_ms)
    "$bin" scan "$ws" --format json >/dev/null || [[ $? == 2 ]]
    echo $(($(now_ms) - t0))
}

init_once() { # $1 = data dir, $2 = plugin cache dir or empty
    local t0; t0=$(now_ms)
    (cd "$ws" && TF_DATA_DIR="$1" TF_PLUGIN_CACHE_DIR="$2" terraform init -input=false >/dev/null)
    echo $(($(now_ms) - t0))
    rm -f "$ws/.terraform.lock.hcl"
}

bare_once warmup >/dev/null
bare=(); scan=()
for i in $(seq 1 "$runs"); do
    bare+=("$(bare_once "$i")")
    scan+=("$(scan_once)")
done
bare_med=$(printf '%s\n' "${bare[@]}" | median)
scan_med=$(printf '%s\n' "${scan[@]}" | median)

first=(); second=()
for i in $(seq 1 "$runs"); do
    cache="$tmp/cache.$i"
    mkdir -p "$cache"
    first+=("$(init_once "$tmp/init1.$i" "$cache")")
    second+=("$(init_once "$tmp/init2.$i" "$cache")")
done
first_med=$(printf '%s\n' "${first[@]}" | median)
second_med=$(printf '%s\n' "${second[@]}" | median)

echo "workspace: $resources resources, $runs runs each, binary $bin"
echo "bare terraform (init + plan -refresh-only + show): median ${bare_med} ms  (${bare[*]})"
echo "driftcost scan (same commands + state read, drift, cost): median ${scan_med} ms  (${scan[*]})"
awk -v s="$scan_med" -v b="$bare_med" 'BEGIN { printf "scan overhead ratio: %.3fx\n", s / b }'
echo "init, empty plugin cache: median ${first_med} ms; init again, cache filled: median ${second_med} ms"
awk -v f="$first_med" -v s="$second_med" 'BEGIN { printf "second init / first init: %.3fx\n", s / f }'
