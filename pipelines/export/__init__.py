"""Exports: xlsx and CSV downloads, charts as PNG, proposals and pages as PPTX.

Every cell that leaves Verkstad for a spreadsheet program passes `escape_cell`, so a line
item or a note that starts with "=" never becomes a formula on someone else's computer.
"""

from __future__ import annotations

from pipelines.export.cells import escape_cell
from pipelines.export.tables import to_csv_bytes, to_xlsx_bytes

__all__ = ["escape_cell", "to_csv_bytes", "to_xlsx_bytes"]
