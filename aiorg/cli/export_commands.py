"""`aiorg export` and `aiorg plot`: the graph for Gephi, Cytoscape, Neo4j, Datasette and stories."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aiorg.cli.context import note, state

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
) -> None:
    """Export the graph for the tools you already use, written atomically and byte-for-byte reproducibly.

    Formats: graphml (Gephi, Cytoscape, yEd), gexf (with time intervals), json (node-link),
    csv (nodes.csv + edges.csv), sqlite (for Datasette), cypher and neo4j-csv (Neo4j),
    mermaid and dot (pictures for a README or a story). Every record is in a full export:
    events, metrics and claims are nodes linked to what they are about. --focus/--depth/--types
    select part of the graph; sqlite then holds that part and every record it refers to.
    OUT may be a pipe or device (written as a stream) or a symlink (its target is replaced).

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
    if out == "-" and (chosen.directory or chosen.name == "sqlite"):
        raise UsageError(f"{chosen.name} writes {'a directory' if chosen.directory else 'a database'}; give OUT")
    if focus is None and types is None:  # the whole knowledge base, built without networkx
        from aiorg.export.whole import ExportGraph

        graph: ExportGraph | nx.MultiDiGraph = ExportGraph.whole_of(state(ctx).knowledge_base())
    else:
        graph = _selected_graph(ctx, focus, depth, types)
    target = None if out == "-" else Path(out)
    summary = chosen.write(state(ctx).knowledge_base(), graph, target)
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

    People are coloured by what happened to them (left, advisor, joined); deals are sized
    by value. Chinese labels use Noto Sans CJK. Needs the plot extra: pip install 'aiorg[plot]'.

    Example: aiorg plot meta.png --focus meta --depth 2
    """
    from aiorg.errors import UsageError
    from aiorg.plot import draw

    if out.suffix.lower() not in (".png", ".svg"):
        raise UsageError(f"{out}: the picture must end in .png or .svg")
    graph = _selected_graph(ctx, focus, depth, types, facts=False)  # the picture shows people, firms and deals
    draw(state(ctx).knowledge_base(), graph, out)
    note(f"wrote {out}: {graph.number_of_nodes()} nodes")


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (export, plot)}
