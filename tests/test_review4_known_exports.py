"""Review: `aiorg export FORMAT --known-as-of DATE` carries only what the sources published by
DATE said (README "What we knew when"): on the fictional multi-source fixture, at the end of 2024
only the October 2024 report counts, so no export names the 2025 statement, its advisor claim,
its $2.5B amount, the agreed step it reports, or the 2025 podcast. Without the option they are
all there. Each case is one small export (well under a second)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import REPO, run_cli

FIXTURE = str(REPO / "tests" / "fixtures" / "multisource" / "data")
LATER = ["fictional-en-2025-03", "fictional-podcast-2025-04", "agreed"]
#: what only an `also` claim of the 2025 statement says: graph exports carry each record's own
#: values, so only SQLite's source_claims table has these
ALSO_ONLY = ["advisor", "$2.5B"]
KNOWN = ["fictional-zh-2024-10", "li-ming", "yunfan-xinghe-acquisition", "rumoured"]


def _export(fmt: str, tmp_path: Path, *known: str) -> str:
    if fmt == "sqlite":
        out = tmp_path / f"x{len(known)}.db"
        result = run_cli("--data", FIXTURE, "export", fmt, str(out), *known)
        assert result.exit_code == 0, result.stderr
        db = sqlite3.connect(out)
        try:
            return "\n".join(line for line in db.iterdump() if line.startswith("INSERT"))
        finally:
            db.close()
    result = run_cli("--data", FIXTURE, "export", fmt, *known)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher", "sqlite"])
def test_an_export_known_as_of_2024_leaves_out_the_later_sources_and_their_claims(fmt: str, tmp_path: Path) -> None:
    text = _export(fmt, tmp_path, "--known-as-of", "2024-12")
    assert [word for word in [*LATER, *ALSO_ONLY] if word in text] == []
    assert [word for word in KNOWN if word not in text] == []


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher", "sqlite"])
def test_the_whole_export_has_them(fmt: str, tmp_path: Path) -> None:
    text = _export(fmt, tmp_path)
    assert [word for word in [*LATER, *KNOWN] if word not in text] == []
    if fmt == "sqlite":
        assert [word for word in ALSO_ONLY if word not in text] == []
