"""Review s26: a candidate matching a record the same draft adds is counted "already there" and
dropped whenever its id is not numbered, even when it gives values that record lacks or contradicts:
a title, a start, an amount vanish while accept says it merged everything. Commit 98ed212 fixed
this only for numbered ids (`x-2`) and for deal steps. FICTIONAL data (test_review8d_kb)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from tests.test_accept_numbered_ids import NEW_FIRMS, SOURCE, _accept, _new_deal, _records

#: two spells of one person at one firm, as an editor leaves them after correcting the person of
#: the second (drafted under another spelling of the name): the second says what the first does not
TWO_SPELLS = f"""\
tenures:
- id: lin-feng-nanshan-left
  person: lin-feng
  firm: nanshan
  end: 2024-06
  end_cause: left
  source: {SOURCE}
  quote: 南山实验室
  review: accept
- id: lin-feng-nanshan-joined
  person: lin-feng
  firm: nanshan
  title: Chief scientist
  start: 2021-03
  source: {SOURCE}
  quote: 南山实验室
  review: accept
"""


def _nothing_dropped(stderr: str, code: int) -> bool:
    """Either refused (exit 1, located) or merged without dropping a candidate as already there."""
    return code == 1 or "0 already there" in stderr


def test_a_second_spell_with_values_the_first_lacks_is_not_dropped_as_already_there(tmp_path: Path) -> None:
    data, code, _, stderr, _ = _accept(tmp_path, NEW_FIRMS + TWO_SPELLS)
    if code == 0:
        written = [s for s in _records(data, "tenures").values() if s.get("firm") == "nanshan"]
        also = [a for s in written for a in cast(list[dict[str, object]], s.get("also", []))]
        titles = {s.get("title") for s in written} | {a.get("title") for a in also}
        starts = {str(s.get("start")) for s in written}
        assert "Chief scientist" in titles and "2021-03" in starts, (stderr, written)
    assert _nothing_dropped(stderr, code), stderr


def test_a_deal_told_twice_with_two_amounts_under_one_id_keeps_both_or_is_refused(tmp_path: Path) -> None:
    first = _new_deal("donghai-nanshan-stake", "2亿元", "南山实验室获得东海资本2亿元投资")
    second = _new_deal("donghai-nanshan-stake", "5亿元", "又获得东海资本5亿元投资")
    data, code, _, stderr, _ = _accept(tmp_path, NEW_FIRMS + "deals:\n" + first + second)
    if code == 0:
        deal = _records(data, "deals")["donghai-nanshan-stake"]
        assert "5亿元" in str(deal), (stderr, deal)
    assert _nothing_dropped(stderr, code), stderr
