"""How a row comes to be in a firm's profile, and whether only through an inference.

A firm's profile lists what names the firm, a unit below it, a product one of them makes, or a
group the firm is in. Each of those links is stated or an inference: a unit is below the firm
through a parent its record (or one between them) marks inferred (aiorg.queries.inferred.
under_inferred), the firm is an inferred member of a group (membership_inferred), a product marks
its maker inferred. A row that comes through at least one stated link is the firm's as the
sources say; a row that comes only through inferred links names, in its `inferred`, what they
rest on: `parent`, `groups` (`via` for a strategy claim, whose Via group shows the group) and
`maker`. A table writes it after the row's text: 'Toe (parent inferred)'.

A listing filtered on a firm (`people --left`, `flows --to`, `deals --party`, `timeline --firm`)
takes in the firm's units (and for `timeline` their products) the same way, but never its groups:
`Reach.listing` gives its links, and its rows say the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from aiorg.kb import KnowledgeBase
from aiorg.model import Firm, Product
from aiorg.queries.common import Row
from aiorg.queries.inferred import infers, membership_inferred, resting_on, under_inferred

#: what a row here only through inferred links names, in the order a table writes them
THROUGH = ("parent", "groups", "via", "maker")


class Reach:
    """The links by which rows come into one firm's profile, each stated or inferred."""

    def __init__(
        self, kb: KnowledgeBase, firm: Firm, family: Iterable[str], products: Iterable[Product], groups: bool = True
    ) -> None:
        self._units = {unit: bool(under_inferred(kb, firm.id, unit)) for unit in family}
        self._groups = {group: membership_inferred(kb, firm, group) for group in firm.groups} if groups else {}
        self._products = {product.id: product for product in products}

    @classmethod
    def listing(
        cls, kb: KnowledgeBase, record_id: str, family: Iterable[str], products: Iterable[Product] = ()
    ) -> Reach | None:
        """The links by which a listing filtered on `record_id` takes in rows: its units (and the
        products given), not its groups; None for a person (whose rows name them directly)."""
        firm = kb.by_id.get(record_id)
        return cls(kb, firm, family, products, groups=False) if isinstance(firm, Firm) else None

    def through(self, ids: Iterable[str], groups: str = "groups") -> list[str]:
        """What a row naming `ids` rests on when every link among them is an inference ([] when
        one is stated); a group link is named `groups` (`via` for a strategy claim)."""
        found: dict[str, None] = {}
        for record_id in ids:
            link = self._link(record_id, groups)
            if link is None:
                continue  # not a link to this firm (another party, a person)
            if not link:
                return []
            found.update(dict.fromkeys(link))
        return [name for name in THROUGH if name in found]

    def _link(self, record_id: str, groups: str) -> list[str] | None:
        """What one link rests on: [] when stated; None when `record_id` is no link at all."""
        if record_id in self._units:
            return ["parent"] if self._units[record_id] else []
        if record_id in self._groups:
            return [groups] if self._groups[record_id] else []
        product = self._products.get(record_id)
        if product is None:
            return None
        maker = self._link(product.maker, groups) or []
        return [*maker, "maker"] if infers(product, "maker") else maker


def reached(row: Row, ids: Iterable[str], reaches: Iterable[Reach | None], cell: str) -> Row:
    """A listing's row naming `ids`, with what its place in the listing rests on when, for one of
    the filtered firms (`reaches`), every link among them is an inference: named in its
    `inferred` and written after `cell` ('DeepMind (parent inferred)')."""
    links: dict[str, None] = {}
    for reach in reaches:
        if reach is not None:
            links.update(dict.fromkeys(reach.through(ids)))
    if not links:
        return row
    found = [name for name in THROUGH if name in links]
    return row | {"inferred": list(dict.fromkeys([*row["inferred"], *found])), cell: row[cell] + resting_on(found)}


def parties_reached(row: Row, reach: Reach | None) -> Row:
    """A `deals` row in a listing on a firm (`reach`) only through units below it by an inferred
    parent link: its `inferred` names `parent`, and each such unit's name among its buyers and
    targets says so ('DeepMind (parent inferred)'), as a firm's profile draws it."""
    links = reach.through([*row["buyers"], *row["targets"], *row["people"]]) if reach is not None else []
    if not links or reach is None:
        return row
    note = resting_on(links)
    marked = {
        names: [name + note if reach.through([i]) else name for i, name in zip(row[ids], row[names], strict=True)]
        for ids, names in (("buyers", "buyer_names"), ("targets", "target_names"))
    }
    return row | marked | {"inferred": list(dict.fromkeys([*row["inferred"], *links]))}
