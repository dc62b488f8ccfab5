"""A picture of the network for a story, behind the `plot` extra (matplotlib and a CJK font).

What is drawn is decided in aiorg.plot_scene, where nodes go in aiorg.plot_layout and
where labels go in aiorg.plot_labels; this module turns that into a 1600 × 1000 px figure
with a title, a source credit and a legend that lists only what is drawn.
"""

from __future__ import annotations

import contextlib
import math
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aiorg.errors import AiorgError, ExitCode
from aiorg.export.files import atomic_path
from aiorg.plot_labels import Anchor, Box, Placement, Segment, leader_end, place_labels
from aiorg.plot_layout import layout, separate
from aiorg.plot_scene import EDGE_STYLES, NODE_STYLES, Scene, build_scene, legend_entries, money_text, reference_amounts

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

    from aiorg.kb import KnowledgeBase

WIDTH_IN, HEIGHT_IN, DPI = 16.0, 10.0, 100  # 1600 × 1000 pixels
PLOT_AREA = (0.01, 0.05, 0.75, 0.86)  # left, bottom, width, height (figure fractions)
LABEL_POINTS = (8.5, 7.5, 6.5)  # label font sizes to try, largest first
#: CJK families to look for when the bundled Noto font is not installed
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
)
FONT_ADVICE = (
    "Chinese names need a CJK font and none was found, so they show as boxes: "
    "pip install 'aiorg[plot]' (bundles Noto Sans CJK) or install one (e.g. apt-get install fonts-noto-cjk)"
)
_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


class MissingExtraError(AiorgError):
    """An optional dependency is not installed."""

    exit_code = ExitCode.USAGE_ERROR


class TooCrowdedError(AiorgError):
    """The labels cannot all be placed without overlapping."""

    exit_code = ExitCode.USAGE_ERROR


def cjk_font() -> str | None:
    """Register a CJK font with matplotlib and return its family name; None when there is none."""
    from importlib import resources

    from matplotlib import font_manager

    try:
        font_file = resources.files("noto_cjk_sans_otc") / "NotoSansCJK-Regular.ttc"
        path = str(font_file)
        font_manager.fontManager.addfont(path)
        return str(font_manager.FontProperties(fname=path).get_name())
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        pass
    for family in SYSTEM_CJK_FAMILIES:
        with contextlib.suppress(ValueError):
            font_manager.findfont(family, fallback_to_default=False)
            return family
    return None


def _matplotlib() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        raise MissingExtraError("plotting needs matplotlib: pip install 'aiorg[plot]'") from None
    return plt


@contextlib.contextmanager
def _quiet_missing_glyphs(active: bool) -> Iterator[None]:
    """Without a CJK font, matplotlib warns once per missing glyph; the note says it once."""
    with warnings.catch_warnings():
        if active:
            warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def render(
    kb: KnowledgeBase, graph: nx.MultiDiGraph, focus: str | None = None, depth: int = 0
) -> tuple[Figure, Scene, list[str]]:
    """The figure (not saved), the scene it draws and notes for the user (e.g. a missing font)."""
    plt = _matplotlib()
    from matplotlib.patches import FancyArrowPatch

    scene = build_scene(kb, graph, focus, depth)
    family = cjk_font()
    notes: list[str] = []
    needs_cjk = any(_CJK.search(n.label) for n in scene.nodes) or bool(_CJK.search(scene.credit))
    if family is None and needs_cjk:
        notes.append(FONT_ADVICE)
    plt.rcParams["font.family"] = [family] if family else ["DejaVu Sans"]
    plt.rcParams["svg.hashsalt"] = "aiorg"  # stable ids in SVG output
    with _quiet_missing_glyphs(family is None):
        figure = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        axes = figure.add_axes(PLOT_AREA)
        axes.set_axis_off()
        axes.set_xlim(-0.03, 1.03)
        axes.set_ylim(-0.04, 1.04)
        width_px, height_px = PLOT_AREA[2] * WIDTH_IN * DPI, PLOT_AREA[3] * HEIGHT_IN * DPI
        positions = layout(
            [n.id for n in scene.nodes],
            [(e.source, e.target) for e in scene.edges],
            width_px / height_px,
            weights={n.id: 1.0 + len(n.label) / 30 for n in scene.nodes},  # long labels need room
        )
        radius = {n.id: math.sqrt(n.size) / 2 for n in scene.nodes}  # points
        positions = separate(positions, {n: r * DPI / 72 for n, r in radius.items()}, (width_px, height_px))
        for edge in scene.edges:
            _, colour, style, line_width = EDGE_STYLES[edge.category]
            axes.add_patch(
                FancyArrowPatch(
                    positions[edge.source],
                    positions[edge.target],
                    arrowstyle="-|>",
                    mutation_scale=8 + 2 * line_width,
                    shrinkA=radius[edge.source] + 1,
                    shrinkB=radius[edge.target] + 2,
                    connectionstyle="arc3,rad=0.05",
                    color=colour,
                    linestyle=style,
                    linewidth=line_width,
                    zorder=2,
                )
            )
        for category, (_, colour, marker) in NODE_STYLES.items():
            members = [n for n in scene.nodes if n.category == category]
            if members:
                axes.scatter(
                    [positions[n.id][0] for n in members],
                    [positions[n.id][1] for n in members],
                    s=[n.size for n in members],
                    c=colour,
                    marker=marker,
                    edgecolors=["#111111" if n.id == focus else "white" for n in members],
                    linewidths=[2.0 if n.id == focus else 0.8 for n in members],
                    alpha=0.9,
                    zorder=3,
                )
        _labels(figure, axes, scene, positions)
        _frame(figure, scene)
    return figure, scene, notes


def _labels(figure: Figure, axes: Any, scene: Scene, positions: dict[str, tuple[float, float]]) -> None:
    """Place every label without overlaps, trying smaller fonts before giving up."""
    renderer = cast(Any, figure.canvas).get_renderer()
    to_pixels = axes.transData.transform
    centres = {n.id: tuple(to_pixels(positions[n.id])) for n in scene.nodes}
    scale = DPI / 72
    markers: list[Box] = []
    for node in scene.nodes:
        x, y = centres[node.id]
        r = math.sqrt(node.size) / 2 * scale
        markers.append((x - r, y - r, x + r, y + r))
    segments: list[Segment] = [(*centres[e.source], *centres[e.target]) for e in scene.edges]
    box = axes.get_window_extent(renderer)
    area: Box = (box.x0, box.y0, box.x1, box.y1)
    order = sorted(scene.nodes, key=lambda n: (-n.importance, n.id))
    for points in LABEL_POINTS:
        texts = {}
        anchors = []
        for node in order:
            bold = node.type in ("firm", "group")
            text = axes.text(
                0,
                0,
                "\n".join(node.lines),
                fontsize=points + (1.0 if bold else 0),
                color="#102a4c" if bold else "#222222" if node.type != "deal" else "#5a4a00",
                ha="center",
                va="center",
                zorder=5,
                gid=f"label:{node.id}",
                linespacing=1.1,
                bbox={"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            )
            extent = text.get_window_extent(renderer)
            texts[node.id] = text
            x, y = centres[node.id]
            r = math.sqrt(node.size) / 2 * scale
            anchors.append(Anchor(node.id, x, y, r, extent.width, extent.height))
        placements = place_labels(anchors, markers, segments, area)
        if placements is not None:
            _put(axes, texts, placements, centres)
            return
        for text in texts.values():
            text.remove()
    raise TooCrowdedError("the picture is too crowded to label without overlaps; narrow it with --focus or --types")


def _put(axes: Any, texts: dict[str, Any], placements: dict[str, Placement], centres: dict[str, Any]) -> None:
    to_data = axes.transData.inverted().transform
    for node_id, text in texts.items():
        placed = placements[node_id]
        text.set_position(tuple(to_data((placed.x, placed.y))))
        cosine = math.cos(placed.direction)
        text.set_multialignment("left" if cosine > 0.3 else "right" if cosine < -0.3 else "center")
        if placed.leader:
            x, y = centres[node_id]
            end = leader_end(x, y, placed.box)
            xs, ys = zip(to_data(centres[node_id]), to_data(end), strict=True)
            axes.plot(xs, ys, color="#9a9a9a", linewidth=0.6, zorder=2.5)


def _frame(figure: Figure, scene: Scene) -> None:
    """Title, subtitle, source credit and the legend of what is drawn."""
    from matplotlib.lines import Line2D

    figure.text(0.01, 0.965, scene.title, fontsize=18, va="center", gid="title")
    figure.text(0.01, 0.932, scene.subtitle, fontsize=10.5, color="#555555", va="center", gid="subtitle")
    figure.text(0.01, 0.018, scene.credit, fontsize=8.5, color="#555555", va="center", gid="credit")
    node_kinds, edge_kinds = legend_entries(scene)
    sections: list[tuple[str, list[Any], str, float]] = []
    handles = []
    for category in node_kinds:
        text, colour, marker = NODE_STYLES[category]
        if category == "deal_agreed":
            text += " (bubble)"
        handles.append(Line2D([], [], marker=marker, linestyle="", markersize=8, color=colour, label=text))
    sections.append(("What the dots are", handles, "nodes", 0.7))
    handles = [
        Line2D(
            [],
            [],
            color=EDGE_STYLES[c][1],
            linestyle=cast(Any, EDGE_STYLES[c][2]),
            linewidth=1.6,
            label=EDGE_STYLES[c][0],
        )
        for c in edge_kinds
    ]
    if handles:
        sections.append(("What the arrows say", handles, "edges", 0.7))
    sizes = reference_amounts(scene)
    if sizes:
        colour = NODE_STYLES["deal_agreed"][1]
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=math.sqrt(scene.bubble_area(amount)),
                color=colour,
                alpha=0.9,
                label=money_text(amount),
            )
            for amount in sizes
        ]
        tallest = math.sqrt(scene.bubble_area(sizes[-1])) / 9  # in font sizes
        sections.append(("Bubble area = money agreed (US$);\nvaluations are not drawn", handles, "sizes", tallest))
    renderer = cast(Any, figure.canvas).get_renderer()
    top = 0.91
    for title, entries, gid, height in sections:
        legend = figure.legend(
            handles=entries,
            title=title,
            loc="upper left",
            bbox_to_anchor=(0.775, top),
            fontsize=9,
            title_fontsize=9.5,
            frameon=False,
            alignment="left",
            labelspacing=0.5,
            handleheight=height,
            borderpad=0.2,
        )
        legend.set_gid(f"legend:{gid}")
        top = figure.transFigure.inverted().transform((0, legend.get_window_extent(renderer).y0))[1] - 0.015


def draw(kb: KnowledgeBase, graph: nx.MultiDiGraph, out: Path, focus: str | None = None, depth: int = 0) -> list[str]:
    """Draw and save to `out` (.png or .svg), deterministically; returns notes for the user."""
    plt = _matplotlib()
    figure, _, notes = render(kb, graph, focus, depth)
    fmt = out.suffix.lstrip(".").lower()
    try:
        with _quiet_missing_glyphs(bool(notes)), atomic_path(out) as temporary:
            figure.savefig(
                temporary,
                format=fmt,
                dpi=DPI,
                facecolor="white",
                metadata={"Date": None} if fmt == "svg" else {"Software": None},
            )
    finally:
        plt.close(figure)
    return notes
