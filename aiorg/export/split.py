"""A whole graph export made on two cores: a forked process builds and writes the edges of most
of the spells (tenures: 300k of the 460k records at 100k people, all edges, none of them nodes)
while this one builds the rest (the last HERE_SHARE of the spells too); their lines are then put
in (source, target, key) order together.

The fork sees the knowledge base without copying it and sends back only finished text (UTF-8
lines, marshalled in frames), never records or attribute dicts, which cost more to send than to
make (see git log: forked row makers were a loss). A line is written exactly as the writer here
would write it: rendering depends only on the edge itself. Anything unexpected (no fork on this
system, the process failing, two parts giving the same edge) gives None, and the writer builds
the whole graph here instead, as before.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import takewhile
from typing import IO, TYPE_CHECKING, Any

from aiorg.datafiles import gc_paused
from aiorg.export.lines import Merged, increasing
from aiorg.export.lines import write_lines as write_lines  # the writers import it here
from aiorg.export.whole import Plain, build_kind, build_part
from aiorg.graph import Edge
from aiorg.model import RECORD_KINDS

if TYPE_CHECKING:
    from aiorg.kb import KnowledgeBase

#: the kinds the forked process builds: records that are only edges, so no node needs them
FORKED_KINDS = ("tenures",)
#: the share of each of the FORKED_KINDS' records (the last in file order) this process builds
#: too, so that both are done at about the same time. At 100k people, with none, the forked
#: process took 4.9 CPU-s for the 300k spells and this one 3.7 for the rest before it waited
#: (graphml; json alike); a spell costs the forked process 60% more than this one (its line is
#: sent and received). 0.13 balanced them until a spell's attributes were made in place and
#: lines in one template (the spells' share of the work fell more); timed again on a loaded
#: machine, 0.08 gave each the same CPU time and 0.13 this one 0.5-1.0 CPU-s more
HERE_SHARE = 0.1
_FRAME = 16384  # edges a frame carries
_TYPES: dict[str, type] = {t.__name__: t for t in (str, int, float, bool)}
#: (attribute names, their Python types) of an edge's attributes
Signature = tuple[tuple[str, ...], tuple[type, ...]]


@dataclass(frozen=True, slots=True)
class Split:
    """A whole graph as written lines: the attributes are not kept once written."""

    nodes: Merged  # the node lines (UTF-8) by id, bare ends included
    edges: Merged  # the edge lines (UTF-8) by (source, target, key)
    node_signatures: set[Signature]  # (names, types) of the nodes' attributes, for attribute_types
    edge_signatures: set[Signature]  # of the edges' attributes


Lines = Callable[[list[Any]], list[str]]  # the lines of a list of nodes or edges


def split_whole(kb: KnowledgeBase, node_lines: Lines, edge_lines: Lines, types: bool = True) -> Split | None:
    """The whole graph of `kb` as lines (node_lines and edge_lines get a list of nodes or edges and
    give their lines), the edges of FORKED_KINDS built and written in a forked process, the rest
    here at the same time. None when that could not be done. types: whether the writer needs the
    attributes' signatures (GraphML's keys; JSON's are empty sets: none are worked out)."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): the caller builds it all here
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the forked process (its work is checked by its output)
        os.close(read_end)
        code = 1
        try:
            with gc_paused(), os.fdopen(write_end, "wb") as pipe:
                if types:
                    _send(kb, edge_lines, pipe)
                else:
                    _send(kb, edge_lines, pipe, types=False)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    waited = False
    try:
        with gc_paused(), os.fdopen(read_end, "rb") as pipe:
            nodes, edges = build_part(kb, tuple(kind for kind in RECORD_KINDS if kind not in FORKED_KINDS))
            for kind in FORKED_KINDS:
                build_kind(kb, kind, _shared(kb, kind, here=True), nodes, edges)
            node_signatures, edge_signatures = (
                (_signatures(nodes.values()), _signatures(e[3] for e in edges.values())) if types else (set(), set())
            )
            # written and encoded in order here while the other process still works, so that once
            # its lines come the two sorted runs are merged (as text, they were decoded and encoded
            # again once the other process's lines came)
            node_order = sorted(nodes)
            node_written = _written(node_lines, [(n, nodes[n]) for n in node_order])
            edge_order = sorted(edges)
            edge_written = _written(edge_lines, [edges[k] for k in edge_order])
            own_keys = set(edge_order)
            own_ends = _ends(edges.values())
            del nodes, edges  # written: their attributes are not needed any more
            received = _receive(pipe)
        _, status = os.waitpid(pid, 0)
        waited = True
        if received is None or os.waitstatus_to_exitcode(status) != 0:
            return None
        keys, lines, signatures, ends = received
        if not increasing(keys) or not own_keys.isdisjoint(keys):  # pragma: no cover - sent sorted, ids unique
            return None
        edge_signatures |= signatures
        bare = sorted(own_ends.union(ends).difference(node_order))
        bare_written = _encoded(node_lines([(node, {}) for node in bare]))
        # merged as they are written (aiorg.export.lines)
        return Split(
            Merged(node_order, node_written, bare, bare_written),
            Merged(edge_order, edge_written, keys, lines),
            node_signatures,
            edge_signatures,
        )
    finally:
        if not waited:  # an error or Ctrl-C here: the other process is not needed any more
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


def _first_here(kb: KnowledgeBase, kind: str) -> int | None:
    """The sequence number of the first of a kind's records this process builds (HERE_SHARE of
    them, the last in file order); None when it builds none. Both processes work it out alike."""
    ((count,),) = kb.query(f"SELECT count(*) FROM {kind}")
    here = int(count * HERE_SHARE)
    if here <= 0:
        return None
    ((seq,),) = kb.query(f"SELECT seq FROM {kind} ORDER BY seq LIMIT 1 OFFSET ?", (count - here,))
    return int(seq)


def _shared(kb: KnowledgeBase, kind: str, here: bool) -> Iterator[tuple[int, Plain]]:
    """(seq, codec tuple) of the records of a FORKED_KINDS kind that this process (here) or the
    forked one builds: this one the last HERE_SHARE of them, the forked one the others."""
    first = _first_here(kb, kind)
    if first is None:
        return iter(()) if here else kb.stream_tuples(kind)
    if here:
        return iter(kb.select_tuples(kind, "seq >= ?", (first,)))
    return takewhile(lambda item: item[0] < first, kb.stream_tuples(kind))


def _encoded(lines: list[str]) -> list[bytes]:
    return [line.encode() for line in lines]


def _written(make: Lines, items: list[Any]) -> list[bytes]:
    """The UTF-8 lines of these items, made a frame at a time: each frame's text is freed once
    encoded, and its memory used again for the next (fewer pages of new memory)."""
    written: list[bytes] = []
    for start in range(0, len(items), _FRAME):
        written += _encoded(make(items[start : start + _FRAME]))
    return written


def _signatures(rows: Iterable[dict[str, Any]]) -> set[Signature]:
    return {(tuple(data), tuple(map(type, data.values()))) for data in rows}


def _ends(edges: Iterable[Edge]) -> set[str]:
    ends = set()
    for source, target, _, _ in edges:
        ends.add(source)
        ends.add(target)
    return ends


def _send(kb: KnowledgeBase, edge_lines: Lines, pipe: IO[bytes], types: bool = True) -> None:
    """In the forked process: build FORKED_KINDS and write their lines, then send the edges'
    signatures (none unless `types`) and ends, frames of (keys, lines), and an empty frame.
    Everything is written before anything is sent: the other process reads only once it has
    written its own part."""
    nodes: dict[str, Any] = {}
    edges: dict[str, Edge] = {}
    for kind in FORKED_KINDS:
        build_kind(kb, kind, _shared(kb, kind, here=False), nodes, edges)
    assert not nodes, "the forked kinds make no nodes"
    found = _signatures(e[3] for e in edges.values()) if types else set()
    signatures = [(names, tuple(t.__name__ for t in kinds)) for names, kinds in found]
    ends = list(_ends(edges.values()))
    keys = sorted(edges)  # sent in order: the other process merges two sorted runs
    lines: list[bytes] = []
    for start in range(0, len(keys), _FRAME):  # each edge dropped once written: a lower peak of memory
        chunk = keys[start : start + _FRAME]
        lines += _encoded(edge_lines([edges.pop(key) for key in chunk]))
    _frame(pipe, (signatures, ends))
    for start in range(0, len(keys), _FRAME):
        _frame(pipe, (keys[start : start + _FRAME], lines[start : start + _FRAME]))
    pipe.write(b"\0" * 8)


def _frame(pipe: IO[bytes], value: Any) -> None:
    data = marshal.dumps(value)
    pipe.write(len(data).to_bytes(8, "little"))
    pipe.write(data)


def _read_frame(pipe: IO[bytes]) -> Any:
    """The next frame's value; None at the end frame; EOFError if the pipe ends early."""
    head = pipe.read(8)
    if len(head) != 8:
        raise EOFError
    size = int.from_bytes(head, "little")
    if size == 0:
        return None
    data = pipe.read(size)
    if len(data) != size:
        raise EOFError
    return marshal.loads(data)


def _receive(pipe: IO[bytes]) -> tuple[list[str], list[bytes], set[Signature], set[str]] | None:
    """What the forked process sent, or None if it ended early or sent something else."""
    try:
        first = _read_frame(pipe)
        if first is None:
            return None
        raw_signatures, ends = first
        signatures = {(tuple(names), tuple(_TYPES[t] for t in kinds)) for names, kinds in raw_signatures}
        keys: list[str] = []
        lines: list[bytes] = []
        while (frame := _read_frame(pipe)) is not None:
            keys += frame[0]
            lines += frame[1]
    except (EOFError, ValueError, TypeError, KeyError):
        return None
    if len(keys) != len(lines):
        return None
    return keys, lines, signatures, set(ends)
