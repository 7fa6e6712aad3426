#!/usr/bin/python3
"""bench/compare.sh's check that pandas_baseline.py read what the pipeline
read: the same rows per dataset and the same quota counts.

    samecounts.py figures.json quality.json pandas-output.json
"""

import collections
import json
import sys

figures, quality, pandas = (json.load(open(p)) for p in sys.argv[1:4])
ours = {q["id"]: [q["numerator"], q["denominator"]] for q in figures["quotas"]}
for quota, counts in pandas["counts"].items():
    if quota in ours and ours[quota] != counts:
        sys.exit(f"pandas counts {quota} as {counts}, the pipeline as {ours[quota]}")
rows = collections.Counter()
for i in quality["inputs"]:
    rows[i["dataset"]] += i["rows"]
for dataset, n in pandas["rows"].items():
    if rows[dataset] != n:
        sys.exit(f"pandas read {n} {dataset} rows, the pipeline {rows[dataset]}")
print("Both read " + ", ".join(f"{n:,} {d}" for d, n in rows.items()) + " rows, and count "
      + "; ".join(f"{q} {c[0]:,}/{c[1]:,}" for q, c in pandas["counts"].items() if q in ours) + ".")
