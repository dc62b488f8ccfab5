"""Read a data directory's files into payloads: from the cache when a file is unchanged, else
parsed and converted, a large file in chunks on several cores."""

from __future__ import annotations

import marshal
import multiprocessing
import operator
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiorg import codec, store
from aiorg.cache import Cache
from aiorg.convert import FileConverter
from aiorg.datafiles import display_path, gc_paused, stat_digest
from aiorg.errors import Problem
from aiorg.kb import Location
from aiorg.model import Record, Source
from aiorg.payload import (
    Manifest,
    Reusable,
    cached_payload,
    merged_payloads,
    moved_payload,
    payload_of,
    reusable_chunks,
    unread_payload,
)
from aiorg.yamlsource import (
    ChunkFailedError,
    YamlProblemsError,
    chunk_texts,
    compose_chunk,
    decode,
    parse_text,
    read_bytes,
)

_TARGET = operator.itemgetter(0)  # of a reference (aiorg.fields.Reference): the id it names


@dataclass(slots=True)
class Parsed:
    """One parsed file: its payload (what the cache stores), problems, and, when it was converted
    in this process in one piece, its decoded records."""

    payload: dict[str, Any]
    problems: list[Problem]
    records: list[tuple[str, Record, Location]] | None = None
    chunks: list[bytes] | None = None  # the payload as the workers marshalled it, chunk by chunk
    manifest: Manifest | None = None  # what each chunk is, for reusing it (see Manifest)

    def cache_entry(self) -> list[bytes]:
        """What the cache keeps: the manifest, then the marshalled chunks (so a large payload is
        not marshalled twice)."""
        blobs = self.chunks if self.chunks is not None else [marshal.dumps(self.payload)]
        manifest = self.manifest if self.manifest is not None else [None] * len(blobs)
        return [marshal.dumps(manifest), *blobs]


def load_file(path: Path, display: str) -> Parsed:
    """Parse and convert one file; problems are returned, not raised."""
    try:
        return parse_bytes(read_bytes(path, display), display)
    except YamlProblemsError as error:
        return Parsed(unread_payload(), error.problems)


#: chunks are handed to a worker process this many characters at a time
BATCH_CHARS = 512 * 1024


def parse_bytes(
    raw: bytes,
    display: str,
    pool: Executor | None = None,
    sink: Callable[[bytes | None], None] | None = None,
    reuse: Reusable | None = None,
) -> Parsed:
    """Parse and convert one file's bytes; problems are returned, not raised.

    A file of one record kind is composed a few hundred records at a time (in batches on several
    cores when a pool is given), so its node tree never has to fit in memory whole; any chunk
    that does not parse on its own sends the file down the whole-file path, which reports the
    error at its exact place. Chunks come back as payloads (plain tuples), which cross between
    processes far more cheaply than records. A chunk whose text `reuse` holds (from an earlier
    version of the file) is not parsed again; only its lines move if lines above it were added
    or removed. Each chunk's marshalled payload is handed to `sink` in order; None tells it that
    those chunks are void, as the file is parsed again whole.
    """
    try:
        text = decode(raw, display)
        chunks = chunk_texts(text, display)
    except YamlProblemsError as error:
        return Parsed(unread_payload(), error.problems)
    if chunks is None:
        return parse_whole(text, display)
    # Which chunks an earlier version had; without one, workers take each chunk's digest.
    known = [_digest(chunk) if reuse else None for _, chunk in chunks]
    reuse = reuse or {}
    fresh = [chunk for chunk, digest in zip(chunks, known, strict=True) if digest not in reuse]
    batches = _batches(fresh)
    parts = (
        pool.map(_convert_batch, batches, [display] * len(batches))
        if pool
        else (_convert_batch(batch, display) for batch in batches)
    )
    converted = (part for batch in parts for part in (batch if batch is not None else [None]))
    payloads: list[dict[str, Any]] = []
    problems: list[Problem] = []
    blobs: list[bytes] = []
    manifest: Manifest = []
    for (line_offset, _), digest in zip(chunks, known, strict=True):
        earlier = reuse.get(digest) if digest is not None else None
        found: list[tuple[Any, ...]] = []
        if earlier is not None:
            offset, blob = earlier
            payload = marshal.loads(blob)
            if offset != line_offset:
                payload = moved_payload(payload, line_offset - offset)
                blob = marshal.dumps(payload)
        else:
            part = next(converted)
            if part is None:
                if sink is not None and blobs:
                    sink(None)
                return parse_whole(text, display)
            digest, blob, found = part
            payload = marshal.loads(blob)
        assert digest is not None  # taken here, or by the worker
        manifest.append((digest, line_offset))
        if sink is not None:
            sink(blob)
        payloads.append(payload)
        blobs.append(blob)
        problems += [Problem(display, line, column, message) for line, column, message in found]
    return Parsed(merged_payloads(payloads), problems, chunks=blobs, manifest=manifest)


def _batches(chunks: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Consecutive chunks in groups of about BATCH_CHARS: one worker round trip each."""
    batches: list[list[tuple[int, str]]] = []
    size = BATCH_CHARS
    for chunk in chunks:
        if size >= BATCH_CHARS:
            batches.append([])
            size = 0
        batches[-1].append(chunk)
        size += len(chunk[1])
    return batches


Converted = tuple[str, bytes, list[tuple[Any, ...]]]  # a chunk's digest, marshalled payload and problems


def _digest(chunk: str) -> str:
    return Cache.digest(chunk.encode())


def _convert_batch(batch: list[tuple[int, str]], display: str) -> list[Converted] | None:
    """Compose and convert a batch of chunks (in a worker process, or here): each one's payload,
    marshalled, and its problems; None if one does not parse alone (the rest are not worth doing)."""
    out = []
    for chunk in batch:
        part = _convert_chunk(chunk, display)
        if part is None:
            return None
        out.append(part)
    return out


def _convert_chunk(chunk: tuple[int, str], display: str) -> Converted | None:
    """Compose and convert one chunk: its digest, its payload, marshalled, and its problems; None
    if it does not parse alone."""
    offset, text = chunk
    try:
        root = compose_chunk(text)
    except ChunkFailedError:
        return None
    converter = FileConverter(display)
    converter.line_offset = offset
    with gc_paused():
        result = converter.result(converter.convert_file(root))
        problems = [(p.line, p.column, p.message) for p in result.problems]
        return _digest(text), marshal.dumps(payload_of(result)), problems


def parse_whole(text: str, display: str) -> Parsed:
    """Parse and convert one file's text in one piece."""
    try:
        root = parse_text(text, display)
    except YamlProblemsError as error:
        return Parsed(unread_payload(), error.problems)
    converter = FileConverter(display)
    result = converter.result(converter.convert_file(root))
    return Parsed(payload_of(result), result.problems, result.records)


@dataclass(slots=True)
class FileEntry:
    path: Path
    display: str  # as shown in messages (relative to the working directory)
    name: str  # relative to the data directory: how the store knows the file
    key: str  # digest of the file's bytes
    stat_key: str  # digest of its stat before it was read
    payload: dict[str, Any]
    fresh: list[tuple[str, Record, Location]] | None = None  # decoded records, when parsed whole in this run

    def source_texts(self) -> dict[str, Path]:
        """Source id -> full text file, for the sources this file defines: an absolute path, as
        the store keeps it for runs from any working directory."""
        file_at = codec.field_index(Source, "file")
        rows = self.payload["records"].get("sources", ())
        folder = self.path.absolute().parent
        return {row[0]: folder / row[file_at] for row in rows if row[file_at]}

    def store_rows(self) -> store.FileRows:
        """What this file puts in the store."""
        version = store.FileVersion(self.name, self.key, self.stat_key)
        targets = set(map(_TARGET, self.payload["refs"]))  # 1.2M references at 100k people
        return store.FileRows(version, self.payload["records"], targets, self.source_texts())


PARALLEL_BYTES = 4 * 1024 * 1024  # files larger than this are parsed on every core


def read_entries(
    data_dir: Path,
    files: list[Path],
    cache: Cache | None,
    problems: list[Problem],
    progress: Callable[[int, int], None] | None,
    writer: store.StreamWriter | None = None,
    earlier: dict[str, str] | None = None,
) -> list[FileEntry]:
    """Every file as a payload: from the cache when its bytes are unchanged, else parsed. Where
    `earlier` gives the content key of a file's previous version (name -> key), the chunks of it
    that are still the same are taken from the cache, not parsed again.

    With a `writer`, each file's records go to the store being written as soon as they are
    parsed, the n-th file under rank n * RANK_STEP; once a problem is found it is discarded."""
    entries = []
    pool: Executor | None = None
    try:
        for done, path in enumerate(files, start=1):
            display = display_path(path)
            stat_key = stat_digest(path)  # before reading: a write during the read shows up next time
            try:
                raw = read_bytes(path, display)
            except YamlProblemsError as error:
                problems.extend(error.problems)
                continue
            key = Cache.digest(raw)
            name = path.relative_to(data_dir).as_posix()
            rank = done * store.RANK_STEP
            payload = cached_payload(cache, key) if cache is not None else None
            if payload is None:
                if pool is None and len(raw) > PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
                    pool = ProcessPoolExecutor(
                        mp_context=multiprocessing.get_context("fork"),
                        initializer=store.die_with_parent,
                        initargs=(os.getpid(),),
                    )
                sink = _sink(writer, rank) if writer is not None else None
                before = earlier.get(name) if earlier is not None and cache is not None else None
                reuse = reusable_chunks(cache, before) if cache is not None and before is not None else None
                parsed = parse_bytes(raw, display, pool if len(raw) > PARALLEL_BYTES else None, sink, reuse)
                problems.extend(parsed.problems)
                wanted = (cache is not None or writer is not None) and not parsed.problems
                kept = parsed.cache_entry() if wanted else []
                if cache is not None and kept:
                    cache.put("files", key, kept)
                entry = FileEntry(path, display, name, key, stat_key, parsed.payload, parsed.records)
                if writer is not None and parsed.chunks is None and kept:
                    writer.part(rank, kept[1])  # parsed in one piece: its records go now
            else:
                entry = FileEntry(path, display, name, key, stat_key, payload)
                if writer is not None:
                    writer.part(rank, marshal.dumps({"records": payload["records"]}))
            entries.append(entry)
            if writer is not None and problems:
                writer.discard()  # the load fails: no store will be published
                writer = None
            elif writer is not None:
                writer.file(rank, entry.store_rows())
            if progress is not None:
                progress(done, len(files))
    finally:
        if pool is not None:
            pool.shutdown()
    return entries


def _sink(writer: store.StreamWriter, rank: int) -> Callable[[bytes | None], None]:
    """Where parse_bytes sends a file's chunks: to the writer, under the file's rank."""
    return lambda blob: writer.part(rank, blob) if blob is not None else writer.drop(rank)
