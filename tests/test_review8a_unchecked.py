"""Review 8 (a journalist's review of sources, time and change), defect: an unchecked quote is
printed as if checked by `conflicts` and by `strategy` evidence.

A FICTIONAL knowledge base: an article with its archived text (s-a) says Li Ming left Xinghe AI;
an interview with no archived text (s-pod, a url only) says he is now an advisor. The interview
outranks the article, so its `advisor` is the value shown first, and `conflicts` (claim 1) and
`strategy xinghe` (the advisor_moves evidence) print its quote "Li Ming is now our advisor"
with nothing saying that no text was there to find it in. `validate` counts it as unchecked and
`source s-pod` and the profiles mark it `unchecked`; the listings that a journalist quotes from
do not. The README: "it is never treated as found".

Smallest fix: carry the quote's state with it wherever a quote is printed: a `checked` value
(found / unchecked / not found, as aiorg/queries/sources.py `SourceTexts.check` gives) in each
`conflicts` row and in each strategy evidence item, or "(unchecked)" after the quote text, and
the same in the `people`, `deals` and `timeline` rows' `quote`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - {id: s-a, title: 星河智能高管变动（虚构）, kind: article, published: 2024-10-08, file: ../seeds/a.txt}
  - {id: s-pod, title: Xinghe founder interview (fictional), kind: interview, published: 2025-04-02,
     url: "https://example.invalid/pod"}
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
      - source: s-pod
        quote: Li Ming is now our advisor
        end_cause: advisor
"""


def _kb(tmp_path: Path) -> Path:
    data = one_file_kb(tmp_path, KB, {"a.txt": "星河智能产品负责人李明已经离职。\n"})
    validated = run_cli("--data", str(data), "validate")
    assert validated.exit_code == 0 and "1 unchecked (sources without text: s-pod)" in validated.stderr
    return data


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _flagged(row: dict[str, Any]) -> bool:
    return any("unchecked" in str(value) for value in row.values())


def test_the_profile_marks_it(tmp_path: Path) -> None:
    """What works: the person's quotes say unchecked for s-pod and found for s-a."""
    data = _kb(tmp_path)
    quotes = _json(data, "person", "li-ming")["quotes"]
    assert {(q["source"], q["checked"]) for q in quotes} == {("s-a", "found"), ("s-pod", "unchecked")}


def test_conflicts_flags_an_unchecked_quote(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    rows = _json(data, "conflicts")
    (pod,) = [r for r in rows if r["source"] == "s-pod"]
    assert pod["shown"] is True and pod["quote"] == "Li Ming is now our advisor"
    assert _flagged(pod), pod
    (article,) = [r for r in rows if r["source"] == "s-a"]
    assert not _flagged(article)


def test_strategy_evidence_flags_an_unchecked_quote(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    evidence = [e for firm in _json(data, "strategy", "xinghe") for e in firm["evidence"]]
    (advisor,) = [e for e in evidence if e["signal"] == "advisor_moves"]
    assert advisor["source"] == "s-pod"
    assert _flagged(advisor), advisor
