"""A real browser on a running app: every page of the navigation opens without an error, and
presentation mode can be clicked through. Screenshots go to tests/screenshots/ (gitignored).

Needs Debian's Chromium at /usr/bin/chromium. Without it the test is skipped, except under CI
(the environment variable CI is set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipelines.auth import hash_password
from pipelines.config import ROOT

CHROMIUM = Path("/usr/bin/chromium")
EDITOR = ("webbredaktör", "ett-långt-testlösenord")  # configured for the server below
SCREENSHOTS = ROOT / "tests" / "screenshots"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Streamlit's own error elements; st.error in the sidebar (the demo label) is not an error.
ERRORS = (
    '[data-testid="stException"], [data-testid="stErrorElement"], '
    '[data-testid="stMain"] [data-testid="stAlertContentError"]'
)

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} saknas: CI måste köra webbläsartestet", pytrace=False)
    pytest.skip(f"{CHROMIUM} saknas (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def page_paths() -> list[str]:
    """The url_path of every page in app.py's navigation, in order."""
    return re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def page_titles() -> list[str]:
    """The title of every page in app.py's navigation, in order."""
    return re.findall(r'(?<!\w)title="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _verkstad(*args: str, env: dict) -> str:
    """Run the command line; its report, for the failure message."""
    exe = shutil.which("verkstad", path=str(BIN)) or "verkstad"
    done = subprocess.run(
        [exe, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if done.returncode not in (0, 1):  # 1: some file rejected, the others are loaded
        raise RuntimeError(f"verkstad {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """The app on a free port, over a demo database built for this test."""
    db = tmp_path_factory.mktemp("browser") / "verkstad.duckdb"
    env = {
        **os.environ,
        "VERKSTAD_DB": str(db),
        "VERKSTAD_EDITORS": f"{EDITOR[0]}:{hash_password(EDITOR[1])}",
    }
    _verkstad("ingest", "data/program", "--db", str(db), env=env)
    report = _verkstad("demo", "--db", str(db), env=env)
    # The pages must be seen with figures: the demo must have loaded documents.
    assert "ACCEPTED" in report, f"verkstad demo loaded nothing:\n{report[-3000:]}"
    port = _free_port()
    log = open(db.with_suffix(".log"), "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            str(BIN / "streamlit"),
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {db.with_suffix('.log').read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _settle(page, timeout: float = 60_000) -> None:
    """Wait until the script run is over and the page has drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        "() => { const a = document.querySelector('[data-testid=\"stApp\"]');"
        " return a && a.getAttribute('data-test-script-state') === 'notRunning'; }",
        timeout=timeout,
    )
    page.wait_for_timeout(600)  # charts draw after the run ends


def _errors(page) -> list[str]:
    return [e.inner_text()[:500] for e in page.query_selector_all(ERRORS)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


def test_every_page_opens_without_error(app_url, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = page_paths()
    assert paths, "app.py has no pages"
    # The root first: on a fresh server a URL equal to a pages/ file's stem is served from
    # pages/ without app.py until st.navigation has run once.
    page.goto(app_url)
    _settle(page)
    for path in paths:
        page.goto(f"{app_url}/{path}")
        _settle(page)
        page.screenshot(path=str(SCREENSHOTS / f"{path}.png"), full_page=True)
        assert not _errors(page), f"{path}: {_errors(page)}"
        assert page.query_selector('[data-testid="stMain"]'), path
        # app.py ran (not a pages/ file on its own): the navigation shows its titles
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert all(title in nav for title in page_titles()), f"{path}: {nav}"


def test_click_through_presentation_mode(app_url, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("presentation-*.png"):
        old.unlink()
    page.goto(f"{app_url}/presentationslage")
    _settle(page)
    decks = ["Ett förslag", "Översikt", "Kommundelar", "Ord mot verkstad"]
    for d, deck in enumerate(decks):
        page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text(
            deck, exact=True
        ).click()
        page.wait_for_timeout(500)
        _settle(page)
        assert not _errors(page), f"{deck}: {_errors(page)}"
        counter = page.get_by_text(re.compile(r"^Bild \d+ av \d+$"))
        if counter.count() == 0:  # nothing to show for this deck in the demo data
            page.screenshot(path=str(SCREENSHOTS / f"presentation-{d}-empty.png"))
            continue
        # a new deck starts at its first slide
        expect(counter.first).to_have_text(re.compile(r"^Bild 1 av \d+$"), timeout=60_000)
        total = int(counter.first.inner_text().split()[-1])
        for n in range(1, total + 1):
            # expect() retries until the rerun that the click started has drawn
            expect(counter.first).to_have_text(f"Bild {n} av {total}", timeout=60_000)
            _settle(page)
            assert not _errors(page), f"{deck} {n}: {_errors(page)}"
            page.screenshot(path=str(SCREENSHOTS / f"presentation-{d}-{n}.png"))
            if n < total:
                page.get_by_role("button", name="Nästa ▶").click()
        expect(page.get_by_role("button", name="Nästa ▶")).to_be_disabled()
        if total > 1:
            page.get_by_role("button", name="◀ Föregående").click()
            expect(counter.first).to_have_text(f"Bild {total - 1} av {total}", timeout=60_000)


def test_a_click_on_a_tile_chooses_the_kommundel(app_url, page):
    page.goto(f"{app_url}/kommundelarna")
    _settle(page)
    label = page.locator(".js-plotly-plot text", has_text="Hölö-Mörkö").first
    box = label.bounding_box()
    assert box, "the tile map has no Hölö-Mörkö tile"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator('[data-testid="stMain"] h2', has_text="Hölö-Mörkö")).to_be_visible(
        timeout=60_000
    )
    _settle(page)
    assert not _errors(page), _errors(page)
    page.screenshot(path=str(SCREENSHOTS / "kommundelar-click.png"))


def _log_in(page, name: str, password: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    if not sidebar.get_by_label("Namn").is_visible():
        sidebar.get_by_text("Logga in för att redigera").click()
    sidebar.get_by_label("Namn").fill(name)
    sidebar.get_by_label("Lösenord").fill(password)
    sidebar.get_by_role("button", name="Logga in").click()
    page.wait_for_timeout(500)
    _settle(page)


def test_editor_login_through_the_sidebar_form(app_url, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(app_url)  # the root first, see test_every_page_opens_without_error
    _settle(page)
    page.goto(f"{app_url}/koppling")
    _settle(page)
    sidebar, main = (page.locator(f'[data-testid="{t}"]') for t in ("stSidebar", "stMain"))
    assert "Läsläge" in main.inner_text()
    _log_in(page, EDITOR[0], "fel-lösenord")
    assert "Fel namn eller lösenord." in sidebar.inner_text()
    assert "Läsläge" in main.inner_text()
    _log_in(page, *EDITOR)
    assert f"Inloggad som {EDITOR[0]}." in sidebar.inner_text()
    assert "Läsläge" not in main.inner_text()  # the page is drawn for the editor at once
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Förslag").click()
    _settle(page)
    assert f"Redaktör: {EDITOR[0]}" in sidebar.inner_text()  # the login holds across pages
    page.screenshot(path=str(SCREENSHOTS / "redaktor-inloggad.png"), full_page=True)
