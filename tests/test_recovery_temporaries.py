"""A damaged record read in the middle of a page rebuilds the store onto a new connection; the
TEMP tables a page made on the old one (the records told otherwise, the spells that may sort into
a people page) are made again there, so the page is still the whole answer's first rows (the
review found 'internal error: no such table: temp.timeline_told_deals' and '... people_first')."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli, store_file

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from generate import generate

#: the role spells another source ends on another day, or calls ongoing: told in full by a page
_TOLD = (
    "SELECT DISTINCT s.seq FROM statements s JOIN tenures t ON t.seq = s.seq WHERE s.kind = 'tenures'"
    " AND ((s.field = 'end' AND (s.lo IS NOT t.end_lo OR s.hi IS NOT t.end_hi)) OR s.field = 'current')"
)


def _damage_the_earliest_told_spell(store: Path) -> None:
    """Flip one bit in the stored record of the told spell that starts first (its checksum kept)."""
    db = sqlite3.connect(store)
    (seq,) = db.execute(
        f"SELECT seq FROM tenures WHERE seq IN ({_TOLD}) ORDER BY COALESCE(start_lo, start_hi), seq LIMIT 1"
    ).fetchone()
    (data,) = db.execute("SELECT data FROM records WHERE kind = 'tenures' AND seq = ?", (seq,)).fetchone()
    flipped = bytearray(data)
    flipped[len(flipped) // 2] ^= 1
    db.execute("UPDATE records SET data = ? WHERE kind = 'tenures' AND seq = ?", (bytes(flipped), seq))
    db.commit()
    db.close()


@pytest.mark.parametrize("command", ["timeline", "people"])
def test_a_page_survives_a_store_rebuilt_under_it(tmp_path: Path, command: str) -> None:
    generate(300, tmp_path / "kb", sources=2)
    data = str(tmp_path / "kb" / "data")
    whole = run_cli("--data", data, "--no-cache", command, "--format", "json")
    assert whole.exit_code == 0, whole.stderr
    expected = json.loads(whole.stdout)[:500]
    env = {"AIORG_CACHE_DIR": str(tmp_path / "cache")}
    warm = run_cli("--data", data, command, "--format", "json", "--limit", "500", env=env)
    assert warm.exit_code == 0 and json.loads(warm.stdout) == expected, warm.stderr
    _damage_the_earliest_told_spell(store_file(tmp_path / "cache"))
    done = run_cli("--data", data, command, "--format", "json", "--limit", "500", env=env)
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == expected
