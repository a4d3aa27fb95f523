"""The pre-read guard's text checks on payment-sized CSV files (pipelines/read/guard.py).

The mixed-encoding check looks for UTF-8 å, ä, ö by their lead byte; these tests pin what it
must still find: a letter straddling two read blocks, letters far into a large file, and a
Windows-1252 file with 'Ã' (the lead byte itself) that is not UTF-8 at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.config import Limits
from pipelines.ingest import IngestError
from pipelines.read.guard import CHUNK, check_file

HEAD = "Leverantör;Belopp\n"


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "betalningar.csv"
    path.write_bytes(data)
    return path


def _cp1252_rows(n: int) -> bytes:
    return b"".join(f"Förvaltning {i};{i},50\n".encode("cp1252") for i in range(n))


@pytest.mark.parametrize("letter", ["å", "ä", "ö", "Å", "Ä", "Ö"])
def test_utf8_letter_straddling_two_blocks_among_cp1252_is_refused(tmp_path, letter):
    body = HEAD.encode("cp1252") + _cp1252_rows(10)
    pad = CHUNK - len(body) - 1  # the letter's first byte ends block one
    filler = (b"x" * 60 + b";1\n") * (pad // 63 + 1)  # short lines, cut where block one ends
    data = body + filler[:pad] + letter.encode("utf-8") + b";1\n" + _cp1252_rows(10)
    assert data[CHUNK - 1] == 0xC3
    with pytest.raises(IngestError, match="blandad teckenkodning"):
        check_file(_write(tmp_path, data), Limits())


def test_utf8_letter_deep_in_a_cp1252_file_is_refused(tmp_path):
    data = HEAD.encode("cp1252") + _cp1252_rows(200_000) + "Växjö;1\n".encode()
    assert len(data) > 3 * CHUNK
    with pytest.raises(IngestError, match="blandad teckenkodning"):
        check_file(_write(tmp_path, data), Limits())


def test_cp1252_capital_a_tilde_is_not_taken_for_utf8(tmp_path):
    # 'Ã' is 0xC3 in Windows-1252: the UTF-8 lead byte, but not followed by å/ä/ö's second.
    data = HEAD.encode("cp1252") + "Ãngström AB;1\nÃ;2\n".encode("cp1252") + _cp1252_rows(10)
    assert check_file(_write(tmp_path, data), Limits()).kind == "text"


def test_utf8_file_with_letters_passes(tmp_path):
    data = (HEAD + "".join(f"Åre kök {i};{i}\n" for i in range(50_000))).encode("utf-8")
    assert check_file(_write(tmp_path, data), Limits()).kind == "text"
