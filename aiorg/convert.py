"""Convert the composed YAML nodes of one file into records, running the checks that need only
one record, and collecting every problem with its place."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from aiorg.claims import value_text
from aiorg.errors import Problem
from aiorg.fields import INVALID, MISS, Reference, fast_plan, record_plan, required_fields
from aiorg.kb import Location
from aiorg.model import DISPUTABLE, RECORD_KINDS, Attestation, Deal, Record, Source, Tenure
from aiorg.names import did_you_mean
from aiorg.yamlsource import implicit_of_text, implicit_type, position

#: (source id, quote, line, column)
QuoteCheck = tuple[str, str, int, int]


@dataclass(slots=True)
class FileResult:
    """What one file contributes: records, references to check, quotes to check."""

    records: list[tuple[str, Record, Location]]
    references: list[Reference]
    quotes: list[QuoteCheck]
    problems: list[Problem]
    broken_ids: set[str]


#: runs of mapping keys (in order) already known to be distinct and read as text, not as bool or
#: int, however they are quoted: a record's keys are checked once per shape, not once per record
_TEXT_KEY_RUNS: set[tuple[str, ...]] = set()
_TEXT_KEY_RUNS_KEPT = 4096


class FileConverter:
    """Converts the composed nodes of one file into records, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.line_offset = 0  # lines before the chunk being converted (see yamlsource.chunk_texts)
        self.problems: list[Problem] = []
        self.references: list[Reference] = []
        self.quotes: list[QuoteCheck] = []
        self.broken_ids: set[str] = set()
        self.fast = True  # try fast_record first (False: the general path alone, to compare them)

    def result(self, records: list[tuple[str, Record, Location]]) -> FileResult:
        """The file's records with everything this converter collected about them."""
        return FileResult(records, self.references, self.quotes, self.problems, self.broken_ids)

    def where(self, node: yaml.Node) -> tuple[int, int]:
        """A node's line and column in the whole file."""
        line, column = position(node)
        return line + self.line_offset, column

    def problem(self, node: yaml.Node, message: str) -> None:
        line, column = self.where(node)
        self.problems.append(Problem(self.path, line, column, message))

    def keys(self, node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        """A mapping's items, reporting non-string and duplicate keys (both are left out)."""
        pairs = node.value
        # The common case: a run of keys seen before, all distinct text. Only a scalar's value is a
        # string; a list or mapping key's is a list, which cannot be hashed (TypeError).
        try:
            if tuple([key.value for key, _ in pairs]) in _TEXT_KEY_RUNS:
                return pairs  # type: ignore[no-any-return]
        except TypeError:
            return list(self._checked_keys(pairs))
        names = [key.value for key, _ in pairs]
        if len(set(names)) == len(names) and all(implicit_of_text(name) is None for name in names):
            if len(_TEXT_KEY_RUNS) < _TEXT_KEY_RUNS_KEPT:
                _TEXT_KEY_RUNS.add(tuple(names))
            return pairs  # type: ignore[no-any-return]
        return list(self._checked_keys(pairs))

    def _checked_keys(self, pairs: list[tuple[yaml.Node, yaml.Node]]) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
        seen: dict[str, yaml.Node] = {}
        for key, value in pairs:
            if not isinstance(key, yaml.ScalarNode):
                self.problem(key, "a mapping key must be a string, not a list or mapping")
                continue
            implicit = implicit_type(key)
            if implicit is not None:
                self.problem(key, f"key {key.value!r} would be read as {implicit}; quote it")
                continue
            first = seen.get(key.value)
            if first is not None:
                self.problem(
                    key, f"duplicate key {key.value!r} (first at line {self.where(first)[0]}); one value would be lost"
                )
                continue
            seen[key.value] = key
            yield key, value

    def convert_file(self, root: yaml.Node | None) -> list[tuple[str, Record, Location]]:
        if root is None:
            self.problems.append(
                Problem(self.path, None, None, "file is empty; expected a mapping such as 'people: [...]'")
            )
            return []
        if not isinstance(root, yaml.MappingNode):
            kinds = ", ".join(RECORD_KINDS)
            self.problem(root, f"the top level must be a mapping of record kinds ({kinds}), not {_describe(root)}")
            return []
        out: list[tuple[str, Record, Location]] = []
        for key, value in self.keys(root):
            cls = RECORD_KINDS.get(key.value)
            if cls is None:
                self.problem(key, f"unknown record kind {key.value!r}{did_you_mean(key.value, RECORD_KINDS)}")
                self.check_subtree(value)
                continue
            if not isinstance(value, yaml.SequenceNode):
                self.problem(value, f"'{key.value}' must be a list of records, not {_describe(value)}")
                self.check_subtree(value)
                continue
            for item in value.value:
                references, quotes = len(self.references), len(self.quotes)
                record = self.fast_record(cls, item) if self.fast else MISS
                if record is MISS:  # the general path does it again, and says what is wrong
                    del self.references[references:], self.quotes[quotes:]
                    record = self.convert_record(cls, item)
                if record is not None:
                    line, column = self.where(item)
                    out.append((key.value, record, Location(self.path, line, column)))
        return out

    def fast_record(self, cls: type, node: yaml.Node) -> Any:
        """What convert_record makes of a record with nothing wrong in it, adding its references
        and quotes; MISS on anything else (the caller then takes back what it added and converts
        the record again by the general path). Nearly every record of a large file takes this
        path: known keys, valid values, no check failing; about half the general path's time."""
        if node.__class__ is not yaml.MappingNode:
            return MISS
        pairs = node.value
        try:
            if tuple([key.value for key, _ in pairs]) not in _TEXT_KEY_RUNS:
                return MISS  # a shape not seen before, or a key that is not text
        except TypeError:
            return MISS
        plan = fast_plan(cls)
        values: dict[str, Any] = {}
        quote_node: yaml.Node | None = None
        for key, value in pairs:
            name = key.value
            field = plan.get(name)
            if field is None:
                return MISS
            converted = field[0](self, value)
            if converted is MISS:
                return MISS
            if converted is not None or not field[1]:
                values[name] = converted
            if name == "quote":
                quote_node = value
        for name in required_fields(cls):
            if values.get(name) in (None, []):
                return MISS
        if quote_node is not None and "source" in values:
            quote_nodes = quote_node.value if isinstance(quote_node, yaml.SequenceNode) else [quote_node]
            for text, where in zip(values["quote"], quote_nodes, strict=False):
                if not has_words(text):
                    return MISS
                line, column = self.where(where)
                self.quotes.append((values["source"], text, line, column))
        record = cls(**values)
        check = _RECORD_CHECKS.get(cls)
        if check is not None and next(check(record), None) is not None:
            return MISS
        names = _field_names(cls)
        for attestation in values.get("also", ()):
            if any(name not in names for name in _stated_fields(attestation)):
                return MISS
        if values.get("also") and next(_also_problems(record), None) is not None:
            return MISS
        if any(name not in names for name in values.get("inferred", ())):
            return MISS
        return record

    def convert_record(self, cls: type, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"a {_label(cls)} record must be a mapping, not {_describe(node)}")
            self.check_subtree(node)
            return None
        plan = record_plan(cls)
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        quote_node: yaml.Node | None = None
        for key, value in self.keys(node):
            name = key.value
            field = plan.get(name)
            if field is None:
                self.problem(key, f"unknown field {name!r} in {_label(cls)}{did_you_mean(name, plan)}")
                self.check_subtree(value)
                invalid.add(name)
                continue
            converted = field.convert(self, value)
            if converted is INVALID:
                invalid.add(name)
            elif converted is not None or not field.required:
                values[name] = converted
            if name == "quote":
                quote_node = value
        for name in required_fields(cls):
            if name not in invalid and values.get(name) in (None, []):
                self.problem(node, f"{_label(cls)} is missing required field {name!r}")
                invalid.add(name)
        if invalid:
            if isinstance(values.get("id"), str):
                self.broken_ids.add(values["id"])  # already reported; don't cascade into reference errors
            return None
        if quote_node is not None and "source" in values:
            quote_nodes = quote_node.value if isinstance(quote_node, yaml.SequenceNode) else [quote_node]
            for text, where in zip(values["quote"], quote_nodes, strict=False):
                line, column = self.where(where)
                if has_words(text):
                    self.quotes.append((values["source"], text, line, column))
                else:
                    self.problems.append(Problem(self.path, line, column, _NO_WORDS))
        record = cls(**values)
        check = _RECORD_CHECKS.get(cls)
        if check is not None:
            for message in check(record):
                self.problem(node, f"{record.id}: {message}")
        if values.get("also"):
            label = f"{record.id}: " if hasattr(record, "id") else ""
            for message in _also_problems(record):
                self.problem(node, label + message)
        # (the record holds these as given, and an absent one is empty: read from `values`)
        for attestation in values.get("also", ()):
            for name in _stated_fields(attestation):
                if name not in _field_names(cls):
                    label = f"{record.id}: " if hasattr(record, "id") else ""
                    self.problem(node, f"{label}also: {name!r} is not a field of a {_label(cls)}")
        for name in values.get("inferred", ()):
            if name not in _field_names(cls):
                label = f"{record.id}: " if hasattr(record, "id") else ""  # a deal's step has no id
                self.problem(node, f"{label}inferred: {name!r} is not a field{did_you_mean(name, _field_names(cls))}")
        return record

    def wrong(self, name: str, node: yaml.Node, expected: str) -> Any:
        self.problem(node, f"{name!r} must be {expected}, not {_describe(node)}")
        self.check_subtree(node)
        return INVALID

    def check_subtree(self, node: yaml.Node) -> None:
        """Report duplicate and non-string keys inside a value that is rejected as a whole."""
        pending = [node]
        while pending:
            current = pending.pop()
            if isinstance(current, yaml.MappingNode):
                for _key, value in self.keys(current):
                    pending.append(value)
            elif isinstance(current, yaml.SequenceNode):
                pending.extend(current.value)


@cache
def _label(cls: type) -> str:
    """'StatusEntry' -> 'status entry', for messages."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {node.value!r}"


# Checks within one record, run as it is converted; checks that link records are in aiorg.checks.


def _stated_fields(attestation: Attestation) -> list[str]:
    """The value fields an `also` item gives (see model.DISPUTABLE)."""
    return [name for name in DISPUTABLE if getattr(attestation, name) is not None]


def _tenure_problems(tenure: Tenure) -> Iterator[str]:
    if tenure.current and (tenure.end_cause or tenure.end):
        yield "is marked current but also has an end"
    if tenure.end is not None and tenure.end_cause is None:
        yield "has an end date but no end_cause; say why it ended"
    if tenure.start and tenure.end and tenure.end.before(tenure.start):
        yield f"ends ({tenure.end}) before it starts ({tenure.start})"


def _also_problems(record: Any) -> Iterator[str]:
    """What the data's other sources of a record may not say: its own source again (one source
    says one thing: the record states it), or two `preferred:` values for one field (the data's
    explicit choice must be one value)."""
    also: list[Attestation] = record.also
    for item in also:
        if item.source == record.source:
            yield (
                f"also: cites {item.source!r}, the record's own source; state the field on the record"
                " (a source gives one value)"
            )
    for name in DISPUTABLE:
        preferred = {value_text(value): None for item in also if item.preferred and (value := getattr(item, name))}
        if len(preferred) > 1:
            yield f"also: two sources are preferred for {name} ({', '.join(preferred)}); prefer one value"


_A_DAY = datetime.timedelta(days=1)


def _source_problems(source: Source) -> Iterator[str]:
    # A day's slack: a source published in Beijing may be dated tomorrow by this machine's clock.
    today = datetime.date.today()
    if source.published is not None and source.published.earliest and source.published.earliest > today + _A_DAY:
        yield f"published {source.published.text} is after today ({today.isoformat()}): a typo?"


def _deal_problems(deal: Deal) -> Iterator[str]:
    if deal.stake is not None and not 0 < deal.stake <= 100:
        yield f"stake {deal.stake}% is outside 0–100%"
    dated = [entry.date for entry in deal.history if entry.date is not None]
    for earlier, later in itertools.pairwise(dated):
        if later.before(earlier):
            yield f"history is out of order: {later} is listed after {earlier}"
    if not deal.buyers and not deal.targets:
        yield "names no buyers and no targets"


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields a record's `inferred:` may name."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("id", "inferred"))


_RECORD_CHECKS: dict[type, Callable[[Any], Iterator[str]]] = {
    Tenure: _tenure_problems,
    Deal: _deal_problems,
    Source: _source_problems,
}


_NO_WORDS = "quote: has no words to check against the source; quote the passage itself, not only '…'"


@functools.lru_cache(maxsize=1 << 16)  # quotes repeat ("据报道", "收购")
def has_words(quote: str) -> bool:
    """True if a quote holds a letter or a digit: '…', '...' or punctuation alone matches any text."""
    return any(unicodedata.category(c)[0] in "LN" for c in quote)
