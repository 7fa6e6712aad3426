#!/usr/bin/env bash
# bench/pgo.sh [DATA_DIR] — writes cmd/bulletin/default.pgo, the CPU profile
# `go build` optimizes the command for (profile-guided optimization): a
# December report on a city's year, nothing cached, on each layout. Run it
# again when the reading or the documents change much; a stale profile only
# optimizes less. DATA_DIR (default /tmp/bulletin-city) holds the generated
# year, made if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

data=${1:-/tmp/bulletin-city}
work=$(mktemp -d /tmp/bulletin-pgo.XXXXXX)
trap 'rm -rf "$work"' EXIT
[[ -d $data/shared/2025-12 ]] || go run ./bench/cmd/citygen -out "$data"
go build -pgo=off -o "$work/bulletin" ./cmd/bulletin
for layout in inline shared; do
  BULLETIN_CPUPROFILE=$work/$layout.prof "$work/bulletin" monthly --month 2025-12 \
    --data "$data/$layout" --out "$work/out-$layout" --config config.toml --now 2026-01-01T08:00 >/dev/null
done
go tool pprof -proto "$work/inline.prof" "$work/shared.prof" >cmd/bulletin/default.pgo
echo "wrote cmd/bulletin/default.pgo ($(wc -c <cmd/bulletin/default.pgo) bytes)"
