"""Statistics files → records: json-stat2 (PxWeb), PxWeb CSV, Kolada JSON/CSV/xlsx, SCB ref CSV.

Each reader returns a `Parsed`: where the figures come from and one `Record` per published
cell, with codes and labels as published and the value as Decimal (exact). The importer
decides what becomes a fact. Readers raise `FormatError` with a plain Swedish reason.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pipelines.statistics.values import (
    is_ratio,
    is_total_label,
    money_scale,
    names_unit,
    parse_number,
    split_code,
    year_of,
)


class FormatError(ValueError):
    """The file claims a known format but breaks it; `where` locates the problem."""

    def __init__(self, reason: str, where: str | None = None):
        self.reason, self.where = reason, where
        super().__init__(reason if where is None else f"{reason} ({where})")


@dataclass
class Record:
    """One published cell."""

    region_code: str | None
    region_name: str | None
    item_code: str | None
    item_label: str | None
    measure_code: str | None
    measure_label: str | None
    unit: str | None
    scale: Decimal | None  # kronor per published unit when the cell is money, else None
    net_cost: bool  # the measure is nettokostnad (becomes a fact for a kommun)
    year: int | None
    period: str | None
    gender: str | None
    value: Decimal | None
    status: str | None
    source_cell: str
    is_total: bool = False


@dataclass
class Parsed:
    """What a file holds: its format, publisher, dataset id, and the cells."""

    fmt: str
    source: str
    dataset: str | None
    published: str | None = None
    records: list[Record] = field(default_factory=list)
    kpi_titles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    municipalities: dict[str, str] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    is_demo: bool = False


# --------------------------------------------------------------------------- json-stat2


def _categories(dim_id: str, dim: dict[str, Any], size: int) -> list[str]:
    """Category codes in storage order: `index` as list or {code: position}, else `label`."""
    cat = dim.get("category") or {}
    index = cat.get("index")
    labels = cat.get("label") or {}
    if index is None:
        codes = list(labels.keys())
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda kv: int(kv[1]))]
    else:
        raise FormatError(f"dimensionen {dim_id}: category.index är varken lista eller objekt")
    if len(codes) != size:
        raise FormatError(f"dimensionen {dim_id} har {len(codes)} kategorier men size säger {size}")
    return codes


def _by_index(raw: Any, n: int, what: str) -> dict[int, Any]:
    """`value`/`status` as {flat index: item}: array, sparse object, or (status) one string."""
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(n), raw) if what == "status" else {}
    if isinstance(raw, list):
        if what == "status" and len(raw) == 1 and n != 1:
            return dict.fromkeys(range(n), raw[0])
        if len(raw) != n:
            raise FormatError(f"{what} har {len(raw)} element men dimensionerna ger {n} celler")
        return {i: v for i, v in enumerate(raw) if v is not None}
    if isinstance(raw, dict):
        out: dict[int, Any] = {}
        for key, v in raw.items():
            try:
                i = int(key)
            except ValueError:
                raise FormatError(f"{what}: nyckeln {key!r} är inget cellindex") from None
            if not 0 <= i < n:
                raise FormatError(f"{what}: cellindex {i} ligger utanför 0–{n - 1}")
            if v is not None:
                out[i] = v
        return out
    raise FormatError(f"{what} är varken lista, objekt eller text")


def _role(ds: dict[str, Any], ids: list[str], dims: dict[str, Any]) -> dict[str, list[str]]:
    """Which dimensions are geography, time and metric (json-stat `role`, else by name)."""
    role = ds.get("role") or dims.get("role") or {}
    out = {k: [d for d in role.get(k, []) if d in ids] for k in ("geo", "time", "metric")}

    def label(d: str) -> str:
        return f"{d} {dims[d].get('label') or ''}".casefold()

    for d in ids:
        text = label(d)
        if not out["geo"] and re.search(r"\b(region|kommun|municipality|geo|område)", text):
            if "verksamhet" not in text:
                out["geo"] = [d]
        if not out["time"] and re.search(r"\b(tid|time|year|år|period)\b", text):
            out["time"] = [d]
        if not out["metric"] and re.search(r"contentscode|tabellinnehåll|contents", text):
            out["metric"] = [d]
    return out


def _unit_text(cat: dict[str, Any], code: str) -> str | None:
    unit = (cat.get("unit") or {}).get(code)
    if isinstance(unit, dict):
        parts = [str(unit.get(k)) for k in ("base", "label", "symbol") if unit.get(k)]
        return " ".join(parts) or None
    if isinstance(unit, str):
        return unit
    return None


def _is_dataset(ds: Any) -> bool:
    return (
        isinstance(ds, dict)
        and isinstance(ds.get("dimension"), dict)
        and isinstance(ds.get("value"), (list, dict))
    )


def _datasets(obj: Any) -> list[tuple[str | None, dict[str, Any]]]:
    """The datasets in a json-stat response: 2.0 dataset, 1.0 bundle or {'dataset': …}."""
    if not isinstance(obj, dict):
        raise FormatError("json-stat: svaret är inget objekt")
    if obj.get("class") == "collection":
        raise FormatError("json-stat: en 'collection' innehåller bara länkar, inga värden")
    if _is_dataset(obj):
        return [(None, obj)]
    found = [(name, ds) for name, ds in obj.items() if _is_dataset(ds)]
    if not found:
        raise FormatError("json-stat: hittar inget dataset (dimension och value saknas)")
    return found


def looks_like_jsonstat(obj: Any) -> bool:
    try:
        return bool(_datasets(obj))
    except FormatError:
        return False


def parse_jsonstat(obj: Any, file_name: str) -> Parsed:
    """A json-stat (2.0, or 1.0 bundle) response, read along its `id`/`size` order."""
    datasets = _datasets(obj)
    first = datasets[0][1]
    ext = first.get("extension") or {}
    px = ext.get("px") or {}
    table = px.get("tableid") or px.get("table-id") or ext.get("tableid")
    if not table:
        m = re.search(r"TAB\d+", file_name, re.I)
        table = m.group(0).upper() if m else None
    source = str(first.get("source") or "SCB")
    parsed = Parsed(
        fmt="json-stat2" if str(first.get("version", "")).startswith("2") else "json-stat",
        source="SCB" if "statistiska centralbyrån" in source.casefold() else source,
        dataset=table or first.get("label"),
        published=first.get("updated"),
    )
    for name, ds in datasets:
        _read_dataset(ds, name, parsed)
    return parsed


def _read_dataset(ds: dict[str, Any], name: str | None, parsed: Parsed) -> None:
    dims = ds.get("dimension") or {}
    ids = ds.get("id") or dims.get("id")
    size = ds.get("size") or dims.get("size")
    if not isinstance(ids, list) or not isinstance(size, list) or len(ids) != len(size):
        raise FormatError("json-stat: id och size saknas eller har olika längd")
    try:
        size = [int(s) for s in size]
    except (TypeError, ValueError):
        raise FormatError("json-stat: size innehåller annat än heltal") from None
    for d in ids:
        if d not in dims:
            raise FormatError(f"json-stat: dimensionen {d} finns i id men inte i dimension")
    n = math.prod(size)
    codes = [_categories(d, dims[d], s) for d, s in zip(ids, size, strict=True)]
    labels = [(dims[d].get("category") or {}).get("label") or {} for d in ids]
    roles = _role(ds, ids, dims)
    geo = ids.index(roles["geo"][0]) if roles["geo"] else None
    time = ids.index(roles["time"][0]) if roles["time"] else None
    metric = ids.index(roles["metric"][0]) if roles["metric"] else None
    items = [i for i in range(len(ids)) if i not in (geo, time, metric)]
    # Dimensions with one category describe the whole table; others name the line item.
    varying = [i for i in items if size[i] > 1] or items[:1]
    label_text = " ".join(str(x) for x in (ds.get("label"), name) if x)

    values = _by_index(ds.get("value"), n, "value")
    statuses = _by_index(ds.get("status"), n, "status")
    strides = [math.prod(size[k + 1 :]) for k in range(len(size))]

    metric_info: dict[str, tuple[str | None, str | None, Decimal | None, bool]] = {}

    def measure(code: str | None) -> tuple[str | None, str | None, Decimal | None, bool]:
        if code in metric_info:
            return metric_info[code]
        if metric is not None and code is not None:
            cat = dims[ids[metric]].get("category") or {}
            label = str(labels[metric].get(code, code))
            unit = _unit_text(cat, code)
        else:
            label, unit = None, None
        others = [str(labels[i].get(codes[i][0], codes[i][0])) for i in items if size[i] == 1] + [
            label_text
        ]
        unit_source = unit if names_unit(unit) else None
        scale = None if is_ratio(unit, label) else money_scale(unit_source, label, *others)
        unit = unit or _unit_words(label, *others)
        texts = " ".join(t for t in (label, *others) if t).casefold()
        single = metric is None or size[metric] == 1
        net = scale is not None and (
            "netto" in (label or "").casefold() or (single and "netto" in texts)
        )
        metric_info[code] = (label, unit, scale, net)
        return metric_info[code]

    for flat in sorted(set(values) | set(statuses)):
        pos = [(flat // strides[k]) % size[k] for k in range(len(size))]
        cell = [codes[k][pos[k]] for k in range(len(size))]
        raw = values.get(flat)
        try:
            value, mark = parse_number(raw)
        except ValueError:
            raise FormatError(f"json-stat: värdet {raw!r} är inget tal", f"value[{flat}]") from None
        status = statuses.get(flat) or mark
        region_code = region_name = None
        if geo is not None:
            region_code, region_name = split_code(
                str(labels[geo].get(cell[geo], cell[geo])), cell[geo]
            )
        year, period = (None, None)
        if time is not None:
            year, period = year_of(cell[time])
        m_code = cell[metric] if metric is not None else None
        m_label, unit, scale, net = measure(m_code)
        item_code = "|".join(cell[i] for i in varying) or None
        item_label = (
            " / ".join(
                split_code(str(labels[i].get(cell[i], cell[i])), cell[i])[1] for i in varying
            )
            or None
        )
        where = ", ".join(f"{ids[k]}={cell[k]}" for k in range(len(size)))
        parsed.records.append(
            Record(
                region_code=region_code,
                region_name=region_name,
                item_code=item_code,
                item_label=item_label,
                measure_code=m_code,
                measure_label=m_label,
                unit=unit,
                scale=scale,
                net_cost=net,
                year=year,
                period=period,
                gender=None,
                value=value,
                status=str(status) if status is not None else None,
                source_cell=f"value[{flat}] ({where})",
                is_total=is_total_label(item_label, item_code),
            )
        )


def _unit_words(*texts: str | None) -> str | None:
    for text in texts:
        if not text:
            continue
        m = re.search(
            r"(kr(onor)?\s+per\s+\w+|kr/\w+|tkr|mnkr|mkr|mdkr|kronor|procent|%|antal)",
            text,
            re.I,
        )
        if m:
            return m.group(1)
    return None


# --------------------------------------------------------------------------- Kolada JSON


def looks_like_kolada(obj: Any) -> str | None:
    """'data', 'kpi' (KPI metadata) or 'municipality' (municipality metadata), else None."""
    if not isinstance(obj, dict) or not isinstance(obj.get("values"), list):
        return None
    items = [v for v in obj["values"] if isinstance(v, dict)]
    if not items or len(items) != len(obj["values"]):
        return None
    first = items[0]
    if {"kpi", "period", "values"} <= first.keys() and ("municipality" in first or "ou" in first):
        return "data"
    if {"id", "title"} <= first.keys() and (
        "is_divided_by_gender" in first or "operating_area" in first or "auspice" in first
    ):
        return "kpi"
    if {"id", "title", "type"} <= first.keys() and first.get("type") in ("K", "L"):
        return "municipality"
    return None


def parse_kolada_json(obj: dict[str, Any], file_name: str) -> Parsed:
    """Kolada API v3 (and v2) data or metadata responses."""
    kind = looks_like_kolada(obj)
    parsed = Parsed(fmt=f"kolada-json-{kind}", source="Kolada", dataset=None)
    if kind == "kpi":
        for item in obj["values"]:
            parsed.kpi_titles[str(item["id"])] = (item.get("title"), item.get("unit"))
        parsed.dataset = ",".join(sorted(parsed.kpi_titles))[:200]
        return parsed
    if kind == "municipality":
        for item in obj["values"]:
            if item.get("type") == "K":
                parsed.municipalities[str(item["id"])] = str(item["title"])
        parsed.dataset = "municipality"
        return parsed
    kpis: set[str] = set()
    for i, item in enumerate(obj["values"]):
        kpi = str(item["kpi"])
        kpis.add(kpi)
        region = item.get("municipality", item.get("ou"))
        year, period = year_of(str(item["period"]))
        if year is None:
            raise FormatError(f"Kolada: period {item['period']!r} är inget år", f"values[{i}]")
        inner = item.get("values")
        if not isinstance(inner, list):
            raise FormatError("Kolada: values saknar lista med kön/värde", f"values[{i}]")
        for j, v in enumerate(inner):
            gender = (v.get("gender") or "T").upper()
            if gender not in ("T", "K", "M"):
                raise FormatError(f"Kolada: okänt kön {gender!r}", f"values[{i}].values[{j}]")
            try:
                value, mark = parse_number(v.get("value"))
            except ValueError:
                raise FormatError(
                    f"Kolada: värdet {v.get('value')!r} är inget tal", f"values[{i}].values[{j}]"
                ) from None
            if v.get("isdeleted"):
                continue
            status = v.get("status") or mark or None
            parsed.records.append(
                Record(
                    region_code=str(region) if region is not None else None,
                    region_name=None,
                    item_code=None,
                    item_label=None,
                    measure_code=kpi,
                    measure_label=None,
                    unit=None,
                    scale=None,
                    net_cost=False,
                    year=year,
                    period=period,
                    gender=gender,
                    value=value,
                    status=status,
                    source_cell=f"values[{i}].values[{j}] (kpi={kpi}, municipality={region}, "
                    f"period={item['period']}, gender={gender})",
                )
            )
    parsed.dataset = ",".join(sorted(kpis))[:200] or None
    return parsed


# --------------------------------------------------------------------------- CSV and xlsx


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Swedish Excel writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(text: str) -> list[list[str]]:
    """Rows of a CSV text; the delimiter (`;`, `,` or tab) is the one that splits the first
    lines most consistently, so a title line above the header does not decide it."""
    lines = [line for line in text.splitlines() if line.strip()][:12]

    def score(d: str) -> tuple[int, int]:
        counts = Counter(line.count(d) for line in lines)
        common, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]), default=(0, 0))
        return (times if common else 0, common)

    delimiter = max((";", ",", "\t"), key=score)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(text).strip().casefold()).strip()


SCB_REFERENCE_HEADER = [
    "kommunkod",
    "kommun",
    "ar",
    "verksamhetskod",
    "verksamhet",
    "nettokostnad_tkr",
]


def is_scb_reference(rows: list[list[str]]) -> bool:
    """The shipped SCB reference layout, exactly these six columns."""
    return bool(rows) and [c.strip().casefold() for c in rows[0]] == SCB_REFERENCE_HEADER


def parse_scb_reference(rows: list[list[str]], file_name: str) -> Parsed:
    """kommunkod,kommun,ar,verksamhetskod,verksamhet,nettokostnad_tkr — SCB RS net cost in tkr."""
    parsed = Parsed(
        fmt="scb-rs-csv",
        source="SCB",
        dataset="Räkenskapssammandraget, nettokostnad per verksamhet",
    )
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != 6:
            raise FormatError(f"raden har {len(row)} fält, väntade 6", f"rad {n}")
        kod, namn, ar, vkod, verksamhet, tkr = (c.strip() for c in row)
        if not re.fullmatch(r"\d{4}", kod):
            raise FormatError(f"kommunkoden {kod!r} är inte fyra siffror", f"rad {n}")
        if not re.fullmatch(r"(19|20)\d{2}", ar):
            raise FormatError(f"året {ar!r} är inget år", f"rad {n}")
        try:
            value, mark = parse_number(tkr)
        except ValueError as exc:
            raise FormatError(str(exc), f"rad {n}, kolumn F") from None
        parsed.records.append(
            Record(
                region_code=kod,
                region_name=namn,
                item_code=vkod or None,
                item_label=verksamhet,
                measure_code="nettokostnad_tkr",
                measure_label="Nettokostnad",
                unit="tkr",
                scale=Decimal(1000),
                net_cost=True,
                year=int(ar),
                period=None,
                gender=None,
                value=value,
                status=mark,
                source_cell=f"rad {n}, kolumn F",
                is_total=is_total_label(verksamhet, vkod),
            )
        )
    return parsed


# Kolada export headers (Swedish and API names), compared after _key().
_KOLADA_COLS = {
    "kpi": {"kpi", "kpi id", "nyckeltal id", "nyckeltalsid", "nyckeltals id", "id nyckeltal"},
    "kpi_title": {"nyckeltal", "kpi title", "kpi titel", "titel", "title", "nyckeltalsnamn"},
    "municipality": {
        "municipality",
        "municipality id",
        "kommun id",
        "kommunkod",
        "kommun kod",
        "område id",
        "id kommun",
    },
    "municipality_name": {"kommun", "municipality name", "område", "kommun/region", "region"},
    "year": {"period", "år", "year"},
    "gender": {"kön", "gender"},
    "value": {"värde", "value"},
    "status": {"status"},
    "source": {"källa", "source"},
}


def _kolada_header(row: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for i, cell in enumerate(row):
        k = _key(cell)
        for name, options in _KOLADA_COLS.items():
            if k in options and name not in found:
                found[name] = i
    ok = (
        ("kpi" in found or "kpi_title" in found)
        and ("municipality" in found or "municipality_name" in found)
        and "year" in found
        and "value" in found
    )
    return found if ok else None


def find_kolada_header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row of a Kolada export (within the first ten rows) and its columns."""
    for n, row in enumerate(rows[:10]):
        cols = _kolada_header(row)
        if cols:
            return n, cols
    return None


def parse_kolada_table(rows: list[list[str]], file_name: str, sheet: str | None = None) -> Parsed:
    """A Kolada CSV or xlsx export in long form: one row per KPI, kommun, year and gender."""
    found = find_kolada_header(rows)
    if not found:
        raise FormatError(
            "Kolada-export: hittar ingen rubrikrad med nyckeltal, kommun, år och värde"
        )
    head, cols = found
    parsed = Parsed(fmt="kolada-xlsx" if sheet else "kolada-csv", source="Kolada", dataset=None)
    kpis: set[str] = set()
    where_prefix = f"blad {sheet}, " if sheet else ""

    def get(row: list[str], name: str) -> str:
        i = cols.get(name)
        return str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""

    for n, row in enumerate(rows[head + 1 :], start=head + 2):
        if not any(str(c).strip() for c in row if c is not None):
            continue
        where = f"{where_prefix}rad {n}"
        kpi = get(row, "kpi") or None
        title = get(row, "kpi_title") or None
        code = get(row, "municipality") or None
        name = get(row, "municipality_name") or None
        if code and re.fullmatch(r"\d{1,4}", code) and len(code) < 4:
            code = code.zfill(4)  # Excel drops the leading zero of 0181
        if name and not code:
            code, name = split_code(name)
        year, period = year_of(get(row, "year"))
        if year is None:
            raise FormatError(f"året {get(row, 'year')!r} är inget år", where)
        try:
            value, mark = parse_number(get(row, "value"))
        except ValueError as exc:
            raise FormatError(str(exc), where) from None
        gender = (get(row, "gender") or "T").strip()
        gender = {"totalt": "T", "kvinnor": "K", "män": "M", "alla": "T"}.get(
            gender.casefold(), gender.upper()
        )
        if gender not in ("T", "K", "M"):
            raise FormatError(f"okänt kön {gender!r}", where)
        source = get(row, "source")
        if re.search(r"\bdemo\b", source, re.I):
            parsed.is_demo = True
        measure = kpi or title
        kpis.add(measure or "")
        if kpi and title:
            parsed.kpi_titles.setdefault(kpi, (title, None))
        parsed.records.append(
            Record(
                region_code=code,
                region_name=name,
                item_code=None,
                item_label=None,
                measure_code=measure,
                measure_label=title,
                unit=None,
                scale=None,
                net_cost=False,
                year=year,
                period=period,
                gender=gender,
                value=value,
                status=get(row, "status") or mark,
                source_cell=where,
            )
        )
    if parsed.is_demo:
        parsed.source = "DEMO"
    parsed.dataset = ",".join(sorted(k for k in kpis if k))[:200] or None
    return parsed


# PxWeb CSV: dimension columns with "code label" cells, then one value column per
# contents and year ("Nettokostnad, tkr 2024"), or long form with a year and a value column.
_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:M\d{2}|K\d)?(?!\d)")
_REGION_HEAD = re.compile(r"^(region|kommun|kommuner|municipality)\b", re.I)
_YEAR_HEAD = {"år", "tid", "year", "period"}
_VALUE_HEAD = {"värde", "value", "values"}


def find_pxweb_header(rows: list[list[str]]) -> int | None:
    """The header row of a PxWeb CSV: a region column and year columns (or a year column)."""
    for n, row in enumerate(rows[:6]):
        heads = [str(c).strip() for c in row]
        if not any(_REGION_HEAD.match(h) for h in heads):
            continue
        if _kolada_header(row):
            return None
        keys = {_key(h) for h in heads}
        year_cols = [h for h in heads if _YEAR_IN.search(h) and not _REGION_HEAD.match(h)]
        if year_cols or (keys & _YEAR_HEAD and keys & _VALUE_HEAD):
            data = [r for r in rows[n + 1 : n + 6] if any(c.strip() for c in r)]
            if data:
                return n
    return None


def parse_pxweb_csv(rows: list[list[str]], file_name: str, context: str = "") -> Parsed:
    """A PxWeb CSV export (SCB statistikdatabasen), wide by year or long."""
    head = find_pxweb_header(rows)
    if head is None:
        raise FormatError("PxWeb-CSV: hittar ingen rubrikrad med region och år")
    heads = [str(c).strip() for c in rows[head]]
    keys = [_key(h) for h in heads]
    region_col = next(i for i, h in enumerate(heads) if _REGION_HEAD.match(h))
    long_year = next((i for i, k in enumerate(keys) if k in _YEAR_HEAD), None)
    long_value = next((i for i, k in enumerate(keys) if k in _VALUE_HEAD), None)
    contents_col = next(
        (i for i, k in enumerate(keys) if k in ("tabellinnehåll", "contentscode", "innehåll")),
        None,
    )
    if long_year is not None and long_value is not None:
        value_cols = [long_value]
        dim_cols = [
            i
            for i in range(len(heads))
            if i not in (region_col, long_year, long_value, contents_col)
        ]
    else:
        value_cols = [i for i, h in enumerate(heads) if _YEAR_IN.search(h) and i != region_col]
        dim_cols = [i for i in range(len(heads)) if i not in value_cols and i != region_col]
        if contents_col is not None:
            dim_cols = [i for i in dim_cols if i != contents_col]
    title = " ".join(" ".join(r) for r in rows[:head]) + " " + context
    m = re.search(r"TAB\d+", file_name + " " + title, re.I)
    parsed = Parsed(fmt="pxweb-csv", source="SCB", dataset=m.group(0).upper() if m else None)
    for n, row in enumerate(rows[head + 1 :], start=head + 2):
        if not any(str(c).strip() for c in row):
            continue
        if len(row) < len(heads):
            # Notes under the table ("Källa: SCB", footnotes) end the data.
            if len([c for c in row if c.strip()]) <= 1:
                continue
            raise FormatError(f"raden har {len(row)} fält, rubriken {len(heads)}", f"rad {n}")
        region_code, region_name = split_code(row[region_col])
        if region_code is None and re.fullmatch(r"\d{2,4}", row[region_col].strip()):
            region_code, region_name = row[region_col].strip(), None
        items = [split_code(row[i]) for i in dim_cols if row[i].strip()]
        item_code = "|".join(c for c, _ in items if c) or None
        item_label = " / ".join(label for _, label in items) or None
        for col in value_cols:
            if long_year is not None and long_value is not None:
                year, period = year_of(row[long_year])
                m_label = row[contents_col].strip() if contents_col is not None else heads[col]
            else:
                ym = _YEAR_IN.search(heads[col])
                year, period = year_of(ym.group(0))
                m_label = (heads[col][: ym.start()] + heads[col][ym.end() :]).strip(" ,:-")
                if contents_col is not None and row[contents_col].strip():
                    m_label = row[contents_col].strip()
            if year is None:
                raise FormatError(f"året {row[long_year]!r} är inget år", f"rad {n}")
            try:
                value, mark = parse_number(row[col])
            except ValueError as exc:
                raise FormatError(str(exc), f"rad {n}, kolumn {col + 1}") from None
            scale = money_scale(m_label, title)
            parsed.records.append(
                Record(
                    region_code=region_code,
                    region_name=region_name,
                    item_code=item_code,
                    item_label=item_label,
                    measure_code=m_label or None,
                    measure_label=m_label or None,
                    unit=_unit_words(m_label, title),
                    scale=scale,
                    net_cost=scale is not None and "netto" in f"{m_label} {title}".casefold(),
                    year=year,
                    period=period,
                    gender=None,
                    value=value,
                    status=mark,
                    source_cell=f"rad {n}, kolumn {col + 1}",
                    is_total=is_total_label(item_label, item_code),
                )
            )
    return parsed


def load_json(path: Path) -> Any:
    with open(path, "rb") as fh:
        return json.loads(decode(fh.read()))
