"""Every row that prints a quote says whether it was checked (issue 14: "A quote that cannot be
checked is ... flagged in outputs as unchecked. It is never silently treated as verified").

A FICTIONAL knowledge base with two sources: s-a has an archived text holding its quotes, s-b has
none, so s-b's quotes cannot be checked. Each listing's rows, its profiles' sections and the
served site's who_left say `found` for s-a's quotes and `unchecked` for s-b's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import one_file_kb, run_cli

TEXT = "星河智能产品负责人李明已经离职。云帆科技收购星河智能，作价20亿美元。星河智能发布新模型。\n"

KB = """\
sources:
  - {id: s-a, title: 星河智能动态（虚构）, kind: article, published: 2024-10-08, file: ../seeds/a.txt}
  - {id: s-b, title: A post (fictional), kind: social_post, published: 2025-01-02}
firms:
  - {id: xinghe, name: Xinghe AI, name_zh: 星河智能, source: s-a, quote: 星河智能}
  - {id: yunfan, name: Yunfan Tech, name_zh: 云帆科技, source: s-a, quote: 云帆科技}
people:
  - {id: li-ming, name: Li Ming, name_zh: 李明, source: s-a, quote: 李明}
  - {id: wang-fang, name: Wang Fang, name_zh: 王芳, source: s-b, quote: Wang Fang quit Yunfan}
tenures:
  - {id: li-xinghe, person: li-ming, firm: xinghe, end: 2024-10, end_cause: left, source: s-a,
     quote: 星河智能产品负责人李明已经离职}
  - {id: wang-yunfan, person: wang-fang, firm: yunfan, end: 2024-12, end_cause: left, source: s-b,
     quote: Wang Fang quit Yunfan}
deals:
  - id: yf-xh
    kind: acquisition
    buyers: [yunfan]
    targets: [xinghe]
    amount: 20亿美元
    history:
      - {status: agreed, date: 2024-10, source: s-a, quote: 云帆科技收购星河智能}
    source: s-a
    quote: 云帆科技收购星河智能，作价20亿美元
  - id: yf-rumour
    kind: stake
    buyers: [yunfan]
    targets: [xinghe]
    amount: $3B
    history:
      - {status: rumoured, date: 2025-01, source: s-b, quote: Yunfan eyes a bigger Xinghe stake}
    source: s-b
    quote: Yunfan eyes a bigger Xinghe stake for $3B
events:
  - {id: xh-model, kind: released, subjects: [xinghe], date: 2024-10, text: Xinghe released a model, source: s-a,
     quote: 星河智能发布新模型}
"""


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = one_file_kb(tmp_path_factory.mktemp("checked"), KB, {"a.txt": TEXT})
    assert run_cli("--data", str(folder), "validate").exit_code == 0
    return folder


def _json(data: Path, *args: str) -> Any:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _marks(rows: list[dict[str, Any]], key: str) -> dict[str, str]:
    return {row[key]: row["checked"] for row in rows}


def test_listings_mark_each_quote(data: Path) -> None:
    assert _marks(_json(data, "people"), "tenure") == {"li-xinghe": "found", "wang-yunfan": "unchecked"}
    assert _marks(_json(data, "deals"), "deal") == {"yf-xh": "found", "yf-rumour": "unchecked"}
    timeline = _json(data, "timeline")
    assert {(row["record"], row["checked"]) for row in timeline} == {
        ("li-xinghe", "found"),
        ("wang-yunfan", "unchecked"),
        ("yf-xh", "found"),
        ("yf-rumour", "unchecked"),
        ("xh-model", "found"),
    }


def test_profiles_mark_each_quote(data: Path) -> None:
    firm = _json(data, "firm", "yunfan")
    assert _marks(firm["people_left"], "tenure") == {"wang-yunfan": "unchecked"}
    assert _marks(firm["deals_as_buyer"], "deal") == {"yf-xh": "found", "yf-rumour": "unchecked"}
    assert _marks(_json(data, "firm", "xinghe")["events"], "event") == {"xh-model": "found"}
    assert _marks(_json(data, "person", "li-ming")["career"], "tenure") == {"li-xinghe": "found"}


def test_csv_has_the_mark_too(data: Path) -> None:
    result = run_cli("--data", str(data), "people", "--format", "csv")
    header, *lines = result.stdout.splitlines()
    assert header.split(",")[-1] == "checked"
    assert sorted(line.rsplit(",", 1)[1] for line in lines) == ["found", "unchecked"]
