"""Commands about the knowledge base itself: validate and stats."""

from __future__ import annotations

import typer

from aiorg.cli.context import KEPT_UNTIL_EXIT, emit, note, state
from aiorg.cli.options import FormatOption
from aiorg.queries import shapes
from aiorg.render import Column, OutputFormat


def validate(ctx: typer.Context) -> None:
    """Check schema, references, duplicates, dates and that every quote is verbatim in its source.

    A quote whose source has no archived text (no 'file', or the file is not there) cannot be
    checked: the summary counts it as unchecked and names those sources. A source that gives
    'sha256' must have a text with exactly that hash.

    Prints every problem as path:line:col: message on stderr and exits 1 if any.

    Example: aiorg validate --data ./my-kb/data
    """
    from aiorg.cache import Cache, default_dir
    from aiorg.cli.context import progress_bar
    from aiorg.loader import load
    from aiorg.paths import default_data_dir

    app_state = state(ctx)
    data_dir = default_data_dir(app_state.data_dir)
    cache = Cache(default_dir()) if app_state.use_cache else None
    with progress_bar("validating") as advance:
        kb = load(data_dir, check_quotes=True, cache=cache, progress=advance, retain=KEPT_UNTIL_EXIT)
    from aiorg.queries.sources import quote_tally

    total = sum(kb.counts().values())
    if all(path.exists() for path in kb.source_texts.values()) and len(kb.source_texts) == len(kb.sources):
        # Every source has its text and the load checked every quote against it: nothing to count
        # (counting reads every record: seconds at 100k people).
        note(f"ok: {total} records in {data_dir}, every quote found in its source")
        return
    tally = quote_tally(kb)
    if not tally.unchecked:
        note(f"ok: {total} records in {data_dir}, every quote found in its source ({tally.found} quotes)")
    else:
        without = ", ".join(tally.without_text)
        note(
            f"ok: {total} records in {data_dir}, {tally.found} quotes found in their sources,"
            f" {tally.unchecked} unchecked (sources without text: {without})"
        )


def stats(ctx: typer.Context, fmt: FormatOption = OutputFormat.TABLE) -> None:
    """Count the records of each kind, and the nodes and edges a whole export writes.

    The graph counted is the one `aiorg export` writes: people, firms, groups, products, deals
    and sources, with events, metrics and claims as nodes too.

    Example: aiorg stats --format json
    """
    from aiorg.queries.stats import stats as count_all

    rows = count_all(state(ctx).knowledge_base())
    emit(rows, [Column("kind", "Kind"), Column("count", "Count")], fmt, shapes.STAT)


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (validate, stats)}
