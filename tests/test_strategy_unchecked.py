"""Every quote `strategy` and `conflicts` print says whether it was found in its source's archived
text: `checked` is found, not found, or unchecked (the source has no text to look in), as a
profile and `source ID` say. A FICTIONAL knowledge base: an article with its text (s-a), an
interview with none (s-pod), and a post whose text lacks the quote cited to it (s-post)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - {id: s-a, title: 星河智能高管变动（虚构）, kind: article, published: 2024-10-08, file: ../seeds/a.txt}
  - {id: s-pod, title: Xinghe founder interview (fictional), kind: interview, published: 2025-04-02,
     url: "https://example.invalid/pod"}
  - {id: s-post, title: A post (fictional), kind: social_post, published: 2025-05-01, file: ../seeds/post.txt}
firms:
  - {id: xinghe, name: Xinghe AI, name_zh: 星河智能, source: s-a, quote: 星河智能}
people:
  - {id: li-ming, name: Li Ming, name_zh: 李明, source: s-a, quote: 李明}
tenures:
  - id: li-xinghe
    person: li-ming
    firm: xinghe
    title: Head of product
    area: product
    kind: executive
    end: ..2024-10
    end_cause: left
    source: s-a
    quote: 星河智能产品负责人李明已经离职
    also:
      - {source: s-pod, quote: Li Ming is now our advisor, end_cause: advisor}
      - {source: s-post, quote: Li Ming was demoted, end_cause: demoted}
claims:
  - {id: k1, subjects: [xinghe], strategy: retrench, text: Xinghe is cutting back (fictional), source: s-pod,
     quote: we are cutting back}
  - {id: k2, subjects: [xinghe], strategy: retrench, text: Xinghe retrenches (fictional), source: s-a,
     quote: 星河智能产品负责人李明已经离职}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = {"a.txt": "星河智能产品负责人李明已经离职。\n", "post.txt": "Nothing about him here.\n"}
    return one_file_kb(tmp_path_factory.mktemp("strategy-unchecked"), KB, seeds)


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_conflicts_say_found_not_found_or_unchecked(data: Path) -> None:
    rows = _json(data, "conflicts")
    assert {(row["source"], row["quote"], row["checked"]) for row in rows} == {
        ("s-a", "星河智能产品负责人李明已经离职", "found"),
        ("s-pod", "Li Ming is now our advisor", "unchecked"),
        ("s-post", "Li Ming was demoted", "not found"),
    }
    result = run_cli("--data", str(data), "conflicts", "--format", "csv")
    lines = list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert {(line["source"], line["checked"]) for line in lines} == {
        ("s-a", "found"),
        ("s-pod", "unchecked"),
        ("s-post", "not found"),
    }


def test_strategy_evidence_and_stated_labels_say_it(data: Path) -> None:
    (row,) = _json(data, "strategy", "xinghe")
    assert [(e["signal"], e["source"], e["checked"]) for e in row["evidence"]] == [
        ("advisor_moves", "s-pod", "unchecked")
    ]
    assert [(s["claim"], s["checked"]) for s in row["stated"]] == [("k1", "unchecked"), ("k2", "found")]


def test_the_evidence_table_has_a_checked_column(data: Path) -> None:
    result = run_cli("--data", str(data), "strategy", "xinghe", "--evidence", env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    (at,) = [index for index, line in enumerate(lines) if "Signal" in line]  # the evidence table's header
    assert lines[at].split("│")[-2].strip() == "Checked"
    cells = [(line.split("│")[2].strip(), line.split("│")[-2].strip()) for line in lines[at:] if "│ Xinghe AI" in line]
    assert cells == [("advisor_moves", "unchecked"), ("stated", "unchecked"), ("stated", "found")]
