"""app.py's navigation: every page registered once, at an address Streamlit cannot bypass."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pages() -> list[dict[str, str]]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            entry = {"file": node.args[0].value}
            entry.update({k.arg: k.value.value for k in node.keywords if k.arg})
            pages.append(entry)
    return pages


def test_every_page_file_is_registered_once():
    registered = [p["file"] for p in _pages()]
    on_disk = sorted(
        f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")
    )
    assert sorted(registered) == on_disk
    assert len(set(registered)) == len(registered)


def test_url_paths_are_unique_and_never_a_file_stem():
    pages = _pages()
    paths = [p["url_path"] for p in pages]
    assert len(set(paths)) == len(paths)
    stems = {Path(p["file"]).stem for p in pages}
    assert not stems & set(paths), "a url_path equal to a pages/ stem bypasses app.py"


def test_icons_are_material_symbols():
    # Emoji need a colour-emoji font that projectors' laptops and Debian's Chromium lack.
    assert all(p["icon"].startswith(":material/") for p in _pages())
