"""The SQLite export says which values of a deal, of each of its steps and of each condition are
aiorg's reading (README, "An inference says it is one"): an `inferred` column (names joined by "; ") in
`deals`, `deal_history` and `deal_conditions` (aiorg.export.marks). Read back with sqlite3 and
compared row by row with the records, and a deal's with the `deals` query's own `inferred`.

On the bundled data (the SSI deal's steps mark their status inferred: a refusal read as the
rejection) and on a small fictional knowledge base written here (every name made up).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "a quote"}


def _export(tmp_path: Path, *data: str) -> dict[str, dict[tuple[Any, ...], list[str]]]:
    """`aiorg export sqlite` (of `--data` DIR, if given), read back: table -> key -> inferred."""
    out = tmp_path / "kb.sqlite"
    result = run_cli("export", "sqlite", str(out), *(("--data", data[0]) if data else ()))
    assert result.exit_code == 0, result.stderr
    db = sqlite3.connect(out)
    try:
        found: dict[str, dict[tuple[Any, ...], list[str]]] = {}
        for table, key in (("deals", "id"), ("deal_history", "deal, step"), ("deal_conditions", "deal, step")):
            rows = db.execute(f"SELECT {key}, inferred FROM {table}").fetchall()
            found[table] = {tuple(row[:-1]): row[-1].split("; ") if row[-1] else [] for row in rows}
    finally:
        db.close()
    return found


def _stated(record: Any) -> list[str]:
    """The fields a step or condition marks inferred and gives a value for."""
    return [name for name in record.inferred if getattr(record, name, None) not in (None, [], "")]


def _check_every_row(kb: KnowledgeBase, found: dict[str, dict[tuple[Any, ...], list[str]]]) -> None:
    """Each step's and condition's row names what its record marks; each deal's row what the
    `deals` query's row names (the CLI's answer), for every deal of the knowledge base."""
    steps = {(d.id, i): _stated(e) for d in kb.deals for i, e in enumerate(d.history, 1)}
    terms = {(d.id, i): _stated(c) for d in kb.deals for i, c in enumerate(d.conditions, 1)}
    assert found["deal_history"] == steps
    assert found["deal_conditions"] == terms
    rows = {(row["deal"],): row["inferred"] for row in queries.deals(kb)}
    assert found["deals"] == rows


def test_bundled_ssi_steps_say_their_status_is_read(tmp_path: Path, bundled_kb: KnowledgeBase) -> None:
    """data/deals.yaml, meta-ssi-acquisition: both steps `inferred: [status]`, the deal
    `inferred: [valuation]`; meta-scale-stake's steps infer their dates."""
    found = _export(tmp_path)
    assert found["deal_history"][("meta-ssi-acquisition", 1)] == ["status"]
    assert found["deal_history"][("meta-ssi-acquisition", 2)] == ["status"]
    assert found["deals"][("meta-ssi-acquisition",)] == ["valuation", "history.status"]
    assert found["deals"][("meta-scale-stake",)] == ["history.date"]
    assert found["deal_history"][("meta-wang-offer", 1)] == []
    _check_every_row(bundled_kb, found)


def _spec() -> dict[str, list[dict[str, Any]]]:
    """Fictional deals whose steps and conditions mark different fields inferred."""
    return {
        "sources": [{"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"}],
        "firms": [{"id": f, "name": f.title(), **_SAID} for f in ("acme", "bolt")],
        "people": [],
        "groups": [],
        "products": [],
        "claims": [],
        "deals": [
            {
                "id": "d-read",
                "kind": "acquisition",
                "buyers": ["acme"],
                "targets": ["bolt"],
                "amount": "1B",
                "inferred": ["amount"],
                **_SAID,
                "conditions": [
                    {"text": "Bolt's founders stay", **_SAID},
                    {"text": "Two years", "years": 2, "inferred": ["years"], **_SAID},
                ],
                "history": [
                    {"date": "2024-03", "status": "in_talks", "inferred": ["date"], **_SAID},
                    {"date": "2024-06", "status": "agreed", "inferred": ["status", "certainty"], **_SAID},
                    {"status": "completed", **_SAID},
                ],
            },
            {
                "id": "d-said",
                "kind": "stake",
                "buyers": ["bolt"],
                "targets": ["acme"],
                **_SAID,
                "history": [
                    {"date": "2024-01", "status": "offered", **_SAID},
                    {"status": "rejected", "inferred": ["status"], **_SAID},
                ],
            },
        ],
    }


def test_fictional_steps_and_conditions(tmp_path: Path) -> None:
    """A deal's row names a step's inferred date only when that step dates the deal (its latest
    dated one) and a step's inferred status only when it is the latest (the deal's status); each
    step's and condition's own row names its own."""
    data = tmp_path / "data"
    write_spec(data, _spec())
    found = _export(tmp_path, str(data))
    assert found["deal_history"] == {
        ("d-read", 1): ["date"],
        ("d-read", 2): ["status", "certainty"],
        ("d-read", 3): [],
        ("d-said", 1): [],
        ("d-said", 2): ["status"],
    }
    assert found["deal_conditions"] == {("d-read", 1): [], ("d-read", 2): ["years"]}
    # d-read: its latest step (completed) is stated; the step dating it (2024-06) states its date
    assert found["deals"] == {("d-read",): ["amount"], ("d-said",): ["history.status"]}
    _check_every_row(load(data), found)
