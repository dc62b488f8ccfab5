"""Review 8d: the editor's workflow (`draft` -> review marks -> `accept` -> `validate` -> queries)
on a small FICTIONAL knowledge base written here (星辰智能 / Xingchen AI, 北冥科技 / Beiming Tech:
invented firms, people and deals; the articles are invented too, never real text).

The tests in this file are attacks that found nothing wrong, each answer checked by hand: a source
that repeats a known fact, one that contradicts it, a rumoured deal agreed, a Chinese-only new
person, a person known by an alias in the other script, a quote not in the article, an id taken by
another kind, comments, CRLF and a file with no final newline kept, and a draft accepted twice.
Other review-8d test files import `write_kb`, `article` and `draft` from here."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli

SOURCES = """\
# Sources of a FICTIONAL knowledge base (review 8d).
sources:
  - id: fic-a-2025-01
    title: 星辰智能人事动荡（虚构）
    kind: article
    published: 2025-01-10
    language: zh
    file: ../seeds/fic-a-2025-01.txt
"""
ARTICLE_A = (
    "星辰智能（虚构公司）近日人事动荡。据悉，星辰智能产品负责人林峰已于2024年12月离职。"
    "北冥科技据传正在洽谈入股星辰智能，金额约5亿美元。北冥科技首席科学家陈雨表示，公司仍在招聘。\n"
)
FIRMS = """\
firms:
  - id: xingchen
    name: Xingchen AI
    name_zh: 星辰智能
    country: CN
    category: startup
    source: fic-a-2025-01
    quote: 星辰智能
  - id: beiming
    name: Beiming Tech
    name_zh: 北冥科技
    country: CN
    source: fic-a-2025-01
    quote: 北冥科技
"""
PEOPLE = """\
people:
  - id: lin-feng
    name: Lin Feng
    name_zh: 林峰
    source: fic-a-2025-01
    quote: 林峰
  - id: chen-yu
    name: Chen Yu
    aliases: [陈雨]   # known in Chinese only by this alias
    source: fic-a-2025-01
    quote: 陈雨
"""
TENURES = """\
# Role spells (FICTIONAL).
tenures:
  - id: lin-feng-xingchen
    person: lin-feng
    firm: xingchen
    title: Head of product
    area: product
    kind: executive
    end: 2024-12
    end_cause: left     # the first report
    source: fic-a-2025-01
    quote: 星辰智能产品负责人林峰已于2024年12月离职
  - id: chen-yu-beiming
    person: chen-yu
    firm: beiming
    title: Chief scientist
    current: true
    source: fic-a-2025-01
    quote: 北冥科技首席科学家陈雨
"""
DEALS = """\
deals:
  - id: beiming-xingchen-stake
    kind: stake
    buyers: [beiming]
    targets: [xingchen]
    amount: ~5亿美元
    history:
      - status: rumoured
        date: 2025-01
        certainty: rumoured
        source: fic-a-2025-01
        quote: 北冥科技据传正在洽谈入股星辰智能
    source: fic-a-2025-01
    quote: 北冥科技据传正在洽谈入股星辰智能，金额约5亿美元"""  # no final newline, on purpose

#: a later FICTIONAL article: Lin Feng's move is called an advisor move, the deal agreed at another
#: amount, Chen Yu (known as 陈雨) left to found a lab, and 赵敏 (a Chinese-only name) appointed.
ARTICLE_B = (
    "星辰智能（虚构公司）3月5日发布声明称，林峰并未离职，而是改任产品顾问。星辰智能同时宣布，赵敏出任产品负责人。"
    "北冥科技已同意以6亿美元收购星辰智能20%股份。北冥科技首席科学家陈雨离职并创办了南山实验室。\n"
)
#: a FICTIONAL official statement that repeats what the first article said
ARTICLE_E = "星辰智能（虚构公司）确认，林峰已于2024年12月离职。北冥科技与星辰智能的入股交易已经完成。\n"


def write_kb(root: Path) -> Path:
    """The fictional knowledge base under `root` (data/ and seeds/); its data directory."""
    data, seeds = root / "data", root / "seeds"
    data.mkdir(parents=True)
    seeds.mkdir()
    (seeds / "fic-a-2025-01.txt").write_text(ARTICLE_A, encoding="utf-8")
    for name, text in (
        ("sources", SOURCES),
        ("firms", FIRMS),
        ("people", PEOPLE),
        ("tenures", TENURES),
        ("deals", DEALS),
    ):
        (data / f"{name}.yaml").write_text(text, encoding="utf-8")
    return data


def article(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def draft(root: Path, source: str, published: str, article_path: Path, body: str, kind: str | None = None) -> Path:
    """A reviewed draft as an editor leaves it: its source header, then `body` (YAML text)."""
    head = f"sources:\n- id: {source}\n  title: 虚构报道\n  published: '{published}'\n  file: {article_path}\n"
    if kind:
        head += f"  kind: {kind}\n"
    path = root / f"draft-{source}.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


DRAFT_B = """\
people:
- id: new-person-赵敏
  name: 赵敏
  source: fic-b-2025-03
  quote: 赵敏出任产品负责人。
  review: accept
  offset: 45
  confidence: 0.6
- id: new-person-陈雨
  name: 陈雨
  source: fic-b-2025-03
  quote: 北冥科技首席科学家陈雨
  review: accept
firms:
- id: new-firm-南山实验室
  name: 南山实验室
  source: fic-b-2025-03
  quote: 北冥科技首席科学家陈雨离职并创办了南山实验室。
  review: reject
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  amount: 6亿美元
  stake: 20%
  history:
  - date: 2025-03
    status: agreed
    certainty: confirmed
    source: fic-b-2025-03
    quote: 北冥科技已同意以6亿美元收购星辰智能20%股份。
  source: fic-b-2025-03
  quote: 北冥科技已同意以6亿美元收购星辰智能20%股份。
  review: accept
tenures:
- id: chen-yu-beiming-founded
  person: 陈雨
  firm: 北冥科技
  end_cause: founded
  source: fic-b-2025-03
  quote: 北冥科技首席科学家陈雨离职并创办了南山实验室。
  review: accept
- id: lin-feng-xingchen-advisor
  person: 林峰
  firm: 星辰智能
  end_cause: advisor
  source: fic-b-2025-03
  quote: 林峰并未离职，而是改任产品顾问
  review: accept
- id: zhao-min-xingchen
  person: new-person-赵敏
  firm: xingchen
  title_zh: 产品负责人
  start: 2025-03
  current: true
  source: fic-b-2025-03
  quote: 赵敏出任产品负责人
  review: accept
"""


def _json(data: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli("--data", str(data), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def _accept_b(tmp_path: Path) -> Path:
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-b-2025-03", "2025-03-05", article(tmp_path, "b.txt", ARTICLE_B), DRAFT_B)
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return data


def test_a_contradicting_source_is_a_dispute_both_sides_kept_the_later_one_shown_first(tmp_path: Path) -> None:
    data = _accept_b(tmp_path)
    assert run_cli("--data", str(data), "validate").exit_code == 0
    text = (data / "tenures.yaml").read_text(encoding="utf-8")
    assert "    end_cause: left     # the first report\n" in text  # the old value and its comment stay
    rows = _json(data, "conflicts")
    lin = [(r["claim"], r["value"], r["source"]) for r in rows if r["record"] == "lin-feng-xingchen"]
    assert lin == [(1, "advisor", "fic-b-2025-03"), (2, "left", "fic-a-2025-01")]
    (row,) = _json(data, "people", "--left", "星辰智能")
    assert (row["cause"], row["cause_text"], row["source"]) == (
        "advisor",
        "advisor | left (disputed, 2 sources)",
        "fic-b-2025-03",
    )
    assert row["quote"] == "林峰并未离职，而是改任产品顾问"


def test_a_person_known_by_an_alias_in_the_other_script_is_not_added_again(tmp_path: Path) -> None:
    data = _accept_b(tmp_path)
    people = (data / "people.yaml").read_text(encoding="utf-8")
    assert "name: 陈雨" not in people  # no new record: a claim of this source on chen-yu
    claim = "    quote: 陈雨\n    also:\n      - source: fic-b-2025-03\n        quote: 北冥科技首席科学家陈雨\n"
    assert claim in people
    (row,) = _json(data, "people", "--left", "北冥科技")
    assert (row["person"], row["cause"], row["source"]) == ("chen-yu", "founded", "fic-b-2025-03")
    assert row["cause_text"] == "left to found a company | still in the role (disputed, 2 sources)"


def test_a_chinese_only_new_person_gets_a_stable_id_and_her_spell(tmp_path: Path) -> None:
    data = _accept_b(tmp_path)
    rows = _json(data, "search", "赵敏")
    assert [(r["kind"], r["name"]) for r in rows] == [("person", "赵敏")]
    person = str(rows[0]["id"])
    assert person.startswith("person-") and len(person) == len("person-") + 8
    career = _json(data, "person", person, "--section", "career")
    assert [(r["firm"], r["start"], r["state"]) for r in career] == [("xingchen", "2025-03", "current")]


def test_a_rumoured_deal_agreed_is_a_new_step_and_a_disputed_amount_not_a_new_deal(tmp_path: Path) -> None:
    data = _accept_b(tmp_path)
    (row,) = _json(data, "deals")
    assert (row["deal"], row["status"], row["when"]) == ("beiming-xingchen-stake", "agreed", "2025-03")
    assert row["amount"] == "$600M | ~$500M (disputed, 2 sources)"
    assert row["source"] == "fic-b-2025-03"
    changes = run_cli("--data", str(data), "changes", "--since", "HEAD")
    assert changes.exit_code == 2 and changes.stderr.startswith("aiorg: error: ")  # no git here: one line


def test_accepting_twice_adds_nothing_and_the_rejected_firm_is_not_added(tmp_path: Path) -> None:
    data = _accept_b(tmp_path)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    assert "南山实验室" not in before["firms.yaml"].decode()
    path = tmp_path / "draft-fic-b-2025-03.yaml"
    again = run_cli("--data", str(data), "accept", str(path))
    assert again.exit_code == 0
    assert "0 records added, 0 claims added" in again.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_a_quote_not_in_the_article_is_refused_at_its_line_and_nothing_changes(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    body = DRAFT_B.replace("quote: 林峰并未离职，而是改任产品顾问", "quote: 林峰已经加入北冥科技")
    path = draft(tmp_path, "fic-b-2025-03", "2025-03-05", article(tmp_path, "b.txt", ARTICLE_B), body)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 1
    line = 5 + body[: body.index("- id: lin-feng-xingchen-advisor")].count("\n") + 1  # its `- id` line
    assert f"draft-fic-b-2025-03.yaml:{line}:" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before
    assert sorted(p.name for p in (tmp_path / "kb" / "seeds").iterdir()) == ["fic-a-2025-01.txt"]


def test_a_drafted_id_taken_by_another_kind_gets_a_fresh_one(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    body = "people:\n- id: xingchen\n  name: 星辰\n  source: fic-e-2025-08\n  quote: 星辰智能\n  review: accept\n"
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), body)
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    assert "  - id: xingchen-2\n    name: 星辰\n" in (data / "people.yaml").read_text(encoding="utf-8")
    assert run_cli("--data", str(data), "validate").exit_code == 0


def test_an_official_statement_repeating_a_fact_is_cited_first_crlf_and_no_final_newline_kept(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    tenures = data / "tenures.yaml"
    tenures.write_bytes(TENURES.replace("\n", "\r\n").encode())
    body = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  end: 2024-12
  end_cause: left
  source: fic-e-2025-08
  quote: 林峰已于2024年12月离职
  review: accept
deals:
- id: beiming-xingchen-stake
  kind: stake
  buyers: [beiming]
  targets: [xingchen]
  history:
  - date: 2025-08
    status: completed
    source: fic-e-2025-08
    quote: 北冥科技与星辰智能的入股交易已经完成
  source: fic-e-2025-08
  quote: 北冥科技与星辰智能的入股交易已经完成
  review: accept
"""
    path = draft(
        tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), body, "official_statement"
    )
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    raw = tenures.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line still ends in CRLF
    assert raw.startswith(TENURES.replace("\n", "\r\n").split("  - id: chen-yu-beiming")[0].encode())
    assert b"      - source: fic-e-2025-08\r\n        quote: " in raw
    deals = (data / "deals.yaml").read_text(encoding="utf-8")
    assert deals.startswith(DEALS.split("    source: fic-a-2025-01\n    quote: 北冥科技据传正在洽谈")[0])
    assert deals.endswith("    quote: 北冥科技据传正在洽谈入股星辰智能，金额约5亿美元\n")  # a final newline, no more
    (row,) = _json(data, "people", "--left", "xingchen")
    assert (row["cause"], row["disputed"], row["source"]) == ("left", [], "fic-e-2025-08")
    (deal,) = _json(data, "deals")
    assert (deal["status"], deal["when"], deal["source"]) == ("completed", "2025-08", "fic-e-2025-08")
    assert run_cli("--data", str(data), "validate").exit_code == 0


def test_dry_run_writes_nothing_and_skip_pending_leaves_pending_candidates_out(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    kept = "quote: 林峰并未离职，而是改任产品顾问\n  review: accept"
    body = DRAFT_B.replace(kept, "quote: 林峰并未离职\n  review: pending")
    path = draft(tmp_path, "fic-b-2025-03", "2025-03-05", article(tmp_path, "b.txt", ARTICLE_B), body)
    before = {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()}
    stopped = run_cli("--data", str(data), "accept", str(path), "--dry-run")
    assert stopped.exit_code == 1 and "1 candidates are still 'review: pending'" in stopped.stderr
    dry = run_cli("--data", str(data), "accept", str(path), "--dry-run", "--skip-pending")
    assert dry.exit_code == 0, dry.stderr
    assert dry.stderr.startswith("dry run, nothing written: 2 records added, 3 claims added to existing records, 1 ")
    assert {p: p.read_bytes() for p in sorted((tmp_path / "kb").rglob("*")) if p.is_file()} == before
    done = run_cli("--data", str(data), "accept", str(path), "--skip-pending")
    assert done.exit_code == 0, done.stderr
    (row,) = _json(data, "people", "--left", "xingchen")
    assert (row["cause_text"], row["source"]) == ("left", "fic-a-2025-01")  # the pending claim left out
    assert "fic-b-2025-03" in (data / "deals.yaml").read_text(encoding="utf-8")
