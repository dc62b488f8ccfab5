"""The questions a reader of the seed article asks, answered by the library functions."""

from __future__ import annotations

from datetime import date

import pytest

from aiorg import network, queries
from aiorg.kb import KnowledgeBase
from aiorg.model import DealStatus, EndCause
from aiorg.money import Money
from aiorg.names import NameIndex


def _who(rows: list[queries.Row], key: str = "person") -> list[object]:
    return [row[key] for row in rows]


@pytest.mark.parametrize(
    ("firm", "expected"),
    [
        ("zhipu", [("zhang-fan", "left")]),
        ("minimax", [("zhang-qianchuan", "advisor"), ("wei-wei", "left")]),
        ("moonshot", [("ming-chaoping", "founded")]),
        ("stepfun", [("zhang-xinhao", "advisor")]),
        ("baichuan", [("hong-tao", "left")]),
        ("01ai", []),
    ],
)
def test_who_left_each_of_the_six_and_how(bundled_kb: KnowledgeBase, firm: str, expected: list[object]) -> None:
    rows = queries.people(bundled_kb, left=firm)
    assert [(row["person"], row["cause"]) for row in rows] == expected


def test_formal_departures_exclude_advisor_moves(bundled_kb: KnowledgeBase) -> None:
    assert _who(queries.people(bundled_kb, left="minimax", formal=True)) == ["wei-wei"]
    assert _who(queries.people(bundled_kb, left="stepfun", formal=True)) == []


def test_demotion_is_not_a_departure(bundled_kb: KnowledgeBase) -> None:
    assert queries.people(bundled_kb, left="apple") == []
    assert _who(queries.people(bundled_kb, cause=EndCause.DEMOTED)) == ["john-giannandrea"]


def test_who_moved_to_an_advisor_role(bundled_kb: KnowledgeBase) -> None:
    rows = queries.people(bundled_kb, cause=EndCause.ADVISOR)
    assert _who(rows) == ["zhang-qianchuan", "zhang-xinhao"]
    assert all(row["cause_text"] == "moved to advisor role (has not formally left)" for row in rows)
    assert not any(row["formal_departure"] for row in rows)


def test_left_includes_units_of_a_firm(bundled_kb: KnowledgeBase) -> None:
    assert queries.firm_family(bundled_kb, "google") == {"google", "deepmind"}


def test_as_of_shows_the_world_on_a_date(bundled_kb: KnowledgeBase) -> None:
    # Neither spell has a start date and neither had ended by then: both undated, so by name.
    assert _who(queries.people(bundled_kb, at="minimax", as_of=date(2024, 6, 1))) == ["wei-wei", "zhang-qianchuan"]
    after = queries.people(bundled_kb, at="minimax", as_of=date(2025, 1, 1))
    # Wei Wei left between 2024-12 and 2025-06: on 2025-01-01 the dates cannot say, so he is
    # neither listed as current nor as gone, and the query says so.
    assert [(r["person"], r["title"]) for r in after] == [("zhang-qianchuan", "Product advisor")]
    assert queries.people_undecided(bundled_kb, at="minimax", as_of=date(2025, 1, 1)) == ["wei-wei-minimax-commercial"]


def test_since_until_filter_departures(bundled_kb: KnowledgeBase) -> None:
    window = queries.Window.parse("2024-12", None)
    assert _who(queries.people(bundled_kb, left="minimax", window=window)) == ["wei-wei"]
    window = queries.Window.parse(None, "2024-10")
    assert _who(queries.people(bundled_kb, left="minimax", window=window)) == ["zhang-qianchuan"]


def test_deals_worth_at_least_10_billion_and_on_what_basis(bundled_kb: KnowledgeBase) -> None:
    rows = queries.deals(bundled_kb, minimum=Money.parse("10e9"))
    assert [(r["deal"], r["matched_on"]) for r in rows] == [
        ("meta-ssi-acquisition", "valuation"),
        ("ssi-2025-04-round", "valuation"),
        ("wang-scale-ask", "amount"),
        ("meta-scale-stake", "amount"),
        ("apple-perplexity-acquisition", "valuation"),
        ("perplexity-2025-05-round", "valuation"),
    ]
    values = [r["value_usd"] for r in rows]
    assert values == sorted(values, reverse=True)


def test_deal_basis_and_implied_valuation(bundled_kb: KnowledgeBase) -> None:
    by_amount = queries.deals(bundled_kb, minimum=Money.parse("10e9"), basis=queries.Basis.AMOUNT)
    assert [r["deal"] for r in by_amount] == ["wang-scale-ask", "meta-scale-stake"]
    by_valuation = queries.deals(bundled_kb, minimum=Money.parse("25e9"), basis=queries.Basis.VALUATION)
    implied = next(r for r in by_valuation if r["deal"] == "meta-scale-stake")
    assert implied["matched_on"] == "implied valuation"
    assert implied["value_usd"] == pytest.approx(14.3e9 / 0.49)


def test_deal_filters(bundled_kb: KnowledgeBase) -> None:
    # Altman says only that none of OpenAI's best people has accepted "so far": not a rejection.
    assert {r["deal"] for r in queries.deals(bundled_kb, status=DealStatus.REJECTED)} == {"meta-ssi-acquisition"}
    assert [r["deal"] for r in queries.deals(bundled_kb, party="apple")] == [
        "apple-perplexity-acquisition",
        "apple-beats-acquisition",
    ]
    assert [(r["deal"], r["value"]) for r in queries.deals(bundled_kb, maximum=Money.parse("5e9"))] == [
        ("apple-beats-acquisition", "$3B"),
        ("meta-wang-offer", "several ($2B–$10B) (inferred)"),  # "several billion": by its low end; a reading
        ("ssi-2025-04-round", "$2B"),
        ("meta-openai-signing-bonuses", "up to $100M"),  # a ceiling reads as one
    ]


def test_who_connects_meta_and_ssi(bundled_kb: KnowledgeBase) -> None:
    rows = network.connections(bundled_kb, "meta", "ssi")
    assert network.describe_path(rows, 1) == (
        "Meta — buyer in → Meta tries to buy Safe Superintelligence; Ilya Sutskever refuses Zuckerberg's lure of"
        " high pay [rejected (inferred)]"
        " — targets → Safe Superintelligence"
    )
    person_rows = network.connections(bundled_kb, "daniel-gross", "ssi")
    assert person_rows[0]["relation"] == "CEO at" and person_rows[0]["source"] == "zimubang-2025-06"


def test_who_came_from_bytedance(bundled_kb: KnowledgeBase) -> None:
    rows = queries.flows(bundled_kb, origin="bytedance")
    # The article calls Ming a former ByteDance product manager; it never states a move to Moonshot.
    assert rows == []


def test_flows_include_deals_that_move_people(bundled_kb: KnowledgeBase) -> None:
    into_meta = {(r["origin"], tuple(r["people"])) for r in queries.flows(bundled_kb, destination="meta")}
    assert ("scale-ai", ("alexandr-wang",)) in into_meta
    assert ("ssi", ("daniel-gross",)) in into_meta


def test_timeline_is_ordered_and_keeps_precision(bundled_kb: KnowledgeBase) -> None:
    rows = queries.timeline(bundled_kb, firm="stepfun")
    assert [r["record"] for r in rows] == [
        "six-dragons-executive-departures",  # between 2024-07 and 2025-06 sorts by its start
        "maopaoya-scaled-back",
        "maopaoya-team-merged",
        "zhang-xinhao-stepfun-product",  # on the same date a role ends before the next one starts
        "yuewen-renamed",
        "zhang-xinhao-stepfun-advisor",
    ]
    assert [r["when"] for r in rows][:2] == ["2024-07 to 2025-06", "2024-12"]
    everything = queries.timeline(bundled_kb)
    assert everything[0]["record"] == "apple-beats-acquisition"


def test_timeline_for_a_person(bundled_kb: KnowledgeBase) -> None:
    rows = queries.timeline(bundled_kb, person="zhang-qianchuan")
    assert [(r["kind"], r["date"]) for r in rows] == [("role_end:advisor", "2024-09"), ("role_start", "2024-09")]


def test_search_in_both_scripts(bundled_kb: KnowledgeBase) -> None:
    names = NameIndex(bundled_kb)
    assert {r["id"] for r in queries.search(bundled_kb, names, "冒泡鸭")} >= {"maopaoya", "zhang-xinhao"}
    assert [r["id"] for r in queries.search(bundled_kb, names, "chief ai architect")] == ["koray-kavukcuoglu"]
    assert queries.search(bundled_kb, names, "zzz") == []


def test_profiles(bundled_kb: KnowledgeBase) -> None:
    person = queries.person_profile(bundled_kb, "alexandr-wang")
    assert [d["deal"] for d in person["deals"]] == ["meta-wang-offer", "wang-scale-ask", "meta-scale-stake"]
    firm = queries.firm_profile(bundled_kb, "stepfun")
    assert [p["product"] for p in firm["products"]] == ["maopaoya", "stepfun-ai"]
    assert [r["person"] for r in firm["people_left"]] == ["zhang-xinhao"]
    assert {c["strategy"] for c in firm["claims"]} == {"retrench"}
