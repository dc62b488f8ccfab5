"""Review 8 (a journalist's review of sources, time and change), round A: `aiorg changes` attacks
that found nothing wrong, each checked by hand against a FICTIONAL knowledge base built commit by
commit in a git repository whose data/ is a subdirectory:

- c1 (tag v1): an article (s-zh) says Li Ming left Xinghe AI; Wang Fang is at Xinghe; Yunfan Tech
  is rumoured to buy Xinghe for about $2B.
- c2 (tag v2): Li Ming's end revised to advisor; Wang Fang moved to Yunfan (s-en); the deal agreed;
  its amount revised to about 140亿元人民币 (another currency); s-zh's published day revised.
- c3 (tag v3): Wang Fang's person record moved to a file of its own, and tenures.yaml renamed.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli

ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
ZH = "星河智能产品负责人李明已经离职。云帆科技据传正洽谈收购星河智能，作价约20亿美元，一说140亿元人民币。王芳\n"
EN = (
    "Li Ming has moved to an advisor role. Wang Fang joined Yunfan Tech from Xinghe AI. "
    "Yunfan Tech agreed to acquire Xinghe AI.\n"
)

SOURCES = """\
sources:
  - {id: s-zh, title: 星河智能高管变动（虚构）, kind: article, published: 2024-10-08, file: ../seeds/zh.txt}
  - {id: s-en, title: Xinghe statement, kind: official_statement, published: 2025-03-15, file: ../seeds/en.txt}
firms:
  - id: xinghe
    name: Xinghe AI
    source: s-zh
    quote: 星河智能
  - id: yunfan
    name: Yunfan Tech
    source: s-zh
    quote: 云帆科技
"""
LI = "  - id: li-ming\n    name: Li Ming\n    name_zh: 李明\n    source: s-zh\n    quote: 李明\n"
WANG = "  - id: wang-fang\n    name: Wang Fang\n    name_zh: 王芳\n    source: s-zh\n    quote: 王芳\n"
TENURES_1 = """\
tenures:
  - {id: li-xinghe, person: li-ming, firm: xinghe, end: ..2024-10, end_cause: left, source: s-zh,
     quote: 星河智能产品负责人李明已经离职}
  - {id: wang-xinghe, person: wang-fang, firm: xinghe, current: true, source: s-zh, quote: 王芳}
"""
TENURES_2 = """\
tenures:
  - {id: li-xinghe, person: li-ming, firm: xinghe, end: ..2024-10, end_cause: advisor, source: s-en,
     quote: Li Ming has moved to an advisor role}
  - {id: wang-xinghe, person: wang-fang, firm: xinghe, end: 2025-03, end_cause: left, source: s-zh, quote: 王芳}
  - {id: wang-yunfan, person: wang-fang, firm: yunfan, start: 2025-03, after: wang-xinghe, source: s-en,
     quote: Wang Fang joined Yunfan Tech from Xinghe AI}
"""
DEAL = """\
deals:
  - id: yf-xh
    kind: acquisition
    buyers: [yunfan]
    targets: [xinghe]
    amount: {amount}
    history:
      - {{status: rumoured, date: 2024-10, source: s-zh, quote: 云帆科技据传正洽谈收购星河智能}}
{agreed}    source: s-zh
    quote: 云帆科技据传正洽谈收购星河智能
"""
AGREED = "      - {status: agreed, date: 2025-03, source: s-en, quote: Yunfan Tech agreed to acquire Xinghe AI}\n"


def _git(top: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True, env={**os.environ, **ENV})
    return done.stdout.decode().strip()


def _commit(top: Path, files: dict[str, str], tag: str) -> None:
    data = top / "kb" / "data"
    for old in data.glob("*.yaml"):
        old.unlink()
    for name, text in files.items():
        (data / name).write_text(text, encoding="utf-8")
    assert run_cli("--data", str(data), "validate").exit_code == 0
    _git(top, "add", "-A")
    _git(top, "commit", "-qm", tag)
    _git(top, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("r8a-changes-ok")
    (top / "kb" / "data").mkdir(parents=True)
    (top / "kb" / "seeds").mkdir()
    (top / "kb" / "seeds" / "zh.txt").write_text(ZH, encoding="utf-8")
    (top / "kb" / "seeds" / "en.txt").write_text(EN, encoding="utf-8")
    _git(top, "init", "-q")
    people = "people:\n" + LI + WANG
    v1 = {"sources.yaml": SOURCES, "people.yaml": people, "tenures.yaml": TENURES_1}
    v1["deals.yaml"] = DEAL.format(amount="约20亿美元", agreed="")
    _commit(top, v1, "v1")
    v2 = {**v1, "tenures.yaml": TENURES_2, "deals.yaml": DEAL.format(amount="约140亿元人民币", agreed=AGREED)}
    v2["sources.yaml"] = SOURCES.replace("published: 2024-10-08", "published: 2024-10-09")
    _commit(top, v2, "v2")
    v3 = {k: v for k, v in v2.items() if k not in ("people.yaml", "tenures.yaml")}
    v3.update({"people.yaml": "people:\n" + LI, "wang.yaml": "people:\n" + WANG, "spells.yaml": TENURES_2})
    _commit(top, v3, "v3")
    _git(top, "branch", "story", "v2")
    return top / "kb" / "data"


def _feed(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("--data", str(data), "changes", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_each_revision_as_a_fact(repo: Path) -> None:
    rows = _feed(repo, "--since", "v1", "--until", "v2")
    facts = {(r["change"], r["record"], r["field"], r["before"], r["after"], r["source"]) for r in rows}
    assert ("changed", "li-xinghe", "end_cause", "left", "advisor", "s-en") in facts
    assert ("moved", "wang-yunfan", "after", "Xinghe AI", "Yunfan Tech", "s-en") in facts
    assert ("status", "yf-xh", "status", "rumoured", "agreed", "s-en") in facts
    assert ("revised", "yf-xh", "amount", "~$2B", "~CNY 14B", "s-zh") in facts
    assert ("changed", "s-zh", "published", "2024-10-08", "2024-10-09", None) in facts
    summaries = {r["summary"] for r in rows}
    assert "Li Ming's spell at Xinghe AI now ends in 'advisor' (was 'left')" in summaries
    assert "Wang Fang moved from Xinghe AI to Yunfan Tech" in summaries
    assert "Amount of deal yf-xh revised: ~$2B → ~CNY 14B" in summaries
    assert {(r["since"], r["until"]) for r in rows} == {(_short(repo, "v1"), _short(repo, "v2"))}


def _short(data: Path, rev: str) -> str:
    return _git(data.parent.parent, "rev-parse", rev)[:10]


def test_a_record_moved_to_another_file_and_a_renamed_file_are_no_change(repo: Path) -> None:
    result = run_cli("--data", str(repo), "changes", "--since", "v2", "--until", "v3", "--format", "json")
    assert (result.exit_code, result.stdout.strip()) == (0, "[]")
    table = run_cli("--data", str(repo), "changes", "--since", "v2", "--until", "v3")
    assert (table.exit_code, table.stdout) == (0, "")
    assert "nothing changed" in table.stderr


def test_every_way_to_name_a_revision_names_the_same_one(repo: Path) -> None:
    expected = _feed(repo, "--since", "v1", "--until", "v2")
    sha = _git(repo.parent.parent, "rev-parse", "--short", "v1")
    for since, until in ((sha, "story"), ("HEAD~2", "HEAD~1"), ("v1", "story")):
        assert _feed(repo, "--since", since, "--until", until) == expected, (since, until)


def test_the_working_tree_is_named_and_included(repo: Path) -> None:
    extra = repo / "zz-draft.yaml"
    extra.write_text("people:\n  - {id: new-one, name: New One, source: s-en, quote: Yunfan Tech}\n", encoding="utf-8")
    try:
        rows = _feed(repo, "--since", "HEAD")
        assert [(r["change"], r["record"], r["until"]) for r in rows] == [("added", "new-one", "working tree")]
        assert _feed(repo, "--since", "HEAD", "--until", "HEAD") == []
    finally:
        extra.unlink()


def test_errors_are_one_line_with_the_documented_code(repo: Path, tmp_path: Path) -> None:
    for args in (("--since", "nosuch"), ("--since", "v1", "--until", "nosuch"), ("--since", "")):
        result = run_cli("--data", str(repo), "changes", *args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert result.stderr.startswith("aiorg: error: ")
    known = run_cli("--data", str(repo), "changes", "--since", "v1", "--known-as-of", "2025")
    assert known.exit_code == 2 and "--known-as-of" in known.stderr
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "kb.yaml").write_text("people: []\n", encoding="utf-8")
    outside = run_cli("--data", str(tmp_path / "data"), "changes", "--since", "HEAD")
    assert outside.exit_code == 2 and "not in one" in outside.stderr
