"""`deals` a page at a time: every deal the filters match is matched and sorted, and only the
rows shown are built (their names, citations and quote checks). With no filter but money (or
none), the deals only their own source gives figures for are ordered on the store's columns
(aiorg.queries.deal_keys), those other sources give figures for on their versions kept beside the
store (aiorg.queries.deal_versions), and only the ones shown are read."""

from __future__ import annotations

from typing import Any, NamedTuple, cast

from aiorg.errors import UsageError
from aiorg.kb import KnowledgeBase
from aiorg.model import Deal, DealKind, DealStatus
from aiorg.money import Money, format_amount
from aiorg.queries import deal_keys, deal_match, deal_tuple_rows, deal_tuples, deal_versions
from aiorg.queries.common import (
    ANY_TIME,
    Page,
    Row,
    Window,
    firm_family,
    first,
    in_list,
    source_lookup,
    with_checked,
)
from aiorg.queries.deal_match import Match
from aiorg.queries.deals import Basis, deal_row, narrowing, step_dates, usd_bound
from aiorg.queries.firm_reach import Reach, parties_reached


def deals_page(
    kb: KnowledgeBase,
    *,
    minimum: Money | None = None,
    maximum: Money | None = None,
    basis: Basis = Basis.ANY,
    party: str | None = None,
    kind: DealKind | None = None,
    status: DealStatus | None = None,
    window: Window = ANY_TIME,
    rates: dict[str, float] | None = None,
    limit: int | None = None,
) -> Page:
    """The first `limit` rows of `deals` (all of them when None) and how many match: the deals
    are matched and sorted first, and only the rows shown are built."""
    rates = rates or {}
    low = usd_bound(minimum, "--min", rates)
    high = usd_bound(maximum, "--max", rates)
    if low is not None and high is not None and low > high:
        raise UsageError(f"--min {format_amount(low)} is more than --max {format_amount(high)}, so nothing can match")
    window.refuse_empty()
    family = firm_family(kb, party) if party else None
    match = _Matcher(kb, basis, low, high, rates, family, kind, status, window)
    where, parameters = narrowing(family, kind, status, low, high, basis, rates)
    # With no filter but money, the deals are ordered on the store's columns and the kept versions
    # and only those shown are read (only for a page: with every row shown, nothing to spare).
    if limit is not None and family is None and kind is None and status is None and window.open:
        page = _page(kb, match, where, parameters, limit, columns=True)
        if page is not None:
            return page
    page = cast(Page, _page(kb, match, where, parameters, limit, columns=False))
    if party is None or family is None:
        return page
    # a deal there only through a unit below the party by an inferred parent link says so
    reach = Reach.listing(kb, party, family)
    return Page([parties_reached(row, reach) for row in page.rows], page.total)


class _Found(NamedTuple):
    """A deal a filter matched: its sort key, and what its row is built from (its tuple and what
    its sources tell, or the record decoded), with the figure matched and the version it is in."""

    key: deal_keys.Key
    data: tuple[Any, ...] | None
    tells: deal_tuples.Told | None
    deal: Deal | None
    shown: Deal | None
    best: Match | None
    version: deal_match.Figures | None


class _Matcher:
    """Every filter of `deals` on one deal read from the store (see `deals`)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        basis: Basis,
        low: float | None,
        high: float | None,
        rates: dict[str, float],
        family: set[str] | None,
        kind: DealKind | None,
        status: DealStatus | None,
        window: Window,
    ) -> None:
        self.kb, self.basis, self.low, self.high, self.rates = kb, basis, low, high, rates
        self.family, self.kind, self.status, self.window = family, kind, status, window
        self.filtering = low is not None or high is not None
        self.source_of = source_lookup(kb)
        self.ranks = deal_tuples.Ranks(self.source_of)

    def __call__(self, seq: int, data: tuple[Any, ...]) -> _Found | None:
        basis, low, high, rates, window = self.basis.value, self.low, self.high, self.rates, self.window
        # Most deals are read from their tuples (aiorg.queries.deal_tuples), the rest decoded.
        if deal_tuples.readable(data):
            kind, status = (self.kind.value if self.kind else None), (self.status.value if self.status else None)
            if not deal_tuple_rows.passes(data, self.family, kind, status, window):
                return None
            tells = deal_tuples.told(data, self.ranks)
            found = deal_match.matched_in(tells.versions, basis, low, high, rates)
            if found is None and self.filtering:
                return None
            best, version = found or (None, None)
            return _Found(_key(best, deal_tuples.deal_id(data)), data, tells, None, None, best, version)
        deal = cast(Deal, self.kb.decoded("deals", seq, data))
        if self.family is not None and not self.family & {*deal.buyers, *deal.targets, *deal.people}:
            return None
        if (self.kind is not None and deal.kind is not self.kind) or (
            self.status is not None and deal.status is not self.status
        ):
            return None
        if not window.open and not any(window.admits(day) for entry in deal.history for day in step_dates(entry)):
            return None
        # Every version its sources tell, the one shown first tried first (README, "When sources disagree").
        shown, told = deal_versions.figure_versions(deal, self.source_of)
        found = deal_match.matched_in(((v.amount, v.valuation, v.stake) for v in told), basis, low, high, rates)
        if found is None and self.filtering:
            return None
        best, version = found or (None, None)
        return _Found(_key(best, deal.id), None, None, deal, shown, best, version)


def _key(best: Match | None, deal_id: str) -> deal_keys.Key:
    return -(best.usd if best else -1.0), deal_id


def _page(
    kb: KnowledgeBase, match: _Matcher, where: str, parameters: tuple[Any, ...], limit: int | None, *, columns: bool
) -> Page | None:
    """The page, every matching deal sorted on (matched value, id) and only the rows shown built;
    with `columns`, the deals are keyed on the store's columns and the kept versions (where there
    is a cache), and None when a record shown does not match as they said."""
    keys: dict[int, deal_keys.Key] = {}
    total = 0  # how many match: those in `keys`, and those of the plain ones left out of it
    rest = ""  # the deals read here, matched and keyed from their records
    if columns:
        bounds = (match.basis.value, match.low, match.high, match.rates)
        keys, total = deal_keys.plain_keys(kb, where, parameters, *bounds, limit=limit)
        total -= len(keys)
        told = deal_versions.told_keys(kb, where, parameters, *bounds)
        if told is None:  # no cache to keep their versions in
            rest = f"seq IN ({deal_keys.TOLD_OTHERWISE})"
        else:
            keys.update(told)
    found: dict[int, _Found] = {}
    if not columns or rest:
        for seq, data in kb.select_tuples("deals", " AND ".join(f"({w})" for w in (where, rest) if w), parameters):
            if (matched := match(seq, data)) is not None:
                found[seq], keys[seq] = matched, matched.key
    total += len(keys)
    order = sorted(keys, key=keys.__getitem__)
    shown = order[: first(limit, len(order))]
    unread = [seq for seq in shown if seq not in found]
    for start in range(0, len(unread), 5000):
        chunk = unread[start : start + 5000]
        for seq, data in kb.select_tuples("deals", f"seq IN {in_list(chunk)}", tuple(chunk)):
            matched = match(seq, data)
            if matched is None or matched.key != keys[seq]:
                return None
            found[seq] = matched
    if any(seq not in found for seq in shown):
        return None
    names = kb.names_of(
        [
            party
            for item in (found[seq] for seq in shown)
            for party in (
                deal_tuple_rows.parties(item.data)
                if item.data is not None
                else (*cast(Deal, item.deal).buyers, *cast(Deal, item.deal).targets)
            )
        ]
    )
    rows: list[Row] = []
    for item in (found[seq] for seq in shown):
        if item.data is not None and item.tells is not None:
            cited = deal_match.money_cited(item.best, item.version, item.tells.shown)
            cited_row = deal_tuple_rows.citation(item.data, item.tells, cited, match.source_of)
            rows.append(deal_tuple_rows.row_of(item.data, item.tells, names, item.best, cited_row))
        else:
            deal, shown_deal = cast(Deal, item.deal), cast(Deal, item.shown)
            rows.append(deal_row(kb, deal, item.best, match.source_of, shown_deal, names, item.version))
    return Page(with_checked(kb, rows), total)
