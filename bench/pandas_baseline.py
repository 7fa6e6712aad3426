#!/usr/bin/python3
"""The usual alternative, for bench/compare.sh: read what a monthly report
reads with pandas + openpyxl and compute its core counts.

    /usr/bin/python3 bench/pandas_baseline.py DATA_ROOT 2025-12 config.toml

Reads the same files as `bulletin monthly --month M` (every export of the
folders from January to M, the 案件, 抽查明细 and 监督检查 exports of earlier folders), finds each
sheet's header row among its first 20 rows by the column names and aliases
of config.toml, parses the dates the contract allows, drops duplicate ids
(the latest file wins) and prints, as JSON, the numerators and denominators
of five quotas of rules.md and the rows read. No bulletin, no workbook.
"""

import json
import os
import re
import sys
import tomllib

import pandas as pd

HEADER_ROWS = 20
MARKERS = re.compile(r"[\s\u3000]|[（(]必填[)）]|[*＊]")
FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def fold(text):
    return MARKERS.sub("", str(text).translate(FULL_WIDTH)).lower()


def month_key(year, month):
    return f"{year:04d}-{month:02d}"


def files_for(root, month):
    """The exports cmd/bulletin's readMonth reads, in the order duplicates are resolved."""
    year, m = map(int, month.split("-"))
    first = month_key(year, 1) if m > 1 else month_key(year - 1, 12)
    out = []
    for folder in sorted(os.listdir(root)):
        if not re.fullmatch(r"\d{4}-\d{2}", folder) or folder > month:
            continue
        for name in sorted(os.listdir(os.path.join(root, folder))):
            if folder < first and not name.startswith(("案件", "抽查明细", "监督检查")):
                continue
            if name.endswith(".xlsx"):
                out.append((folder, os.path.join(root, folder, name)))
    return out


def find_header(frame, columns):
    """The first row holding every required column; returns {canonical: position}."""
    spellings = {}
    for canonical, aliases in columns.items():
        for spelling in [canonical, *aliases]:
            spellings.setdefault(fold(spelling), canonical)
    for row in range(min(HEADER_ROWS, len(frame))):
        found = {}
        for pos, cell in enumerate(frame.iloc[row]):
            canonical = spellings.get(fold(cell)) if pd.notna(cell) else None
            if canonical and canonical not in found:
                found[canonical] = pos
        if len(found) >= 3:
            return row, found
    raise ValueError("no header row")


SERIAL_EPOCH = pd.Timestamp("1899-12-30")
TEXT_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?|(\d{2})(\d{2}))")


def to_dates(series):
    """Dates of every form of the contract: date cells, Excel serials, text."""
    def one(value):
        if pd.isna(value) or value == "":
            return pd.NaT
        if isinstance(value, pd.Timestamp) or hasattr(value, "year"):
            return pd.Timestamp(value).normalize()
        if isinstance(value, (int, float)):
            if value > 19000101:  # 20250503 typed as a number
                value = str(int(value))
            else:
                return (SERIAL_EPOCH + pd.Timedelta(days=int(value))).normalize()
        text = str(value).strip().translate(FULL_WIDTH)
        if re.fullmatch(r"\d+(\.\d+)?", text) and len(text.split(".")[0]) == 5:
            return (SERIAL_EPOCH + pd.Timedelta(days=int(float(text)))).normalize()
        m = TEXT_DATE.match(text)
        if not m:
            return pd.NaT
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(1), m.group(4), m.group(5))
        try:
            return pd.Timestamp(int(y), int(mo), int(d))
        except ValueError:
            return pd.NaT
    return pd.to_datetime(series.map(one))


YES = {"是", "y", "1", "true", "√", "1.0"}


def to_bool(series):
    return series.map(lambda v: (v is True) or (not pd.isna(v) and str(v).strip().lower() in YES))


def read_dataset(files, dataset, spec):
    """All rows of the dataset's files, canonical columns, with the file's folder."""
    frames = []
    for folder, path in files:
        if not os.path.basename(path).startswith(dataset):
            continue
        book = pd.ExcelFile(path, engine="openpyxl")
        sheet = next((s for s in book.sheet_names if fold(s) == fold(spec.get("sheet", dataset))), book.sheet_names[0])
        frame = book.parse(sheet, header=None, dtype=object)
        row, found = find_header(frame, spec["columns"])
        data = frame.iloc[row + 1:, list(found.values())]
        data.columns = list(found.keys())
        first = data.iloc[:, 0].astype(str)
        data = data[~first.str.startswith(("合计", "总计")) & data.notna().any(axis=1)]
        frames.append(data.assign(_folder=folder))
    return pd.concat(frames, ignore_index=True)


def latest(frame, key):
    return frame.drop_duplicates(subset=[key], keep="last")


def main(root, month, config_path):
    with open(config_path, "rb") as f:
        config = tomllib.load(f)
    datasets = config["datasets"]
    files = files_for(root, month)
    year, m = map(int, month.split("-"))
    this = pd.Period(f"{year}-{m:02d}", "M")
    prev = this - 1

    def in_month(dates, period):
        return dates.dt.to_period("M") == period

    rows = {}
    cases = read_dataset(files, "案件", datasets["案件"])
    samples = read_dataset(files, "抽查明细", datasets["抽查明细"])
    inspections = read_dataset(files, "监督检查", datasets["监督检查"])
    complaints = read_dataset(files, "诉件", datasets["诉件"])
    weekly = read_dataset(files, "中队督察", datasets["中队督察"])
    for name, frame in [("案件", cases), ("抽查明细", samples), ("监督检查", inspections), ("诉件", complaints), ("中队督察", weekly)]:
        rows[name] = len(frame)

    cases = latest(cases, "案件编号")
    samples = latest(samples, "抽查编号")
    inspections = latest(inspections, "记录编号")
    complaints = latest(complaints, "诉件编号")

    kinds = config["values"]["sample_kind"]
    def kind_of(value):
        text = fold(value)
        for canonical, aliases in kinds.items():
            if text in {fold(canonical), *map(fold, aliases)}:
                return canonical
        return None
    sample_kind = samples["抽查类型"].map(kind_of)
    sampled_in_m = in_month(to_dates(samples["抽查日期"]), this)
    items = {fold(a): "公示制度" for a in ["公示制度", "行政执法公示", "三项制度-公示"]}

    counts = {
        "lawful.case_sample_rate": [int((sampled_in_m & (sample_kind == "案卷")).sum()),
                                    int(in_month(to_dates(cases["结案日期"]), prev).sum())],
        "recording.av_sample_rate": [int((sampled_in_m & (sample_kind == "视音频")).sum()),
                                     int(in_month(to_dates(cases["立案日期"]), prev).sum())],
        "disclosure.checked_month": [int((in_month(to_dates(inspections["检查日期"]), this)
                                          & (inspections["监督事项"].map(lambda v: items.get(fold(v))) == "公示制度")).sum()), 1],
        "complaints.sample_rate": [int((to_bool(complaints["是否抽查"]) & in_month(to_dates(complaints["抽查日期"]), this)).sum()),
                                   int(in_month(to_dates(complaints["受理日期"]), this).sum())],
        "squads.weekly_records_rows": [int(in_month(to_dates(weekly["督察日期"]), this).sum()), 1],
    }
    print(json.dumps({"files": len(files), "rows": rows, "counts": counts}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:4])
