"""A deal's Certainty is its latest step's certainty *shown first* (aiorg.claims.shown_value), as
`timeline` shows it: when a filing says a step is only rumoured and an article calls it
confirmed, `deals` and `path` say rumoured, never the step's own 'confirmed' while a source
ranked above it disagrees. The knowledge base is fictional."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

KB = """\
# FICTIONAL test knowledge base
sources:
  - {id: s, title: Fictional wire, kind: article, published: 2025-01-01}
  - {id: t, title: Fictional filing, kind: filing, published: 2025-02-01}
people:
  - {id: ann, name: Ann Fict, source: s, quote: q}
firms:
  - {id: a, name: Acme Fict, source: s, quote: q}
  - {id: b, name: Beta Fict, source: s, quote: q}
deals:
  - {id: ab-deal, kind: acquisition, title: Acme buys Beta, buyers: [a], targets: [b], source: s, quote: q,
     history: [{date: 2024-01, status: agreed, source: s, quote: q,
     also: [{source: t, quote: r, certainty: rumoured}]}]}
"""


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    (tmp_path / "kb.yaml").write_text(KB, encoding="utf-8")
    return tmp_path


def test_deals_show_the_certainty_the_filing_gives(data: Path) -> None:
    rows = json.loads(run_cli("--data", str(data), "deals", "--format", "json").stdout)
    assert [(row["deal"], row["certainty"], row["disputed"]) for row in rows] == [
        ("ab-deal", "rumoured", ["history.certainty"])
    ]
    timeline = json.loads(run_cli("--data", str(data), "timeline", "--format", "json").stdout)
    assert {row["certainty"] for row in timeline if row["record"] == "ab-deal"} == {"rumoured"}


def test_path_labels_the_deal_with_it(data: Path) -> None:
    rows = json.loads(run_cli("--data", str(data), "path", "a", "b", "--format", "json").stdout)
    assert any("Acme buys Beta [agreed, rumoured]" in (row["to_name"] or "") for row in rows), rows
