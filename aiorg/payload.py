"""A parsed file's payload: the plain data (marshal-able) the cache keeps and the store is
written from, and how the cache entry of a file's previous version is reused chunk by chunk."""

from __future__ import annotations

import itertools
import marshal
import operator
from typing import Any, cast

from aiorg import codec
from aiorg.cache import Cache
from aiorg.convert import FileResult

#: (digest of a chunk's text, its line offset) for each chunk a payload was made of; None for a
#: file parsed in one piece. Kept in the cache entry, so an edited file's unchanged chunks are reused.
Manifest = list[tuple[str, int] | None]


#: chunk digest -> (line offset, marshalled payload) of the chunks of an earlier version of a file
Reusable = dict[str, tuple[int, bytes]]

_KIND = operator.itemgetter(0)


def payload_of(result: FileResult) -> dict[str, Any]:
    """A file's records and checks as plain data (marshal-able)."""
    records: dict[str, list[tuple[Any, ...]]] = {}
    lines: dict[str, list[tuple[int, int]]] = {}
    for kind, group in itertools.groupby(result.records, key=_KIND):  # a kind's records come in runs
        rows = list(group)
        encode = codec.encoder(cast(type, type(rows[0][1])))  # a kind is one record type
        records.setdefault(kind, []).extend([encode(record) for _, record, _ in rows])
        lines.setdefault(kind, []).extend([(location.line, location.column) for _, _, location in rows])
    return {
        "records": records,
        "lines": lines,
        "refs": result.references,
        "quotes": result.quotes,
        "broken": sorted(result.broken_ids),
    }


def empty_payload() -> dict[str, Any]:
    return {"records": {}, "lines": {}, "refs": [], "quotes": [], "broken": []}


def unread_payload() -> dict[str, Any]:
    """The payload of a file whose text could not be read as YAML at all: no records, and it says so
    (the cross-file checks then hold back unknown ids, which it may define)."""
    return {**empty_payload(), "unread": True}


def merged_payloads(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """The payloads of a file's chunks, in order, as one."""
    whole = empty_payload()
    for payload in payloads:
        for part in ("records", "lines"):
            for kind, rows in payload[part].items():
                whole[part].setdefault(kind, []).extend(rows)
        whole["refs"] += payload["refs"]
        whole["quotes"] += payload["quotes"]
        whole["broken"] += payload["broken"]
    whole["broken"] = sorted(set(whole["broken"]))  # an id two chunks both break is one id, as in a whole parse
    return whole


def moved_payload(payload: dict[str, Any], delta: int) -> dict[str, Any]:
    """A chunk's payload with every line number moved by `delta` (lines added or removed above it)."""
    return {
        **payload,
        "lines": {kind: [(line + delta, column) for line, column in rows] for kind, rows in payload["lines"].items()},
        "refs": [
            (target, kinds, line + delta, column, field) for target, kinds, line, column, field in payload["refs"]
        ],
        "quotes": [(source, quote, line + delta, column) for source, quote, line, column in payload["quotes"]],
    }


def cached_payload(cache: Cache, key: str) -> dict[str, Any] | None:
    """A file's payload from the cache (stored as a manifest, then its marshalled chunks), or None."""
    entry = cache.get("files", key)
    try:
        return (
            merged_payloads([marshal.loads(blob) for blob in entry[1:]]) if isinstance(entry, list) and entry else None
        )
    except (ValueError, EOFError, TypeError, KeyError, AttributeError):
        return None  # authenticated, so ours, but not of this layout: parse again


def reusable_chunks(cache: Cache, key: str) -> Reusable:
    """The chunks of the file version cached under `key`, by the digest of their text."""
    entry = cache.get("files", key)
    try:
        if not isinstance(entry, list) or not entry:
            return {}
        manifest = marshal.loads(entry[0])
        return {item[0]: (item[1], blob) for item, blob in zip(manifest, entry[1:], strict=True) if item is not None}
    except (ValueError, EOFError, TypeError, IndexError):
        return {}  # not of this layout: nothing to reuse
