"""Strategy's restated records (a record whose sources disagree counts with its values shown
first) are kept per file in the cache beside the store: a second run finds none again, and
anything the shown values depend on (the file's text, the sources' kinds and dates) finds them
again, never a stale answer. Fictional multi-source fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aiorg import strategy_shown
from tests.conftest import REPO, run_cli

FIXTURE = REPO / "tests" / "fixtures" / "multisource"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "kb")
    return tmp_path / "kb" / "data"


def _moves(data: Path, cache: Path) -> tuple[list[str], list[str]]:
    """Li Ming's end as Xinghe's signals count it: (departure evidence, advisor evidence)."""
    result = run_cli("--data", str(data), "strategy", "xinghe", "--format", "json", env={"AIORG_CACHE_DIR": str(cache)})
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    evidence: list[dict[str, Any]] = row["evidence"]
    found = {
        name: [e["record"] for e in evidence if e["signal"] == name]
        for name in ("executive_departures", "advisor_moves")
    }
    return found["executive_departures"], found["advisor_moves"]


def test_a_second_run_reads_the_restated_records_and_a_change_of_rule_input_finds_them_again(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    calls: list[str] = []
    restate = strategy_shown._restate

    def counted(kb: Any, kind: str, seqs: list[int], source_of: Any) -> Any:
        calls.append(kind)
        return restate(kb, kind, seqs, source_of)

    monkeypatch.setattr(strategy_shown, "_restate", counted)
    assert _moves(data, cache) == ([], ["li-ming-xinghe-product"])  # the statement (advisor) outranks the report
    assert calls and any((cache / "shown").iterdir())
    calls.clear()
    assert _moves(data, cache) == ([], ["li-ming-xinghe-product"])
    assert calls == []  # read from the cache
    # The statement becomes a social post: the report's "left" is shown first now.
    sources = data / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("official_statement", "social_post"), encoding="utf-8"
    )
    assert _moves(data, cache) == (["li-ming-xinghe-product"], [])
    assert calls
