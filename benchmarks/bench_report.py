"""The one results table (plain text or Markdown) and the issue 12 targets, checked at the largest size."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench_commands import EXPORT, GRAPH, JQ, QUERY, VALIDATE, Command
from bench_timing import Measurement

COLD, WARM, EDIT, EDIT_SPELLS = "cold", "warm", "edit", "edit-spells"
MODES = (COLD, WARM, EDIT, EDIT_SPELLS)
#: the import floor measured just before a command's warm runs (the machine's speed drifts
#: during a run of many minutes; a ratio compares two figures taken moments apart)
FLOOR = "floor"
RSS_LIMIT_MB = 1536.0

Key = tuple[str, int, str]  # (command name, people, mode)


def size_label(size: int) -> str:
    """1000 -> 1k."""
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


@dataclass
class Results:
    """Everything one run measured."""

    sizes: list[int]
    commands: list[Command]
    baselines: dict[str, Measurement]
    found: dict[Key, Measurement]
    context: str = ""
    #: (command name, people) -> lines the command printed (a table's rows and rules)
    lines: dict[tuple[str, int], int | None] = field(default_factory=dict)

    @property
    def floor(self) -> float:
        return self.baselines["floor"].seconds

    def floor_for(self, name: str, size: int) -> float:
        """The import floor measured just before this command's warm runs, else the run's own."""
        near = self.found.get((name, size, FLOOR))
        return near.seconds if near is not None and near.ok else self.floor

    def get(self, name: str, size: int, mode: str) -> Measurement | None:
        return self.found.get((name, size, mode))


def _seconds(m: Measurement | None) -> str:
    if m is None:
        return "-"
    if not m.ok:
        return m.status
    return f"{m.seconds:.2f}"


def _ratio(top: Measurement | None, bottom: float | None) -> str:
    if top is None or not top.ok or bottom is None or bottom <= 0:
        return "-"
    return f"{top.seconds / bottom:.1f}x"


def _peak(results: Results, name: str, size: int) -> str:
    peaks = [m.rss_mb for mode in MODES if (m := results.get(name, size, mode)) is not None and m.ok]
    return f"{max(peaks):.0f}" if peaks else "-"


def _row(results: Results, name: str, label: str) -> list[str]:
    cells = [label]
    for size in results.sizes:
        cold, warm, edit, spells = (results.get(name, size, mode) for mode in MODES)
        warm_seconds = warm.seconds if warm is not None and warm.ok else None
        cells += [
            _seconds(cold),
            _seconds(warm),
            _ratio(warm, results.floor_for(name, size)),
            _seconds(edit),
            _ratio(edit, warm_seconds),
            _seconds(spells),
            _ratio(spells, warm_seconds),
            _peak(results, name, size),
        ]
    return cells


COLUMNS = ("cold s", "warm s", "warm/floor", "edit s", "edit/warm", "spell edit s", "spell edit/warm", "peak MB")


def table_rows(results: Results) -> list[list[str]]:
    """One row per command, then the jq peer if it was measured."""
    rows = [_row(results, c.name, c.label) for c in results.commands]
    if any((JQ, size, WARM) in results.found for size in results.sizes):
        rows.append(_row(results, JQ, "peer: jq, who left firm-3 (JSON)"))
    return rows


def problems(results: Results) -> list[str]:
    """Each failed or timed-out measurement with the first line of its stderr."""
    return [
        f"{name} {size_label(size)} {mode}: {m.status} ({m.message})"
        for (name, size, mode), m in results.found.items()
        if not m.ok
    ]


@dataclass(frozen=True)
class Target:
    """One checked target: what, the worst measured value, and ok / MISSED / not measured."""

    what: str
    worst: str
    verdict: str


def _check(what: str, items: Iterable[tuple[str, float | str | None]], limit: float, unit: str) -> Target:
    """`items` are (command, value); a string value is a FAILED/TIMEOUT status, None is not measured."""
    measured = [(name, value) for name, value in items if value is not None]
    if not measured:
        return Target(what, "-", "not measured")
    broken = [f"{name} {value}" for name, value in measured if isinstance(value, str)]
    numbers = [(name, value) for name, value in measured if not isinstance(value, str)]
    digits = 0 if unit == " MB" else 2
    missed = [f"{name} {value:.{digits}f}{unit}" for name, value in numbers if value > limit]
    worst = max(numbers, key=lambda item: item[1]) if numbers else None
    shown = f"{worst[0]} {worst[1]:.{digits}f}{unit}" if worst else "-"
    if broken or missed:
        return Target(what, shown, "MISSED: " + ", ".join(broken + missed))
    return Target(what, shown, "ok")


def targets(results: Results) -> tuple[int, list[Target]]:
    """Issue 12's targets at the largest size measured (its figures are for 100k people)."""
    size = max(results.sizes)

    def near(name: str) -> float:
        return results.floor_for(name, size)

    def value(name: str, mode: str, below: float | None = None, rss: bool = False) -> float | str | None:
        m = results.get(name, size, mode)
        if m is None:
            return None
        if not m.ok:
            return m.status
        if rss:
            return m.rss_mb
        return m.seconds / below if below else m.seconds

    def group(*groups: str) -> list[Command]:
        return [c for c in results.commands if c.group in groups]

    def own_warm(name: str) -> float | None:
        warm = results.get(name, size, WARM)
        return warm.seconds if warm is not None and warm.ok else None

    def peak(name: str) -> float | str | None:
        found = [m for mode in MODES if (m := results.get(name, size, mode)) is not None]
        if not found:
            return None
        broken = [m.status for m in found if not m.ok]
        return broken[0] if broken else max(m.rss_mb for m in found)

    checks = [
        _check("warm listings, profiles, search, stats, deals, timeline, flows <= 2x floor",
               ((c.name, value(c.name, WARM, near(c.name))) for c in group(QUERY)), 2.0, "x"),
        _check("warm path, strategy --matrix <= 4x floor",
               ((c.name, value(c.name, WARM, near(c.name))) for c in group(GRAPH)), 4.0, "x"),
        _check("after one edit (events.yaml) <= 2x own warm",
               ((c.name, value(c.name, EDIT, own_warm(c.name)) if own_warm(c.name) else None)
                for c in results.commands), 2.0, "x"),
        _check("after one edit (tenures.yaml, the largest file) <= 2x own warm",
               ((c.name, value(c.name, EDIT_SPELLS, own_warm(c.name)) if own_warm(c.name) else None)
                for c in results.commands), 2.0, "x"),
        _check("validate warm <= 20x floor", ((c.name, value(c.name, WARM, near(c.name))) for c in group(VALIDATE)),
               20.0, "x"),
        _check("exports, whole command (warm) <= 40x floor",
               ((c.name, value(c.name, WARM, near(c.name))) for c in group(EXPORT)), 40.0, "x"),
        _check("exports peak RSS (any mode) <= 1536 MB", ((c.name, peak(c.name)) for c in group(EXPORT)),
               RSS_LIMIT_MB, " MB"),
        _check("cold first query <= 15 s", ((c.name, value(c.name, COLD)) for c in group(QUERY, GRAPH)), 15.0, " s"),
        _check("cold first query peak RSS <= 1536 MB",
               ((c.name, value(c.name, COLD, rss=True)) for c in group(QUERY, GRAPH)), RSS_LIMIT_MB, " MB"),
    ]  # fmt: skip
    smaller = size // 10
    if smaller in results.sizes:

        def growth(name: str) -> float | str | None:
            before, after = results.get(name, smaller, WARM), results.get(name, size, WARM)
            if before is None or after is None:
                return None
            bad = [m.status for m in (before, after) if not m.ok]
            if bad:
                return bad[0]
            # each against the floor measured just before it: the machine's speed drifts between sizes
            return (after.seconds / results.floor_for(name, size)) / (before.seconds / results.floor_for(name, smaller))

        what = f"warm growth {size_label(smaller)} -> {size_label(size)} (queries) <= 1.5x"
        checks.append(_check(what, ((c.name, growth(c.name)) for c in group(QUERY, GRAPH)), 1.5, "x"))
        checks.append(answer_growth(results, [c.name for c in group(QUERY, GRAPH)], smaller, size))
    else:
        checks.append(
            Target("warm growth over 10x people <= 1.5x", "-", f"not measured (needs {size_label(smaller)} people too)")
        )
    base = results.baselines

    def baseline(name: str, below: Measurement) -> float | str:
        top = base[name]
        return top.seconds / below.seconds if top.ok and below.ok else (top.status if not top.ok else below.status)

    checks.append(
        _check(
            "(earlier issue) bundled query <= 1.3x floor", [("bundled", baseline("bundled", base["floor"]))], 1.3, "x"
        )
    )
    checks.append(
        _check(
            "(earlier issue) aiorg --help <= 1.3x import typer", [("--help", baseline("help", base["typer"]))], 1.3, "x"
        )
    )
    return size, checks


def answer_growth(results: Results, names: list[str], smaller: int, size: int) -> Target:
    """Not a target: how many times more lines each query printed at `size` than at `smaller`,
    to read beside its warm growth (an answer ten times longer is read and drawn ten times)."""
    grown = []
    for name in names:
        before, after = results.lines.get((name, smaller)), results.lines.get((name, size))
        if before and after is not None:
            grown.append((name, after / before))
    what = f"(context) lines printed, {size_label(smaller)} -> {size_label(size)}"
    if not grown:
        return Target(what, "-", "not measured")
    worst = max(grown, key=lambda item: item[1])
    longer = ", ".join(f"{name} {ratio:.1f}x" for name, ratio in grown if ratio >= 1.5)
    return Target(what, f"{worst[0]} {worst[1]:.1f}x", f"longer answers: {longer}" if longer else "none 1.5x longer")


def _width(text: str) -> int:
    """Terminal cells: a CJK character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _text_table(header_groups: Sequence[str], headers: Sequence[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in [list(headers), *rows]) for i in range(len(headers))]
    per = len(COLUMNS)
    top = " " * widths[0]
    for index, name in enumerate(header_groups):
        span = sum(widths[1 + index * per : 1 + (index + 1) * per]) + 2 * (per - 1)
        top += " | " + f" {name} ".center(span, "-")
    lines = [top]
    for row in [list(headers), *rows]:
        line = row[0] + " " * (widths[0] - _width(row[0]))
        for index in range(len(header_groups)):
            cells = row[1 + index * per : 1 + (index + 1) * per]
            line += " | " + "  ".join(c.rjust(w) for c, w in zip(cells, widths[1 + index * per :], strict=False))
        lines.append(line.rstrip())
    return lines


def render_text(results: Results) -> str:
    """The table, its problems and the targets, for the terminal."""
    sizes = [f"{size_label(s)} people" for s in results.sizes]
    lines = [results.context, ""]
    lines += _text_table(sizes, ["command", *COLUMNS * len(results.sizes)], table_rows(results))
    if found := problems(results):
        lines += ["", "Failed or timed out:", *(f"  {p}" for p in found)]
    size, checked = targets(results)
    lines += ["", f"Targets at {size_label(size)} people (issue 12's figures are for 100k):"]
    width = max(len(t.what) for t in checked)
    lines += [f"  {t.what:<{width}}  worst {t.worst:<24} {t.verdict}" for t in checked]
    return "\n".join(lines) + "\n"


def render_markdown(results: Results) -> str:
    """The same table and targets as Markdown."""
    headers = ["command"] + [f"{size_label(s)} {c}" for s in results.sizes for c in COLUMNS]
    lines = [results.context, "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in table_rows(results):
        lines.append("| " + " | ".join([f"`{row[0]}`", *row[1:]]) + " |")
    if found := problems(results):
        lines += ["", "Failed or timed out:", "", *(f"- {p}" for p in found)]
    size, checked = targets(results)
    lines += ["", f"Targets at {size_label(size)} people (issue 12's figures are for 100k):", ""]
    lines += ["| target | worst | verdict |", "|---|---|---|"]
    lines += [f"| {t.what} | {t.worst} | {t.verdict} |" for t in checked]
    return "\n".join(lines) + "\n"
