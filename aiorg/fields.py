"""How one field of a record is read from its YAML node: converters built once per record type
from the dataclass annotations in `aiorg.model`, so nothing here names a particular field."""

from __future__ import annotations

import dataclasses
import math
import re
import typing
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Protocol

import yaml

from aiorg import codec
from aiorg.dates import FuzzyDate
from aiorg.money import Money, parse_number
from aiorg.names import NAME_FIELDS, did_you_mean
from aiorg.yamlsource import forbidden_character, implicit_of_text

# Kept as a plain tuple, not an object: a 100k-person knowledge base has a million of them,
# and the cache stores them as they are.
#: (target id, kinds it must be one of, line, column, referring field)
Reference = tuple[str, tuple[str, ...], int, int, str]
#: how the graph exports join a list of names (aiorg.graph); a name in such a list may not hold it
LIST_SEPARATOR = "; "
#: the name fields that are lists
LISTED_NAMES = ("aliases", "former_names")


class NodeConverter(Protocol):
    """What a field converter needs from the file converter (`aiorg.convert.FileConverter`)."""

    line_offset: int
    references: list[Reference]

    def problem(self, node: yaml.Node, message: str) -> None: ...

    def wrong(self, name: str, node: yaml.Node, expected: str) -> Any: ...

    def convert_record(self, cls: type, node: yaml.Node) -> Any: ...


ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

INVALID: Any = object()  # a value that failed conversion; its problem is already reported
_SCALAR_TYPES = (FuzzyDate, Money)  # dataclasses written as one string in YAML
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
Converter = Callable[[NodeConverter, yaml.Node], Any]


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


#: a zero-width non-joiner or joiner between two letters of these scripts changes how they are
#: drawn (Persian, Hindi, Malayalam, Sinhala spell names with them), so there it is part of the
#: name as written and visible; anywhere else it is as invisible as any other format character
_JOINING_SCRIPTS = frozenset({
    "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL",
    "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "KHMER", "MYANMAR", "TIBETAN",
})  # fmt: skip
_JOINERS = ("\u200c", "\u200d")


def _script(character: str) -> str:
    return unicodedata.name(character, "").split(" ", 1)[0]


#: the characters that may be format characters: all but blocks that hold none (Latin, Greek,
#: Cyrillic, Hebrew; CJK and kana; Hangul; full-width forms), so a name in them is not looked at
#: one character at a time
MAYBE_FORMAT = re.compile("[^\x00-\xac\xae-\u05ff\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def invisible_character(text: str) -> str | None:
    """The first Unicode format character (category Cf: zero-width space U+200B, direction marks
    and overrides U+200E-U+202E, word joiner U+2060, a byte order mark U+FEFF inside text, ...)
    in a name, where it makes the name print like another one and not be found by it: None when
    there is none. A joiner between two letters of a script that draws it is kept (see
    _JOINING_SCRIPTS)."""
    if text.isascii() or MAYBE_FORMAT.search(text) is None:
        return None
    for match in MAYBE_FORMAT.finditer(text):
        character, at = match.group(), match.start()
        if unicodedata.category(character) != "Cf":
            continue
        if character in _JOINERS and 0 < at < len(text) - 1:
            left, right = _script(text[at - 1]), _script(text[at + 1])
            if left == right and left in _JOINING_SCRIPTS:
                continue
        return character
    return None


def describe_character(character: str) -> str:
    """A character as `U+200B ZERO WIDTH SPACE`."""
    return f"U+{ord(character):04X} {unicodedata.name(character, '(unnamed)')}"


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

        def many(conv: NodeConverter, node: yaml.Node) -> Any:
            if isinstance(node, yaml.SequenceNode):
                nodes = node.value
            elif isinstance(node, yaml.ScalarNode) and not items_are_records:
                nodes = [node]  # a single value where a list is expected is a list of one
            else:
                return conv.wrong(name, node, "a list")
            converted = [item(conv, child) for child in nodes]
            if any(value is INVALID for value in converted):
                return INVALID
            return [value for value in converted if value is not None]

        return many
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _SCALAR_TYPES:
        record_type = hint

        def nested(conv: NodeConverter, node: yaml.Node) -> Any:
            if not isinstance(node, yaml.MappingNode):
                return conv.wrong(name, node, "a mapping")
            record = conv.convert_record(record_type, node)
            return INVALID if record is None else record

        return nested
    to_value = _scalar_converter(name, hint, refs, percent)
    wants_text = hint is str
    is_name = wants_text and name in NAME_FIELDS
    is_listed = is_name and name in LISTED_NAMES

    def scalar(conv: NodeConverter, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            return conv.wrong(name, node, "a single value")
        text, plain = node.value, not node.style
        if plain and text in _NULLS:
            return None
        if wants_text:
            implicit = implicit_of_text(text) if plain else None
            if implicit is not None:
                conv.problem(node, f'{name}: unquoted {text!r} would be read by YAML as {implicit}; quote it: "{text}"')
                return INVALID
            bad = forbidden_character(text) if node.style == '"' else None
            if bad is not None:
                conv.problem(node, f"control character U+{ord(bad):04X} is not allowed in text")
                return INVALID
        try:
            value = to_value(text, plain)
        except ValueError as error:
            conv.problem(node, f"{name}: {error}")
            return INVALID
        hidden = invisible_character(text) if is_name else None
        if hidden is not None:
            conv.problem(node, f"{name}: invisible character {describe_character(hidden)} in a name; delete it")
            return INVALID
        if is_listed and LIST_SEPARATOR in text:
            conv.problem(node, f"{name}: {text!r} holds {LIST_SEPARATOR!r}, which exports join a name list with")
            return INVALID
        if refs:
            mark = node.start_mark  # inlined conv.where(): this runs for a million references
            conv.references.append((value, refs, mark.line + 1 + conv.line_offset, mark.column + 1, name))
        return value

    return scalar


# The fast path (aiorg.convert.FileConverter.fast_record): the same conversions for the common
# case where a value is valid, with no problem to report. A fast converter returns MISS on
# anything else, and the record is then converted again by the general path above, which says
# what is wrong; so each one must give what its general converter gives, or MISS.

MISS: Any = object()  # the fast path does not take this value: the general path converts it
_UNSEEN: Any = object()
_MEMO_KEPT = 1 << 16  # distinct texts remembered per field and quoting style
FastConverter = Callable[[Any, yaml.Node], Any]  # (aiorg.convert.FileConverter, node) -> value or MISS


def _fast_converter(name: str, hint: Any, refs: tuple[str, ...], percent: bool) -> FastConverter:
    hint = codec.unwrap_optional(hint)
    if typing.get_origin(hint) is list:
        (item_hint,) = typing.get_args(hint)
        item = _fast_converter(name, item_hint, refs, percent)
        scalar_items = not (
            isinstance(item_hint, type) and dataclasses.is_dataclass(item_hint) and item_hint not in _SCALAR_TYPES
        )

        def many(conv: Any, node: yaml.Node) -> Any:
            kind = node.__class__
            if kind is yaml.SequenceNode:
                nodes = node.value
            elif kind is yaml.ScalarNode and scalar_items:
                nodes = [node]
            else:
                return MISS
            converted = []
            for child in nodes:
                value = item(conv, child)
                if value is MISS:
                    return MISS
                if value is not None:
                    converted.append(value)
            return converted

        return many
    if isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in _SCALAR_TYPES:
        record_type = hint
        return lambda conv, node: conv.fast_record(record_type, node)
    to_value = _scalar_converter(name, hint, refs, percent)
    wants_text = hint is str
    is_name = wants_text and name in NAME_FIELDS
    is_listed = is_name and name in LISTED_NAMES

    def value_of(text: str, style: str | None) -> Any:
        """What the general converter makes of a scalar, or MISS where it reports a problem."""
        plain = not style
        if plain and text in _NULLS:
            return None
        if wants_text and plain and implicit_of_text(text) is not None:
            return MISS
        if wants_text and style == '"' and forbidden_character(text) is not None:
            return MISS
        try:
            value = to_value(text, plain)
        except ValueError:
            return MISS
        if is_listed and LIST_SEPARATOR in text:
            return MISS
        return MISS if is_name and invisible_character(text) is not None else value

    # one memo per way of quoting that changes the answer: plain, double-quoted, other
    memos: tuple[dict[str, Any], dict[str, Any], dict[str, Any]] = ({}, {}, {})

    def scalar(conv: Any, node: yaml.Node) -> Any:
        if node.__class__ is not yaml.ScalarNode:
            return MISS
        style, text = node.style, node.value
        memo = memos[0] if not style else memos[1] if style == '"' else memos[2]
        value = memo.get(text, _UNSEEN)
        if value is _UNSEEN:
            value = value_of(text, style)
            if len(memo) < _MEMO_KEPT:
                memo[text] = value
        if value is MISS:
            return MISS
        if refs and value is not None:
            mark = node.start_mark
            conv.references.append((value, refs, mark.line + 1 + conv.line_offset, mark.column + 1, name))
        return value

    return scalar


@cache
def fast_plan(cls: type) -> dict[str, tuple[FastConverter, bool]]:
    """The fields of a record type with their fast converters and whether each is required."""
    hints = typing.get_type_hints(cls)
    return {
        name: (
            _fast_converter(name, hints[name], tuple(f.metadata.get("ref", ())), bool(f.metadata.get("percent"))),
            field.required,
        )
        for f in dataclasses.fields(cls)
        for name, field in ((f.name, record_plan(cls)[f.name]),)
    }


@cache
def record_plan(cls: type) -> dict[str, _Field]:
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
def required_fields(cls: type) -> tuple[str, ...]:
    """The fields a record of this type must have."""
    return tuple(name for name, field in record_plan(cls).items() if field.required)
