"""A deal that names no firm its person leaves takes the person's current firm as the origin;
when that firm is the buyer itself (the spell the deal began), the origin is no stated fact and
the move says so, never a plain 'Buyco -> Buyco'.

On a small fictional knowledge base written here (every name made up)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "q"}


def test_a_current_spell_at_the_buyer_is_no_stated_origin(tmp_path: Path) -> None:
    write_spec(
        tmp_path,
        {
            "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
            "firms": [{"id": "origco", "name": "Origco", **_SAID}, {"id": "buyco", "name": "Buyco", **_SAID}],
            "people": [{"id": "ann", "name": "Ann Example", **_SAID}],
            "tenures": [
                {"id": "ann-orig", "person": "ann", "firm": "origco", "title": "Engineer", "start": "2020",
                 "end": "2024-05", "end_cause": "left", **_SAID},
                {"id": "ann-buy", "person": "ann", "firm": "buyco", "title": "Lead", "start": "2024-05",
                 "after": "ann-orig", "current": True, **_SAID},
            ],
            "deals": [
                {"id": "d1", "kind": "recruitment", "title": "Buyco recruits Ann", "buyers": ["buyco"],
                 "targets": ["ann"], "people": ["ann"],
                 "history": [{"date": "2024-05", "status": "agreed", **_SAID}], **_SAID},
            ],
        },
    )  # fmt: skip
    result = run_cli("--data", str(tmp_path), "flows", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {(row["origin"], row["destination"]): row for row in json.loads(result.stdout)}
    same = rows[("buyco", "buyco")]
    assert (same["status"], same["inferred"]) == (["deal agreed (ann: origin inferred)"], ["origin"])
    assert rows[("origco", "buyco")]["inferred"] == []  # the stated move, from her spells
