"""`verkstad fetch scb|kolada`: call the live APIs, save the response as a file, ingest it.

The response is written unchanged (Kolada's pages are merged into one response) with the
retrieval date in the file name, so the file itself is the record of what was fetched and
can be ingested again anywhere. Only the standard library talks to the network, always with
a timeout; a machine without network gets a plain message and exit code 1.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import click

from pipelines.config import load_config
from pipelines.ingest import IngestOptions, ingest

SCB_API = os.environ.get("VERKSTAD_SCB_API", "https://statistikdatabasen.scb.se/api/v2")
KOLADA_API = os.environ.get("VERKSTAD_KOLADA_API", "https://api.kolada.se/v3")
MAX_PAGES = 50


class FetchError(click.ClickException):
    """A failed download, shown without a traceback; exit code 1."""


def http_get(url: str, timeout: float, max_bytes: int) -> bytes:
    """The body of a GET, or FetchError naming the host and what went wrong."""
    host = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "verkstad (urllib)"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - https only
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", errors="replace").strip()
        raise FetchError(f"{host} svarade {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(
            f"Kunde inte nå {host} ({reason}). Har datorn nätverk? Hämta annars filen på en "
            "dator med nät och läs in den med `verkstad ingest FIL`."
        ) from None
    if len(body) > max_bytes:
        raise FetchError(f"svaret från {host} är större än {max_bytes:,} byte")
    return body


def _codes(text: str, pattern: str, what: str) -> list[str]:
    codes = [c.strip() for c in text.split(",") if c.strip()]
    for code in codes:
        if not re.fullmatch(pattern, code):
            raise click.BadParameter(f"{code!r} är ingen giltig {what}")
    return codes


def scb_url(
    table: str, kommuner: list[str], years: list[str], contents: str, base: str = SCB_API
) -> str:
    """PxWebApi 2.0 data URL for json-stat2, with value codes per variable."""
    params = [
        ("lang", "sv"),
        ("outputformat", "json-stat2"),
        ("valuecodes[Region]", ",".join(kommuner)),
        ("valuecodes[Verksomrkom]", "*"),
        ("valuecodes[ContentsCode]", contents),
        ("valuecodes[Tid]", ",".join(years)),
    ]
    query = urllib.parse.urlencode(params, safe="*,[]")
    return f"{base.rstrip('/')}/tables/{urllib.parse.quote(table)}/data?{query}"


def kolada_url(
    kpis: list[str], kommuner: list[str], years: list[str], base: str = KOLADA_API
) -> str:
    """Kolada v3 data URL: /data/kpi/{kpi}/municipality/{id}/year/{years}."""
    url = f"{base.rstrip('/')}/data/kpi/{','.join(kpis)}/municipality/{','.join(kommuner)}"
    if years:
        url += f"/year/{','.join(years)}"
    return url + "?per_page=5000"


def _save(folder: Path, name: str, body: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(body)
    return path


def _ingest(paths: list[Path], db: Path | None) -> None:
    from pipelines.cli import print_reports

    config = load_config(db)
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    reports = ingest(paths, IngestOptions(config=config, kind="statistik"))
    print_reports(reports, as_json=False)
    if any(r.status == "rejected" for r in reports):
        sys.exit(1)


common = [
    click.option(
        "--kommun",
        "kommuner",
        default="0181",
        show_default=True,
        help="Kommunkoder, kommaseparerade (0181 = Södertälje).",
    ),
    click.option("--ar", "years", default="", help="År, kommaseparerade (tomt = alla)."),
    click.option(
        "--ut",
        "folder",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Mapp för den hämtade filen (standard: raw/hamtat bredvid databasen).",
    ),
    click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True),
    click.option("--ingest/--no-ingest", "do_ingest", default=True, help="Läs in filen direkt."),
    click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Databasfil (standard: data/verkstad.duckdb eller $VERKSTAD_DB).",
    ),
]


def with_common(func):
    for option in reversed(common):
        func = option(func)
    return func


@click.group("fetch")
def fetch_command() -> None:
    """Hämta statistik från SCB eller Kolada (kräver nätverk) och läs in den."""


@fetch_command.command("scb")
@click.option("--tabell", "table", default="TAB4199", show_default=True, help="SCB-tabellens id.")
@click.option(
    "--innehall",
    "contents",
    default="*",
    show_default=True,
    help="ContentsCode (tabellinnehåll); * = allt (nettokostnad blir fakta, resten sparas).",
)
@with_common
def fetch_scb(table, contents, kommuner, years, folder, timeout, do_ingest, db) -> None:
    """Räkenskapssammandraget: kostnader per verksamhet och kommun (json-stat2)."""
    codes = _codes(kommuner, r"\d{2}|\d{4}", "kommunkod")
    year_list = _codes(years, r"(19|20)\d{2}", "årtal") or ["*"]
    if not re.fullmatch(r"[A-Za-z0-9_]+", table):
        raise click.BadParameter(f"{table!r} är inget tabell-id")
    config = load_config(db)
    url = scb_url(table, codes, year_list, contents)
    click.echo(f"Hämtar {url}", err=True)
    body = http_get(url, timeout, config.limits.max_file_bytes)
    try:
        json.loads(body)
    except ValueError:
        raise FetchError(
            "SCB svarade inte med JSON: " + body[:200].decode(errors="replace")
        ) from None
    name = f"scb-{table}-{'-'.join(codes)[:40]}-{date.today().isoformat()}.json"
    path = _save(folder or config.raw_dir / "hamtat", name, body)
    click.echo(f"Sparade {path}", err=True)
    if do_ingest:
        _ingest([path], db)


@fetch_command.command("kolada")
@click.option("--kpi", "kpis", required=True, help="Koladas nyckeltals-id, t.ex. N11102,N01951.")
@with_common
def fetch_kolada(kpis, kommuner, years, folder, timeout, do_ingest, db) -> None:
    """Koladas nyckeltal (API v3), med titlar, för kommunerna och åren."""
    kpi_list = _codes(kpis, r"[A-Z]\d{5}", "KPI-id")
    codes = _codes(kommuner, r"\d{4}", "kommunkod")
    year_list = _codes(years, r"(19|20)\d{2}", "årtal")
    config = load_config(db)
    limit = config.limits.max_file_bytes
    url: str | None = kolada_url(kpi_list, codes, year_list)
    merged: dict = {"values": []}
    for _ in range(MAX_PAGES):
        click.echo(f"Hämtar {url}", err=True)
        try:
            page = json.loads(http_get(url, timeout, limit))
        except ValueError:
            raise FetchError("Kolada svarade inte med JSON") from None
        merged["values"].extend(page.get("values") or [])
        url = page.get("next_url") or page.get("next_page")
        if not url:
            break
    else:
        raise FetchError(f"Kolada: fler än {MAX_PAGES} sidor, begränsa urvalet")
    if not merged["values"]:
        raise FetchError("Kolada har inga värden för de nyckeltalen, kommunerna och åren")
    merged["count"] = len(merged["values"])
    stamp = date.today().isoformat()
    folder = folder or config.raw_dir / "hamtat"
    meta_url = f"{KOLADA_API.rstrip('/')}/kpi/{','.join(kpi_list)}"
    click.echo(f"Hämtar {meta_url}", err=True)
    meta = http_get(meta_url, timeout, limit)
    paths = [
        _save(folder, f"kolada-kpi-{'-'.join(kpi_list)[:40]}-{stamp}.json", meta),
        _save(
            folder,
            f"kolada-{'-'.join(kpi_list)[:40]}-{'-'.join(codes)[:40]}-{stamp}.json",
            json.dumps(merged, ensure_ascii=False).encode("utf-8"),
        ),
    ]
    for path in paths:
        click.echo(f"Sparade {path}", err=True)
    if do_ingest:
        _ingest(paths, db)


@fetch_command.command("kommuner")
@click.option("--ut", "folder", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True)
@click.option("--ingest/--no-ingest", "do_ingest", default=True, help="Läs in filen direkt.")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None)
def fetch_kommuner(folder, timeout, do_ingest, db) -> None:
    """Koladas lista över kommuner: kommunkod och namn för alla 290 (till tabellen kommuner)."""
    config = load_config(db)
    url = f"{KOLADA_API.rstrip('/')}/municipality?per_page=5000"
    click.echo(f"Hämtar {url}", err=True)
    body = http_get(url, timeout, config.limits.max_file_bytes)
    name = f"kolada-kommuner-{date.today().isoformat()}.json"
    path = _save(folder or config.raw_dir / "hamtat", name, body)
    click.echo(f"Sparade {path}", err=True)
    if do_ingest:
        _ingest([path], db)
