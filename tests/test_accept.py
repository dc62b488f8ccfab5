"""aiorg.accept: a reviewed draft merged into copies of FICTIONAL knowledge bases (the multisource
fixture and a tiny one written here), with FICTIONAL articles from tests/accept_articles."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from aiorg.accept import accept
from aiorg.accept_kb import name_hash
from aiorg.claims import disputes
from aiorg.errors import DataError
from aiorg.loader import load
from aiorg.model import Deal, Tenure

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "multisource"
EN = HERE / "accept_articles" / "fictional-xinghe-2025-05.txt"
ZH = HERE / "accept_articles" / "fictional-zh-2025-06.txt"

TINY_TENURES = """\
# A tiny FICTIONAL knowledge base for aiorg accept's tests.
tenures:
  # The first report: he left.
  - id: li-ming-xinghe
    person: li-ming
    firm: xinghe
    end_cause: left   # as the first source says
    source: fictional-zh-2024-10
    quote: 星河智能产品负责人李明已经离职

  - id: wang-yun-yunfan
    person: li-ming
    firm: yunfan
    source: fictional-zh-2024-10
    quote: 产品负责人李明
"""


def kb_copy(tmp_path: Path, tiny: bool = False) -> Path:
    """A copy of the multisource fixture (its tenures replaced by a tiny file with comments); the data dir."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    if tiny:
        (root / "data" / "tenures.yaml").write_text(TINY_TENURES, encoding="utf-8")
    return root / "data"


def draft_file(tmp_path: Path, article: Path, source_id: str, sections: dict[str, list[dict[str, Any]]]) -> Path:
    """A reviewed draft as aiorg draft writes it, every candidate marked accept unless it says otherwise."""
    source = {"id": source_id, "title": "Fictional example", "published": "2025-05-20", "file": str(article)}
    body: dict[str, Any] = {"sources": [source]}
    for kind, records in sections.items():
        body[kind] = [{"source": source_id, "review": "accept", "offset": 0, "confidence": 0.6} | r for r in records]
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the knowledge base (data and seeds), by relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


SRC = "fictional-news-2025-05"


def test_new_people_firms_spells_and_deals_get_stable_ids_and_validate(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {
            "people": [
                {"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan"},
                {"id": "new-person-王小雨", "name": "王小雨", "quote": "Zhou Lan"},
            ],
            "firms": [{"id": "quarry-holdings", "name": "Quarry Holdings", "quote": "Quarry Holdings"}],
            "tenures": [
                {"id": "Zhou Lan-Quarry Holdings-joined", "person": "Zhou Lan", "firm": "quarry-holdings",
                 "quote": "Zhou Lan, chief scientist at Yunfan Tech, joined Quarry Holdings"},
                {"id": "x", "person": "new-person-王小雨", "firm": "yunfan", "quote": "chief scientist at Yunfan Tech"},
            ],
            "deals": [
                {"id": "quarry-holdings-yunfan-stake", "kind": "stake", "buyers": ["quarry-holdings"],
                 "targets": ["yunfan"], "history": [{"date": "2025-05", "status": "rumoured", "source": SRC,
                 "quote": "Quarry Holdings"}], "quote": "Quarry Holdings"},
            ],
        },
    )  # fmt: skip
    outcome = accept(data, draft)
    hashed = f"person-{name_hash('王小雨')}"
    assert sorted(outcome.added) == sorted(
        [
            "zhou-lan",
            hashed,
            "quarry-holdings",
            "zhou-lan-quarry-holdings",
            f"{hashed}-yunfan",
            "quarry-holdings-yunfan-stake",
        ]
    )  # a spell's drafted id names the draft's ids: it is made again from the ids the records get
    kb = load(data, check_quotes=True)
    assert kb.by_id[hashed].name == "王小雨"  # type: ignore[union-attr]
    spell = kb.by_id["zhou-lan-quarry-holdings"]
    assert isinstance(spell, Tenure) and (spell.person, spell.firm) == ("zhou-lan", "quarry-holdings")
    source = kb.by_id[SRC]
    assert source.file == "../seeds/fictional-news-2025-05.txt"  # type: ignore[union-attr]
    assert (data.parent / "seeds" / f"{SRC}.txt").read_bytes() == EN.read_bytes()
    assert len(hashed) == len("person-") + 8 and name_hash("王小雨") == name_hash("王小雨")


def test_an_id_taken_by_a_record_of_another_kind_is_never_reused(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    # a person whose drafted id is a firm's id ("xinghe"): a new id, not a collision
    draft = draft_file(tmp_path, EN, SRC, {"people": [{"id": "xinghe", "name": "Xinghe", "quote": "Xinghe AI"}]})
    outcome = accept(data, draft)
    assert outcome.added == ["xinghe-2"]
    assert load(data).kind_of("xinghe") == "firms"


def test_a_spell_with_another_end_cause_becomes_a_disputed_claim(tmp_path: Path) -> None:
    data = kb_copy(tmp_path, tiny=True)
    draft = draft_file(
        tmp_path,
        ZH,
        "fictional-zh-2025-06",
        {"tenures": [{"id": "li-ming-xinghe-advisor", "person": "li-ming", "firm": "xinghe", "end_cause": "advisor",
                      "certainty": "reported", "quote": "星河智能產品負責人李明已轉任顧問"}]},
    )  # fmt: skip
    outcome = accept(data, draft)
    assert outcome.claimed == ["li-ming-xinghe"] and outcome.added == []
    spell = load(data, check_quotes=True).by_id["li-ming-xinghe"]
    assert isinstance(spell, Tenure)
    assert [(a.source, a.end_cause) for a in spell.also] == [("fictional-zh-2025-06", "advisor")]
    assert "end_cause" in disputes(spell)


def test_a_traditional_name_matches_a_firm_written_in_simplified(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = draft_file(
        tmp_path,
        ZH,
        "fictional-zh-2025-06",
        {"firms": [{"id": "new-firm-雲帆科技", "name": "雲帆科技", "quote": "雲帆科技"}]},
    )
    outcome = accept(data, draft)
    assert outcome.claimed == ["yunfan"] and outcome.added == []
    firm = load(data, check_quotes=True).by_id["yunfan"]
    assert [a.source for a in firm.also].count("fictional-zh-2025-06") == 1  # type: ignore[union-attr]


def test_a_new_deal_status_becomes_a_history_step_in_date_order(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    step = {"date": "2025-05", "status": "completed", "source": SRC, "quote": "Yunfan Tech completed its acquisition"}
    talks = {"date": "2024-12", "status": "in_talks", "source": SRC, "quote": "Yunfan Tech"}
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {"deals": [{"id": "yunfan-xinghe-acquisition-2", "kind": "acquisition", "buyers": ["yunfan"],
                    "targets": ["xinghe"], "history": [step, talks], "quote": "Yunfan Tech completed"}]},
    )  # fmt: skip
    outcome = accept(data, draft)
    assert outcome.claimed == ["yunfan-xinghe-acquisition"] and outcome.added == []
    deal = load(data, check_quotes=True).by_id["yunfan-xinghe-acquisition"]
    assert isinstance(deal, Deal)
    assert [(s.status.value, s.source) for s in deal.history] == [
        ("rumoured", "fictional-zh-2024-10"),
        ("in_talks", SRC),
        ("agreed", "fictional-en-2025-03"),
        ("completed", SRC),
    ]


def test_rejected_and_deleted_candidates_are_skipped_and_pending_ones_stop_the_merge(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    people = [
        {"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan"},
        {"id": "quarry", "name": "Quarry", "quote": "Quarry Holdings", "review": "reject"},
        {"id": "later", "name": "Later", "quote": "Zhou Lan", "review": "pending"},
    ]
    draft = draft_file(tmp_path, EN, SRC, {"people": people})
    before = snapshot(data.parent)
    with pytest.raises(DataError, match="still 'review: pending'"):
        accept(data, draft)
    assert snapshot(data.parent) == before
    outcome = accept(data, draft, skip_pending=True)
    assert (outcome.added, outcome.rejected, outcome.pending) == (["zhou-lan"], 1, 1)
    assert {"quarry", "later"}.isdisjoint(load(data).ids())


def test_a_quote_missing_from_the_article_leaves_every_file_byte_for_byte(tmp_path: Path) -> None:
    data = kb_copy(tmp_path, tiny=True)
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {
            "people": [{"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan"}],
            "tenures": [{"id": "t", "person": "li-ming", "firm": "xinghe", "end_cause": "advisor",
                         "quote": "Li Ming was never in this article"}],
        },
    )  # fmt: skip
    before = snapshot(data.parent)
    with pytest.raises(DataError) as caught:
        accept(data, draft)
    assert snapshot(data.parent) == before  # data and seeds: the archived article is gone again
    problems = [str(p) for p in caught.value.problems]
    lines = draft.read_text(encoding="utf-8").split("\n")
    quoted = next(i for i, text in enumerate(lines) if "Li Ming was never in this article" in text)
    line = max(i for i in range(quoted + 1) if lines[i].startswith("- ")) + 1  # the candidate, in the draft
    assert any(
        "quote not found verbatim" in p and p.startswith(f"{draft}:{line}:") and f"merged into {data}/tenures.yaml" in p
        for p in problems
    ), problems
    assert not [p for p in data.parent.parent.iterdir() if ".accept-" in p.name]  # no staged copy left


def test_comments_and_formatting_stay_only_lines_are_inserted(tmp_path: Path) -> None:
    data = kb_copy(tmp_path, tiny=True)
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {
            "people": [{"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan"}],
            "tenures": [
                {"id": "a", "person": "li-ming", "firm": "xinghe", "end_cause": "left",
                 "quote": "Li Ming, head of product at Xinghe AI, left the company in April"},
                {"id": "b", "person": "zhou-lan", "firm": "yunfan", "quote": "chief scientist at Yunfan Tech"},
            ],
        },
    )  # fmt: skip
    before = snapshot(data.parent)
    accept(data, draft)
    after = snapshot(data.parent)
    changed = [name for name in before if before[name] != after[name]]
    assert sorted(changed) == ["data/people.yaml", "data/sources.yaml", "data/tenures.yaml"]
    for name in changed:
        old, new = before[name].decode().splitlines(True), after[name].decode().splitlines(True)
        operations = {op for op, *_ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()}
        assert operations == {"equal", "insert"}, name
    tenures = after["data/tenures.yaml"].decode()
    assert "    end_cause: left   # as the first source says\n" in tenures
    assert "  # The first report: he left.\n" in tenures
    # the also item sits in the spell's block, before the blank line and the next record
    assert "    quote: 星河智能产品负责人李明已经离职\n    also:\n      - source: fictional-news-2025-05\n" in tenures


def test_accepting_twice_adds_nothing_the_second_time(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    step = {"date": "2025-05", "status": "completed", "source": SRC, "quote": "Yunfan Tech completed its acquisition"}
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {
            "people": [{"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan"}],
            "tenures": [{"id": "a", "person": "li-ming", "firm": "xinghe", "end_cause": "left",
                         "quote": "Li Ming, head of product at Xinghe AI, left the company in April"}],
            "deals": [{"id": "d", "kind": "acquisition", "buyers": ["yunfan"], "targets": ["xinghe"],
                       "history": [step], "quote": "Yunfan Tech completed its acquisition"}],
        },
    )  # fmt: skip
    first = accept(data, draft)
    assert first.added == ["zhou-lan"] and sorted(first.claimed) == [
        "li-ming-xinghe-product",
        "yunfan-xinghe-acquisition",
    ]
    once = snapshot(data.parent)
    second = accept(data, draft)
    assert (second.added, second.claimed, second.files) == ([], [], [])
    assert snapshot(data.parent) == once


def test_a_source_already_there_with_other_values_is_refused(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    draft = draft_file(tmp_path, EN, "fictional-en-2025-03", {"people": [{"id": "z", "name": "Z", "quote": "Zhou"}]})
    before = snapshot(data.parent)
    with pytest.raises(DataError, match="already has this source"):
        accept(data, draft)
    assert snapshot(data.parent) == before


def test_a_kind_with_no_file_gets_a_new_file(tmp_path: Path) -> None:
    data = kb_copy(tmp_path)
    metric = {"id": "m", "subject": "yunfan", "metric": "headcount", "value": 300, "quote": "Yunfan Tech"}
    outcome = accept(data, draft_file(tmp_path, EN, SRC, {"metrics": [metric]}))
    assert outcome.added == ["m"] and data / "metrics.yaml" in outcome.files
    assert load(data, check_quotes=True).by_id["m"].value == 300  # type: ignore[union-attr]


def test_each_problem_in_a_merged_item_names_its_candidates_line_in_the_draft(tmp_path: Path) -> None:
    """A new record appended to a list, a claim added under an existing record (also) and a record
    in a new file: each bad quote is reported at its own candidate's line, since the merged line
    is in no real file (nothing was written)."""
    data = kb_copy(tmp_path, tiny=True)
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {
            "people": [{"id": "zhou-lan", "name": "Zhou Lan", "quote": "Zhou Lan was never quoted"}],
            "tenures": [{"id": "li-ming-xinghe-x", "person": "li-ming", "firm": "xinghe", "end_cause": "advisor",
                         "quote": "Li Ming became an advisor, never said"}],
            "metrics": [{"id": "m", "subject": "yunfan", "metric": "headcount", "value": 300,
                         "quote": "Yunfan has 300 people, never said"}],
        },
    )  # fmt: skip
    lines = draft.read_text(encoding="utf-8").split("\n")

    def candidate_line(quote: str) -> int:
        quoted = next(i for i, text in enumerate(lines) if quote in text)
        return max(i for i in range(quoted + 1) if lines[i].startswith("- ")) + 1

    before = snapshot(data.parent)
    with pytest.raises(DataError) as caught:
        accept(data, draft)
    assert snapshot(data.parent) == before
    found = sorted((p.path, p.line, p.message.rsplit("(", 1)[-1]) for p in caught.value.problems)
    merged = "this candidate, as merged into {}/{}.yaml)".format
    assert found == sorted(
        [
            (str(draft), candidate_line("Zhou Lan was never quoted"), merged(data, "people")),
            (str(draft), candidate_line("never said"), merged(data, "tenures")),
            (str(draft), candidate_line("300 people"), merged(data, "metrics")),
        ]
    )


def test_a_guessed_status_merged_into_a_known_deal_stays_marked_as_a_guess(tmp_path: Path) -> None:
    """draft marks a status no word gives as `inferred: [status]` with a note; merged as a new step
    of a deal already in the knowledge base, the step keeps both, as a new deal record does."""
    data = kb_copy(tmp_path)
    step = {
        "date": "2025-05",
        "status": "completed",
        "source": SRC,
        "quote": "Yunfan Tech completed its acquisition",
        "certainty": "rumoured",
        "inferred": ["status"],
        "note": "status guessed: no word in the sentence says it",
    }
    draft = draft_file(
        tmp_path,
        EN,
        SRC,
        {"deals": [{"id": "yunfan-xinghe-acquisition-2", "kind": "acquisition", "buyers": ["yunfan"],
                    "targets": ["xinghe"], "history": [step], "quote": "Yunfan Tech completed"}]},
    )  # fmt: skip
    accept(data, draft)
    deal = load(data, check_quotes=True).by_id["yunfan-xinghe-acquisition"]
    assert isinstance(deal, Deal)
    (added,) = [s for s in deal.history if s.source == SRC]
    assert (added.status.value, added.certainty.value, added.inferred) == ("completed", "rumoured", ["status"])
    assert added.note == "status guessed: no word in the sentence says it"
