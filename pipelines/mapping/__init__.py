"""Mapping budget lines to proposals: the rules file, the crosswalk of renamed line items,
suggestions, the review operations and the audit log.

- rules.py: the rules and crosswalk files and how a rule selects a line;
- store.py: atomic, conflict-checked writes of those files and the audit log;
- tables.py: the files as database tables, and which rule applies to which line;
- suggest.py, text.py: ranked proposals for an unmapped line, with reasons;
- edits.py: accept, split, reject, write and remove, each audited, then a marts rebuild;
- review.py: what the Koppla page shows.
"""

from pipelines.mapping.tables import load_tables

__all__ = ["load_tables"]
