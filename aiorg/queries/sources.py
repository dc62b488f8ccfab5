"""Sources as records of their own: every claim each source supports, and where its quotes are.

A *claim* is one source's word on one fact, with its own quote:
- a record's own `source` is one claim per record (it states the record: "record");
- each item of a record's `also` list is one more claim (it states the fields it gives a value
  for, or the record as a whole when it gives none);
- each step of a deal's `history` and each of its `conditions` is a fact of its own: its own
  `source` is one more claim, and so is each of its `also` items.

A quote's *locator* is the character offset in its source's archived text (the file as it is,
not normalised) where the quote begins; a quote whose source has no text, or whose text file is
not there, is *unchecked*: it is shown so and counted so, never taken as found.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiorg.checks import locate, sha256_of
from aiorg.claims import value_text
from aiorg.errors import NotFoundError
from aiorg.kb import KnowledgeBase
from aiorg.model import DISPUTABLE, RECORD_KINDS, Source, Tenure
from aiorg.queries.common import Row
from aiorg.queries.inferred import mark

#: a quote's check, as rows show it
FOUND, UNCHECKED, NOT_FOUND = "found", "unchecked", "not found"


@dataclass(frozen=True, slots=True)
class Cited:
    """One claim: a source's word on a record (or on one step or condition of a deal)."""

    part: str | None  # None for the record itself, else "history 2 (agreed)" or "condition 1"
    source: str
    fields: tuple[str, ...]  # ("record",), or what an `also` item gives: ("end_cause: advisor",)
    quote: tuple[str, ...]


def citations(record: Any) -> Iterator[Cited]:
    """Every claim a record carries, in file order: its own, its `also` items, then each deal
    step's and each condition's."""
    yield from _claims_of(record, None)
    for number, step in enumerate(getattr(record, "history", ()), 1):
        yield from _claims_of(step, f"history {number} ({step.status.value})")
    for number, condition in enumerate(getattr(record, "conditions", ()), 1):
        yield from _claims_of(condition, f"condition {number}")


def _claims_of(item: Any, part: str | None) -> Iterator[Cited]:
    yield Cited(part, item.source, ("record",), tuple(item.quote))
    for also in getattr(item, "also", ()):
        given = tuple(
            f"{name}: {value_text(getattr(also, name))}" for name in DISPUTABLE if getattr(also, name) is not None
        )
        yield Cited(part, also.source, given or ("record",), tuple(also.quote))


class SourceTexts:
    """The archived texts of sources, each read once, to find quotes in."""

    def __init__(self, paths: Mapping[str, Path]) -> None:
        self._paths = paths
        self._texts: dict[str, str | None] = {}

    def path(self, source: str) -> Path | None:
        """The source's text file, if it has one (it may not be there)."""
        return self._paths.get(source)

    def text(self, source: str) -> str | None:
        """The source's text, or None when it has no `file`, or the file is not there or unreadable."""
        if source not in self._texts:
            path = self._paths.get(source)
            try:
                self._texts[source] = path.read_text(encoding="utf-8") if path is not None else None
            except (OSError, UnicodeDecodeError):
                self._texts[source] = None
        return self._texts[source]

    def check(self, source: str, quote: str) -> tuple[int | None, str]:
        """(locator, 'found') or (None, 'unchecked') or (None, 'not found')."""
        text = self.text(source)
        if text is None:
            return None, UNCHECKED
        offset = locate(quote, text)
        return (offset, FOUND) if offset is not None else (None, NOT_FOUND)


def claim_rows(texts: SourceTexts, record: Any, cited: Cited) -> list[Row]:
    """A claim as rows, one per quoted passage, with each passage's locator."""
    rows = []
    for quote in cited.quote:
        locator, checked = texts.check(cited.source, quote)
        rows.append(
            {
                "record": record.id,
                "part": cited.part,
                "source": cited.source,
                "fields": list(cited.fields),
                "quote": quote,
                "locator": locator,
                "checked": checked,
            }
        )
    return rows


def every_record(kb: KnowledgeBase) -> Iterator[tuple[str, Any]]:
    """Every record that may cite a source (all but the sources themselves), with its kind, kind
    by kind, in file order."""
    for kind in RECORD_KINDS:
        if kind != "sources":
            for record in kb.stream(kind):
                yield kind, record


def claim_counts(kb: KnowledgeBase) -> dict[str, tuple[int, int]]:
    """(claims, quoted passages) of each source, as the walk `source_quotes` makes counts them: a
    claim counts once, its passages once each (one row each in `source ID`). Kept per file in the
    cache (aiorg.queries.source_counts): a warm command decodes no record."""
    from aiorg.queries.source_counts import claim_counts as kept_counts

    return kept_counts(kb)


def _text_state(path: Path | None) -> str:
    if path is None:
        return "none"
    return "archived" if path.exists() else "missing"


def _hash_state(source: Source, path: Path | None) -> str | None:
    if source.sha256 is None:
        return None
    if path is None or not path.exists():
        return "no text to check"
    try:
        actual = sha256_of(path)
    except OSError:
        return "unreadable"
    return "matches" if actual == source.sha256.strip().lower() else "differs"


def sources(kb: KnowledgeBase) -> list[Row]:
    """Every source, in file order, with its text's state, how many claims it supports and how
    many passages they quote (a claim quotes one or more: see SourceQuotes)."""
    counts = claim_counts(kb)
    rows = []
    for source in kb.sources:
        path = kb.source_texts.get(source.id)
        claims, passages = counts.get(source.id, (0, 0))
        rows.append(
            {
                "source": source.id,
                "title": source.title,
                "kind": source.kind.value if source.kind else None,
                "publisher": source.publisher,
                "author": source.author,
                "language": source.language,
                "published": source.published.text if source.published else None,
                "url": source.url,
                "retrieved": source.retrieved.text if source.retrieved else None,
                "text": _text_state(path),
                "quotes_checked": path is not None and path.exists(),
                "sha256": _hash_state(source, path),
                "claims": claims,
                "passages": passages,
            }
        )
    return rows


def resolve_source(kb: KnowledgeBase, name: str) -> str:
    """A source's id from its id or its exact title (case aside); NotFoundError otherwise."""
    if kb.kind_of(name) == "sources":
        return name
    folded = name.casefold()
    matches = [source.id for source in kb.sources if source.title.casefold() == folded]
    if len(matches) == 1:
        return matches[0]
    import difflib

    # Two sources with this title: name both ids. None: the closest ids.
    suggestions = matches or difflib.get_close_matches(name, [source.id for source in kb.sources], n=3, cutoff=0.6)
    raise NotFoundError(name, suggestions, "source")


@dataclass(frozen=True, slots=True)
class SourceQuotes:
    """What one source supports: `claims` claims, quoting the passages of `rows` (one row a
    passage; a claim quotes one passage or more, so there may be more rows than claims)."""

    claims: int
    rows: list[Row]
    total: int  # every passage the source gives: `rows` holds the first of them (all, without a limit)


def source_quotes(kb: KnowledgeBase, source_id: str, limit: int | None = None) -> SourceQuotes:
    """Every claim a source supports, in file order, one row per quoted passage, and how many
    claims and passages they are (the counts `sources` gives). With a `limit`, `rows` holds the
    first `limit` passages only: the walk stops once the page is full and the counts are kept per
    file (`claim_counts`), so a table of a source that every record cites reads its first records
    only."""
    claims, passages = claim_counts(kb).get(source_id, (0, 0))
    return SourceQuotes(claims, _quote_rows(kb, source_id, limit), passages)


def _quote_rows(kb: KnowledgeBase, source_id: str, limit: int | None) -> list[Row]:
    """The rows of a source's quoted passages in file order, the first `limit` (None: all)."""
    texts = SourceTexts(kb.source_texts)
    rows: list[Row] = []
    for kind, record in every_record(kb):
        if limit is not None and len(rows) >= limit:
            break
        for cited in citations(record):
            if cited.source != source_id:
                continue
            for row in claim_rows(texts, record, cited):
                rows.append(
                    {
                        "source": source_id,
                        "record_kind": kind,
                        "record": record.id,
                        "name": _label(kb, record),
                        **{key: row[key] for key in ("part", "fields", "quote", "locator", "checked")},
                    }
                )
    return rows if limit is None else rows[:limit]


def _label(kb: KnowledgeBase, record: Any) -> str:
    """What a reader calls a record: its name; a role spell's person, title and firm; a deal's
    title; an event's or claim's text; else its id. Each part the record marks inferred says so
    ('Alexandr Wang, at Meta (inferred)')."""
    if hasattr(record, "name"):
        return mark(kb.name_of(record.id), record, "name")
    if isinstance(record, Tenure):
        person, firm = mark(kb.name_of(record.person), record, "person"), mark(kb.name_of(record.firm), record, "firm")
        title = f"{mark(record.title, record, 'title')} at " if record.title else "at "
        return f"{person}, {title}{firm}"
    for attribute in ("title", "text"):
        value = getattr(record, attribute, None)
        if isinstance(value, str) and value:
            return mark(value, record, attribute)
    return str(record.id)


@dataclass(frozen=True, slots=True)
class QuoteTally:
    """What `validate` says about quotes: how many were found, and how many could not be checked."""

    found: int
    unchecked: int
    without_text: list[str]  # the sources whose quotes are unchecked, by id


def quote_tally(kb: KnowledgeBase) -> QuoteTally:
    """Count the quotes of a knowledge base that loaded with its quotes checked: a quote whose source
    has a text that is there was found in it (else the load failed); any other quote is unchecked."""
    checkable = {source: path.exists() for source, path in kb.source_texts.items()}
    found = unchecked = 0
    without_text: dict[str, None] = {}
    for _, record in every_record(kb):
        for cited in citations(record):
            if checkable.get(cited.source, False):
                found += len(cited.quote)
            else:
                unchecked += len(cited.quote)
                without_text[cited.source] = None
    return QuoteTally(found, unchecked, sorted(without_text))


def named_claims(kb: KnowledgeBase, record_ids: list[str]) -> list[Row]:
    """Every claim on these records (their own sources, `also` items, deal steps and conditions),
    one row per quoted passage with its locator: a profile's "Sources" section."""
    texts = SourceTexts(kb.source_texts)
    rows: list[Row] = []
    for record_id in dict.fromkeys(record_ids):
        record = kb.by_id[record_id]
        for cited in citations(record):
            rows.extend(claim_rows(texts, record, cited))
    return rows
