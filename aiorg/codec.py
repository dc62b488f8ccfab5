"""Records to plain tuples and back, for the compiled cache.

A record becomes a tuple of plain values (str, float, bool, None, lists, nested tuples) that
`marshal` can store; decoding rebuilds the same dataclasses. Field order comes from the
dataclass declarations, so the codec never repeats the model.
"""

from __future__ import annotations

import dataclasses
import operator
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any, cast

from aiorg.dates import FuzzyDate
from aiorg.money import Bound, Money

Plain = Any  # str | float | bool | None | list | tuple, as marshal stores them


def unwrap_optional(hint: Any) -> Any:
    """`X | None` -> X; any other annotation unchanged."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


@cache
def _fuzzy(text: str) -> FuzzyDate:
    return FuzzyDate.parse(text)


@cache
def _money(value: float, currency: str, bound: str, high: float | None) -> Money:
    return Money(value, currency, Bound(bound), high)


def _encoder(hint: Any) -> Callable[[Any], Plain] | None:
    """How to encode a value of this type; None when it is already plain (kept as it is)."""
    hint = unwrap_optional(hint)
    if typing.get_origin(hint) is list:
        item = _encoder(typing.get_args(hint)[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if hint is FuzzyDate:
        return lambda v: None if v is None else v.text
    if hint is Money:
        return lambda v: None if v is None else (v.value, v.currency, v.bound.value, v.high)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return lambda v: None if v is None else v.value
    if dataclasses.is_dataclass(hint):
        return lambda v: None if v is None else encoder(cast(type, hint))(v)
    return None


def _decoder(hint: Any) -> Callable[[Plain], Any] | None:
    """How to decode a value of this type; None when the plain value is the value (str, number,
    bool, a list of them: marshal hands out fresh lists, so nothing is shared)."""
    hint = unwrap_optional(hint)
    if typing.get_origin(hint) is list:
        item = _decoder(typing.get_args(hint)[0])
        return None if item is None else (lambda values: [item(v) for v in values])
    if hint is FuzzyDate:
        return lambda v: None if v is None else _fuzzy(v)
    if hint is Money:
        return lambda v: None if v is None else _money(*v)
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {m.value: m for m in hint}
        return lambda v: None if v is None else members[v]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: None if v is None else decoder(hint)(v)
    return None


@cache
def field_names(cls: type) -> tuple[str, ...]:
    """The record type's fields, in declaration order (the tuple layout)."""
    return tuple(f.name for f in dataclasses.fields(cls))


@cache
def encoder(cls: type) -> Callable[[Any], tuple[Plain, ...]]:
    """record -> tuple of plain values."""
    hints = typing.get_type_hints(cls)
    names = field_names(cls)
    # Read every field at once (in C), then encode only the fields that are not plain already:
    # a 100k-person knowledge base encodes half a million records on a cold load.
    read_all = operator.attrgetter(*names, names[0])  # at least two names, so always a tuple
    to_encode = [(i, encode) for i, name in enumerate(names) if (encode := _encoder(hints[name])) is not None]
    width = len(names)

    def encode_record(record: Any) -> tuple[Plain, ...]:
        values = list(read_all(record)[:width])
        for i, encode in to_encode:
            values[i] = encode(values[i])
        return tuple(values)

    return encode_record


@cache
def decoder(cls: type) -> Callable[[tuple[Plain, ...]], Any]:
    """tuple of plain values -> record."""
    hints = typing.get_type_hints(cls)
    names = field_names(cls)
    width = len(names)
    # Only the fields that are not plain are converted; the rest go to the constructor as they are
    # (a deals listing at 100k people decodes tens of thousands of records).
    to_decode = [(i, decode) for i, name in enumerate(names) if (decode := _decoder(hints[name])) is not None]

    build = _builder(cls, names)

    def decode_record(values: tuple[Plain, ...]) -> Any:
        if len(values) != width:
            raise ValueError(f"{cls.__name__}: {len(values)} values for {width} fields")
        fields = list(values)
        for i, decode in to_decode:
            fields[i] = decode(fields[i])
        return build(fields)

    return decode_record


def _builder(cls: type, names: tuple[str, ...]) -> Callable[[list[Plain]], Any]:
    """values in field order -> record, without the keyword-argument dict `cls(**...)` needs: the
    record's own __init__ is called with the values by name, through a function made once per
    class (as dataclasses makes __init__ itself); a third of a whole export's decoding time."""
    arguments = ", ".join(f"{name}=values[{i}]" for i, name in enumerate(names))
    namespace: dict[str, Any] = {"cls": cls}
    exec(f"def build(values):\n    return cls({arguments})\n", namespace)  # our own field names, from the model
    return cast(Callable[[list[Plain]], Any], namespace["build"])


def field_index(cls: type, name: str) -> int:
    """Where a field sits in the tuple, for indexing without decoding."""
    return field_names(cls).index(name)
