"""GEXF 1.2 in dynamic mode, written by networkx's GEXFWriter a few thousand nodes or edges at
a time.

networkx builds the XML tree of the whole graph before writing a byte: at 100k people that
tree took 8.5 GB. Here the same writer (so the same attribute ids, types and spells) turns
one chunk at a time into elements, which are indented as the whole tree would indent them,
written to a temporary file and dropped. The attribute declarations come first in the file
but are known only at the end, so the document is the writer's own skeleton (declarations,
empty node and edge lists) with the chunks spliced in: the bytes are those of writing the
whole tree at once (tests/test_export_stream.py).
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, tostring

from aiorg.export.files import atomic_text
from aiorg.export.naming import edge_attributes

if TYPE_CHECKING:
    from aiorg.export.whole import ExportGraph
    from aiorg.kb import KnowledgeBase

_CHUNK = 2048  # nodes or edges turned into elements at a time
_LEVEL = 3  # <gexf> <graph> <nodes> <node>: how deep a node or edge sits
_HOLE = "aiorg-chunks-go-here"  # the one placeholder in each list of the skeleton
_PLACEHOLDER = f'<{_HOLE} id="{_HOLE}" />'


def timed(data: dict[str, Any]) -> dict[str, Any]:
    """A node's or edge's attributes for GEXF: `start`/`end` become ISO days (what Gephi's
    timeline reads), the text kept as `start_text`/`end_text`; deals start on their latest
    status date. (Edges: `type` is already `relation`, as GEXF reserves an edge's type.)"""
    for bound, edge in (("start", "earliest"), ("end", "latest")):
        text = data.pop(bound, None)
        if text is not None:
            data[f"{bound}_text"] = text
        day = data.get(f"{bound}_{edge}")
        if data.get("type") == "deal" and bound == "start":
            day = data.get("date_earliest")
        if day is not None:
            data[bound] = day
    return data


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def write_gexf(kb: KnowledgeBase, graph: ExportGraph, out: Path | None) -> None:
    """GEXF 1.2 in dynamic mode: role spells and deals carry start/end days; edge ids are the keys.

    Two things networkx writes are taken out: `name=""` on <graph>, which the GEXF schema does
    not allow, and the meta's lastmodifieddate, so the file is the same every day.
    """
    import networkx as nx
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # the <graph> element GEXFWriter.add_graph makes (no graph attribute sets its mode)
    writer.graph_element = Element("graph", defaultedgetype="directed", mode="static", name="")
    nodes = dict(graph.nodes)
    with tempfile.TemporaryFile() as body:
        node_texts = _elements(
            writer,
            "nodes",
            (_subgraph(nx, ((node, timed(dict(data))) for node, data in chunk), ()) for chunk in _chunks(graph.nodes)),
            body,
        )
        edge_texts = _elements(
            writer,
            "edges",
            (
                _subgraph(
                    nx,
                    # sources first, in order: networkx lists a graph's edges by source, in node order
                    (
                        (end, nodes.get(end, {}))
                        for ends in ((u for u, *_ in chunk), (v for _, v, *_ in chunk))
                        for end in ends
                    ),
                    ((u, v, key, timed({"id": key, **edge_attributes(data)})) for u, v, key, data in chunk),
                )
                for chunk in _chunks(graph.edges)
            ),
            body,
        )
        spans = [span for span in (node_texts, edge_texts) if span[0] != span[1]]
        parts = _skeleton(writer, node_texts[0] != node_texts[1], edge_texts[0] != edge_texts[1]).split(_PLACEHOLDER)
        with atomic_text(out) as stream:
            stream.write(parts[0])
            for (start, end), part in zip(spans, parts[1:], strict=True):
                body.seek(start)  # the chunks, without the last one's indent (the list's close follows)
                _copy(body, stream, end - start - len("\n" + "  " * _LEVEL))
                stream.write(part)


def _subgraph(nx: Any, nodes: Iterable[tuple[str, dict[str, Any]]], edges: Iterable[Any]) -> Any:
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(nodes)
    for u, v, key, data in edges:
        sub.add_edge(u, v, key=key, **data)
    return sub


def _elements(writer: Any, kind: str, graphs: Iterator[Any], body: IO[bytes]) -> tuple[int, int]:
    """Write each chunk's <node> or <edge> elements to `body`, each indented with the indent the
    whole tree gives it; returns where they start and end in `body`."""
    start = body.tell()
    add = writer.add_nodes if kind == "nodes" else writer.add_edges
    for sub in graphs:
        holder = Element("graph")
        add(sub, holder)
        for element in holder[0]:
            writer.indent(element, _LEVEL)
            body.write(tostring(element, encoding="unicode").encode())
        sub.clear()  # a networkx graph refers to itself (its cached views): with the collector off
        # (see aiorg.cli.main) it would live on, and with it every attribute of the chunk
    return start, body.tell()


def _skeleton(writer: Any, has_nodes: bool, has_edges: bool) -> str:
    """The whole document with one placeholder in each non-empty list, as networkx writes it."""
    graph = writer.graph_element
    for kind, filled in (("nodes", has_nodes), ("edges", has_edges)):
        element = Element(kind)
        if filled:
            element.append(Element(_HOLE, id=_HOLE))
        graph.append(element)
    writer.xml.append(graph)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    graph.attrib.pop("name", None)
    graph.set("timeformat", "date")
    writer.indent(writer.xml)
    text = tostring(writer.xml, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text.rstrip("\n") + "\n"


def _copy(source: IO[bytes], target: IO[str], size: int) -> None:
    """Copy `size` bytes of UTF-8 from `source` to the text stream `target`."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    while size > 0:
        block = source.read(min(size, 1 << 20))
        if not block:
            break
        target.write(decoder.decode(block))
        size -= len(block)
    target.write(decoder.decode(b"", final=True))
