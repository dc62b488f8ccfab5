"""`strategy` and `path` show every mark the bundled data gives, where a person reads it.

A stated strategy claim that is not confirmed (an anonymous PhD student's view, `reported`;
Altman's account, `reported`; the four-strong reading, `inferred`) says so in the table, and a
firm's stated label that rests only on such claims says so too. A `path` deal's status that its
step marks inferred reads `[rejected (inferred)]`, a step's certainty other than confirmed is
named, and a hop on a planned or reported role says which.
"""

from __future__ import annotations

import csv
import io
import json

from aiorg import network
from aiorg.kb import KnowledgeBase
from tests.conftest import cli_json, cli_text, run_cli


def _wide(*args: str) -> str:
    """What `aiorg ARGS` prints on a terminal wide enough that no cell wraps."""
    return cli_text(*args, width=400)


def test_stated_claims_not_confirmed_are_marked_in_the_table() -> None:
    bytedance = _wide("strategy", "bytedance")
    assert "attracts top talent [reported]" in bytedance  # the PhD student's view
    assert "buy_talent, mission_retention [reported]" in bytedance  # the label rests on it alone
    assert "winning people with spending [" not in bytedance  # a confirmed claim is bare
    openai = _wide("strategy", "openai")
    assert "likelier to reach superintelligence [reported]" in openai  # Altman's account
    assert "mission_retention [reported]" not in openai  # a confirmed claim states it too
    stepfun = _wide("strategy", "stepfun")
    assert "model iteration (via four-strong) [inferred]" in stepfun
    assert "retrench [inferred]" not in stepfun  # the six-dragons claim is confirmed


def test_every_firm_marks_its_unconfirmed_claims_at_80_columns() -> None:
    rows = cli_json("strategy", "--limit", "0")
    unsure = [claim["certainty"] for row in rows for claim in row["stated"] if claim["certainty"] != "confirmed"]
    assert unsure.count("reported") >= 4 and unsure.count("inferred") == 4
    text = cli_text("strategy", "--limit", "0")  # 80 columns: cards, each Fact wrapped in place
    stated = [card for card in text.split("── ") if "Signal   stated" in card]
    marked = [card for card in stated if "[reported]" in card or "[inferred]" in card]
    assert len(marked) == len(unsure)


def test_strategy_json_and_csv_keep_the_certainty_and_no_marked_text() -> None:
    rows = cli_json("strategy", "openai")
    (claim,) = [c for c in rows[0]["stated"] if c["claim"] == "claim-openai-mission"]
    assert claim["certainty"] == "reported" and not claim["text"].endswith("]")
    result = run_cli("strategy", "openai", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    (row,) = list(csv.DictReader(io.StringIO(result.stdout)))
    stated = json.loads(row["stated"])
    assert {c["claim"]: c["certainty"] for c in stated}["claim-openai-mission"] == "reported"


def test_path_marks_an_inferred_status_and_a_reported_step(bundled_kb: KnowledgeBase) -> None:
    rows = network.connections(bundled_kb, "meta", "ssi")
    names = {row["to"]: row["to_name"] for row in rows} | {row["from"]: row["from_name"] for row in rows}
    assert names["meta-ssi-acquisition"].endswith(" high pay [rejected (inferred)]")
    assert names["meta-openai-signing-bonuses"].endswith(" up to $100M [offered, reported]")
    assert names["meta-gross-friedman-recruitment"].endswith(" Nat Friedman [in_talks]")  # latest step confirmed
    assert "high pay [rejected (inferred)]" in _wide("path", "meta", "ssi")
    assert "(inferred)]" in cli_text("path", "meta", "ssi")  # 80 columns: wrapped, not cut
    data = cli_json("path", "meta", "ssi")
    assert data == rows  # JSON carries the marked labels, as the table shows them


def test_path_marks_a_rumoured_deal_once(bundled_kb: KnowledgeBase) -> None:
    rows = network.connections(bundled_kb, "apple", "perplexity", max_hops=2)
    assert rows[0]["to_name"].endswith("[rumoured]")


def test_path_hop_on_a_planned_or_reported_role_says_so(bundled_kb: KnowledgeBase) -> None:
    rows = network.connections(bundled_kb, "alexandr-wang", "meta-superintelligence-team", max_hops=1)
    assert rows[0]["relation"] == "Head of the superintelligence team at [planned]"
    rows = network.connections(bundled_kb, "john-giannandrea", "apple", max_hops=1)
    assert rows[0]["relation"] == "former SVP of AI and Machine Learning Strategy at [reported]"
    rows = network.connections(bundled_kb, "daniel-gross", "ssi", max_hops=1)
    assert rows[0]["relation"] == "CEO at"  # a confirmed role is bare
