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


def _reference_refs(refs: list[str]) -> tuple[int, int]:
    """What _Coordinates must find: up to 3 letters, then up to 9 digits, each run ending
    at the first other character; the largest row and the largest column."""
    best_row = best_col = 0
    for ref in refs:
        col = letters = 0
        while letters < 3 and letters < len(ref) and "A" <= ref[letters] <= "Z":
            col = col * 26 + ord(ref[letters]) - 64
            letters += 1
        row = 0
        for ch in ref[letters : letters + 9]:
            if not ch.isdigit():
                break
            row = row * 10 + int(ch)
        best_row, best_col = max(best_row, row), max(best_col, col)
    return best_row, best_col


def test_cell_references_parse_like_the_reference():
    import random

    import numpy as np

    from pipelines.read.guard import _parse_refs

    rng = random.Random(7)
    for _ in range(2000):
        refs = []
        for _ in range(rng.randint(1, 20)):
            lets = "".join(
                rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZa0") for _ in range(rng.choice([0, 1, 3, 4]))
            )
            digits = "".join(
                rng.choice("0123456789" if rng.random() < 0.9 else '0"x')
                for _ in range(rng.choice([0, 1, 2, 5, 7, 9, 10, 11]))
            )
            refs.append(lets + digits + '"')
        buffer = b"".join(b' r="' + ref.encode() + b" " for ref in refs) + bytes(32)
        data = np.frombuffer(buffer, dtype=np.uint8)
        starts, at = [], buffer.find(b' r="')
        while at >= 0:
            starts.append(at + 4)
            at = buffer.find(b' r="', at + 1)
        assert _parse_refs(data, np.array(starts)) == _reference_refs(refs), refs


def test_empty_cells_found_from_the_next_tag_as_by_searching():
    """_with_content decides from the bytes around the next '<'; the long way searches each
    tag's '>'. On tags as writers lay them out (with or without whitespace between) the two
    agree."""
    import random

    import numpy as np

    from pipelines.read.guard import _empty_the_long_way, _with_content

    rng = random.Random(11)
    forms = [
        '<c r="{}" s="1"/>',
        '<c r="{}"></c>',
        '<c r="{}" t="s"><v>3</v></c>',
        '<c r="{}"><f>A1</f><v>2</v></c>',
        '<c r="{}" s="2" />',
    ]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 30)):
            ref = f"{rng.choice('ABXZ')}{rng.randint(1, 999_999)}"
            parts.append(rng.choice(forms).format(ref) + rng.choice(["", "", "\n", "  "]))
        buffer = ("<row>" + "".join(parts) + "</row>").encode() + bytes(32)
        data = np.frombuffer(buffer, dtype=np.uint8)
        lt = np.flatnonzero(data[:-1] == 60)
        tags = np.flatnonzero((data[lt + 1] == 99) & (data[lt + 2] == 32))
        fast = _with_content(data, lt, tags)
        slow = lt[tags][~_empty_the_long_way(data, lt[tags])]
        assert fast.tolist() == slow.tolist(), buffer
