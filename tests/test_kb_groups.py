"""A knowledge base's groupings of records by a field (aiorg.kb_groups: kb.tenures_by_firm,
kb.deals_by_party, ...): each key's group holds the records whose field names it, in file order,
each once; a group asked for again is served from memory, and a watch (kb.watching) must see that
as a read of every record, or a value kept beside the store would not be made again when a file
changes."""

from __future__ import annotations

from pathlib import Path

from aiorg.loader import load


def test_each_group_holds_the_records_naming_its_key_in_file_order() -> None:
    kb = load(Path("data"), cache=None)
    try:
        by_firm: dict[str, list[str]] = {}
        for tenure in kb.tenures:
            by_firm.setdefault(tenure.firm, []).append(tenure.id)
        assert sorted(kb.tenures_by_firm) == sorted(by_firm)
        assert len(kb.tenures_by_firm) == len(by_firm)
        assert {firm: [t.id for t in group] for firm, group in kb.tenures_by_firm.items()} == by_firm
        # a grouping by several fields: a deal naming a party as buyer and as mover is in its group once
        by_party: dict[str, list[str]] = {}
        for deal in kb.deals:
            for party in dict.fromkeys([*deal.buyers, *deal.targets, *deal.people]):
                by_party.setdefault(party, []).append(deal.id)
        assert {party: [d.id for d in group] for party, group in kb.deals_by_party.items()} == by_party
        assert "no-such-firm" not in kb.tenures_by_firm
        assert kb.tenures_by_firm.get("no-such-firm") is None
    finally:
        kb.close()


def test_a_group_asked_for_again_is_seen_as_a_read_of_every_record() -> None:
    kb = load(Path("data"), cache=None)
    try:
        firm = next(iter(kb.tenures_by_firm))
        kb.tenures_by_firm[firm]  # decoded now
        with kb.watching() as seen:
            again = kb.tenures_by_firm[firm]
        assert again
        assert ("records", "main") in seen
    finally:
        kb.close()
