"""The keys of every kind of row the queries return, in order: the JSON objects' keys and the CSV
header, stable from this version on. An empty CSV still prints its header from here.

tests/test_row_shapes.py checks every command's real rows against these on the bundled data, so
a row builder and its shape cannot drift apart.
"""

from __future__ import annotations

SPELL = (
    "person", "name", "name_zh", "firm", "firm_name", "title", "title_zh", "area", "kind", "state", "cause",
    "cause_text", "formal_departure", "start", "end", "when", "certainty", "disputed", "inferred", "tenure", "source",
    "sources", "quote", "checked",
)  # fmt: skip
#: `disputed`: the fields whose sources disagree (a step's as `history.date`); `inferred`: the fields whose values
#: the row shows are inferences, named the same way (aiorg.queries.inferred)
DEAL = (
    "deal", "title", "kind", "status", "status_text", "buyers", "buyer_names", "targets", "target_names", "people",
    "amount_usd", "amount", "currency", "valuation_usd", "valuation", "implied_valuation_usd", "stake_percent",
    "date", "when", "conditions", "superseded_by", "matched_on", "value_usd", "value", "certainty", "disputed",
    "inferred", "source", "sources", "quote", "checked",
)  # fmt: skip
#: `conflicts`: one row per claim of a disputed field; claim 1 (`shown`) is the value shown first; `checked`:
#: whether the quote is in its source's archived text (found, not found, unchecked)
CONFLICT = (
    "kind", "record", "name", "field", "claim", "shown", "value", "source", "source_kind", "published", "preferred",
    "quote", "sources", "checked",
)  # fmt: skip
#: `when` and `text` list every claimed value where sources disagree; `disputed`: the disputed fields the row
#: states (`history.date` for a deal step); `inferred`: the fields of its record the row shows or rests on that
#: are inferences; `sources`: every source of the fact (of the step, for a deal step)
TIMELINE = (
    "date", "when", "kind", "subjects", "text", "certainty", "disputed", "inferred", "record", "source", "sources",
    "quote", "checked",
)  # fmt: skip
#: `inferred`: the fields of the record (or of the spell whose title it matched) the row shows that are inferences
SEARCH = ("kind", "id", "name", "field", "matched", "inferred")
PATH = ("path", "hops", "step", "from", "from_name", "relation", "to", "to_name", "via", "source")
#: `inferred`: what one of the row's moves rests on that is an inference (aiorg.queries.inferred.FLOW_FIELDS);
#: `origin` is null and `origin_name` 'not stated' in a row of moves no firm they leave is stated for
FLOW = (
    "origin", "origin_name", "destination", "destination_name", "count", "people", "names", "status", "inferred",
    "evidence",
)  # fmt: skip
#: `departures` is the sum of the four counts after it, by what each departure was (aiorg.queries.firm_counts);
#: `inferred` also names a count that counts something only through a unit below the firm by an inferred parent
FIRM = (
    "firm", "name", "name_zh", "aliases", "country", "category", "groups", "parent", "people", "departures",
    "formal_departures", "advisor_moves", "reported_departures", "disputed_departures", "deals", "inferred",
)  # fmt: skip
STAT = ("kind", "count")
#: a profile's "Sources": every claim on its records, one row per quoted passage (aiorg.queries.sources)
QUOTE = ("record", "part", "source", "fields", "quote", "locator", "checked")
#: a profile's rows: `inferred` names the fields of the record they show that are inferences and, in a firm's
#: profile, what a row there only through inferred links rests on (aiorg.queries.firm_reach)
PRODUCT = ("product", "name", "kind", "category", "former_names", "inferred")
METRIC = ("metric", "subject", "value", "unit", "bound", "as_of", "certainty", "inferred", "source", "quote", "checked")
CLAIM = ("claim", "strategy", "text", "via", "certainty", "inferred", "source", "quote", "checked")
EVENT = ("event", "kind", "date", "when", "text", "certainty", "inferred", "source", "quote", "checked")
STRATEGY = (
    "firm",
    "name",
    "name_zh",
    "derived",
    "stated",
    "agreement",
    "only_derived",
    "only_stated",
    "signals",
    "evidence",
)
#: `checked`: whether the quote is in its source's archived text (found, not found, unchecked), as a profile says
EVIDENCE = ("firm", "signal", "record", "date", "text", "source", "quote", "checked")
LABEL = ("label", "name", "name_zh", "definition")
SOURCE = (
    "source", "title", "kind", "publisher", "author", "language", "published", "url", "retrieved", "text",
    "quotes_checked", "sha256", "claims", "passages",
)  # fmt: skip
SOURCE_CLAIM = ("source", "record_kind", "record", "name", "part", "fields", "quote", "locator", "checked")


def matrix() -> tuple[str, ...]:
    """`strategy --matrix`: one column per signal the strategy module defines."""
    from aiorg.strategy import MATRIX_SIGNALS

    return ("firm", "name", "name_zh", *MATRIX_SIGNALS, "derived", "stated", "stated_text", "agreement")
