"""An inference says it is one, in every listing: a value a record marks `inferred` (its source
implies it but does not say it in words) is written with " (inferred)" after it in the rows'
text keys (`when`, `cause_text`, `amount`, `valuation`, `value`); the machine keys stay bare.

On the bundled data and on small fictional knowledge bases (both deal paths: the store's tuples and
the decoded records); tests/test_inferred_marks_oracle.py compares every listing with the naive
oracle on random knowledge bases given `inferred` lists.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from aiorg import queries
from aiorg.kb import KnowledgeBase
from aiorg.money import Money
from aiorg.queries import Basis, deal_tuples
from tests.test_oracle import QUOTE, _load

_counter = iter(range(10**9))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("inferred")


def _kb(scratch: Path, spec: dict[str, list[dict[str, Any]]], cached: bool) -> KnowledgeBase:
    return _load(spec, scratch / str(next(_counter)), cached)


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_event_with_an_inferred_date_says_so(bundled_kb: KnowledgeBase) -> None:
    rows = {row["record"]: row for row in queries.timeline(bundled_kb, firm="01ai")}
    pivot = rows["01ai-gives-up-agi"]  # data/events.yaml: inferred: [date]
    assert (pivot["when"], pivot["date"]) == ("2024-07 to 2025-06 (inferred)", "2024-07..2025-06")
    # the same dates, stated by context but not marked inferred, stay plain
    assert rows["six-dragons-executive-departures"]["when"] == "2024-07 to 2025-06"


def test_bundled_deal_step_with_an_inferred_date_says_so(bundled_kb: KnowledgeBase) -> None:
    rows = {row["deal"]: row for row in queries.deals(bundled_kb)}
    stake = rows["meta-scale-stake"]  # its agreed step: inferred: [date]
    assert (stake["when"], stake["date"]) == ("2025-05-11 to 2025-06 (inferred)", "2025-05-11..2025-06")
    # the ask's dates are worked out from the order of events, as the agreement's are: marked too
    assert rows["wang-scale-ask"]["when"] == "2025-04-11 to 2025-06 (inferred)"
    assert rows["meta-wang-offer"]["when"] == "2025-04-11 to 2025-04-20"  # 4月中旬, stated: unmarked
    steps = [row for row in queries.timeline(bundled_kb, firm="scale-ai") if row["record"] == "meta-scale-stake"]
    assert [(row["kind"], row["when"]) for row in steps] == [
        ("deal:in_talks", "2025-04-11 to 2025-05 (inferred)"),
        ("deal:agreed", "2025-05-11 to 2025-06 (inferred)"),
    ]


def test_bundled_inferred_valuation_says_so_where_it_matched(bundled_kb: KnowledgeBase) -> None:
    rows = {row["deal"]: row for row in queries.deals(bundled_kb, minimum=Money.parse("10e9"))}
    ssi = rows["meta-ssi-acquisition"]  # inferred: [valuation]
    assert (ssi["valuation"], ssi["value"], ssi["valuation_usd"]) == (
        "est. $32B (inferred)",
        "est. $32B (inferred)",
        32e9,
    )
    assert (rows["ssi-2025-04-round"]["amount"], rows["ssi-2025-04-round"]["valuation"]) == (
        "$2B",
        "est. $32B (inferred)",
    )
    assert (rows["meta-scale-stake"]["amount"], rows["meta-scale-stake"]["value"]) == ("$14.3B", "$14.3B")


def test_bundled_spell_with_an_inferred_start_says_so(bundled_kb: KnowledgeBase) -> None:
    (row,) = [r for r in queries.people(bundled_kb) if r["tenure"] == "wang-meta-superintelligence-lead"]
    assert (row["when"], row["start"]) == ("c. 2025-06 (inferred)", "~2025-06")


# --- small fictional knowledge bases --------------------------------------------------------------


def _spec() -> dict[str, list[dict[str, Any]]]:
    """Fictional records: a spell whose end and cause are inferred, one whose inferred end another
    (weightier) source dates otherwise, a deal whose step date is inferred and one whose inferred
    amount another source disputes."""
    spec: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ("groups", "products", "events", "metrics", "claims")}
    spec["sources"] = [
        {"id": "s", "title": "A fictional article", "published": "2025-01", "kind": "article"},
        {"id": "s1", "title": "A fictional filing", "published": "2025-02", "kind": "filing"},
    ]
    spec["firms"] = [{"id": f, "name": f.title(), "source": "s", "quote": QUOTE} for f in ("acme", "bolt")]
    spec["people"] = [{"id": p, "name": p.title(), "source": "s", "quote": QUOTE} for p in ("ann", "bo")]
    spec["tenures"] = [
        {"id": "t-ann", "person": "ann", "firm": "acme", "start": "2023", "end": "2024-09", "end_cause": "left",
         "inferred": ["end", "end_cause"], "source": "s", "quote": QUOTE},
        {"id": "t-bo", "person": "bo", "firm": "acme", "start": "2023", "end": "2024-09", "end_cause": "left",
         "inferred": ["end"], "source": "s", "quote": QUOTE,
         "also": [{"source": "s1", "quote": "another", "end": "2024-10"}]},
    ]  # fmt: skip
    spec["deals"] = [
        {"id": "d-step", "kind": "stake", "buyers": ["bolt"], "targets": ["acme"], "amount": "2B", "source": "s",
         "quote": QUOTE, "history": [
             {"date": "2024-03", "status": "in_talks", "source": "s", "quote": QUOTE},
             {"date": "2024-04..2024-06", "status": "agreed", "inferred": ["date"], "source": "s", "quote": QUOTE},
         ]},
        {"id": "d-money", "kind": "stake", "buyers": ["acme"], "targets": ["bolt"], "amount": "3B",
         "inferred": ["amount"], "source": "s", "quote": QUOTE,
         "also": [{"source": "s1", "quote": "another", "amount": "4B"}],
         "history": [{"date": "2024-12", "status": "completed", "source": "s", "quote": QUOTE}]},
    ]  # fmt: skip
    return spec


@pytest.mark.parametrize("cached", [False, True])
def test_people_rows_mark_an_inferred_end_and_cause(scratch: Path, cached: bool) -> None:
    rows = {row["tenure"]: row for row in queries.people(_kb(scratch, _spec(), cached), left="acme")}
    ann = rows["t-ann"]
    assert (ann["when"], ann["cause_text"], ann["end"], ann["cause"]) == (
        "2024-09 (inferred)",
        "left (inferred)",
        "2024-09",
        "left",
    )
    # disputed: the filing's stated 2024-10 comes first, and only the article's inferred value is marked
    assert rows["t-bo"]["when"] == "2024-10 | 2024-09 (inferred) (disputed, 2 sources)"
    assert rows["t-bo"]["cause_text"] == "left"


@pytest.mark.parametrize("cached", [False, True])
def test_deal_rows_mark_an_inferred_step_date_and_amount(scratch: Path, cached: bool) -> None:
    kb = _kb(scratch, _spec(), cached)
    rows = {row["deal"]: row for row in queries.deals(kb, minimum=Money.parse("1e9"))}
    step = rows["d-step"]  # no other source: read from the store's tuples when cached
    assert (step["when"], step["date"], step["amount"]) == ("2024-04 to 2024-06 (inferred)", "2024-04..2024-06", "$2B")
    money = rows["d-money"]  # the filing's $4B is shown first; the article's inferred $3B is marked
    assert money["amount"] == "$4B | $3B (inferred) (disputed, 2 sources)"
    assert money["value"] == "$4B (disputed, 2 sources)"
    low = {row["deal"]: row["value"] for row in queries.deals(kb, maximum=Money.parse("3.5e9"), basis=Basis.AMOUNT)}
    assert low == {"d-step": "$2B", "d-money": "$3B (inferred) (disputed, 2 sources)"}
    timeline = [(row["record"], row["when"]) for row in queries.timeline(kb, firm="acme")]
    assert ("d-step", "2024-04 to 2024-06 (inferred)") in timeline
    assert ("t-ann", "2024-09 (inferred)") in timeline


def test_a_deal_with_an_inferred_figure_and_another_source_takes_the_decoded_path(scratch: Path) -> None:
    """The tuple path cannot mark one value of a dispute note, so such a deal is decoded; one whose
    other source repeats the inferred amount, and one with an inferred step date, are read from the
    tuples; either way the rows equal the decoded path's."""
    spec = _spec()
    spec["deals"].append(copy.deepcopy(spec["deals"][1]))
    spec["deals"][2]["id"] = "d-repeated"
    spec["deals"][2]["also"][0]["amount"] = "3B"  # repeats the amount
    kb = _kb(scratch, spec, True)
    readable = {deal_tuples.deal_id(row): deal_tuples.readable(row) for _, row in kb.select_tuples("deals")}
    assert readable == {"d-step": True, "d-money": False, "d-repeated": False}
    spec["deals"][2]["inferred"] = []
    kb_plain = _kb(scratch, spec, True)
    assert {deal_tuples.deal_id(row) for _, row in kb_plain.select_tuples("deals") if deal_tuples.readable(row)} == {
        "d-step",
        "d-repeated",
    }
    for base in (kb, kb_plain):
        for minimum in (None, Money.parse("1e9")):
            rows = queries.deals(base, minimum=minimum)
            with mock.patch.object(deal_tuples, "readable", lambda row: False):
                assert queries.deals(base, minimum=minimum) == rows
    shown = {row["deal"]: row["amount"] for row in queries.deals(kb)}
    assert shown["d-repeated"] == "$3B (inferred)"
    assert {row["deal"]: row["amount"] for row in queries.deals(kb_plain)}["d-repeated"] == "$3B"
