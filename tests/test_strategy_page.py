"""Review s26 (fixed): `aiorg strategy` (a table, evidence on, as it is by default) on a knowledge base of
more than 100 firms. The firms table is cut to 100 rows, but the evidence table after it is not
(thousands of rows, no note), and the only line saying that firms were left out is printed between
the two tables: on a terminal it scrolls away under the evidence, and the reader takes the 100 firms
for all of them. (tests/test_pages.py checks strategy only with --no-evidence.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aiorg.cli.options import TABLE_ROWS

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("s26-review-strategy")
    generate(1200, root / "kb")
    return str(root / "kb" / "data")


def test_the_note_that_firms_were_left_out_is_not_buried_under_the_evidence(big: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aiorg", "--data", big, "strategy"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # unbuffered, as on a terminal: the lines come in the order the reader sees them
        env={
            "COLUMNS": "160",
            "PATH": "/usr/bin:/bin",
            "PYTHONUNBUFFERED": "1",
            "AIORG_CACHE_DIR": str(Path(big).parent),
        },
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    lines = done.stdout.splitlines()
    notes = [line for line in lines if line.startswith("note: ")]
    # both tables are cut, each says so, and the last line says the evidence is for some firms only
    assert notes[0].startswith(f"note: showing the first {TABLE_ROWS} of ") and "firms, by name" in notes[0]
    assert notes[1].startswith(f"note: showing the first {TABLE_ROWS} of ") and "facts of evidence" in notes[1]
    assert lines[-1] == notes[-1]
    assert lines[-1].startswith(f"note: the evidence is for the first {TABLE_ROWS} of "), lines[-3:]
