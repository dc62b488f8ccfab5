"""Review 5 defect: the SQLite export's `departures` view reads only a spell's own source, so on a
disputed departure it disagrees with `aiorg people --left`.

Fictional two-source fixture: an article says Li Ming left Xinghe AI; Xinghe's later official
statement says he moved to an advisor role and has not left. The CLI shows `advisor` first,
`disputed: ["end_cause"]`; the view shows a plain `left`.

(Moved here unchanged from tests/test_review5_serve_disputes.py: the view belongs to the exports.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from aiorg.loader import load
from tests.conftest import REPO

DATA = REPO / "tests" / "fixtures" / "multisource" / "data"


def test_departures_view_says_the_departure_is_disputed(tmp_path: Path) -> None:
    from aiorg.export import FORMATS
    from aiorg.export.graphs import select
    from aiorg.graph import build_graph

    kb = load(DATA)
    out = tmp_path / "kb.db"
    FORMATS["sqlite"].write(kb, select(build_graph(kb, facts=True)), out)
    db = sqlite3.connect(out)
    db.row_factory = sqlite3.Row
    (row,) = [dict(r) for r in db.execute("SELECT * FROM departures WHERE tenure = 'li-ming-xinghe-product'")]
    shown = " ".join(str(v) for v in row.values())
    assert "advisor" in shown or row.get("disputed"), row


def test_departures_view_lists_every_claimed_cause_and_keeps_a_spell_any_source_calls_a_departure(
    tmp_path: Path,
) -> None:
    """The view is the record's own cause, every claimed cause beside it, and the dispute flag; a
    spell whose own source says demoted while another says left is a departure too, as the CLI's
    filters match on every claimed value."""
    import shutil

    from aiorg.export import FORMATS
    from aiorg.export.graphs import select
    from aiorg.graph import build_graph

    shutil.copytree(DATA.parent, tmp_path / "kb")
    tenures = tmp_path / "kb" / "data" / "tenures.yaml"
    text = tenures.read_text(encoding="utf-8")
    text = text.replace(
        "    end_cause: left\n    source: fictional-zh-2024-10",
        "    end_cause: demoted\n    source: fictional-zh-2024-10",
        1,
    )
    tenures.write_text(text.replace("        end_cause: advisor", "        end_cause: left", 1), encoding="utf-8")
    kb = load(tmp_path / "kb" / "data")
    out = tmp_path / "kb.db"
    FORMATS["sqlite"].write(kb, select(build_graph(kb, facts=True)), out)
    rows = (
        sqlite3.connect(out)
        .execute(
            "SELECT end_cause, claimed_causes, cause_disputed FROM departures WHERE tenure = 'li-ming-xinghe-product'"
        )
        .fetchall()
    )
    assert rows == [("demoted", "demoted | left", 1)]
