"""The demo: invented Södertälje budget documents 2022–2026, read through the real importers.

`generate(out)` writes the documents (xlsx and CSV, as the municipality and the group
publish them) into `out`; `verkstad demo` generates them under data/demo/ and ingests them
with pipelines.ingest.ingest, exactly as a user's own files would be. Every document says
"Demodata — påhittade belopp" in its title rows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipelines.demo.documents import Written, write_all
from pipelines.demo.style import DEMO_MARK

__all__ = ["DEMO_MARK", "EXTRA_GENERATORS", "Written", "generate"]


def _extra_generators() -> list[Callable[[Path], list[Path]]]:
    """Further demo generators, each `fn(out_dir) -> [paths]`, run after the budget documents.

    The one place to add a generator: append it here. Imported here, not at module level, so
    `pipelines.demo` stays light for the modules that only need the model.
    """
    from pipelines.payments.demo import generate_demo_payments

    return [generate_demo_payments]


EXTRA_GENERATORS = _extra_generators


def generate(out: Path, extras: bool = True) -> list[Path]:
    """Write every demo document into `out` and return their paths (sorted).

    `extras=False` writes only the budget documents (the tests of this package use that).
    """
    out = Path(out)
    written: list[Written] = write_all(out)
    paths = [w.path for w in written]
    if extras:
        for generator in EXTRA_GENERATORS():
            paths += generator(out)
    return sorted(paths)
