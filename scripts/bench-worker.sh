#!/usr/bin/env bash
# Worker overhead: N applied workspaces (file-backed test provider), scanned by
# `driftcost worker --once --all --concurrency C` on a fresh SQLite store, against
# the sum of the bare terraform commands each scan runs (init, plan -refresh-only,
# show) divided by C. Prints the ratio (goal <= 1.03); asserts nothing.
#
#   WORKSPACES  default 200     CONCURRENCY  default 8
#   DRIFTCOST   binary (default: target/release/driftcost if built, else target/debug)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
n="${WORKSPACES:-200}"
c="${CONCURRENCY:-8}"
. scripts/bench-env.sh
mkdir -p "$tmp/jobs" "$tmp/cloud" "$tmp/work"
now_ms() { date +%s%3N; }

for i in $(seq 1 "$n"); do
    ws="$tmp/ws/w$i"
    mkdir -p "$ws"
    cat >"$ws/main.tf" <<EOF
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "0.1.0" }
  }
}
provider "aws" {
  cloud_dir = "$tmp/cloud"
  region    = "us-east-1"
}
resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  tags          = { Name = "w$i" }
}
resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 20
}
EOF
    printf '[[workspace]]\nname = "w%s"\ndir = "../ws/w%s"\n\n' "$i" "$i" >>"$tmp/jobs/all.toml"
done
echo "applying $n workspaces ..." >&2
seq 1 "$n" | xargs -P "$c" -I{} bash -c \
    'cd "$1/ws/w$2" && TF_DATA_DIR="$1/ad/$2" terraform init -input=false >/dev/null && TF_DATA_DIR="$1/ad/$2" terraform apply -auto-approve -input=false >/dev/null && rm -f .terraform.lock.hcl' _ "$tmp" {}

echo "bare terraform, one workspace at a time ..." >&2
bare_sum=0
for i in $(seq 1 "$n"); do
    d="$tmp/bare/$i"
    mkdir -p "$d"
    cp "$tmp/ws/w$i/main.tf" "$tmp/ws/w$i/terraform.tfstate" "$d/"
    t0=$(now_ms)
    (cd "$d" && TF_DATA_DIR="$d/.tfdata" terraform init -input=false >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform plan -refresh-only -lock=false -input=false -json -out="$d/plan" >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform show -json "$d/plan" >/dev/null)
    bare_sum=$((bare_sum + $(now_ms) - t0))
    rm -rf "$d"
done

echo "bare terraform, $c at a time (xargs -P) ..." >&2
bare_one() {
    local d="$1/barep/$2"
    mkdir -p "$d"
    cp "$1/ws/w$2/main.tf" "$1/ws/w$2/terraform.tfstate" "$d/"
    (cd "$d" && TF_DATA_DIR="$d/.tfdata" terraform init -input=false >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform plan -refresh-only -lock=false -input=false -json -out="$d/plan" >/dev/null &&
        TF_DATA_DIR="$d/.tfdata" terraform show -json "$d/plan" >/dev/null)
    rm -rf "$d"
}
export -f bare_one
t0=$(now_ms)
seq 1 "$n" | xargs -P "$c" -I{} bash -c 'bare_one "$1" "$2"' _ "$tmp" {}
bare_par_ms=$(($(now_ms) - t0))

echo "driftcost worker --once --all --concurrency $c ..." >&2
t0=$(now_ms)
"$bin" worker --once --all --concurrency "$c" --jobs "$tmp/jobs" --store "$tmp/driftcost.db" \
    --work-dir "$tmp/work" --progress false >/dev/null || [[ $? == 2 ]]
worker_ms=$(($(now_ms) - t0))

echo "workspaces: $n, concurrency: $c, binary: $bin"
echo "sum of bare terraform times: ${bare_sum} ms; / $c = $((bare_sum / c)) ms"
echo "bare terraform with $c at a time (same machine, same parallelism): ${bare_par_ms} ms"
echo "worker wall time: ${worker_ms} ms"
awk -v w="$worker_ms" -v b="$bare_par_ms" 'BEGIN { printf "worker / bare-in-parallel: %.3fx\n", w / b }'
awk -v w="$worker_ms" -v b="$bare_sum" -v c="$c" 'BEGIN { printf "worker overhead ratio (wall / (sum bare / C)): %.3fx\n", w / (b / c) }'
