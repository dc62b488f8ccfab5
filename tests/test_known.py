"""--known-as-of: the knowledge base as the sources published by a day told it (aiorg.known).

The fixture tests/fixtures/multisource/data is FICTIONAL: a Chinese report published 2024-10-08
and an English statement published 2025-03-15 that disagrees with it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from aiorg.asof import as_of_day
from aiorg.claims import disputes
from aiorg.dates import FuzzyDate
from aiorg.kb import KnowledgeBase
from aiorg.known import known_as_of, known_from, undated
from aiorg.loader import load
from aiorg.model import Deal, DealStatus, EndCause, Tenure
from aiorg.money import Money
from tests.conftest import REPO, run_cli, write_spec

FIXTURE = REPO / "tests" / "fixtures" / "multisource" / "data"
ZH, EN = "fictional-zh-2024-10", "fictional-en-2025-03"
SPELL, DEAL = "li-ming-xinghe-product", "yunfan-xinghe-acquisition"


@pytest.fixture(scope="module")
def fixture_kb() -> KnowledgeBase:
    return load(FIXTURE)


@pytest.mark.parametrize(
    ("published", "first_day"),
    [
        ("2025-03-15", date(2025, 3, 15)),
        ("2025-03", date(2025, 3, 31)),  # the whole month must have passed
        ("2025", date(2025, 12, 31)),
        ("..2025-06", date(2025, 6, 30)),
        ("2024-12..2025-06", date(2025, 6, 30)),
        ("~2025-06", date(2025, 7, 31)),  # "about June" may be early July: one more month
        ("~2025-12", date(2026, 1, 31)),
        ("~2025-01-31", date(2025, 2, 1)),
        ("~2024", date(2025, 12, 31)),
        ("~2024-12..2025-01", date(2025, 2, 28)),  # an approximate range: one more unit of its end
        ("2025-06..", None),  # open at its end: never certainly published by any day
    ],
)
def test_when_a_source_counts_as_known(published: str, first_day: date | None) -> None:
    assert known_from(FuzzyDate.parse(published)) == first_day


def test_a_source_with_no_date_is_never_known() -> None:
    assert known_from(None) is None


def _tenure(kb: KnowledgeBase) -> Tenure:
    return kb.tenures[0]


def _deal(kb: KnowledgeBase) -> Deal:
    return kb.deals[0]


def test_before_the_second_source_only_the_first_report_is_known(fixture_kb: KnowledgeBase) -> None:
    view = known_as_of(fixture_kb, date(2024, 12, 31))
    assert [s.id for s in view.sources] == [ZH]  # (the fixture may grow: only by later sources)
    spell = _tenure(view)
    assert (spell.id, spell.end_cause, spell.source, spell.also) == (SPELL, EndCause.LEFT, ZH, [])
    assert disputes(spell) == {}  # undisputed: only the zh report says anything
    deal = _deal(view)
    assert deal.status is DealStatus.RUMOURED
    assert [(step.status, step.source) for step in deal.history] == [(DealStatus.RUMOURED, ZH)]
    assert deal.amount == Money.parse("约20亿美元")
    assert disputes(deal) == {}
    assert set(view.source_texts) == {ZH}


def test_after_the_second_source_the_dispute_and_the_agreed_deal_are_known(fixture_kb: KnowledgeBase) -> None:
    view = known_as_of(fixture_kb, date(2025, 4, 30))
    assert [s.id for s in view.sources][:2] == [ZH, EN]
    spell = _tenure(view)
    assert [(c.source, c.value) for c in disputes(spell)["end_cause"]] == [(ZH, EndCause.LEFT), (EN, EndCause.ADVISOR)]
    deal = _deal(view)
    assert deal.status is DealStatus.AGREED
    assert [(c.source, c.value) for c in disputes(deal)["amount"]] == [
        (ZH, Money.parse("约20亿美元")),
        (EN, Money.parse("$2.5 billion")),
    ]
    # with every source known, the view holds exactly the loaded records
    everything = known_as_of(fixture_kb, date(2100, 1, 1))
    for kind in ("sources", "people", "firms", "tenures", "deals"):
        assert everything.records(kind) == fixture_kb.records(kind)


def test_when_every_source_is_known_the_view_is_the_knowledge_base_itself(fixture_kb: KnowledgeBase) -> None:
    assert known_as_of(fixture_kb, date(2100, 1, 1)) is fixture_kb


def test_before_any_source_nothing_is_known(fixture_kb: KnowledgeBase) -> None:
    view = known_as_of(fixture_kb, date(2024, 9, 30))
    assert set(view.counts().values()) == {0}


def test_the_day_a_source_is_published_it_is_known(fixture_kb: KnowledgeBase) -> None:
    assert [s.id for s in known_as_of(fixture_kb, date(2025, 3, 14)).sources] == [ZH]
    assert [s.id for s in known_as_of(fixture_kb, date(2025, 3, 15)).sources][:2] == [ZH, EN]


# --- the CLI ---------------------------------------------------------------------------------


def _json(*args: str) -> Any:
    result = run_cli("--data", str(FIXTURE), *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("where", ["before", "after"])
def test_cli_known_as_of_before_the_second_source(where: str) -> None:
    option = ["--known-as-of", "2024-12"]
    args = [*option, "people"] if where == "before" else ["people", *option]
    rows = _json(*args)
    assert [(r["tenure"], r["cause"], r["source"]) for r in rows] == [(SPELL, "left", ZH)]
    deals = _json("deals", "--known-as-of", "2024-12")
    assert [(d["deal"], d["status"], d["amount"]) for d in deals] == [(DEAL, "rumoured", "~$2B")]


def test_cli_known_as_of_after_the_second_source() -> None:
    deals = _json("deals", "--known-as-of", "2025-04")
    assert [(d["deal"], d["status"]) for d in deals] == [(DEAL, "agreed")]
    assert _json("deals", "--known-as-of", "2100") == _json("deals")
    assert _json("people", "--known-as-of", "2100") == _json("people")


def test_cli_known_as_of_before_any_source_knows_nothing_and_says_so() -> None:
    result = run_cli("--data", str(FIXTURE), "people", "--known-as-of", "2024-09")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no source in this knowledge base was certainly published by 2024-09-30" in result.stderr
    counts = {row["kind"]: row["count"] for row in _json("stats", "--known-as-of", "2024-09")}
    assert counts["people"] == counts["deals"] == counts["sources"] == 0


def test_cli_known_as_of_combines_with_as_of() -> None:
    # what we knew by 2024-12 about the world on 2024-11: he had left (by 2024-10, said the zh report)
    rows = _json("people", "--as-of", "2024-11", "--known-as-of", "2024-12")
    assert [(r["tenure"], r["state"], r["cause"]) for r in rows] == [(SPELL, "ended", "left")]
    # nothing known yet on 2024-09, whatever the date asked about
    assert _json("people", "--as-of", "2024-11", "--known-as-of", "2024-09") == []


def test_cli_bad_known_as_of_names_the_option() -> None:
    for args in (["--known-as-of", "2024-13", "people"], ["people", "--known-as-of", "soon"]):
        result = run_cli("--data", str(FIXTURE), *args)
        assert result.exit_code == 2
        assert result.stderr.startswith("aiorg: error: --known-as-of: ")
        assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("command", ["validate", "changes --since HEAD"])
def test_cli_known_as_of_is_refused_where_it_means_nothing(command: str) -> None:
    result = run_cli("--data", str(FIXTURE), *command.split(), "--known-as-of", "2024-12")
    command = command.split()[0]
    assert result.exit_code == 2
    assert result.stderr.startswith(f"aiorg: error: --known-as-of: not for '{command}'")


@pytest.mark.parametrize(
    "command", ["stats", "people", "firms", "deals", "timeline", "flows", "search Li", "path li-ming yunfan"]
)
def test_every_query_takes_known_as_of(command: str) -> None:
    result = run_cli("--data", str(FIXTURE), *command.split(), "--known-as-of", "2024-12", "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_cli_timeline_knows_only_the_rumour_before_the_statement() -> None:
    rows = _json("timeline", "--known-as-of", "2024-12")
    assert [r["kind"] for r in rows if r["record"] == DEAL] == ["deal:rumoured"]
    rows = _json("timeline", "--known-as-of", "2025-04")
    assert [r["kind"] for r in rows if r["record"] == DEAL] == ["deal:rumoured", "deal:agreed"]


# --- the bundled knowledge base (the seed article, published ~2025-06) -----------------------


@pytest.mark.parametrize("day", ["2025-03", "2025-06"])  # "about June 2025" is not certainly by 30 June
def test_bundled_seed_is_not_known_before_it_was_published(day: str) -> None:
    result = run_cli("people", "--left", "minimax", "--known-as-of", day, "--format", "json")
    # no departure: MiniMax itself was not known yet, and the one error line says so (exit 3, as for any unknown name)
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr.splitlines()[-1].startswith("aiorg: error: 'minimax' names MiniMax")
    assert result.stderr.splitlines()[-1].endswith(
        "but no source published by " + str(as_of_day(day)) + " (--known-as-of) reports it"
    )
    timeline = run_cli("timeline", "--known-as-of", day, "--format", "json")
    assert (timeline.exit_code, json.loads(timeline.stdout)) == (0, [])


def test_bundled_seed_is_known_after_it_was_published() -> None:
    later = run_cli("people", "--left", "minimax", "--known-as-of", "2025-07", "--format", "json")
    now = run_cli("people", "--left", "minimax", "--format", "json")
    assert later.exit_code == now.exit_code == 0
    assert json.loads(later.stdout) == json.loads(now.stdout) != []


# --- one source's word standing in for another's, and the cascade ---------------------------

A, B = "a-2024", "b-2025"


def _write(folder: Path, spec: dict[str, list[dict[str, Any]]]) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    write_spec(data, spec)
    return data


def _said(source: str, **fields: Any) -> dict[str, Any]:
    return {"source": source, "quote": f"words of {source}", **fields}


@pytest.fixture(scope="module")
def promoted_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A (2024-01) and B (2025-01) sources; U has no date. Records told first by B, also by A."""
    spec: dict[str, list[dict[str, Any]]] = {
        "sources": [
            {"id": A, "title": "A", "published": "2024-01", "kind": "article"},
            {"id": B, "title": "B", "published": "2025-01", "kind": "filing"},
            {"id": "u", "title": "undated"},
        ],
        "firms": [
            {"id": "acme", "name": "Acme", **_said(A)},
            {"id": "acme-lab", "name": "Acme Lab", "parent": "bolt", **_said(A)},
            {"id": "bolt", "name": "Bolt", **_said(B)},  # only B: unknown in 2024
        ],
        "people": [
            {"id": "ann", "name": "Ann", **_said(B, also=[_said(A)])},
            {"id": "bo", "name": "Bo", **_said(B)},  # only B
            {"id": "cy", "name": "Cy", **_said("u")},  # never known
        ],
        "products": [{"id": "w", "name": "W", "kind": "app", "maker": "bolt", **_said(A)}],
        "tenures": [
            {
                "id": "ann-acme", "person": "ann", "firm": "acme", "title": "CTO", "title_zh": "首席技术官",
                "end_cause": "left", "end": "2024-12", "reported_by": ["bolt"], "inferred": ["end"],
                **_said(B, also=[_said(A, end_cause="advisor", note="A says advisor")]),
            },
            {"id": "bo-acme", "person": "bo", "firm": "acme", **_said(A)},  # its person is unknown in 2024
            {"id": "ann-bolt", "person": "ann", "firm": "bolt", **_said(A)},  # its firm is unknown in 2024
            {"id": "ann-acme-0", "person": "ann", "firm": "acme", **_said(B)},  # only B
            {"id": "ann-acme-2", "person": "ann", "firm": "acme", "replaces": "ann-acme-0", **_said(A)},
        ],
        "deals": [
            {
                "id": "d1", "kind": "acquisition", "buyers": ["acme", "bolt"], "targets": ["bo"],
                "amount": "$2B",
                "history": [
                    {"status": "rumoured", "date": "2023-12", **_said(A)},
                    {"status": "agreed", "date": "2024-12", **_said(B)},
                ],
                **_said(B, also=[_said(A, amount="$1B")]),
            },
            {"id": "d2", "kind": "acquisition", "buyers": ["acme"],
             "history": [{"status": "agreed", **_said(B)}], **_said(A)},  # no known step
        ],
        "events": [
            {"id": "e1", "kind": "milestone", "subjects": ["bolt"], "text": "x", **_said(A)},
            {"id": "e2", "kind": "milestone", "subjects": ["bolt", "acme"], "text": "y", **_said(A)},
        ],
        "metrics": [
            {"id": "m1", "subject": "acme", "metric": "dau", "value": 5, **_said(B, also=[_said(A)])},
            {"id": "m2", "subject": "acme", "metric": "mau", "value": 9, **_said(B, also=[_said(A, value=8)])},
        ],
    }  # fmt: skip
    return load(_write(tmp_path_factory.mktemp("promoted"), spec))


def test_an_also_source_tells_the_fact_when_the_own_source_is_not_yet_known(promoted_kb: KnowledgeBase) -> None:
    view = known_as_of(promoted_kb, date(2024, 6, 30))
    spell = next(t for t in view.tenures if t.id == "ann-acme")
    assert (spell.source, spell.quote, spell.also) == (A, [f"words of {A}"], [])
    assert spell.end_cause is EndCause.ADVISOR  # A's value, not B's
    assert spell.end is None  # A does not state an end: unknown, not B's 2024-12
    assert spell.title is None and spell.title_zh is None  # nor a title
    assert (spell.person, spell.firm) == ("ann", "acme")  # what the fact is about is kept
    assert (spell.reported_by, spell.inferred, spell.note) == ([], [], "A says advisor")
    deal = next(d for d in view.deals if d.id == "d1")
    assert deal.amount == Money.parse("$1B")
    assert [step.status for step in deal.history] == [DealStatus.RUMOURED]
    assert deal.buyers == ["acme"] and deal.targets == []  # bolt and bo were not known yet


def test_required_values_no_known_source_states_make_the_record_vanish(promoted_kb: KnowledgeBase) -> None:
    view = known_as_of(promoted_kb, date(2024, 6, 30))
    assert [(m.id, m.value) for m in view.metrics] == [("m2", 8)]  # m1's value is only B's


def test_records_pointing_at_unknown_records_vanish_or_lose_the_link(promoted_kb: KnowledgeBase) -> None:
    view = known_as_of(promoted_kb, date(2024, 6, 30))
    assert [p.id for p in view.people] == ["ann"]
    assert [f.id for f in view.firms] == ["acme", "acme-lab"]
    assert next(f for f in view.firms if f.id == "acme-lab").parent is None
    assert view.products == []  # its maker bolt is unknown
    assert [t.id for t in view.tenures] == ["ann-acme", "ann-acme-2"]
    assert next(t for t in view.tenures if t.id == "ann-acme-2").replaces is None
    assert [d.id for d in view.deals] == ["d1"]  # d2 has no known step
    assert [(e.id, e.subjects) for e in view.events] == [("e2", ["acme"])]


def test_with_every_dated_source_known_only_the_undated_one_is_missing(promoted_kb: KnowledgeBase) -> None:
    view = known_as_of(promoted_kb, date(2030, 1, 1))
    assert undated(promoted_kb) == ["u"]
    assert [p.id for p in view.people] == ["ann", "bo"]
    for kind in ("firms", "products", "tenures", "deals", "events", "metrics"):
        assert view.records(kind) == promoted_kb.records(kind)


def test_cli_says_which_sources_are_never_known(tmp_path: Path, promoted_kb: KnowledgeBase) -> None:
    del promoted_kb
    data = _write(
        tmp_path, {"sources": [{"id": "u", "title": "undated"}, {"id": A, "title": "A", "published": "2024"}]}
    )
    result = run_cli("--data", str(data), "stats", "--known-as-of", "2026")
    assert result.exit_code == 0, result.stderr
    assert "note: --known-as-of: 1 source with no certain publication date never counts: u" in result.stderr
    assert "note" not in run_cli("--data", str(data), "stats").stderr
