"""Turn a directory of YAML files into a validated KnowledgeBase, or raise DataError.

Every problem in every file is collected before raising, each with `path:line:col`.
The record schema comes from the dataclasses in `aiorg.model`; nothing here names
a particular field except through those declarations.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import gc
import itertools
import marshal
import math
import multiprocessing
import operator
import os
import re
import sqlite3
import stat
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from aiorg import codec, store
from aiorg.cache import Cache
from aiorg.dates import FuzzyDate
from aiorg.errors import DataError, Problem
from aiorg.kb import KnowledgeBase, Location
from aiorg.model import RECORD_KINDS, Deal, Record, Source, Tenure
from aiorg.money import Money, parse_number
from aiorg.store import Store
from aiorg.yamlsource import (
    ChunkFailedError,
    YamlProblemsError,
    chunk_texts,
    compose_chunk,
    decode,
    forbidden_character,
    implicit_of_text,
    implicit_type,
    parse_text,
    position,
    read_bytes,
)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
YAML_SUFFIXES = (".yaml", ".yml")


# Kept as plain tuples, not objects: a 100k-person knowledge base has a million of them,
# and the cache stores them as they are.
#: (target id, kinds it must be one of, line, column, referring field)
Reference = tuple[str, tuple[str, ...], int, int, str]
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


_TEXT_KEYS: set[str] = set()  # unquoted keys already known to be read as text, not as bool or int
_INVALID: Any = object()  # a value that failed conversion; its problem is already reported
_SCALAR_TYPES = (FuzzyDate, Money)  # dataclasses written as one string in YAML
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
Converter = Callable[["_FileConverter", yaml.Node], Any]


@dataclass(frozen=True, slots=True)
class _Field:
    """How one dataclass field is read: built once per record type from its annotation."""

    name: str
    required: bool
    convert: Converter


def _memoised(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Parse each distinct text once; failures are remembered as their message."""
    memo: dict[str, Any] = {}

    def cached(text: str) -> Any:
        try:
            return memo[text]
        except KeyError:
            try:
                value = parse(text)
            except ValueError as error:
                value = ValueError(str(error))
            memo[text] = value
            return value

    return cached


_parse_date = _memoised(FuzzyDate.parse)
_parse_money = _memoised(Money.parse)
_parse_number = _memoised(parse_number)


def _scalar_converter(name: str, hint: Any, refs: tuple[str, ...], percent: bool) -> Callable[[str, bool], Any]:
    """text, plain -> value; raises ValueError with the message to report."""
    if hint is str:
        check_id = name == "id" or bool(refs)

        def text(value: str, plain: bool) -> Any:
            if check_id and not ID_PATTERN.match(value):
                raise ValueError(f"{value!r} is not a valid id; use lowercase letters, digits, '-', '_' or '.'")
            if not check_id and not value.strip():
                raise ValueError("must not be blank")
            return value

        return text
    if hint is bool:

        def boolean(value: str, plain: bool) -> Any:
            if value in ("true", "false"):
                return value == "true"
            raise ValueError(f"{value!r} is not a boolean; write true or false")

        return boolean
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {member.value: member for member in hint}

        def choice(value: str, plain: bool) -> Any:
            try:
                return members[value]
            except KeyError:
                allowed = list(members)
                raise ValueError(
                    f"{value!r} is not one of {', '.join(allowed)}{did_you_mean(value, allowed)}"
                ) from None

        return choice
    parser = {FuzzyDate: _parse_date, Money: _parse_money, float: _parse_number}.get(hint)
    if parser is None:
        raise TypeError(f"model field {name} has an unsupported type {hint!r}")  # a bug in model.py

    def parsed(value: str, plain: bool) -> Any:
        if hint is float and plain and value.lower() in (".nan", ".inf", "-.inf", "+.inf", "true", "false"):
            raise ValueError(f"{value!r} is not a finite number")
        result = parser(value)
        if isinstance(result, ValueError):
            raise result
        if not _finite(result):
            raise ValueError(f"{value!r} is not a finite number")
        if percent and not 0 <= result <= 100:
            raise ValueError(f"{value!r} is not a percentage between 0 and 100")
        return result

    return parsed


def _finite(value: Any) -> bool:
    """False for an infinite or NaN number or amount ('1e400' overflows to infinity), which JSON cannot carry."""
    if isinstance(value, Money):
        return math.isfinite(value.value) and (value.high is None or math.isfinite(value.high))
    return not isinstance(value, float) or math.isfinite(value)


def _field_converter(name: str, hint: Any, refs: tuple[str, ...], percent: bool) -> Converter:
    hint = codec.unwrap_optional(hint)
    if typing.get_origin(hint) is list:
        (item_hint,) = typing.get_args(hint)
        item = _field_converter(name, item_hint, refs, percent)
        items_are_records = (
            isinstance(item_hint, type) and dataclasses.is_dataclass(item_hint) and (item_hint not in _SCALAR_TYPES)
        )

        def many(conv: _FileConverter, node: yaml.Node) -> Any:
            if isinstance(node, yaml.SequenceNode):
                nodes = node.value
            elif isinstance(node, yaml.ScalarNode) and not items_are_records:
                nodes = [node]  # a single value where a list is expected is a list of one
            else:
                return conv.wrong(name, node, "a list")
            converted = [item(conv, child) for child in nodes]
            if any(value is _INVALID for value in converted):
                return _INVALID
            return [value for value in converted if value is not None]

        return many
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _SCALAR_TYPES:
        record_type = hint

        def nested(conv: _FileConverter, node: yaml.Node) -> Any:
            if not isinstance(node, yaml.MappingNode):
                return conv.wrong(name, node, "a mapping")
            record = conv.convert_record(record_type, node)
            return _INVALID if record is None else record

        return nested
    to_value = _scalar_converter(name, hint, refs, percent)
    wants_text = hint is str

    def scalar(conv: _FileConverter, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return conv.wrong(name, node, "a single value")
        text, plain = node.value, not node.style
        if plain and text in _NULLS:
            return None
        if wants_text:
            implicit = implicit_of_text(text) if plain else None
            if implicit is not None:
                conv.problem(node, f'{name}: unquoted {text!r} would be read by YAML as {implicit}; quote it: "{text}"')
                return _INVALID
            bad = forbidden_character(text) if node.style == '"' else None
            if bad is not None:
                conv.problem(node, f"control character U+{ord(bad):04X} is not allowed in text")
                return _INVALID
        try:
            value = to_value(text, plain)
        except ValueError as error:
            conv.problem(node, f"{name}: {error}")
            return _INVALID
        if refs:
            mark = node.start_mark  # inlined conv.where(): this runs for a million references
            conv.references.append((value, refs, mark.line + 1 + conv.line_offset, mark.column + 1, name))
        return value

    return scalar


@cache
def _plan(cls: type) -> dict[str, _Field]:
    """The fields of a record type with their converters, in declaration order."""
    hints = typing.get_type_hints(cls)
    plan = {}
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        refs = tuple(f.metadata.get("ref", ()))
        plan[f.name] = _Field(
            f.name, required, _field_converter(f.name, hints[f.name], refs, bool(f.metadata.get("percent")))
        )
    return plan


@cache
def _required(cls: type) -> tuple[str, ...]:
    """The fields a record of this type must have."""
    return tuple(name for name, field in _plan(cls).items() if field.required)


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _FileConverter:
    """Converts the composed nodes of one file into records, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.line_offset = 0  # lines before the chunk being converted (see yamlsource.chunk_texts)
        self.problems: list[Problem] = []
        self.references: list[Reference] = []
        self.quotes: list[QuoteCheck] = []
        self.broken_ids: set[str] = set()

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
        plain = {key.value for key, _ in pairs if type(key) is yaml.ScalarNode and not key.style}
        if len(plain) == len(pairs) and (plain <= _TEXT_KEYS or all(implicit_of_text(k) is None for k in plain)):
            _TEXT_KEYS.update(plain)
            return pairs  # type: ignore[no-any-return]  # the common case: distinct unquoted string keys
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
                record = self.convert_record(cls, item)
                if record is not None:
                    line, column = self.where(item)
                    out.append((key.value, record, Location(self.path, line, column)))
        return out

    def convert_record(self, cls: type, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"a {_label(cls)} record must be a mapping, not {_describe(node)}")
            self.check_subtree(node)
            return None
        plan = _plan(cls)
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
            if converted is _INVALID:
                invalid.add(name)
            elif converted is not None or not field.required:
                values[name] = converted
            if name == "quote":
                quote_node = value
        for name in _required(cls):
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
        for name in getattr(record, "inferred", ()):
            if name not in _field_names(cls):
                self.problem(
                    node, f"{record.id}: inferred: {name!r} is not a field{did_you_mean(name, _field_names(cls))}"
                )
        return record

    def wrong(self, name: str, node: yaml.Node, expected: str) -> Any:
        self.problem(node, f"{name!r} must be {expected}, not {_describe(node)}")
        self.check_subtree(node)
        return _INVALID

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


def data_files(data_dir: Path) -> tuple[list[Path], list[Problem]]:
    """Every YAML file under `data_dir`, in a stable order, and a problem for each YAML name that is
    not a regular file inside it (a FIFO, a dangling link, a link out of the directory)."""
    root = data_dir.resolve()
    files, problems = [], []
    for path in sorted(p for p in data_dir.rglob("*") if p.suffix in YAML_SUFFIXES):
        try:
            info = path.stat()  # follows links, never opens: a FIFO cannot block us here
            outside = path.is_symlink() and not path.resolve().is_relative_to(root)
        except OSError as error:
            missing = isinstance(error, FileNotFoundError)
            message = "is a symbolic link to a missing file" if missing else f"cannot read: {error.strerror}"
        else:
            if stat.S_ISDIR(info.st_mode):
                continue
            if outside:
                message = "is a symbolic link to a file outside the data directory; copy the file in instead"
            elif not stat.S_ISREG(info.st_mode):
                message = "is not a regular file (a FIFO, socket or device); only regular files are read"
            else:
                files.append(path)
                continue
        problems.append(Problem(str(Path(_display_path(path.parent)) / path.name), None, None, message))
    return files, problems


@dataclass(slots=True)
class Parsed:
    """One parsed file: its payload (what the cache stores), problems, and, when it was converted
    in this process in one piece, its decoded records."""

    payload: dict[str, Any]
    problems: list[Problem]
    records: list[tuple[str, Record, Location]] | None = None
    chunks: list[bytes] | None = None  # the payload as the workers marshalled it, chunk by chunk

    def cache_entry(self) -> list[bytes]:
        """What the cache keeps: the marshalled chunks, so a large payload is not marshalled twice."""
        return self.chunks if self.chunks is not None else [marshal.dumps(self.payload)]


def load_file(path: Path, display: str) -> Parsed:
    """Parse and convert one file; problems are returned, not raised."""
    try:
        return parse_bytes(read_bytes(path, display), display)
    except YamlProblemsError as error:
        return Parsed(_empty_payload(), error.problems)


def parse_bytes(raw: bytes, display: str, pool: Executor | None = None) -> Parsed:
    """Parse and convert one file's bytes; problems are returned, not raised.

    A large file of one record kind is composed a few thousand records at a time (on several
    cores when a pool is given), so its node tree never has to fit in memory whole; any chunk
    that does not parse on its own sends the file down the whole-file path, which reports the
    error at its exact place. Chunks come back as payloads (plain tuples), which cross between
    processes far more cheaply than records.
    """
    try:
        text = decode(raw, display)
        chunks = chunk_texts(text, display)
    except YamlProblemsError as error:
        return Parsed(_empty_payload(), error.problems)
    if chunks is None:
        return parse_whole(text, display)
    parts = (
        pool.map(_convert_chunk, chunks, [display] * len(chunks))
        if pool
        else (_convert_chunk(chunk, display) for chunk in chunks)
    )
    payloads, problems, blobs = [], [], []
    for part in parts:
        if part is None:
            return parse_whole(text, display)
        blob, found = part
        payloads.append(marshal.loads(blob))
        blobs.append(blob)
        problems += [Problem(display, line, column, message) for line, column, message in found]
    return Parsed(_merged(payloads), problems, chunks=blobs)


def _convert_chunk(chunk: tuple[int, str], display: str) -> tuple[bytes, list[tuple[Any, ...]]] | None:
    """Compose and convert one chunk (in a worker process, or here): its payload, marshalled, and
    its problems; None if it does not parse alone."""
    offset, text = chunk
    try:
        root = compose_chunk(text)
    except ChunkFailedError:
        return None
    converter = _FileConverter(display)
    converter.line_offset = offset
    with gc_paused():
        result = converter.result(converter.convert_file(root))
        problems = [(p.line, p.column, p.message) for p in result.problems]
        return marshal.dumps(_payload(result)), problems


def parse_whole(text: str, display: str) -> Parsed:
    """Parse and convert one file's text in one piece."""
    try:
        root = parse_text(text, display)
    except YamlProblemsError as error:
        return Parsed(_empty_payload(), error.problems)
    converter = _FileConverter(display)
    result = converter.result(converter.convert_file(root))
    return Parsed(_payload(result), result.problems, result.records)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    Loading allocates millions of objects and frees almost none, so every collection is
    wasted work (2-5x the load time at 100k people). Collection resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- the per-file payload: what the cache stores, and what a fresh parse is turned into ---------


def _payload(result: FileResult) -> dict[str, Any]:
    """A file's records and checks as plain data (marshal-able)."""
    records: dict[str, list[tuple[Any, ...]]] = {}
    lines: dict[str, list[tuple[int, int]]] = {}
    for kind, record, location in result.records:
        records.setdefault(kind, []).append(codec.encoder(cast(type, type(record)))(record))
        lines.setdefault(kind, []).append((location.line, location.column))
    return {
        "records": records,
        "lines": lines,
        "refs": result.references,
        "quotes": result.quotes,
        "broken": sorted(result.broken_ids),
    }


def _empty_payload() -> dict[str, Any]:
    return {"records": {}, "lines": {}, "refs": [], "quotes": [], "broken": []}


def _merged(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """The payloads of a file's chunks, in order, as one."""
    merged = _empty_payload()
    for payload in payloads:
        for part in ("records", "lines"):
            for kind, rows in payload[part].items():
                merged[part].setdefault(kind, []).extend(rows)
        merged["refs"] += payload["refs"]
        merged["quotes"] += payload["quotes"]
        merged["broken"] += payload["broken"]
    merged["broken"].sort()
    return merged


@dataclass(slots=True)
class _FileEntry:
    path: Path
    display: str  # as shown in messages (relative to the working directory)
    name: str  # relative to the data directory: how the store knows the file
    key: str  # digest of the file's bytes
    stat_key: str  # digest of its stat before it was read
    payload: dict[str, Any]
    fresh: list[tuple[str, Record, Location]] | None = None  # decoded records, when parsed whole in this run

    def source_texts(self) -> dict[str, Path]:
        """Source id -> full text file, for the sources this file defines."""
        file_at = codec.field_index(Source, "file")
        rows = self.payload["records"].get("sources", ())
        return {row[0]: self.path.parent / row[file_at] for row in rows if row[file_at]}

    def store_rows(self) -> store.FileRows:
        """What this file puts in the store."""
        version = store.FileVersion(self.name, self.key, self.stat_key)
        targets = {reference[0] for reference in self.payload["refs"]}
        return store.FileRows(version, self.payload["records"], targets, self.source_texts())


def _cached_payload(cache: Cache, key: str) -> dict[str, Any] | None:
    """A file's payload from the cache (stored as its marshalled chunks), or None."""
    entry = cache.get("files", key)
    try:
        return _merged([marshal.loads(blob) for blob in entry]) if isinstance(entry, list) else None
    except (ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None  # authenticated, so ours, but not of this layout: parse again


PARALLEL_BYTES = 4 * 1024 * 1024  # files larger than this are parsed on every core


def _read_entries(
    data_dir: Path,
    files: list[Path],
    cache: Cache | None,
    problems: list[Problem],
    progress: Callable[[int, int], None] | None,
) -> list[_FileEntry]:
    """Every file as a payload: from the cache when its bytes are unchanged, else parsed."""
    entries = []
    pool: Executor | None = None
    try:
        for done, path in enumerate(files, start=1):
            display = _display_path(path)
            stat_key = _stat_key(path)  # before reading: a write during the read shows up next time
            try:
                raw = read_bytes(path, display)
            except YamlProblemsError as error:
                problems.extend(error.problems)
                continue
            key = Cache.digest(raw)
            name = path.relative_to(data_dir).as_posix()
            payload = _cached_payload(cache, key) if cache is not None else None
            if payload is None:
                if pool is None and len(raw) > PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
                    pool = ProcessPoolExecutor(
                        mp_context=multiprocessing.get_context("fork"),
                        initializer=store.die_with_parent,
                        initargs=(os.getpid(),),
                    )
                parsed = parse_bytes(raw, display, pool if len(raw) > PARALLEL_BYTES else None)
                problems.extend(parsed.problems)
                if cache is not None and not parsed.problems:
                    cache.put("files", key, parsed.cache_entry())
                entries.append(_FileEntry(path, display, name, key, stat_key, parsed.payload, parsed.records))
            else:
                entries.append(_FileEntry(path, display, name, key, stat_key, payload))
            if progress is not None:
                progress(done, len(files))
    finally:
        if pool is not None:
            pool.shutdown()
    return entries


def load(
    data_dir: Path,
    check_quotes: bool = False,
    cache: Cache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> KnowledgeBase:
    """Load and cross-check a knowledge base; raise DataError listing every problem.

    With a cache, unchanged files are not parsed again, and the knowledge base is read from
    its SQLite store, decoding only the records a query uses. When files were edited, added or
    removed, only they are read, and the store is updated in place if the knowledge base is
    still consistent; any problem sends the load down the full path, which reports every
    problem at its place. `check_quotes` (what `aiorg validate` does) always runs every check.
    """
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data directory")])
    files, problems = data_files(data_dir)
    if not files and not problems:
        raise DataError([Problem(str(data_dir), None, None, "no .yaml files found")])
    with gc_paused():
        if cache is not None and cache.usable and not check_quotes and not problems:
            kb = _load_from_store(data_dir, files, cache, progress)
            if kb is not None:
                return kb
        entries = _read_entries(data_dir, files, cache, problems, progress)
        store_path = _store_path(cache, data_dir) if cache is not None and cache.usable else None
        writer = _store_writer(store_path, entries) if store_path is not None and not problems else None
        try:
            kb = _assemble(entries, problems)
            _cross_check(kb, entries, check_quotes, problems)
            if problems:
                raise DataError(problems)
            if writer is not None and store_path is not None and writer.publish():
                store.prune(store_path.parent, keep=store_path)
        finally:
            if writer is not None:
                writer.discard()  # nothing to do once published
        gc.freeze()  # the records live until exit: keep later collections from walking them
        return kb


# --- the store: written whole after a full load, then kept up to date file by file --------------


def _stat_key(path: Path) -> str:
    """What identifies a file's version without reading it: any write changes ctime."""
    try:
        info = path.stat()
    except OSError:
        return ""  # matches no stored version, so the file is read
    parts = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    return Cache.digest(repr(parts).encode())


def _store_path(cache: Cache, data_dir: Path) -> Path:
    return cache.root / "kb" / f"{Cache.digest(str(data_dir.resolve()).encode())}.sqlite"


def _store_writer(path: Path, entries: list[_FileEntry]) -> store.BackgroundWriter | None:
    """Start writing the store for this data directory while the cross-checks run."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        return store.BackgroundWriter(path, lambda: (entry.store_rows() for entry in entries))
    except (OSError, sqlite3.Error):
        return None  # the cache only ever costs speed


def _load_from_store(
    data_dir: Path, files: list[Path], cache: Cache, progress: Callable[[int, int], None] | None
) -> KnowledgeBase | None:
    """The knowledge base from its store, bringing the store up to date first if files changed;
    None when there is no usable store or the changes need a full load."""
    path = _store_path(cache, data_dir)
    try:
        db = store.open_for_reading(path)
        known = store.versions(db)
    except sqlite3.Error:
        return None  # absent, damaged or of another version: the full load writes a new one
    names = {path.relative_to(data_dir).as_posix(): path for path in files}
    stale = [p for name, p in names.items() if name not in known or known[name][1].stat_key != _stat_key(p)]
    gone = [name for name in known if name not in names]
    if stale or gone:
        db.close()
        if not _update_store(path, data_dir, stale, gone, cache, progress):
            return None
        try:
            db = store.open_for_reading(path)
            known = store.versions(db)
        except sqlite3.Error:
            return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: store.prune keeps it
    try:
        return KnowledgeBase(store=Store(db, lambda: _rebuilt(path, data_dir, cache, known)))
    except sqlite3.Error:  # cannot happen: the rebuilt store was written from verified payloads
        return None


def _rebuilt(
    path: Path, data_dir: Path, cache: Cache, known: dict[str, tuple[int, store.FileVersion]]
) -> sqlite3.Connection:
    """A new store holding the same snapshot as a damaged one (same files, versions and ranks, so
    the positions a query has already seen still mean the same records), put in its place.

    The payloads come from the file cache, which is authenticated, keyed by the versions the
    store recorded; a file no longer cached is read again if it is still that version."""
    rows = []
    for name, (rank, version) in sorted(known.items(), key=lambda item: item[1][0]):
        file = data_dir / name
        payload = _cached_payload(cache, version.content_key)
        if payload is None:
            problems: list[Problem] = []
            read = _read_entries(data_dir, [file], cache, problems, None)
            if problems or [e.key for e in read] != [version.content_key]:
                raise sqlite3.DatabaseError("the store is damaged and its files changed; run the command again")
            payload = read[0].payload
        entry = _FileEntry(file, _display_path(file), name, version.content_key, version.stat_key, payload)
        rows.append((rank, entry.store_rows()))
    temporary = store.temporary_next_to(path)
    try:
        store.write_to(temporary, rows)
        store.publish(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return store.open_for_reading(path)


class _NeedsFullLoadError(Exception):
    """The change cannot be applied to the store on its own."""


def _update_store(
    path: Path,
    data_dir: Path,
    stale: list[Path],
    gone: list[str],
    cache: Cache,
    progress: Callable[[int, int], None] | None,
) -> bool:
    """Replace the rows of edited, added and removed files in one transaction, if the result is
    consistent; False (and the store untouched) otherwise."""
    problems: list[Problem] = []
    entries = _read_entries(data_dir, stale, cache, problems, progress)
    if problems:
        return False  # the full load reports them, together with any in other files
    try:
        db, temporary = store.open_copy_for_update(path)
    except (sqlite3.Error, OSError):
        return False
    try:
        known = store.versions(db)  # again: another process may have updated it meanwhile
        changed = [e for e in entries if e.name not in known or known[e.name][1].content_key != e.key]
        for entry in entries:
            if entry.name in known and known[entry.name][1].content_key == entry.key:
                # touched, not changed: remember its new stat
                store.touch_file(db, known[entry.name][0], store.FileVersion(entry.name, entry.key, entry.stat_key))
        previous: dict[str, str] = {}  # ids the replaced files defined -> their kinds
        for name in [*gone, *(e.name for e in changed)]:
            if name in known:
                previous.update(store.delete_file(db, known[name][0]))
        for entry in changed:
            rank = known[entry.name][0] if entry.name in known else store.free_rank(db, entry.name)
            if rank is None:
                raise _NeedsFullLoadError
            store.insert_file(db, rank, entry.store_rows())
        if not _still_consistent(db, changed, previous):
            raise _NeedsFullLoadError
        db.execute("COMMIT")
        db.close()
        store.publish(temporary, path)
        return True
    except (sqlite3.Error, OSError, _NeedsFullLoadError):  # IntegrityError: an id defined twice
        return False
    finally:
        db.close()
        temporary.unlink(missing_ok=True)


def _still_consistent(db: sqlite3.Connection, changed: list[_FileEntry], previous: dict[str, str]) -> bool:
    """The cross-file checks a full load runs, limited to what the changed files can affect.

    The store held a consistent knowledge base before, so only these can have broken: references
    from the changed files; references from anywhere to ids the changes removed (or gave another
    kind); and the links between changed spells and the spells they name or that name them.
    (Checks within one record ran when the changed files were converted.)
    """
    kb = KnowledgeBase(store=Store(db))
    wanted = {(reference[0], reference[1]) for entry in changed for reference in entry.payload["refs"]}
    if any(kb.kind_of(target) not in kinds for target, kinds in wanted):
        return False
    vanished = [record_id for record_id, kind in previous.items() if kb.kind_of(record_id) != kind]
    if store.referenced(db, vanished):
        return False
    # Spells of the changed files, spells they used to hold, and spells that link to any of them.
    id_at = codec.field_index(Tenure, "id")
    touched = {record_id for record_id, kind in previous.items() if kind == "tenures"}
    touched.update(row[id_at] for entry in changed for row in entry.payload["records"].get("tenures", ()))
    followers = {t.id for spell_id in touched for t in kb.tenures_by_link.get(spell_id, [])}

    def spell_of(spell_id: str) -> Spell | None:
        spell = kb.by_id.get(spell_id)
        if not isinstance(spell, Tenure):
            return None
        return spell.id, spell.person, spell.firm, spell.replaces, spell.after

    spells = (spell for spell_id in touched | followers if (spell := spell_of(spell_id)) is not None)
    return next(_link_problems(spells, spell_of), None) is None


def _assemble(entries: list[_FileEntry], problems: list[Problem]) -> KnowledgeBase:
    """Build the knowledge base from payloads, placing every record and catching duplicate ids."""
    kb = KnowledgeBase()
    for entry in entries:
        kb.source_texts.update(entry.source_texts())
        if entry.fresh is not None:  # parsed just now: the records are already decoded
            for kind, record, location in entry.fresh:
                if _place(kb, record.id, location, problems):
                    kb.add(kind, record)
            continue
        for kind, rows in entry.payload["records"].items():
            id_at = codec.field_index(cast(type, RECORD_KINDS[kind]), "id")
            kept = [
                row
                for row, (line, column) in zip(rows, entry.payload["lines"][kind], strict=True)
                if _place(kb, row[id_at], Location(entry.display, line, column), problems)
            ]
            kb.add_encoded(kind, kept)
    return kb


def _place(kb: KnowledgeBase, record_id: str, location: Location, problems: list[Problem]) -> bool:
    """Record where an id is defined; False (and a problem) if it is defined already."""
    previous = kb.locations.get(record_id)
    if previous is not None:
        message = f"duplicate id {record_id!r} (first defined at {previous.path}:{previous.line})"
        problems.append(Problem(location.path, location.line, location.column, message))
        return False
    kb.locations[record_id] = location
    return True


def _cross_check(kb: KnowledgeBase, entries: list[_FileEntry], check_quotes: bool, problems: list[Problem]) -> None:
    broken = {record_id for e in entries for record_id in e.payload["broken"]}
    for e in entries:
        references = [ref for ref in e.payload["refs"] if ref[0] not in broken] if broken else e.payload["refs"]
        problems.extend(_check_references(kb, e.display, references))
    spells = {spell[0]: spell for spell in kb.columns("tenures", _SPELL_FIELDS)}
    for spell_id, message in _link_problems(spells.values(), spells.get):
        loc = kb.locations[spell_id]
        problems.append(Problem(loc.path, loc.line, loc.column, f"{spell_id}: {message}"))
    if check_quotes:
        problems.extend(check_quotes_in_sources(kb, [(e.display, e.payload["quotes"]) for e in entries]))


_TARGET_AND_KINDS = operator.itemgetter(0, 1)


def _check_references(kb: KnowledgeBase, path: str, references: list[Reference]) -> list[Problem]:
    problems = []
    candidates: dict[tuple[str, ...], list[str]] = {}  # ids of each set of kinds, built only on a miss
    # Most references repeat (every spell names its person, firm and source): look each pair up once.
    wrong = {pair for pair in set(map(_TARGET_AND_KINDS, references)) if kb.kind_of(pair[0]) not in pair[1]}
    for target, kinds, line, column, field_name in references if wrong else ():
        if (target, kinds) not in wrong:
            continue
        found = kb.kind_of(target)
        if found is None:
            if kinds not in candidates:
                candidates[kinds] = [i for i in kb.by_id if kb.kind_of(i) in kinds]
            hint = did_you_mean(target, candidates[kinds])
            message = f"{field_name}: unknown {' or '.join(kinds)} id {target!r}{hint}"
        else:
            message = f"{field_name}: {target!r} is a {found} record, expected {' or '.join(kinds)}"
        problems.append(Problem(path, line, column, message))
    return problems


# Checks that span fields of one record run as each record is converted; checks that link two
# records run on the plain columns below, so a 100k-person knowledge base is not decoded for them.

_SPELL_FIELDS = ("id", "person", "firm", "replaces", "after")
#: (id, person, firm, replaces, after) of one role spell
Spell = tuple[str, str, str, str | None, str | None]


def _link_problems(spells: Iterable[Spell], spell_of: Callable[[str], Spell | None]) -> Iterator[tuple[str, str]]:
    """(spell id, message) for every `replaces` or `after` link that joins spells it should not."""
    for spell_id, person, firm, replaces, after in spells:
        for link, target in (("replaces", replaces), ("after", after)):
            previous = spell_of(target) if target else None
            if previous is not None and previous[1] != person:
                yield spell_id, f"{link} {target}, which is another person's spell"
        replaced = spell_of(replaces) if replaces else None
        if replaced is not None and replaced[2] != firm:
            yield spell_id, f"replaces {replaces} at another firm; use 'after' for a move between firms"


def _tenure_problems(tenure: Tenure) -> Iterator[str]:
    if tenure.current and (tenure.end_cause or tenure.end):
        yield "is marked current but also has an end"
    if tenure.end is not None and tenure.end_cause is None:
        yield "has an end date but no end_cause; say why it ended"
    if tenure.start and tenure.end and tenure.end.before(tenure.start):
        yield f"ends ({tenure.end}) before it starts ({tenure.start})"


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


_RECORD_CHECKS: dict[type, Callable[[Any], Iterator[str]]] = {Tenure: _tenure_problems, Deal: _deal_problems}


_WHITESPACE = re.compile(r"\s+")
_NO_WORDS = "quote: has no words to check against the source; quote the passage itself, not only '…'"


def has_words(quote: str) -> bool:
    """True if a quote holds a letter or a digit: '…', '...' or punctuation alone matches any text."""
    return any(unicodedata.category(c)[0] in "LN" for c in quote)


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


def check_quotes_in_sources(kb: KnowledgeBase, quotes_by_file: list[tuple[str, list[QuoteCheck]]]) -> list[Problem]:
    """Every quote must appear verbatim in its source's text file."""
    problems = []
    texts: dict[str, str | None] = {}
    checks = ((path, *check) for path, quotes in quotes_by_file for check in quotes)
    for path_of_quotes, source, quote, line, column in checks:
        if source not in texts:
            path = kb.source_texts.get(source)
            try:
                texts[source] = normalise_for_quotes(path.read_text(encoding="utf-8")) if path else None
            except (OSError, UnicodeDecodeError) as error:
                loc = kb.locations[source]
                problems.append(Problem(loc.path, loc.line, loc.column, f"cannot read source text {path}: {error}"))
                texts[source] = None
                continue
            if path is None:
                missing = kb.locations.get(source)
                if missing:
                    problems.append(
                        Problem(
                            missing.path,
                            missing.line,
                            missing.column,
                            f"source {source!r} has no 'file', so its quotes cannot be checked",
                        )
                    )
        text = texts[source]
        if text is not None and not quote_in_text(quote, text):
            message = f"quote not found verbatim in source {source!r}: {quote[:40]!r}"
            problems.append(Problem(path_of_quotes, line, column, message))
    return problems
