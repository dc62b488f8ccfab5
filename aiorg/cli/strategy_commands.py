"""`aiorg strategy`: derived and stated strategy labels, their agreement and evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from aiorg.cli.context import emit, note, state
from aiorg.cli.options import FormatOption, LimitOption, SinceOption, UntilOption, page_size
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat


def strategy(
    ctx: typer.Context,
    firm: Annotated[str | None, typer.Argument(help="One firm (any of its names); all firms if omitted.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="Only firms with this derived or stated label.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    show_matrix: Annotated[bool, typer.Option("--matrix", help="Firms × signals comparison table instead.")] = False,
    show_labels: Annotated[bool, typer.Option("--labels", help="List the strategy taxonomy and exit.")] = False,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules", metavar="FILE", help="Rules file with your own thresholds (see aiorg/strategy_rules.yaml)."
        ),
    ] = None,
    evidence: Annotated[
        bool, typer.Option("--evidence/--no-evidence", help="With a table, also list each fact behind each signal.")
    ] = True,
    limit: LimitOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Classify each firm's catch-up strategy from its own facts, and compare with what sources state.

    Derived labels come from signals (money committed, people sought, executive
    departures, product cutbacks, pivots, reorganisations, ...) and the rules in
    strategy_rules.yaml; stated labels come from sourced claims. A firm with no
    evidence is "unclassified". With --since/--until only evidence in the window counts.

    Example: aiorg strategy meta
    """
    from aiorg import strategy as strategy_module
    from aiorg.cli.parsing import choice as _choice
    from aiorg.cli.parsing import window_of as _window
    from aiorg.model import Strategy

    if show_labels:
        emit(
            strategy_module.label_table(),
            [
                Column("label", "Label"),
                Column("name", "Name"),
                Column("name_zh", "中文"),
                Column("definition", "Definition"),
            ],
            fmt,
            shapes.LABEL,
        )
        return
    rule_set = _rules(rules)
    app_state = state(ctx)
    kb = app_state.knowledge_base()
    window = _window(since, until)
    if show_matrix:
        columns = [Column("name", "Firm"), Column("name_zh", "中文名")]
        columns += [Column(s, s.replace("_usd", " $").replace("_", " ")) for s in strategy_module.MATRIX_SIGNALS]
        columns += [Column("derived", "Derived"), Column("stated_text", "Stated"), Column("agreement", "Agreement")]
        rows, total = strategy_module.matrix_page(kb, window=window, rules=rule_set, limit=page_size(limit, fmt))
        if fmt is OutputFormat.TABLE:
            from aiorg.money import format_amount

            money = [s for s in strategy_module.MATRIX_SIGNALS if s.endswith("_usd")]
            rows = [{**row, **{s: format_amount(row[s]) for s in money}} for row in rows]
        emit(rows, columns, fmt, shapes.matrix(), what="firms, by name", total=total)
        return
    rows, total = strategy_module.classify_page(
        kb,
        firm=app_state.resolve(firm, ("firms",)) if firm else None,
        label=_choice(Strategy, label, "--label"),
        window=window,
        rules=rule_set,
        limit=page_size(limit, fmt),
        with_evidence=fmt is not OutputFormat.TABLE,  # a table reads a page of it, below
    )
    if fmt is not OutputFormat.TABLE:  # CSV has the JSON's keys, nested lists written as JSON text
        emit(rows, [], fmt, shapes.STRATEGY, what="firms, by name", total=total)
        return
    emit(
        [_flat(row) for row in rows],
        [
            Column("name", "Firm"),
            Column("name_zh", "中文名"),
            Column("derived_text", "Derived (score)"),
            Column("stated_text", "Stated"),
            Column("agreement", "Agreement"),
        ],
        fmt,
        shapes.STRATEGY,
        what="firms, by name",
        total=total,
    )
    if evidence:
        shown = page_size(limit, fmt)
        names = {row["firm"]: row["name"] for row in rows}
        facts, count = strategy_module.evidence_page(kb, list(names), window=window, limit=shown)
        evidence_rows = [{"firm": names[firm], **item} for firm, item in facts]
        evidence_rows += [
            {
                "firm": row["name"],
                "signal": "stated",
                "record": claim["claim"],
                "date": None,
                "text": claim["text"]
                + (f" (via {', '.join(claim['via'])})" if claim["via"] else "")
                + strategy_module.sureness([claim["certainty"]]),
                "source": claim["source"],
                "quote": claim["quote"],
                "checked": claim["checked"],
            }
            for row in rows
            for claim in row["stated"]
        ]
        total_facts = count + len(evidence_rows) - len(facts)  # each firm's facts, then what sources state
        if total_facts:
            emit(
                evidence_rows if shown is None else evidence_rows[:shown],
                [
                    Column("firm", "Firm"),
                    Column("signal", "Signal"),
                    Column("date", "Date", date=True),
                    Column("text", "Fact"),
                    Column("quote", "Quote"),
                    Column("checked", "Checked"),
                ],
                fmt,
                shapes.EVIDENCE,
                what="facts of evidence, firm by firm",
                total=total_facts,
            )
        if total > len(rows):  # said again last, where a reader of a long answer looks
            note(f"note: the evidence is for the first {len(rows):,} of {total:,} firms; --limit 0 shows all")


def _flat(row: dict[str, object]) -> dict[str, object]:
    derived = row["derived"]
    stated = row["stated"]
    assert isinstance(derived, list) and isinstance(stated, list)
    return {
        "firm": row["firm"],
        "name": row["name"],
        "name_zh": row["name_zh"],
        "derived_text": ", ".join(f"{d['label']} ({d['score']:g})" for d in derived) or "—",
        "stated_text": ", ".join(_stated_labels(stated)) or "—",
        "agreement": row["agreement"],
        "only_derived": row["only_derived"],
        "only_stated": row["only_stated"],
    }


def _stated_labels(stated: list[dict[str, Any]]) -> list[str]:
    """Each stated label once, sorted, marked with its claims' certainties when no claim for it
    is confirmed: 'mission_retention [reported]' (a firm's evidence marks each claim)."""
    from aiorg.strategy import sureness

    certainties: dict[str, list[str]] = {}
    for claim in stated:
        certainties.setdefault(claim["label"], []).append(claim["certainty"])
    return [label + sureness(certainties[label]) for label in sorted(certainties)]


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (strategy,)}


def _rules(path: Path | None) -> list[Any]:
    """The bundled rules, or the --rules file: a missing or broken file is a usage error (exit 2)."""
    from aiorg import strategy as strategy_module
    from aiorg.errors import DataError, OptionFileError, UsageError

    if path is None:
        return strategy_module.load_rules()
    if path.is_dir():
        raise UsageError(f"--rules: {path} is a directory; give a rules file like aiorg/strategy_rules.yaml")
    if not path.exists():
        raise UsageError(f"--rules: no such file: {path}")
    try:
        return strategy_module.load_rules(path)
    except DataError as error:
        raise OptionFileError("--rules", error.problems) from None
