"""A digest of the whole model, so anything stored in a layout taken from it is keyed by it."""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from enum import Enum
from pathlib import Path
from typing import Any, cast

from aiorg.model import NAMED_KINDS, RECORD_TYPES, SEARCHED_FIELDS

#: the modules that turn a data file's text into the values stored: how '数十万' or '2024-09' is
#: read, what a record's tuple or typed row holds (a deal's date and status are the model's own
#: properties, a statement's value claims.value_text), or how a name is folded for search, is their
#: code, not only the model's shape
READERS = (
    "money",
    "dates",
    "countries",
    "fields",
    "convert",
    "payload",
    "codec",
    "yamlsource",
    "names",
    "model",
    "claims",
    "store/schema",
)


def module_source(name: str) -> bytes:
    """The source of aiorg's module `name` (a path under the package, without `.py`), read without
    importing it (which would bring in the parser on every command). Read as a file beside this
    one; from a zip, as a package resource (importlib.resources costs every command ~10 ms to
    import, so only then). An install without sources gives the name alone."""
    try:
        return (Path(__file__).parent / f"{name}.py").read_bytes()
    except OSError:
        pass
    from importlib import resources

    try:
        return resources.files("aiorg").joinpath(f"{name}.py").read_bytes()
    except OSError:
        return f"{name}: no source".encode()


def readers_digest() -> bytes:
    """The code of READERS, so that a change in how text is read makes old entries unreadable, not wrong."""
    return b"\0".join(module_source(name) for name in READERS)


def fingerprint() -> str:
    """A digest of every record type's fields, types, metadata, edges and enum members, and of
    the code that reads a file's text into values (READERS).

    Anything stored in a layout taken from the model (the compiled cache, the store) is keyed
    by this, so a new, renamed or retyped field, or text read another way (数十万 read as
    20万-100万 where it was 2万-10万), makes old entries unreadable rather than wrong.
    """
    parts: list[str] = [repr(SEARCHED_FIELDS), repr(NAMED_KINDS)]
    seen: set[type] = set()
    pending: list[type] = list(RECORD_TYPES)
    while pending:
        cls = pending.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        parts.append(f"{cls.__name__}:{getattr(cls, 'KIND', '')}:{getattr(cls, 'NODE', '')}")
        if issubclass(cls, Enum):
            parts.append(repr([member.value for member in cls]))
            continue
        hints = typing.get_type_hints(cls)
        parts.append(repr(getattr(cls, "EDGES", ())) + repr(getattr(cls, "DERIVED", ())))
        parts.append(repr(getattr(cls, "COVERING", ())))
        for item in dataclasses.fields(cast(Any, cls)):
            meta = {k: item.metadata.get(k) for k in ("ref", "percent", "index")}
            parts.append(f"{item.name}:{hints[item.name]!r}:{meta!r}")
            for inner in (hints[item.name], *typing.get_args(hints[item.name])):
                for leaf in (inner, *typing.get_args(inner)):
                    if isinstance(leaf, type) and (dataclasses.is_dataclass(leaf) or issubclass(leaf, Enum)):
                        pending.append(leaf)
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=8)
    digest.update(readers_digest())
    return digest.hexdigest()
