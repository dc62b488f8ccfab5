"""`aiorg export` and `aiorg plot`: the graph for Gephi, Cytoscape, Neo4j, Datasette and stories."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiorg.cli.context import KEPT_UNTIL_EXIT, note, state

if TYPE_CHECKING:
    import networkx as nx

FocusOption = Annotated[
    str | None,
    typer.Option("--focus", metavar="NAME", help="Only the neighbourhood of this person, firm, group or product."),
]
DepthOption = Annotated[
    int, typer.Option("--depth", min=0, max=10, help="With --focus: how many hops out (citations are not hops).")
]
TypesOption = Annotated[
    str | None,
    typer.Option(
        "--types",
        metavar="LIST",
        help="Only these node types, comma-separated: person,firm,group,product,deal,event,metric,claim,source.",
    ),
]


def _selected_graph(
    ctx: typer.Context, focus: str | None, depth: int, types: str | None, facts: bool = True
) -> nx.MultiDiGraph:
    """The graph to export or draw; `facts` makes events, metrics and claims nodes too."""
    from aiorg.errors import UsageError
    from aiorg.export.graphs import NODE_TYPES, select
    from aiorg.graph import build_graph

    app_state = state(ctx)
    wanted = None
    if types is not None:
        wanted = frozenset(t.strip() for t in types.split(",") if t.strip())
        unknown = sorted(wanted - set(NODE_TYPES))
        if unknown or not wanted:
            raise UsageError(
                f"--types: unknown node type(s) {', '.join(unknown) or '(none given)'}; "
                f"choose from {', '.join(NODE_TYPES)}"
            )
    focus_id = app_state.resolve(focus) if focus else None
    return select(build_graph(app_state.knowledge_base(), facts=facts), focus_id, depth, wanted)


def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Argument(metavar="FORMAT", help="graphml, gexf, json, csv, sqlite, cypher, neo4j-csv, mermaid or dot."),
    ],
    out: Annotated[
        str, typer.Argument(metavar="OUT", help="File (or directory for csv and neo4j-csv); '-' is stdout.")
    ] = "-",
    focus: FocusOption = None,
    depth: DepthOption = 1,
    types: TypesOption = None,
    with_sources: Annotated[
        bool,
        typer.Option(
            "--with-sources",
            help="dot and mermaid: also draw each record's 'sourced from' edge and the sources (left out by default).",
        ),
    ] = False,
) -> None:
    """Export the graph for the tools you already use, written atomically and byte-for-byte reproducibly.

    Formats: graphml (Gephi, Cytoscape, yEd), gexf (with time intervals), json (node-link),
    csv (nodes.csv + edges.csv), sqlite (for Datasette), cypher and neo4j-csv (Neo4j),
    mermaid and dot (pictures for a README or a story). Every record is in a full export:
    events, metrics and claims are nodes linked to what they are about. --focus/--depth/--types
    select part of the graph; sqlite then holds that part and every record it refers to.
    OUT may be a pipe or device (written as a stream) or a symlink (its target is replaced).
    mermaid and dot leave out the "sourced from" citation edges unless given --with-sources,
    and rendering their Chinese labels needs a CJK font (e.g. Noto Sans CJK SC).

    Example: aiorg export graphml aiorg.graphml
    """
    from aiorg.errors import UsageError
    from aiorg.export import FORMATS
    from aiorg.names import did_you_mean

    chosen = FORMATS.get(fmt.lower())
    if chosen is None:
        raise UsageError(
            f"unknown format {fmt!r}{did_you_mean(fmt.lower(), FORMATS)}; choose from {', '.join(FORMATS)}"
        )
    if with_sources:
        import dataclasses

        from aiorg.export.pictures import WITH_SOURCES

        if chosen.name not in WITH_SOURCES:
            raise UsageError(
                f"--with-sources is for {' and '.join(WITH_SOURCES)}; {chosen.name} always keeps citations"
            )
        chosen = dataclasses.replace(chosen, writer=WITH_SOURCES[chosen.name])
    if out == "-" and (chosen.directory or chosen.name == "sqlite"):
        raise UsageError(f"{chosen.name} writes {'a directory' if chosen.directory else 'a database'}; give OUT")
    if focus is None and types is None:  # the whole knowledge base, built without networkx
        from aiorg.export.whole import ExportGraph

        graph: ExportGraph | nx.MultiDiGraph = ExportGraph.whole_of(state(ctx).knowledge_base())
    else:
        graph = _selected_graph(ctx, focus, depth, types)
    target = None if out == "-" else Path(out)
    summary = chosen.write(state(ctx).knowledge_base(), graph, target)
    KEPT_UNTIL_EXIT.append(graph)
    if target is not None:
        note(f"wrote {chosen.name} to {target}: {summary}")


def plot(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(metavar="OUT", help="Picture to write: .png or .svg.")],
    focus: FocusOption = None,
    depth: DepthOption = 2,
    types: TypesOption = "person,firm,deal,group",
) -> None:
    """Draw the talent-flow and deal network (or a --focus neighbourhood) as PNG or SVG.

    The picture is 1600 px wide. Arrows point the way people and money move: firm -> person
    who left it, person -> firm they work at, buyer -> deal -> target. A deal's bubble area is
    the money agreed (its amount in US$ once agreed or completed), never a valuation; other
    deals are small diamonds. A person is red ("left") only if the firm they left is shown. Labels never overlap and are
    never cut; the legend lists only what is drawn. Chinese names need a CJK font: the plot
    extra bundles Noto Sans CJK (pip install 'aiorg[plot]').

    Example: aiorg plot meta.png --focus meta --depth 2
    """
    from aiorg.errors import UsageError
    from aiorg.plot import draw

    if out.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"{out}: the picture must end in .png or .svg")
    graph = _selected_graph(ctx, focus, depth, types, facts=False)  # the picture shows people, firms and deals
    focus_id = state(ctx).resolve(focus) if focus else None
    for message in draw(state(ctx).knowledge_base(), graph, out, focus_id, depth):
        note(f"aiorg: note: {message}")
    note(f"wrote {out}: {graph.number_of_nodes()} nodes")


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (export, plot)}
