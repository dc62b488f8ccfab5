"""Every version of the figures of the deals some other source gives a figure for, kept in the
cache beside the store, so that `deals_page` orders them without reading their records.

A deal with claims on its amount, valuation or stake has several versions of its figures (the one
shown first, then every other combination the sources give: aiorg.queries.deal_tuples.told). A
money filter matches the first version with a figure in range, so a deal's sort key follows from
its versions, whatever the filter. Finding the versions reads and ranks every such deal's claims
(at 100k people with two sources per fact, 12,500 deals: 0.5 s), so they are kept per file, as
aiorg.strategy_shown keeps restated rows: a file's versions depend only on its text, where it is
in the store (its records' sequence numbers), the sources' typed rows (the ranking's inputs) and
this code. An edit finds again only the versions of the deals whose stored tuples it changed.

`deals_page` reads every record it shows and checks that it matches as its versions said; like
the typed columns (README, "What rests on the typed columns"), the versions are trusted to say
which deals match and how many. An entry is keyed by every input named above, so it is found
again rather than read stale when any of them changes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
from collections.abc import Callable
from typing import Any, cast

from aiorg.cache import Cache
from aiorg.claims import SourceLookup
from aiorg.fingerprint import module_source
from aiorg.kb import KnowledgeBase
from aiorg.model import Deal
from aiorg.money import Money
from aiorg.queries import deal_match, deal_tuples
from aiorg.queries.common import shown_version, source_lookup, varies, versions
from aiorg.queries.deal_keys import TOLD_OTHERWISE, Key
from aiorg.queries.deal_match import FIGURES, Figures
from aiorg.queries.deals import same_figures
from aiorg.queries.kept import store_identity
from aiorg.store.write import rank_range

#: the cache area the versions are kept in
AREA = "versions"


def figure_versions(deal: Deal, source_of: SourceLookup) -> tuple[Deal, list[Deal]]:
    """A decoded deal's version shown first, and every version its sources tell, that one first
    (README, "When sources disagree")."""
    if not varies(deal, FIGURES):  # no other source gives a figure another value
        return deal, [deal]
    shown = shown_version(deal, FIGURES, source_of)
    return shown, [shown, *(v for v in versions(deal, FIGURES) if not same_figures(v, shown))]


def told_keys(
    kb: KnowledgeBase,
    where: str,
    parameters: tuple[Any, ...],
    basis: str,
    low: float | None,
    high: float | None,
    rates: dict[str, float],
) -> dict[int, Key] | None:
    """The sort key of every deal some other source gives a figure for that the money filter
    (`basis`, `low`, `high`, `rates`) matches, by its seq; with no bound, of every such deal. None
    when there is no cache to keep the versions in (the caller then reads those deals).

    `where` must be the money filter's narrowing alone (aiorg.queries.deals.narrowing with no
    party, kind, status or window, as `deals_page` calls it): with `rates` it narrows the deals
    in SQL; at the default rates each deal's span of dollar figures narrows them instead (no
    figure outside it can match), and `where` is not read."""
    path = kb.store_file()
    cache = Cache.beside(path) if path is not None else None
    if path is None or cache is None:
        return None
    seqs, ids, flats, spans, dollars = _Versions(kb, cache, store_identity(kb).decode()).every()
    if not seqs:
        return {}
    filtering = low is not None or high is not None
    keys: dict[int, Key] = {}
    if rates:  # the narrowing scans the deals table once (`seq IN (...)` would run it per claim)
        at = {seq: index for index, seq in enumerate(seqs)}
        rows = kb.query(f"SELECT seq FROM deals WHERE {where or '1'}", parameters)
        versions = flats()
        for index in (at[seq] for (seq,) in rows if seq in at):
            usd = deal_match.matched_usd(_versions(versions[index]), basis, low, high, rates)
            if usd is not None or not filtering:
                keys[seqs[index]] = (-(usd if usd is not None else -1.0), ids[index])
        return keys
    # at the default rates, each deal's smallest and largest figures narrow it (no figure outside
    # them can match), and its figures in dollars give the match
    if low is not None and high is not None:
        wanted = [index for index, span in enumerate(spans) if span is not None and span[1] >= low and span[0] <= high]
    elif low is not None:
        wanted = [index for index, span in enumerate(spans) if span is not None and span[1] >= low]
    elif high is not None:
        wanted = [index for index, span in enumerate(spans) if span is not None and span[0] <= high]
    else:
        wanted = list(range(len(seqs)))
    for index in wanted:
        usd = _first_dollars(dollars[index], basis, low, high)
        if usd is not None or not filtering:
            keys[seqs[index]] = (-(usd if usd is not None else -1.0), ids[index])
    return keys


def _first_dollars(dollars: tuple[float, ...], basis: str, low: float | None, high: float | None) -> float | None:
    """deal_match.matched_usd at the default rates, from a deal's figures in US dollars kept in
    the order it tries them (_LABELS index, dollars; every version's in turn)."""
    for at in range(0, len(dollars), 2):
        value = dollars[at + 1]
        if deal_match.admits_figure(dollars[at] == 0, value, basis, low, high):
            return value
    return None


#: the told deals of some files (columns load ten times faster than a tuple per deal): their
#: seqs, ids, each one's versions, flat (_WIDTH values per version: read only for --rate, so
#: kept marshalled, each file's as one blob, until asked for), the smallest and largest
#: of their figures in US dollars at the default rates (None: none is), and those figures in the
#: order a money filter tries them (deal_match.figures of each version in turn), flat: the
#: index of each one's label in _LABELS, then its dollars
Kept = tuple[
    list[int],
    list[str],
    Callable[[], list[tuple[Any, ...]]],
    list[tuple[float, float] | None],
    list[tuple[float, ...]],
]
_LABELS = ("amount", "valuation", "implied valuation")
_WIDTH = 9  # amount (value, currency, bound, high), valuation (the same), stake
#: a file's entry in the cache: the content key of the file it was found for, Kept (the
#: versions as one marshalled blob), and the
#: digest of each deal's stored tuple (_DIGEST bytes each, joined), by which an edit of the file
#: finds again only the deals whose tuples changed
Entry = tuple[str, list[int], list[str], bytes, list[tuple[float, float] | None], list[tuple[float, ...]], bytes]
_DIGEST = 16


class _Versions:
    """The versions of the told deals, file by file from the cache, or found and kept there."""

    def __init__(self, kb: KnowledgeBase, cache: Cache, store: str) -> None:
        self.kb, self.cache, self.store = kb, cache, store
        # what ranking claims reads of the sources (aiorg.claims.ranked): which ids are sources,
        # their kinds and their dates (a new title or URL keeps the entries)
        sources = repr(kb.query("SELECT id, kind, published_lo, published_hi FROM sources ORDER BY id")).encode()
        self.salt = Cache.digest(_code_salt(), sources).encode()
        self.files = {int(rank): str(key) for rank, key in kb.query("SELECT rank, content_key FROM files")}

    def every(self) -> Kept:
        """The versions of every deal some other source gives a figure for, in seq order."""
        seqs: list[int] = []
        ids: list[str] = []
        blobs: list[bytes] = []
        spans: list[tuple[float, float] | None] = []
        dollars: list[tuple[float, ...]] = []
        for rank in sorted(self.files):
            key = Cache.digest(self.salt, f"{self.store}\0{rank}".encode())  # one entry per file of the store
            kept = self.cache.get(AREA, key)
            entry = cast(Entry, kept) if isinstance(kept, tuple) and len(kept) == 7 else None
            if entry is None or entry[0] != self.files[rank]:
                entry = self._find(rank, entry)
                self.cache.put(AREA, key, entry)
            seqs.extend(entry[1])
            ids.extend(entry[2])
            blobs.append(entry[3])
            spans.extend(entry[4])
            dollars.extend(entry[5])

        def flats() -> list[tuple[Any, ...]]:
            return [flat for blob in blobs for flat in marshal.loads(blob)]

        return seqs, ids, flats, spans, dollars

    def _find(self, rank: int, earlier: Entry | None) -> Entry:
        """The entry of one file's told deals; those whose tuples an earlier entry of the file
        holds are taken from it."""
        low, high = rank_range(rank)
        sql = TOLD_OTHERWISE + " AND seq >= ? AND seq < ?"
        told_seqs = json.dumps(sorted({seq for (seq,) in self.kb.query(sql, (low, high))}))
        rows = self.kb.query(
            "SELECT seq, data FROM records WHERE kind = 'deals'"
            " AND seq IN (SELECT value FROM json_each(?)) ORDER BY seq",
            (told_seqs,),
        )
        digests = [hashlib.blake2b(data, digest_size=_DIGEST).digest() for _, data in rows]
        before: dict[bytes, int] = {}
        if earlier is not None:
            joined = earlier[6]
            before = {joined[at : at + _DIGEST]: at // _DIGEST for at in range(0, len(joined), _DIGEST)}
        fresh = [seq for (seq, _), digest in zip(rows, digests, strict=True) if digest not in before]
        read = self._read(fresh) if fresh else {}
        flats: list[tuple[Any, ...]] = []
        earlier_flats = marshal.loads(earlier[3]) if earlier is not None and len(fresh) < len(rows) else []
        entry: Entry = (self.files[rank], [], [], b"", [], [], b"".join(digests))
        for (seq, _), digest in zip(rows, digests, strict=True):
            if seq in read:
                record_id, flat, span, dollars = read[seq]
            else:  # an earlier entry holds this tuple (so there is one)
                index, kept = before[digest], cast(Entry, earlier)
                record_id, flat, span, dollars = kept[2][index], earlier_flats[index], kept[4][index], kept[5][index]
            entry[1].append(seq)
            entry[2].append(record_id)
            flats.append(flat)
            entry[4].append(span)
            entry[5].append(dollars)
        return (*entry[:3], marshal.dumps(flats), *entry[4:])

    def _read(
        self, seqs: list[int]
    ) -> dict[int, tuple[str, tuple[Any, ...], tuple[float, float] | None, tuple[float, ...]]]:
        """Each deal's id, versions (flat), span of dollar figures and those figures (see Kept),
        read from its record."""
        ranks = deal_tuples.Ranks(source_lookup(self.kb))
        found = {}
        for seq, data in self.kb.select_tuples("deals", "seq IN (SELECT value FROM json_each(?))", (json.dumps(seqs),)):
            if deal_tuples.readable(data):
                record_id, figures = deal_tuples.deal_id(data), deal_tuples.told(data, ranks).versions
            else:
                deal = cast(Deal, self.kb.decoded("deals", seq, data))
                record_id = deal.id
                figures = [(v.amount, v.valuation, v.stake) for v in figure_versions(deal, ranks.source_of)[1]]
            flat = tuple(value for a, v, s in figures for value in (*_money_fields(a), *_money_fields(v), s))
            tried = [
                (_LABELS.index(label), usd) for version in figures for label, usd in deal_match.figures(*version, {})
            ]
            dollars = [usd for _, usd in tried]
            span = (min(dollars), max(dollars)) if dollars else None
            found[seq] = (record_id, flat, span, tuple(value for pair in tried for value in pair))
        return found


_NO_MONEY = (None, None, None, None)


def _money_fields(money: Money | None) -> tuple[Any, ...]:
    return _NO_MONEY if money is None else (money.value, money.currency, money.bound.value, money.high)


def _versions(flat: tuple[Any, ...]) -> list[Figures]:
    """A deal's versions from their flat values."""
    return [
        (_money(flat[at : at + 4]), _money(flat[at + 4 : at + 8]), flat[at + 8]) for at in range(0, len(flat), _WIDTH)
    ]


def _money(plain: tuple[Any, ...]) -> Money | None:
    return deal_tuples.money_of(plain) if plain[0] is not None else None


#: the code that tells the versions, picks the deals they are kept for, numbers records and writes
#: a deal's tuple (a test checks that every module whose code runs while they are found is here)
CODE = ("claims", "queries/common", "queries/deal_tuples", "queries/deal_match", "queries/deal_versions",
        "queries/deal_keys", "queries/deals", "queries/inferred", "store/write", "store/read", "codec", "model",
        "money", "dates", "kb")  # fmt: skip


@functools.cache
def _code_salt() -> bytes:
    """What the versions also depend on: the code that decides them (CODE)."""
    return b"\0".join(module_source(name) for name in CODE)
