#!/usr/bin/env bash
# bench/history.sh [DATA_DIR] — the history measurements of bench/README.md:
# a December report over the city's year and over five years of history,
# with nothing cached, as each month (November's run left its cache), and
# with everything cached; and a year of bulletins (--from 2025-01 --to
# 2025-12) against one month. The five years are the city's year with its
# 案件, 抽查明细 and 监督检查 exports copied into every month folder of 2021 to
# 2024 (realistic in files, bytes and rows; the copies repeat the ids).
#
# Each run is a fresh process under /usr/bin/time; each line is the fastest
# of three (the year of bulletins: one). DATA_DIR (default
# /tmp/bulletin-city) holds the generated year, made if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-/tmp/bulletin-city}
work=$(mktemp -d /tmp/bulletin-history.XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bulletin" ./cmd/bulletin
[[ -d $data/shared/2025-12 ]] || go run ./bench/cmd/citygen -out "$data"
year=$data/shared five=$work/five
cp -r "$year" "$five"
for y in 2021 2022 2023 2024; do
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    [[ -d $five/$y-$m ]] && continue
    mkdir "$five/$y-$m"
    for f in "$year/2025-$m"/{案件,抽查明细,监督检查}*; do
      b=$(basename "$f")
      cp "$f" "$five/$y-$m/${b//2025/$y}"
    done
  done
done

# best N LABEL PREPARE ARGS...: the fastest of N runs of bulletin ARGS, each
# after the shell command PREPARE.
best() {
  local n=$1 label=$2 prepare=$3
  shift 3
  for _ in $(seq "$n"); do
    eval "$prepare"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$work/bulletin" "$@" --config config.toml --now 2026-01-01T08:00 >/dev/null
    tail -1 "$work/t"
  done | sort -n | head -1 | awk -v l="$label" '{ printf "| %s | %.2f s | %.2f s | %.0f MiB |\n", l, $1, $2 + $3, $4 / 1024 }'
}
month() { echo "monthly --month 2025-12 --data $1 --out $2"; }
echo "| December's report | wall | CPU | peak RSS |"
echo "|---|---:|---:|---:|"
for d in "one year:$year" "five years:$five"; do
  name=${d%%:*} root=${d#*:} out=$work/out-${name// /}
  best 3 "$name, nothing cached" "rm -rf $out" $(month "$root" "$out")
  best 3 "$name, as each month (November cached)" \
    "rm -rf $out; $work/bulletin monthly --month 2025-11 --data $root --out $out --config config.toml --now 2026-01-01T08:00 >/dev/null" \
    $(month "$root" "$out")
  best 3 "$name, everything cached" ":" $(month "$root" "$out")
done
best 1 "a year of bulletins, --from 2025-01 --to 2025-12, nothing cached" "rm -rf $work/out-year" \
  monthly --from 2025-01 --to 2025-12 --data "$year" --out "$work/out-year"
