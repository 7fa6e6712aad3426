#!/usr/bin/env bash
# bench/history.sh [DATA_DIR] — the history measurements of bench/README.md:
# a December report over the city's year and over five years of history,
# with nothing cached, as each month (November's run left its cache), and
# with everything cached; and a year of bulletins (--from 2025-01 --to
# 2025-12) against one month. The five years are the city's year with its
# 案件, 抽查明细 and 监督检查 exports copied into every month folder of 2021 to
# 2024 (realistic in files, bytes and rows; the copies repeat the ids).
#
# Each run is a fresh process under /usr/bin/time; each line is the run of
# the median wall time of five, one year's and five years' runs alternating
# (the year of bulletins: of three). DATA_DIR (default /tmp/bulletin-city)
# holds the generated year, made if missing. With WARM_MIB set (1024), each
# run is measured right after bench/cmd/touchmem touched and freed that much
# memory: on the development VMs memory freed two seconds before costs the
# host's faults again, so that a run's time depends on the runs before it
# (bench/README.md, "Ninth session").
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-/tmp/bulletin-city}
work=$(mktemp -d /tmp/bulletin-history.XXXXXX)
trap 'rm -rf "$work"' EXIT
go build -o "$work/bulletin" ./cmd/bulletin
go build -o "$work/touchmem" ./bench/cmd/touchmem
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

# timed PREPARE ARGS...: one run of bulletin ARGS, after the shell command
# PREPARE, as "wall CPU KiB".
timed() {
  local prepare=$1
  shift
  eval "$prepare"
  [[ -z ${WARM_MIB:-} ]] || "$work/touchmem" -mib "$WARM_MIB" >/dev/null
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$work/bulletin" "$@" --config config.toml --now 2026-01-01T08:00 >/dev/null
  tail -1 "$work/t" | awk '{ print $1, $2 + $3, $4 }'
}
# row LABEL FILE: the run of FILE's median wall time, the fastest and slowest
# beside it.
row() {
  sort -n "$2" | awk -v l="$1" '{ w[NR] = $1; c[NR] = $2; m[NR] = $3 }
    END { k = int((NR + 1) / 2); printf "| %s | %.2f s (%.2f–%.2f) | %.2f s | %.0f MiB |\n", l, w[k], w[1], w[NR], c[k], m[k] / 1024 }'
}
month() { echo "monthly --month 2025-12 --data $1 --out $2"; }
echo "| December's report | wall: median (fastest–slowest) | CPU | peak RSS |"
echo "|---|---:|---:|---:|"
# One year and five years alternate, five rounds of each state: the VM's
# speed drifts from minute to minute, and the two are compared run by run.
for state in "nothing cached" "as each month (November cached)" "everything cached"; do
  : >"$work/runs-one" && : >"$work/runs-five"
  for _ in 1 2 3 4 5; do
    for d in "one:$year" "five:$five"; do
      name=${d%%:*} root=${d#*:} out=$work/out-${d%%:*}
      case $state in
      nothing*) prepare="rm -rf $out" ;;
      as*) prepare="rm -rf $out; $work/bulletin monthly --month 2025-11 --data $root --out $out --config config.toml --now 2026-01-01T08:00 >/dev/null" ;;
      *) prepare=":" ;; # December's runs above left everything in the cache
      esac
      timed "$prepare" $(month "$root" "$out") >>"$work/runs-$name"
    done
  done
  row "one year, $state" "$work/runs-one"
  row "five years, $state" "$work/runs-five"
done
for _ in 1 2 3; do
  timed "rm -rf $work/out-year" monthly --from 2025-01 --to 2025-12 --data "$year" --out "$work/out-year"
done >"$work/year"
row "a year of bulletins, --from 2025-01 --to 2025-12, nothing cached" "$work/year"
