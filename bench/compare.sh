#!/usr/bin/env bash
# bench/compare.sh [DATA_DIR] — the city-scale comparison of bench/README.md.
#
# For each .xlsx layout (inline strings, shared strings), in one run:
#   1. our full monthly pipeline: `bulletin monthly --month 2025-12` (built
#      binary) over the city's year — read, figures, PDF, workbook — with
#      nothing cached (every file parsed); the same as the office runs it
#      each month (the earlier months' files in the cache of parsed exports,
#      December's parsed); and the first again with Go's default collector
#      setting (GOGC=100) instead of the binary's;
#   2. bench/pandas_baseline.py: pandas + openpyxl reading the same files and
#      computing the same core counts, nothing else;
#   3. bench/cmd/readfloor: inflating the same sheets and nothing else (the
#      floor), and ingest's reading of them.
# Each under /usr/bin/time -v (ours three times each, the median reported);
# prints a Markdown table of wall time, CPU time, peak RSS and ratios, and
# checks that pandas found the same counts as the pipeline.
#
# DATA_DIR (default /tmp/bulletin-city) receives the generated year (about
# 130 MB, made once); BULLETIN_CITY_SCALE sets its scale (default 79: a
# million complaint rows). Needs Go, and root for apt-get when python3-pandas,
# python3-openpyxl or time are missing. Takes about 15 minutes, mostly pandas.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-/tmp/bulletin-city}
scale=${BULLETIN_CITY_SCALE:-79}
month=2025-12
work=$(mktemp -d /tmp/bulletin-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT

need=()
[[ -x /usr/bin/time ]] || need+=(time)
/usr/bin/python3 -c 'import pandas' 2>/dev/null || need+=(python3-pandas)
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

go build -o "$work/bulletin" ./cmd/bulletin
go build -pgo=cmd/bulletin/default.pgo -o "$work/readfloor" ./bench/cmd/readfloor # optimized as the command is
if [[ ! -d $data/inline/$month || ! -d $data/shared/$month ]]; then
  go run ./bench/cmd/citygen -out "$data" -scale "$scale"
fi

# wall, CPU (user + system) and peak RSS from a /usr/bin/time -v report
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s }' "$1"; }
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }

echo "## $(date -u +%Y-%m-%d) · $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "$(go version | cut -d' ' -f3) · $(/usr/bin/python3 -c 'import sys, pandas, openpyxl; print(f"Python {sys.version.split()[0]}, pandas {pandas.__version__}, openpyxl {openpyxl.__version__}")')"
echo
for layout in inline shared; do
  root=$data/$layout
  run() { # run NAME COMMAND...: time a command into $work/NAME.time, its output into $work/NAME.out
    local name=$1
    shift
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>&1 || { cat "$work/$name.out"; exit 1; }
  }
  # Each of ours three times, after prepare; the run of the median wall
  # time is the one reported (a single run of a few seconds moves by a fifth
  # on a shared VM; pandas's one run of minutes averages that out itself).
  median() { # median NAME PREPARE COMMAND...
    local name=$1 prepare=$2
    shift 2
    for i in 1 2 3; do
      eval "$prepare"
      run "$name.$i" "$@"
    done
    local mid
    mid=$(for i in 1 2 3; do echo "$(wall "$work/$name.$i.time") $i"; done | sort -n | sed -n 2p | cut -d' ' -f2)
    cp "$work/$name.$mid.time" "$work/$name.time"
    cp "$work/$name.$mid.out" "$work/$name.out"
  }
  rm -rf "$work"/out* "$work/november"
  # November's run leaves the cache the office's December finds.
  "$work/bulletin" monthly --month 2025-11 --data "$root" --out "$work/november" --config config.toml >/dev/null
  median go 'rm -rf "$work/out"' "$work/bulletin" monthly --month $month --data "$root" --out "$work/out" --config config.toml
  median go-routine 'rm -rf "$work/out-routine"; cp -r "$work/november" "$work/out-routine"' \
    "$work/bulletin" monthly --month $month --data "$root" --out "$work/out-routine" --config config.toml
  median go-gogc100 'rm -rf "$work/out-gogc100"' \
    env GOGC=100 "$work/bulletin" monthly --month $month --data "$root" --out "$work/out-gogc100" --config config.toml
  run py /usr/bin/python3 bench/pandas_baseline.py "$root" $month config.toml
  "$work/readfloor" -data "$root" -month $month -config config.toml >"$work/floor.txt"
  # The same counts, or the comparison is void.
  /usr/bin/python3 bench/samecounts.py "$work/out/$month/figures.json" "$work/out/$month/quality.json" "$work/py.out" >"$work/check.txt"

  py_s=$(wall "$work/py.time") py_cpu=$(cpu "$work/py.time")
  echo
  echo "### $layout layout ($(du -sh "$root" | cut -f1) of .xlsx)"
  echo
  echo "| run | wall (median of three: fastest–slowest) | CPU | peak RSS | pandas ÷ this, wall | pandas ÷ this, CPU |"
  echo "|---|---:|---:|---:|---:|---:|"
  for r in "go:bulletin monthly, nothing cached (read + figures + PDF + workbook)" \
    "go-routine:the same as each month (earlier months cached, December parsed)" \
    "go-gogc100:the first with Go's default collector (GOGC=100)" \
    "py:pandas + openpyxl (read + core counts only)"; do
    name=${r%%:*} s=$(wall "$work/${r%%:*}.time") c=$(cpu "$work/${r%%:*}.time") range=""
    [[ $name != py ]] && range=" ($(for i in 1 2 3; do wall "$work/$name.$i.time"; echo; done | sort -n | sed -n '1p;3p' | paste -sd' ' | sed 's/ /–/'))"
    ratio=$(awk -v a="$py_s" -v b="$s" 'BEGIN { printf "**%.0f×**", a / b }')
    cratio=$(awk -v a="$py_cpu" -v b="$c" 'BEGIN { printf "%.0f×", a / b }')
    [[ $name == py ]] && ratio=— cratio=—
    echo "| ${r#*:} | $s s$range | $c s | $(rss "$work/$name.time") MiB | $ratio | $cratio |"
  done
  echo
  cat "$work/check.txt"
  echo
  sed 's/^/    /' "$work/floor.txt"
done
