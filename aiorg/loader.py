"""Turn a directory of YAML files into a validated KnowledgeBase, or raise DataError.

Every problem in every file is collected before raising, each with `path:line:col`.
The record schema comes from the dataclasses in `aiorg.model`; nothing here names
a particular field except through those declarations.
"""

from __future__ import annotations

import dataclasses
import difflib
import itertools
import re
import types
import typing
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from aiorg.dates import DateParseError, FuzzyDate
from aiorg.errors import DataError, Problem
from aiorg.kb import KnowledgeBase, Location
from aiorg.model import RECORD_KINDS, Deal, Record, Tenure
from aiorg.money import Money, MoneyParseError, parse_number
from aiorg.yamlsource import Mapping, Node, Scalar, Sequence, YamlProblemsError, read_file

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(slots=True)
class Reference:
    """An id written in one record that must name a record of one of `kinds`."""

    target: str
    kinds: tuple[str, ...]
    where: Problem  # location, with the referring field in the message


@dataclass(slots=True)
class QuoteCheck:
    """A quote to find verbatim in its source's text."""

    source: str
    quote: str
    where: Problem


@dataclass(slots=True)
class FileResult:
    """What one file contributes: records, references to check, quotes to check."""

    records: list[tuple[str, Record, Location]]
    references: list[Reference]
    quotes: list[QuoteCheck]
    problems: list[Problem]
    broken_ids: set[str]


@dataclass(frozen=True, slots=True)
class _FieldSpec:
    name: str
    hint: Any
    required: bool
    refs: tuple[str, ...]
    percent: bool


@cache
def _field_specs(cls: type) -> dict[str, _FieldSpec]:
    hints = typing.get_type_hints(cls)
    specs = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        specs[f.name] = _FieldSpec(
            f.name, hints[f.name], required, tuple(f.metadata.get("ref", ())), bool(f.metadata.get("percent"))
        )
    return specs


def _unwrap_optional(hint: Any) -> Any:
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _FileConverter:
    """Converts the located nodes of one file into records, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.references: list[Reference] = []
        self.quotes: list[QuoteCheck] = []
        self.broken_ids: set[str] = set()

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.line, node.column, message))

    def convert_file(self, root: Node | None) -> list[tuple[str, Record, Location]]:
        if root is None:
            self.problems.append(
                Problem(self.path, None, None, "file is empty; expected a mapping such as 'people: [...]'")
            )
            return []
        if not isinstance(root, Mapping):
            self.problem(
                root,
                f"the top level must be a mapping of record kinds ({', '.join(RECORD_KINDS)}), not {_describe(root)}",
            )
            return []
        out: list[tuple[str, Record, Location]] = []
        for key, value in root.items:
            cls = RECORD_KINDS.get(key.text)
            if cls is None:
                self.problem(key, f"unknown record kind {key.text!r}{did_you_mean(key.text, RECORD_KINDS)}")
                continue
            if not isinstance(value, Sequence):
                self.problem(value, f"'{key.text}' must be a list of records, not {_describe(value)}")
                continue
            for item in value.items:
                record = self.convert_record(cls, item)
                if record is not None:
                    out.append((key.text, record, Location(self.path, item.line, item.column)))
        return out

    def convert_record(self, cls: type, node: Node) -> Any:
        label = _label(cls)
        if not isinstance(node, Mapping):
            self.problem(node, f"a {label} record must be a mapping, not {_describe(node)}")
            return None
        specs = _field_specs(cls)
        values: dict[str, Any] = {}
        invalid: set[str] = set()
        for key, value in node.items:
            spec = specs.get(key.text)
            if spec is None:
                self.problem(key, f"unknown field {key.text!r} in {label}{did_you_mean(key.text, specs)}")
                invalid.add(key.text)
                continue
            converted = self.convert_value(spec, spec.hint, value)
            if converted is _INVALID:
                invalid.add(key.text)
            elif converted is not None or not spec.required:
                values[key.text] = converted
        for spec in specs.values():
            if spec.required and spec.name not in invalid and values.get(spec.name) in (None, []):
                self.problem(node, f"{label} is missing required field {spec.name!r}")
                invalid.add(spec.name)
        if invalid:
            if isinstance(values.get("id"), str):
                self.broken_ids.add(values["id"])  # already reported; don't cascade into reference errors
            return None
        if "quote" in values and "source" in values:
            quote_nodes = _quote_nodes(node)
            for text, where in zip(values["quote"], quote_nodes, strict=False):
                self.quotes.append(QuoteCheck(values["source"], text, Problem(self.path, where.line, where.column, "")))
        return cls(**values)

    def convert_value(self, spec: _FieldSpec, hint: Any, node: Node) -> Any:
        hint = _unwrap_optional(hint)
        origin = typing.get_origin(hint)
        if origin is list:
            (item_hint,) = typing.get_args(hint)
            items = node.items if isinstance(node, Sequence) else [node]
            if isinstance(node, Mapping) and (not dataclasses.is_dataclass(item_hint) or item_hint in _SCALAR_TYPES):
                self.problem(node, f"{spec.name!r} must be a list, not a mapping")
                return _INVALID
            converted = [self.convert_value(spec, item_hint, item) for item in items]
            return _INVALID if any(c is _INVALID for c in converted) else [c for c in converted if c is not None]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _SCALAR_TYPES:
            if not isinstance(node, Mapping):
                return self._wrong(spec, node, "a mapping")
            record = self.convert_record(hint, node)
            return _INVALID if record is None else record
        if not isinstance(node, Scalar):
            return self._wrong(spec, node, "a single value")
        if node.plain and node.text in ("", "~", "null", "Null", "NULL"):
            return None
        try:
            value = self.convert_scalar(spec, hint, node)
        except ValueError as error:
            self.problem(node, f"{spec.name}: {error}")
            return _INVALID
        if spec.refs and isinstance(value, str):
            self.references.append(Reference(value, spec.refs, Problem(self.path, node.line, node.column, spec.name)))
        return value

    def convert_scalar(self, spec: _FieldSpec, hint: Any, node: Scalar) -> Any:
        text = node.text
        implicit = node.implicit_type()
        if hint is str:
            if implicit is not None:
                raise ValueError(f'unquoted {text!r} would be read by YAML as {implicit}; quote it: "{text}"')
            if spec.name == "id" or spec.refs:
                if not ID_PATTERN.match(text):
                    raise ValueError(f"{text!r} is not a valid id; use lowercase letters, digits, '-', '_' or '.'")
            elif not text.strip():
                raise ValueError("must not be blank")
            return text
        if hint is bool:
            if text in ("true", "false"):
                return text == "true"
            raise ValueError(f"{text!r} is not a boolean; write true or false")
        if isinstance(hint, type) and issubclass(hint, Enum):
            allowed = [member.value for member in hint]
            if text not in allowed:
                raise ValueError(f"{text!r} is not one of {', '.join(allowed)}{did_you_mean(text, allowed)}")
            return hint(text)
        if hint is FuzzyDate:
            try:
                return FuzzyDate.parse(text)
            except DateParseError as error:
                raise ValueError(str(error)) from None
        if hint is Money:
            try:
                return Money.parse(text)
            except MoneyParseError as error:
                raise ValueError(str(error)) from None
        if hint is float:
            if implicit in ("bool", "null", "timestamp") or text.lower() in (".nan", ".inf", "-.inf", "+.inf"):
                raise ValueError(f"{text!r} is not a finite number")
            number = parse_number(text)
            if spec.percent and not 0 <= number <= 100:
                raise ValueError(f"{text!r} is not a percentage between 0 and 100")
            return number
        raise TypeError(f"model field {spec.name} has an unsupported type {hint!r}")  # a bug in model.py

    def _wrong(self, spec: _FieldSpec, node: Node, expected: str) -> object:
        self.problem(node, f"{spec.name!r} must be {expected}, not {_describe(node)}")
        return _INVALID


_INVALID = object()
_SCALAR_TYPES = (FuzzyDate, Money)  # dataclasses written as one string in YAML


def _label(cls: type) -> str:
    """'StatusEntry' -> 'status entry', for messages."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()


def _describe(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return f"the value {node.text!r}"


def _quote_nodes(node: Mapping) -> list[Scalar]:
    for key, value in node.items:
        if key.text == "quote":
            if isinstance(value, Scalar):
                return [value]
            if isinstance(value, Sequence):
                return [item for item in value.items if isinstance(item, Scalar)]
    return []


def data_files(data_dir: Path) -> list[Path]:
    """Every YAML file under `data_dir`, in a stable order."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())


def load_file(path: Path, display: str) -> FileResult:
    """Parse and convert one file; problems are returned, not raised."""
    try:
        root = read_file(path, display)
    except YamlProblemsError as error:
        return FileResult([], [], [], error.problems, set())
    converter = _FileConverter(display)
    records = converter.convert_file(root)
    return FileResult(records, converter.references, converter.quotes, converter.problems, converter.broken_ids)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load(data_dir: Path, check_quotes: bool = False) -> KnowledgeBase:
    """Load and cross-check a knowledge base; raise DataError listing every problem."""
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data directory")])
    files = data_files(data_dir)
    if not files:
        raise DataError([Problem(str(data_dir), None, None, "no .yaml files found")])
    kb = KnowledgeBase()
    problems: list[Problem] = []
    references: list[Reference] = []
    quotes: list[QuoteCheck] = []
    broken_ids: set[str] = set()
    for path in files:
        result = load_file(path, _display_path(path))
        problems.extend(result.problems)
        references.extend(result.references)
        quotes.extend(result.quotes)
        broken_ids |= result.broken_ids
        for kind, record, location in result.records:
            previous = kb.locations.get(record.id)
            if previous is not None:
                problems.append(
                    Problem(
                        location.path,
                        location.line,
                        location.column,
                        f"duplicate id {record.id!r} (first defined at {previous.path}:{previous.line})",
                    )
                )
                continue
            kb.locations[record.id] = location
            kb.records(kind).append(record)
            if kind == "sources" and record.file:  # type: ignore[union-attr]
                kb.source_texts[record.id] = path.parent / record.file  # type: ignore[union-attr]
    problems.extend(_check_references(kb, [r for r in references if r.target not in broken_ids]))
    problems.extend(_check_consistency(kb))
    if check_quotes:
        problems.extend(check_quotes_in_sources(kb, quotes))
    if problems:
        raise DataError(problems)
    return kb


def _check_references(kb: KnowledgeBase, references: list[Reference]) -> list[Problem]:
    kind_of = {record_id: kind for kind in RECORD_KINDS for record_id in (r.id for r in kb.records(kind))}
    problems = []
    for ref in references:
        found = kind_of.get(ref.target)
        if found in ref.kinds:
            continue
        field_name = ref.where.message
        if found is None:
            candidates = [i for i, k in kind_of.items() if k in ref.kinds]
            hint = did_you_mean(ref.target, candidates)
            message = f"{field_name}: unknown {' or '.join(ref.kinds)} id {ref.target!r}{hint}"
        else:
            message = f"{field_name}: {ref.target!r} is a {found} record, expected {' or '.join(ref.kinds)}"
        problems.append(Problem(ref.where.path, ref.where.line, ref.where.column, message))
    return problems


def _check_consistency(kb: KnowledgeBase) -> list[Problem]:
    """Checks that span fields of one record or link two records."""
    problems = []

    def at(record: Record, message: str) -> None:
        loc = kb.locations[record.id]
        problems.append(Problem(loc.path, loc.line, loc.column, f"{record.id}: {message}"))

    for tenure in kb.tenures:
        _check_tenure(kb, tenure, at)
    for deal in kb.deals:
        _check_deal(deal, at)
    return problems


def _check_tenure(kb: KnowledgeBase, tenure: Tenure, at: typing.Callable[[Record, str], None]) -> None:
    if tenure.current and (tenure.end_cause or tenure.end):
        at(tenure, "is marked current but also has an end")
    if tenure.end is not None and tenure.end_cause is None:
        at(tenure, "has an end date but no end_cause; say why it ended")
    if tenure.start and tenure.end and tenure.end.before(tenure.start):
        at(tenure, f"ends ({tenure.end}) before it starts ({tenure.start})")
    for link in ("replaces", "after"):
        previous = kb.by_id.get(getattr(tenure, link) or "")
        if isinstance(previous, Tenure) and previous.person != tenure.person:
            at(tenure, f"{link} {previous.id}, which is another person's spell")
    replaced = kb.by_id.get(tenure.replaces or "")
    if isinstance(replaced, Tenure) and replaced.firm != tenure.firm:
        at(tenure, f"replaces {replaced.id} at another firm; use 'after' for a move between firms")


def _check_deal(deal: Deal, at: typing.Callable[[Record, str], None]) -> None:
    if deal.stake is not None and not 0 < deal.stake <= 100:
        at(deal, f"stake {deal.stake}% is outside 0–100%")
    dated = [entry.date for entry in deal.history if entry.date is not None]
    for earlier, later in itertools.pairwise(dated):
        if later.before(earlier):
            at(deal, f"history is out of order: {later} comes after {earlier}")
    if not deal.buyers and not deal.targets:
        at(deal, "names no buyers and no targets")


_WHITESPACE = re.compile(r"\s+")


def normalise_for_quotes(text: str) -> str:
    """Collapse runs of white space, so line wrapping in YAML never breaks a quote."""
    return _WHITESPACE.sub(" ", text).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """True if every '…'-separated part of `quote` appears in `text`, in order."""
    position = 0
    for part in (normalise_for_quotes(p) for p in re.split(r"…|\.\.\.", quote)):
        if not part:
            continue
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def check_quotes_in_sources(kb: KnowledgeBase, quotes: list[QuoteCheck]) -> list[Problem]:
    """Every quote must appear verbatim in its source's text file."""
    problems = []
    texts: dict[str, str | None] = {}
    for check in quotes:
        if check.source not in texts:
            path = kb.source_texts.get(check.source)
            try:
                texts[check.source] = normalise_for_quotes(path.read_text(encoding="utf-8")) if path else None
            except (OSError, UnicodeDecodeError) as error:
                loc = kb.locations[check.source]
                problems.append(Problem(loc.path, loc.line, loc.column, f"cannot read source text {path}: {error}"))
                texts[check.source] = None
                continue
            if path is None:
                missing = kb.locations.get(check.source)
                if missing:
                    problems.append(
                        Problem(
                            missing.path,
                            missing.line,
                            missing.column,
                            f"source {check.source!r} has no 'file', so its quotes cannot be checked",
                        )
                    )
        text = texts[check.source]
        if text is not None and not quote_in_text(check.quote, text):
            where = check.where
            problems.append(
                Problem(
                    where.path,
                    where.line,
                    where.column,
                    f"quote not found verbatim in source {check.source!r}: {check.quote[:40]!r}",
                )
            )
    return problems
