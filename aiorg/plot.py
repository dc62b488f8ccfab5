"""A picture of the network, behind the `plot` extra (matplotlib and a CJK font)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiorg.errors import AiorgError, ExitCode
from aiorg.export.files import atomic_path
from aiorg.model import DEPARTURE_CAUSES, EndCause

if TYPE_CHECKING:
    import networkx as nx

    from aiorg.kb import KnowledgeBase

COLOURS = {
    "left": "#d62728",
    "advisor": "#ff7f0e",
    "joined": "#2ca02c",
    "sought": "#98df8a",
    "person": "#7f7f7f",
    "firm": "#1f77b4",
    "group": "#9467bd",
    "product": "#17becf",
    "deal": "#bcbd22",
}


class MissingExtraError(AiorgError):
    """An optional dependency is not installed."""

    exit_code = ExitCode.USAGE_ERROR


def _cjk_font() -> str:
    """Register Noto Sans CJK with matplotlib and return its family name."""
    from importlib import resources

    from matplotlib import font_manager

    try:
        font_file = resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"
    except ModuleNotFoundError:
        raise MissingExtraError("plotting Chinese names needs the CJK font: pip install 'aiorg[plot]'") from None
    path = str(font_file)
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def person_status(kb: KnowledgeBase, person_id: str) -> str:
    """left / advisor / joined / sought / person: what the colour of a person node says."""
    spells = kb.tenures_by_person.get(person_id, [])
    causes = {t.end_cause for t in spells}
    if causes & (DEPARTURE_CAUSES - {EndCause.ADVISOR}):
        return "left"
    if EndCause.ADVISOR in causes:
        return "advisor"
    moved_by = [d for d in kb.deals if person_id in d.people and d.superseded_by is None]
    if any(t.after for t in spells) or any(d.status.value in ("agreed", "completed") for d in moved_by):
        return "joined"
    return "sought" if moved_by else "person"


def draw(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path) -> None:
    """Lay out and draw the graph; deterministic for the same data (fixed seed)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.lines import Line2D
    except ModuleNotFoundError:
        raise MissingExtraError("plotting needs matplotlib: pip install 'aiorg[plot]'") from None
    import networkx as nx

    family = _cjk_font()
    matplotlib.rcParams["font.family"] = [family]
    matplotlib.rcParams["svg.hashsalt"] = "aiorg"  # stable ids in SVG output
    simple = nx.Graph(graph)
    simple.remove_nodes_from([n for n in list(simple) if simple.degree(n) == 0])  # uncited outlets and the like
    positions = nx.spring_layout(simple, seed=7, k=1.2 / max(1, len(simple)) ** 0.5)
    colours: list[str] = []
    sizes: list[float] = []
    for node, data in simple.nodes(data=True):
        node_type = str(data.get("type"))
        colours.append(COLOURS[person_status(kb, node)] if node_type == "person" else COLOURS.get(node_type, "#cccccc"))
        value = max(float(data.get("amount_usd", 0)), float(data.get("valuation_usd", 0)))
        sizes.append(300 + min(value / 1e9, 40) * 60 if node_type == "deal" else 400)
    figure, axes = plt.subplots(figsize=(16, 11), dpi=110)
    nx.draw_networkx_edges(simple, positions, ax=axes, alpha=0.35, width=0.8)
    nx.draw_networkx_nodes(simple, positions, ax=axes, node_color=colours, node_size=sizes, alpha=0.9)
    labels: dict[Any, str] = {n: str(d.get("label", n))[:28] for n, d in simple.nodes(data=True)}
    nx.draw_networkx_labels(simple, positions, labels=labels, ax=axes, font_size=7, font_family=family)
    handles = [Line2D([0], [0], marker="o", linestyle="", color=c, label=k) for k, c in COLOURS.items()]
    axes.legend(handles=handles, loc="lower left", fontsize=8, frameon=False)
    axes.set_axis_off()
    figure.tight_layout()
    with atomic_path(out) as temporary:
        figure.savefig(
            temporary,
            format=out.suffix.lstrip(".").lower(),
            metadata={"Date": None} if out.suffix.lower() == ".svg" else {"Software": None},
        )
    plt.close(figure)
