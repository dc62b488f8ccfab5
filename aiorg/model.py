"""The data model, declared once.

Every record kind is a dataclass. The loader reads field types and metadata to
validate YAML; the graph builder reads `EDGES` to derive edges; the docs and the
exporters read the same declarations. Nothing here is repeated elsewhere.

Field metadata keys:
  doc     one line for docs/data-format.md and error hints
  ref     the record kinds a field's id(s) must point at (the store indexes every such field)
  index   the store indexes this field, for the query filters that use it

`COVERING` names indexes over several fields that answer a count from the index alone.
`DERIVED` names the properties the store keeps as columns too (a deal's status is the last
step of its history). `aiorg.fingerprint.fingerprint()` hashes all of it, so the compiled
cache and the store are rebuilt whenever the model changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from aiorg.dates import FuzzyDate
from aiorg.money import Money
from aiorg.taxonomy import STRATEGY_LABELS as STRATEGY_LABELS  # re-exported: part of the model's vocabulary
from aiorg.taxonomy import Strategy as Strategy
from aiorg.taxonomy import StrategyLabel as StrategyLabel
from aiorg.vocabulary import (
    DEPARTURE_CAUSES as DEPARTURE_CAUSES,
)
from aiorg.vocabulary import (
    FORMAL_DEPARTURE_CAUSES as FORMAL_DEPARTURE_CAUSES,
)
from aiorg.vocabulary import (
    Area as Area,
)
from aiorg.vocabulary import (
    Certainty as Certainty,
)
from aiorg.vocabulary import (
    DealKind as DealKind,
)
from aiorg.vocabulary import (
    DealStatus as DealStatus,
)
from aiorg.vocabulary import (
    EndCause as EndCause,
)
from aiorg.vocabulary import (
    EventKind as EventKind,
)
from aiorg.vocabulary import (
    FirmCategory as FirmCategory,
)
from aiorg.vocabulary import (
    ProductKind as ProductKind,
)
from aiorg.vocabulary import (
    RoleKind as RoleKind,
)
from aiorg.vocabulary import (
    SourceKind as SourceKind,
)
from aiorg.vocabulary import (
    SpellState as SpellState,
)


def _f(
    doc: str,
    default: Any = None,
    ref: tuple[str, ...] = (),
    factory: Any = None,
    percent: bool = False,
    index: bool = False,
) -> Any:
    metadata = {"doc": doc, "ref": ref, "percent": percent, "index": index}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _required(doc: str, ref: tuple[str, ...] = (), index: bool = False) -> Any:
    return field(metadata={"doc": doc, "ref": ref, "index": index})


@dataclass(frozen=True, slots=True)
class EdgeSpec:
    """How a record becomes graph edges: from `source` field(s) to `target` field(s)."""

    source: str  # field name on the record, or "self" for the record's own node
    target: str
    label: str  # the edge type, e.g. "held_role_at"
    doc: str


@dataclass(kw_only=True, slots=True)
class Attestation:
    """One more source for a fact, with its own verbatim quote. A field given here is what this
    source says where it differs from (or repeats) the record's own value: nothing is overwritten,
    every claim is kept with its source (see aiorg.claims for which value is shown first)."""

    source: str = _required("id of the source that states this", ref=("sources",))
    quote: list[str] = _required("verbatim text from that source")
    preferred: str | None = _f("why this source's values are shown first: an explicit choice, with its reason")
    note: str | None = _f("free-text remark")
    start: FuzzyDate | None = _f("a role spell's start, as this source gives it")
    end: FuzzyDate | None = _f("a role spell's end, as this source gives it")
    end_cause: EndCause | None = _f("why a role spell ended, as this source says")
    current: bool | None = _f("whether a role spell is ongoing, as this source says")
    title: str | None = _f("a title, as this source gives it")
    area: Area | None = _f("a role's area, as this source gives it")
    amount: Money | None = _f("a deal's amount, as this source gives it")
    valuation: Money | None = _f("a deal's valuation, as this source gives it")
    stake: float | None = _f("a deal's stake, as this source gives it", percent=True)
    date: FuzzyDate | None = _f("a date, as this source gives it")
    value: float | None = _f("a metric's value, as this source gives it")
    as_of: FuzzyDate | None = _f("when a metric held, as this source gives it")
    certainty: Certainty | None = _f("how firmly this source states it")


#: the fields a source may state differently from another (an Attestation's value fields)
DISPUTABLE: tuple[str, ...] = (
    "start", "end", "end_cause", "current", "title", "area", "amount", "valuation", "stake", "date", "value", "as_of",
    "certainty",
)  # fmt: skip


@dataclass(kw_only=True, slots=True)
class Sourced:
    """Provenance carried by every fact: a source id and verbatim quote(s), and any more sources."""

    source: str = _required("id of the source that states this fact", ref=("sources",))
    quote: list[str] = _required("verbatim text from the source; a list for several passages, '…' to skip words")
    reported_by: list[str] = _f("outlets the source credits (The Information, CNBC)", ref=("firms",), factory=list)
    note: str | None = _f("free-text remark, e.g. why a date is approximate")
    inferred: list[str] = _f(
        "fields whose values the source implies but does not say in words: each is an inference", factory=list
    )
    also: list[Attestation] = _f("more sources for this fact, each with its own quote and values", factory=list)


@dataclass(kw_only=True, slots=True)
class Source:
    """A document that facts cite; `file` is its text, relative to this YAML file."""

    KIND: ClassVar[str] = "sources"
    NODE: ClassVar[str] = "source"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = ()
    id: str = _required("stable id")
    title: str = _required("title or first line")
    publisher: str | None = _f("who published it")
    author: str | None = _f("who wrote it")
    published: FuzzyDate | None = _f("publication date")
    kind: SourceKind | None = _f("article, filing, official_statement, interview or social_post")
    url: str | None = _f("where it can be read")
    retrieved: FuzzyDate | None = _f("when it was read at `url`")
    language: str | None = _f("ISO 639-1 code, e.g. zh")
    file: str | None = _f("path of its full text, relative to the YAML file, for quote checks")
    sha256: str | None = _f("SHA-256 of `file`'s bytes, so a changed archive is noticed")
    note: str | None = _f("remarks, e.g. known noise in the text")


@dataclass(kw_only=True, slots=True)
class Group(Sourced):
    """A named set of firms, such as the 'six little dragons'."""

    KIND: ClassVar[str] = "groups"
    NODE: ClassVar[str] = "group"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = ()
    id: str = _required("stable id")
    name: str = _required("English name")
    name_zh: str | None = _f("Chinese name")
    aliases: list[str] = _f("other names", factory=list)
    certainty: Certainty = _f("how firmly the membership is stated", Certainty.CONFIRMED)


@dataclass(kw_only=True, slots=True)
class Person(Sourced):
    """A named person."""

    KIND: ClassVar[str] = "people"
    NODE: ClassVar[str] = "person"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = ()
    id: str = _required("stable id, e.g. wei-wei")
    name: str = _required("English or pinyin name")
    name_zh: str | None = _f("name in Chinese characters")
    aliases: list[str] = _f("other names and transliterations", factory=list)
    former_names: list[str] = _f("names no longer used", factory=list)


@dataclass(kw_only=True, slots=True)
class Firm(Sourced):
    """A company, lab, team or outlet."""

    KIND: ClassVar[str] = "firms"
    NODE: ClassVar[str] = "firm"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = (
        EdgeSpec("self", "parent", "part_of", "a unit or subsidiary belongs to its parent"),
        EdgeSpec("self", "groups", "member_of", "a firm belongs to a named group"),
    )
    id: str = _required("stable id, e.g. moonshot")
    name: str = _required("English name")
    name_zh: str | None = _f("Chinese name")
    aliases: list[str] = _f("trade names, short names", factory=list)
    former_names: list[str] = _f("earlier names (Facebook for Meta)", factory=list)
    country: str | None = _f("ISO 3166 code, e.g. CN, US")
    category: FirmCategory | None = _f("big_tech, startup, lab, unit or media")
    parent: str | None = _f("the firm this one is part of", ref=("firms",))
    groups: list[str] = _f("groups it belongs to", ref=("groups",), factory=list)


@dataclass(kw_only=True, slots=True)
class Product(Sourced):
    """A model, app or service that a firm makes."""

    KIND: ClassVar[str] = "products"
    NODE: ClassVar[str] = "product"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = (EdgeSpec("maker", "self", "makes", "a firm makes a product"),)
    id: str = _required("stable id")
    name: str = _required("English name")
    name_zh: str | None = _f("Chinese name")
    aliases: list[str] = _f("other names", factory=list)
    former_names: list[str] = _f("earlier names", factory=list)
    kind: ProductKind = _required("model, app or service")
    maker: str = _required("the firm that makes it", ref=("firms",))
    category: str | None = _f("what it does, e.g. role-play chat")


@dataclass(kw_only=True, slots=True)
class Tenure(Sourced):
    """One role spell of a person at a firm (one record per spell, Wikidata-style)."""

    KIND: ClassVar[str] = "tenures"
    NODE: ClassVar[str] = ""  # tenures are edges, not nodes
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = (
        EdgeSpec("person", "firm", "held_role_at", "a person holds or held a role at a firm"),
    )
    #: indexes the store keeps over several fields, so counts per firm read no table rows
    COVERING: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("firm", "person", "end_cause"),
        # every column a strategy signal tests (aiorg.strategy_signals), dates for a window included:
        # the signals scan it in firm order, and look up a firm's spells of a person by it
        (
            *("firm", "person", "after", "start_lo", "start_hi"),
            *("kind", "end_cause", "area", "replaces", "end_lo", "end_hi"),
        ),
    )
    id: str = _required("stable id")
    person: str = _required("who", ref=("people",))
    firm: str = _required("where", ref=("firms",))
    title: str | None = _f("title as stated, in English")
    title_zh: str | None = _f("title as stated, in Chinese")
    area: Area | None = _f("product, commercial, research, engineering or management")
    kind: RoleKind | None = _f("executive, employee, founder, advisor or board")
    start: FuzzyDate | None = _f("when the spell began", index=True)
    end: FuzzyDate | None = _f("when it ended", index=True)
    current: bool | None = _f("true if the source says the spell is ongoing; omit if unknown")
    end_cause: EndCause | None = _f("why it ended: left, founded, advisor, demoted, reported", index=True)
    certainty: Certainty = _f("how firmly the spell (or its end) is stated", Certainty.CONFIRMED)
    replaces: str | None = _f("the spell this one follows at the same firm", ref=("tenures",))
    after: str | None = _f("the person's spell at another firm that came just before this one", ref=("tenures",))

    @property
    def state(self) -> SpellState:
        """current / ended / unknown, derived from end_cause and current."""
        if self.end_cause is not None or self.end is not None or self.current is False:
            return SpellState.ENDED
        return SpellState.CURRENT if self.current else SpellState.UNKNOWN


@dataclass(kw_only=True, slots=True)
class StatusEntry(Sourced):
    """One dated step in a deal's history."""

    date: FuzzyDate | None = _f("when this status was reached or reported")
    status: DealStatus = _required("rumoured, in_talks, offered, asked, agreed, completed, rejected, abandoned")
    certainty: Certainty = _f("how firmly the source states it", Certainty.CONFIRMED)


@dataclass(kw_only=True, slots=True)
class Condition(Sourced):
    """A term attached to a deal, such as a retention clause."""

    text: str = _required("the condition in English")
    years: float | None = _f("a duration in years, where the condition has one")


@dataclass(kw_only=True, slots=True)
class Deal(Sourced):
    """An n-ary transaction, offer or ask; the status is the last history entry."""

    KIND: ClassVar[str] = "deals"
    NODE: ClassVar[str] = "deal"
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = (
        EdgeSpec("buyers", "self", "buyer_in", "acquirer, investor or offeror of a deal"),
        EdgeSpec("self", "targets", "target_of", "a deal targets a firm or person"),
        EdgeSpec("self", "people", "moves_person", "a deal brings a person to the buyer"),
        EdgeSpec("self", "superseded_by", "superseded_by", "a later deal replaces this one"),
    )
    #: properties the store keeps as indexed columns
    DERIVED: ClassVar[tuple[str, ...]] = ("status", "date", "figures_also_told")
    id: str = _required("stable id")
    kind: DealKind = _required("acquisition, stake, funding_round, acquihire, ...", index=True)
    title: str | None = _f("short English description")
    buyers: list[str] = _f("acquirers, investors or offerors", ref=("firms", "people"), factory=list)
    targets: list[str] = _f("firms or people being bought, funded or recruited", ref=("firms", "people"), factory=list)
    people: list[str] = _f("people the deal moves to the buyer", ref=("people",), factory=list)
    amount: Money | None = _f("money that changes hands (or is offered / asked)", index=True)
    valuation: Money | None = _f("valuation of the target the deal uses", index=True)
    stake: float | None = _f("percentage acquired, e.g. 49%", percent=True)
    history: list[StatusEntry] = _required("dated status steps, oldest first")
    conditions: list[Condition] = _f("terms such as retention clauses", factory=list)
    superseded_by: str | None = _f("a later deal that replaced this one", ref=("deals",))

    @property
    def status(self) -> DealStatus:
        """The current status: the last entry of the history."""
        return self.history[-1].status

    @property
    def date(self) -> FuzzyDate | None:
        """The date of the latest dated history entry."""
        for entry in reversed(self.history):
            if entry.date is not None:
                return entry.date
        return None

    @property
    def figures_also_told(self) -> bool:
        """Whether another source (an `also` item) gives its amount, valuation or stake, so that
        its figures have more than one version."""
        return any(value is not None for item in self.also for value in (item.amount, item.valuation, item.stake))


@dataclass(kw_only=True, slots=True)
class Event(Sourced):
    """A dated happening: a release, rename, shutdown, pivot or reorganisation."""

    KIND: ClassVar[str] = "events"
    NODE: ClassVar[str] = ""  # events are attached to their subjects
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = (
        EdgeSpec("subjects", "into", "became", "a product or team was merged into or renamed as another"),
    )
    id: str = _required("stable id")
    kind: EventKind = _required("released, renamed, scaled_back, shut_down, merged, pivot, ...", index=True)
    subjects: list[str] = _required("what the event is about", ref=("firms", "people", "products", "groups"))
    into: str | None = _f("the product or firm a merge or rename led to", ref=("firms", "products"))
    date: FuzzyDate | None = _f("when it happened", index=True)
    text: str = _required("what happened, in English")
    certainty: Certainty = _f("how firmly the source states it", Certainty.CONFIRMED)


@dataclass(kw_only=True, slots=True)
class Metric(Sourced):
    """A measured number about a firm or product at a date (DAU, MAU, headcount)."""

    KIND: ClassVar[str] = "metrics"
    NODE: ClassVar[str] = ""
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = ()
    id: str = _required("stable id")
    subject: str = _required("the firm or product measured", ref=("firms", "products"))
    metric: str = _required("what is measured: dau, mau, headcount, cost_ratio, ...")
    value: float = _required("the number; '3500万' and '1.6亿' are accepted")
    unit: str | None = _f("users, people, ratio, ...")
    bound: str = _f("exact, approx, up_to, at_least, estimate or planned", "exact")
    as_of: FuzzyDate | None = _f("when the number held")
    certainty: Certainty = _f("how firmly the source states it", Certainty.CONFIRMED)


@dataclass(kw_only=True, slots=True)
class Claim(Sourced):
    """A source's characterisation of a firm's or group's strategy."""

    KIND: ClassVar[str] = "claims"
    NODE: ClassVar[str] = ""
    EDGES: ClassVar[tuple[EdgeSpec, ...]] = ()
    id: str = _required("stable id")
    subjects: list[str] = _required("firms or groups the claim is about", ref=("firms", "groups"))
    strategy: Strategy = _required("a label from the strategy taxonomy")
    text: str = _required("the claim in English")
    date: FuzzyDate | None = _f("when it applies")
    certainty: Certainty = _f("how firmly the source states it", Certainty.CONFIRMED)


#: every top-level record kind, in load and documentation order
Record = Source | Group | Firm | Person | Product | Tenure | Deal | Event | Metric | Claim
#: records that are graph nodes and have names
NamedRecord = Group | Firm | Person | Product
RECORD_TYPES: tuple[type[Record], ...] = (Source, Group, Firm, Person, Product, Tenure, Deal, Event, Metric, Claim)
RECORD_KINDS: dict[str, type[Record]] = {cls.KIND: cls for cls in RECORD_TYPES}
#: kinds whose records are graph nodes, and so are findable by name
NAMED_KINDS: tuple[str, ...] = ("people", "firms", "groups", "products")
#: text fields that name or describe a record, kept in the store's full-text index
SEARCHED_FIELDS: tuple[str, ...] = ("id", "name", "name_zh", "aliases", "former_names", "title", "title_zh", "category")
