"""A metric's timeline text keeps the bound of its figure (`50 people (planned)`, `~35,000,000`),
says when the bound is an inference, and never puts one source's bound on another's figure.

On a small fictional knowledge base written here (every name made up)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, write_spec

_SAID = {"source": "s", "quote": "q"}


def _texts(folder: Path) -> dict[str, tuple[str, list[str]]]:
    write_spec(
        folder,
        {
            "sources": [
                {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
                {"id": "t", "title": "A fictional statement", "published": "2025-03", "kind": "official_statement"},
            ],
            "firms": [{"id": "acme", "name": "Acme", **_SAID}],
            "metrics": [
                {"id": "m1", "subject": "acme", "metric": "headcount", "value": 50, "unit": "people",
                 "bound": "planned", "inferred": ["bound"], "as_of": "2025-01", **_SAID},
                {"id": "m2", "subject": "acme", "metric": "dau", "value": 35000000, "unit": "users",
                 "bound": "approx", "as_of": "2025-01", **_SAID},
                {"id": "m3", "subject": "acme", "metric": "mau", "value": 100, "unit": "users", "bound": "up_to",
                 "as_of": "2025-02", **_SAID, "also": [{"source": "t", "quote": "q2", "value": 120}]},
            ],
        },
    )  # fmt: skip
    result = run_cli("--data", str(folder), "timeline", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["record"]: (row["text"], row["inferred"]) for row in json.loads(result.stdout)}


def test_a_metric_text_keeps_its_bound_and_says_when_it_is_inferred(tmp_path: Path) -> None:
    texts = _texts(tmp_path)
    assert texts["m1"] == ("Acme headcount = 50 people (planned) (bound inferred)", ["bound"])
    assert texts["m2"] == ("Acme dau = ~35,000,000 users", [])
    # the official statement's 120 is shown first; "up to" is the article's, about its own 100
    assert texts["m3"][0] == "Acme mau = 120 | 100 (disputed, 2 sources) users"
