"""Review 8 (a journalist's review of sources, time and change), defects in `aiorg changes`.

A FICTIONAL knowledge base in a git repository, built commit by commit: v1, an article (s-zh)
says Li Ming left Xinghe AI and Yunfan Tech is rumoured to buy it for about $2B; v2 adds the
firm's official statement (s-en) as `also` claims, as `aiorg accept` writes them: Li Ming moved
to an advisor role; the deal was agreed, at $2.5B.

1. Between v1 and v2 the value every listing shows first for Li Ming's end changes from `left`
   to `advisor` (an official statement outranks an article) and the deal's amount from ~$2B to
   $2.5B, yet the feed says only "also not stated → '(source=s-en, end_cause=advisor)'" and
   "Source s-en added": no row about `end_cause` or `amount`. The README promises "spells whose
   end changed ("now ends in 'advisor' (was 'left')")" and "amounts ... revised". A journalist
   following the story week by week misses that the departure is now told as an advisor move.
   Smallest fix (aiorg/change_rows.py, `compared`): when a record's `also` list differs, also
   compare the value shown first (aiorg.claims.shown_value) of each disputable field, and of the
   disputed fields, and add the usual `end_cause` / `revised` row (naming the new source) when it
   changed, or when the field became disputed ("now ends in 'advisor' | 'left' (disputed)").
2. `--since v2 --until v1` (the later revision first) prints the feed backwards without a word:
   "also '(source=s-en, end_cause=advisor)' → not stated", "Source s-en removed", status
   "agreed → rumoured": it reads as a retraction. Smallest fix (aiorg/changes.py or gitrevs.py):
   when `--until` is an ancestor of `--since`, a usage error (exit 2) naming both, as `--since`
   after `--until` is for dates; or at least one line on stderr saying the order is reversed.
3. The "nothing changed" note lower-cases the whole title, revision names included: `--since Feat
   --until Feat` says "(feat)", which is another branch here. Smallest fix
   (aiorg/cli/change_commands.py): `empty=f"note: nothing changed; c{title[1:]}"`, not
   `title.lower()`.
4. A date from 2100 on (`--since 2100-01-02`) says "no commit was made before 2100-01-02", which
   is false: git's `--before` cannot read such a date. Smallest fix (aiorg/gitrevs.py `resolve`):
   pass the day as a Unix time (`--before=@<seconds>`) or, for a day after today, take HEAD.
5. A move is missed when the earlier spell sits in an unchanged file written in YAML flow style
   (`  - {id: wang-xinghe, person: wang-fang, ...}`, valid YAML the loader reads): the new spell
   whose `after` names it is "Added role spell wang-fang's spell at yunfan", not "Wang Fang moved
   from Xinghe AI to Yunfan Tech", and every row names people and firms of such files by id.
   aiorg/changes_blocks.py `find_ids` only finds an `id:` that ends its line. Smallest fix: when
   `find_ids` misses an id, fall back to loading that file whole (the loader reads any style), or
   match `id:` also after `{` and before `,`/`}`.
6. `--format json` with nothing changed prints `[]` and no note on stderr (the table says "note:
   nothing changed; ..."); the README: an empty answer "exits 0 with a one-line note on stderr".
   Smallest fix (aiorg/cli/change_commands.py): after write_feed_json, print the same note when
   the feed had no rows.
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
ZH = "星河智能产品负责人李明已经离职。云帆科技据传正洽谈收购星河智能，作价约20亿美元。\n"
EN = (
    "Li Ming, head of product at Xinghe AI, has moved to an advisor role. "
    "Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion.\n"
)

V1 = """\
sources:
  - {id: s-zh, title: 星河智能高管变动（虚构）, kind: article, published: 2024-10-08, file: ../seeds/zh.txt}
  - {id: s-en, title: Xinghe statement, kind: official_statement, published: 2025-03-15, file: ../seeds/en.txt}
firms:
  - {id: xinghe, name: Xinghe AI, name_zh: 星河智能, source: s-zh, quote: 星河智能}
  - {id: yunfan, name: Yunfan Tech, name_zh: 云帆科技, source: s-zh, quote: 云帆科技}
people:
  - {id: li-ming, name: Li Ming, name_zh: 李明, source: s-zh, quote: 李明}
tenures:
  - id: li-xinghe
    person: li-ming
    firm: xinghe
    end: ..2024-10
    end_cause: left
    source: s-zh
    quote: 星河智能产品负责人李明已经离职
deals:
  - id: yf-xh
    kind: acquisition
    buyers: [yunfan]
    targets: [xinghe]
    amount: 约20亿美元
    history:
      - {status: rumoured, date: 2024-10, source: s-zh, quote: 云帆科技据传正洽谈收购星河智能}
    source: s-zh
    quote: 云帆科技据传正洽谈收购星河智能，作价约20亿美元
"""

V2 = (
    V1.replace(
        "    quote: 星河智能产品负责人李明已经离职\n",
        "    quote: 星河智能产品负责人李明已经离职\n"
        "    also:\n"
        "      - source: s-en\n"
        "        quote: Li Ming, head of product at Xinghe AI, has moved to an advisor role\n"
        "        end_cause: advisor\n",
    )
    .replace(
        "      - {status: rumoured, date: 2024-10, source: s-zh, quote: 云帆科技据传正洽谈收购星河智能}\n",
        "      - {status: rumoured, date: 2024-10, source: s-zh, quote: 云帆科技据传正洽谈收购星河智能}\n"
        "      - {status: agreed, date: 2025-03, source: s-en, quote: Yunfan Tech agreed to acquire Xinghe AI}\n",
    )
    .replace(
        "    quote: 云帆科技据传正洽谈收购星河智能，作价约20亿美元\n",
        "    quote: 云帆科技据传正洽谈收购星河智能，作价约20亿美元\n"
        "    also:\n"
        "      - source: s-en\n"
        "        quote: Yunfan Tech agreed to acquire Xinghe AI for $2.5 billion\n"
        "        amount: $2.5 billion\n",
    )
)


def _git(top: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(top), *args], check=True, capture_output=True, env={**os.environ, **ENV})


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's data folder: tags v1 and v2, and branches Feat (at v2) and feat (at v1)."""
    top = tmp_path_factory.mktemp("r8a-changes")
    (top / "data").mkdir()
    (top / "seeds").mkdir()
    (top / "seeds" / "zh.txt").write_text(ZH, encoding="utf-8")
    (top / "seeds" / "en.txt").write_text(EN, encoding="utf-8")
    _git(top, "init", "-q")
    for tag, text in (("v1", V1), ("v2", V2)):
        (top / "data" / "kb.yaml").write_text(text, encoding="utf-8")
        assert run_cli("--data", str(top / "data"), "validate").exit_code == 0
        _git(top, "add", "-A")
        _git(top, "commit", "-qm", tag)
        _git(top, "tag", tag)
    _git(top, "branch", "Feat", "v2")
    _git(top, "branch", "feat", "v1")
    return top / "data"


def _feed(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("--data", str(data), "changes", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_the_values_shown_first_changed_between_v1_and_v2(repo: Path) -> None:
    """The premise, checked in the listings: left and ~$2B at v1, advisor and $2.5B now."""
    people = json.loads(run_cli("--data", str(repo), "people", "--format", "json").stdout)
    assert [r["cause"] for r in people] == ["advisor"]
    deals = json.loads(run_cli("--data", str(repo), "deals", "--format", "json").stdout)
    assert [d["amount_usd"] for d in deals] == [2.5e9]


def test_a_new_source_that_changes_the_end_shown_first_is_an_end_change(repo: Path) -> None:
    rows = _feed(repo, "--since", "v1", "--until", "v2")
    ends = [r for r in rows if r["record"] == "li-xinghe" and r["field"] == "end_cause"]
    assert ends, [r["summary"] for r in rows]
    assert "advisor" in str(ends[0]["after"]) and ends[0]["source"] == "s-en"


def test_a_new_source_that_changes_the_amount_shown_first_is_a_revision(repo: Path) -> None:
    rows = _feed(repo, "--since", "v1", "--until", "v2")
    revised = [r for r in rows if r["record"] == "yf-xh" and r["field"] == "amount"]
    assert revised, [r["summary"] for r in rows]
    assert "2.5B" in str(revised[0]["after"]) and revised[0]["source"] == "s-en"


def test_revisions_given_in_reverse_order_are_not_a_silent_backwards_feed(repo: Path) -> None:
    result = run_cli("--data", str(repo), "changes", "--since", "v2", "--until", "v1", "--format", "csv")
    said = result.stderr.lower()
    assert result.exit_code == 2 or any(word in said for word in ("revers", "earlier", "older", "ancestor")), (
        result.stdout
    )


def test_the_nothing_changed_note_names_the_revision_as_typed(repo: Path) -> None:
    result = run_cli("--data", str(repo), "changes", "--since", "Feat", "--until", "Feat")
    assert result.exit_code == 0
    assert "nothing changed" in result.stderr
    assert "(Feat)" in result.stderr, result.stderr  # "(feat)" is the other branch, at v1


def test_a_date_after_2099_is_not_called_earlier_than_every_commit(repo: Path) -> None:
    result = run_cli("--data", str(repo), "changes", "--since", "2100-01-02", "--until", "HEAD")
    assert "no commit was made before" not in result.stderr, result.stderr
    assert result.exit_code == 0


FLOW = """\
sources:
  - {id: s1, title: Fictional report}
firms:
  - {id: xinghe, name: Xinghe AI, source: s1, quote: x}
  - {id: yunfan, name: Yunfan Tech, source: s1, quote: x}
people:
  - {id: wang-fang, name: Wang Fang, name_zh: 王芳, source: s1, quote: x}
tenures:
  - {id: wang-xinghe, person: wang-fang, firm: xinghe, end: 2025-03, end_cause: left, source: s1, quote: x}
"""
MOVE = """\
tenures:
  - id: wang-yunfan
    person: wang-fang
    firm: yunfan
    start: 2025-03
    after: wang-xinghe
    source: s1
    quote: x
"""


def test_a_move_from_a_spell_in_a_flow_style_file_is_a_move(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_text(FLOW, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "one")
    (tmp_path / "data" / "b.yaml").write_text(MOVE, encoding="utf-8")
    data = tmp_path / "data"
    assert run_cli("--data", str(data), "validate").exit_code == 0
    flows = json.loads(run_cli("--data", str(data), "flows", "--format", "json").stdout)
    assert [(f["origin"], f["destination"]) for f in flows] == [("xinghe", "yunfan")]
    rows = _feed(data, "--since", "HEAD")
    assert [(r["change"], r["summary"]) for r in rows] == [
        ("moved", "Wang Fang moved from Xinghe AI to Yunfan Tech")
    ], rows


def test_an_empty_json_feed_says_why_on_stderr(repo: Path) -> None:
    result = run_cli("--data", str(repo), "changes", "--since", "v2", "--until", "Feat", "--format", "json")
    assert (result.exit_code, result.stdout.strip()) == (0, "[]")
    assert "nothing changed" in result.stderr, result.stderr
