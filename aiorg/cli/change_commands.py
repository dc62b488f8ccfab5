"""The change feed: what changed in the knowledge base between two git revisions."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from aiorg.cli.context import KEPT_UNTIL_EXIT, emit, note, state
from aiorg.cli.options import FormatOption
from aiorg.render import Column, OutputFormat

if TYPE_CHECKING:
    from aiorg.gitrevs import Revision

CHANGE_COLUMNS = [
    Column("change", "Change"),
    Column("kind", "Kind", drop=2),
    Column("record", "Record", drop=1),
    Column("summary", "What changed"),
    Column("source", "Source", drop=3),
]


def changes(
    ctx: typer.Context,
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="REV",
            help="The earlier revision: a commit, HEAD~3, a tag, a branch, or a date YYYY-MM-DD "
            "(the last commit on HEAD made before that day).",
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="REV",
            help="The later revision (same forms); default: the files on disk, uncommitted edits included. "
            "--until HEAD compares committed versions only. A commit earlier than --since is refused.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """What changed in the knowledge base between two git revisions, as facts, not lines.

    Reports role spells whose end changed ('left' -> 'advisor'), people who moved from one firm to
    another, deals whose status moved (rumoured -> agreed) or whose amount was revised, a deal's
    step, a condition or another source's claim that changed (each field of it that differs, an
    inferred mark included: 'step asked 2025-04: date now marked inferred'), records added or
    removed, and sources added to or removed from a record. A record moved between
    files is not reported. The data directory must be in a git repository. A file most of whose
    records changed is read from the file cache when that version is there, and kept there
    (--no-cache: neither).

    Example: aiorg changes --since HEAD~1
    """
    from aiorg.cache import Cache, default_dir
    from aiorg.changes import CHANGE_KEYS, compare
    from aiorg.changes import changes as change_feed
    from aiorg.changes_json import write_feed_json
    from aiorg.datafiles import gc_paused
    from aiorg.paths import default_data_dir

    options = state(ctx)
    cache = Cache(default_dir()) if options.use_cache else None
    # Millions of objects that all live until the process ends (a feed of everything): the
    # collector would only walk them, and they are never freed one by one.
    with gc_paused():
        if fmt is OutputFormat.JSON:  # what emit writes, without a dict per row
            compared = compare(default_data_dir(options.data_dir), since, until, cache)
            KEPT_UNTIL_EXIT.append(compared)
            if not write_feed_json(compared, CHANGE_KEYS, sys.stdout):  # the note emit gives an empty feed
                note(_empty(_title(compared.sides[0].revision, compared.sides[1].revision)))
            return
        feed = change_feed(default_data_dir(options.data_dir), since, until, cache)
        KEPT_UNTIL_EXIT.append(feed)
        title = _title(feed.since, feed.until)
        rows = feed.rows
        KEPT_UNTIL_EXIT.append(rows)
        emit(rows, CHANGE_COLUMNS, fmt, CHANGE_KEYS, title=title, empty=_empty(title))


def _title(since: Revision, until: Revision) -> str:
    """The feed's title: 'Changes from 1a2b3c4d5e (v1) to working tree'."""
    return f"Changes from {since.label} ({since.given}) to {until.label}"


def _empty(title: str) -> str:
    """The note for a feed with no rows. Only the title's first letter is lowered: a revision's
    name is kept as typed (`Feat` and `feat` may be two branches)."""
    return f"note: nothing changed; {title[:1].lower()}{title[1:]}"


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (changes,)}
