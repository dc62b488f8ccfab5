"""How many claims each source supports and how many passages they quote, file by file.

The counts are those of the walk over every claim (aiorg.queries.sources.citations): a claim
counts once, its quoted passages once each. The store keeps no row per claim or per passage (a
record's quotes and its `also` items are inside its codec tuple), so the walk decodes every
record: about 5 s at 100k people. A file's counts depend only on its name and text and on this
code, so they are kept in the cache beside the store, one entry per file version: a command reads
one entry per file, and an edit counts again only the edited file. Without a cache (a knowledge
base in memory) the walk runs each time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any, cast

from aiorg import codec
from aiorg.kb import KnowledgeBase
from aiorg.model import RECORD_KINDS
from aiorg.queries.kept import beside_store, code_salt, per_file
from aiorg.store.write import rank_range

#: the cache area the counts are kept in
AREA = "claim-counts"
#: the code the counts depend on: what a claim is (sources), how a file's records are numbered,
#: written and read, and the model they decode to
CODE = ("queries/sources", "queries/source_counts", "store/write", "store/read", "codec", "model", "kb")

#: one source's (claims, passages)
Counts = dict[str, tuple[int, int]]


def count(records: Iterable[Any]) -> Counts:
    """(claims, passages) of each source these records cite: the walk."""
    from aiorg.queries.sources import citations

    counts: Counts = {}
    for record in records:
        for cited in citations(record):
            claims, passages = counts.get(cited.source, (0, 0))
            counts[cited.source] = (claims + 1, passages + len(cited.quote))
    return counts


def claim_counts(kb: KnowledgeBase) -> Counts:
    """(claims, passages) of each source that any record cites: what `count` gives over every
    record, summed from each file's counts kept in the cache (counted and kept when absent)."""
    cache = beside_store(kb)
    if cache is None:
        from aiorg.queries.sources import every_record

        return count(record for _, record in every_record(kb))
    totals: Counts = {}
    for _, kept in per_file(kb, cache, AREA, code_salt(CODE), functools.partial(_file_counts, kb), _valid):
        for source, (claims, passages) in kept.items():
            before = totals.get(source, (0, 0))
            totals[source] = (before[0] + claims, before[1] + passages)
    return totals


def _file_counts(kb: KnowledgeBase, rank: int) -> Counts:
    """The counts of one file's records (those whose sequence numbers are the file's)."""
    low, high = rank_range(rank)

    def records() -> Iterator[Any]:
        for kind in RECORD_KINDS:
            if kind != "sources":
                decode = codec.decoder(cast(type, RECORD_KINDS[kind]))
                for _, row in kb.select_tuples(kind, "seq >= ? AND seq < ?", (low, high)):
                    yield decode(row)

    return count(records())


def _valid(kept: Any) -> Counts | None:
    """An entry as `put` stored it: {source: (claims, passages)}; None for anything else."""
    if not isinstance(kept, dict):
        return None
    for source, pair in kept.items():
        if not (isinstance(source, str) and isinstance(pair, tuple) and len(pair) == 2):
            return None
        if not all(type(number) is int and number >= 0 for number in pair):
            return None
    return cast(Counts, kept)
