"""Per-invocation state shared by commands: where the data is, and how to write output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from aiorg.kb import KnowledgeBase
    from aiorg.names import NameIndex
    from aiorg.render import Column, OutputFormat, Section


@dataclass
class AppState:
    """Options from the top-level callback, plus the loaded knowledge base (lazily)."""

    data_dir: Path | None = None
    debug: bool = False
    use_cache: bool = True
    known_as_of: date | None = None  # --known-as-of: answer from the sources published by then only
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _whole: KnowledgeBase | None = field(default=None, repr=False)  # the loaded one, under a --known-as-of view
    _names: NameIndex | None = field(default=None, repr=False)

    def knowledge_base(self) -> KnowledgeBase:
        """Load the knowledge base once per invocation (with --known-as-of, the view of what the
        sources published by then said: aiorg.known)."""
        if self._kb is None:
            from aiorg.cache import Cache, default_dir
            from aiorg.loader import load
            from aiorg.paths import default_data_dir

            cache = Cache(default_dir()) if self.use_cache else None
            with progress_bar("loading") as advance:
                kb = load(default_data_dir(self.data_dir), cache=cache, progress=advance)
            self._kb = kb if self.known_as_of is None else _known_view(kb, self.known_as_of)
            self._whole = kb
        return self._kb

    def _not_known_yet(self, error: Exception, text: str, kinds: tuple[str, ...], exact: bool = False) -> None:
        """Under --known-as-of, a name of a record that only later sources report says so (with
        `exact`, only when the name is that record's whole name: see `resolve`)."""
        from aiorg.errors import AiorgError
        from aiorg.names import NameIndex

        if self.known_as_of is None or self._whole is None or self._whole is self._kb:
            return
        try:
            match = NameIndex(self._whole).lookup(text, kinds)
        except AiorgError:
            return
        if exact and match.partial:
            return
        if self._kb is not None and self._kb.kind_of(match.record_id) is not None:
            return  # known then: the view's answer stands
        error.args = (
            f"{text!r} names {self._whole.name_of(match.record_id)} [{match.record_id}], but no source published"
            f" by {self.known_as_of.isoformat()} (--known-as-of) reports it",
        )
        raise error

    def source_id(self, name: str) -> str:
        """The id of the source a user names (its id or exact title); under --known-as-of, a source
        published later says so instead of suggesting another."""
        from aiorg.errors import NotFoundError
        from aiorg.queries.sources import resolve_source

        kb = self.knowledge_base()
        try:
            return resolve_source(kb, name)
        except NotFoundError as error:
            if self.known_as_of is None or self._whole is None or self._whole is kb:
                raise
            try:
                later = resolve_source(self._whole, name)
            except NotFoundError:
                raise error from None
            named = f"source {later!r}" if later == name else f"{name!r} names the source {later!r}, which"
            error.args = (f"{named} was not certainly published by {self.known_as_of.isoformat()} (--known-as-of)",)
            raise

    def names(self) -> NameIndex:
        """The name index over the loaded knowledge base."""
        if self._names is None:
            from aiorg.names import NameIndex

            self._names = NameIndex(self.knowledge_base())
        return self._names

    def resolve(self, text: str, kinds: tuple[str, ...] = ("people", "firms", "groups", "products")) -> str:
        """The record id for a name typed by the user. A match on part of a name says on stderr
        which record it took; a name of another kind says which command shows that record."""
        from aiorg.errors import NotFoundError
        from aiorg.names import OtherKindError

        try:
            match = self.names().lookup(text, kinds)
        except OtherKindError as error:
            command = _SHOWN_BY.get(error.kind)
            if command:
                error.args = (f"{error}; {command.format(id=error.record_id)}",)
            raise
        except NotFoundError as error:
            self._not_known_yet(error, text, kinds)
            raise
        kb = self.knowledge_base()
        if match.read_as is not None:
            note(f"note: {text!r} read in simplified characters as {match.read_as!r}")
        if match.partial or match.also:
            # The whole name of a record only later sources report is never taken for part of another's.
            self._not_known_yet(NotFoundError(text, []), text, kinds, exact=True)
        if match.partial:
            note(f"note: {text!r} matched {kb.name_of(match.record_id)} [{match.record_id}]")
        elif match.also:
            others = f"{len(match.also)} other{'s' if len(match.also) > 1 else ''}"
            note(
                f"note: {text!r} is a name of {kb.name_of(match.record_id)} [{match.record_id}];"
                f" the names of {others} also hold it (first: {match.also[0]})"
            )
        return match.record_id


def _known_view(kb: KnowledgeBase, day: date) -> KnowledgeBase:
    """The --known-as-of view, saying on stderr which sources it can never count, and when it is empty."""
    from aiorg.known import known_as_of, undated

    never = undated(kb)
    if never:
        shown = ", ".join(never[:3]) + (f" and {len(never) - 3} more" if len(never) > 3 else "")
        many = len(never) > 1
        count = f"{len(never)} source{'s' if many else ''}"
        note(f"note: --known-as-of: {count} with no certain publication date never count{'' if many else 's'}: {shown}")
    view = known_as_of(kb, day)
    if not view.sources:
        day_text = day.isoformat()
        note(f"note: --known-as-of: no source in this knowledge base was certainly published by {day_text}")
    return view


#: what to run instead when a name typed for another kind is one of these
_SHOWN_BY = {
    "groups": "list its firms with: aiorg firms --group {id}",
    "people": "see: aiorg person {id}",
    "firms": "see: aiorg firm {id}",
}


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A Rich progress bar on stderr, shown only on a terminal and only once work takes over a second."""
    import time

    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import Progress

    started = time.monotonic()
    progress: Progress | None = None
    task = None

    def advance(done: int, total: int) -> None:
        nonlocal progress, task
        if progress is None and time.monotonic() - started > 1.0 and done < total:
            progress = Progress(transient=True, console=Console(stderr=True))
            progress.start()
            task = progress.add_task(label, total=total)
        if progress is not None and task is not None:
            progress.update(task, completed=done)

    try:
        yield advance
    finally:
        if progress is not None:
            progress.stop()


#: what commands built and keep until the process ends: aiorg.cli.main exits without teardown, so
#: nothing here is freed object by object (0.35-0.5 s for a knowledge base or graph of 100k people)
KEPT_UNTIL_EXIT: list[object] = []


def state(ctx: typer.Context) -> AppState:
    """The AppState of this invocation."""
    obj = ctx.find_root().obj
    if not isinstance(obj, AppState):
        obj = AppState()
        ctx.find_root().obj = obj
    return obj


def stdout_is_terminal() -> bool:
    """True when stdout is an interactive terminal."""
    return sys.stdout.isatty()


def use_color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    return stdout_is_terminal() and not os.environ.get("NO_COLOR")


def table_width() -> int | None:
    """$COLUMNS, else the terminal's width; None (natural width, nothing wrapped) when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return int(columns)
    if stdout_is_terminal():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def emit(
    rows: list[dict[str, Any]],
    columns: list[Column],
    fmt: OutputFormat,
    keys: Sequence[str],
    title: str | None = None,
    empty: str | None = "note: no results",
    *,
    limit: int | None = None,
    what: str = "rows",
    total: int | None = None,
) -> None:
    """Write rows (each with exactly `keys`, see aiorg.queries.shapes) to stdout in the chosen
    format. An empty answer says so with `empty` on stderr (None when the command explains the
    empty answer itself) in every format: a table is not drawn, JSON prints [] and CSV its
    header. Exit code 0 either way.

    Only the first `limit` rows are written (None: all; see aiorg.cli.options.page_size), or
    `rows` are already the first rows of an answer of `total` rows (aiorg.queries.common.Page).
    Either way a note on stderr says how many of how many `what` were shown (`what` says in which
    order: "deals, largest first")."""
    from aiorg.render import OutputFormat, render

    if total is None:
        total = len(rows)
        rows = rows if limit is None else rows[:limit]
    if not total:
        if empty:
            note(empty)
        if fmt is OutputFormat.TABLE:
            return
    if rows or fmt is not OutputFormat.TABLE:
        render(rows, columns, fmt, sys.stdout, keys, title=title, width=table_width(), color=use_color())
    if total > len(rows):
        note(f"note: showing the first {len(rows):,} of {total:,} {what}; --limit 0 shows all")


def note(message: str) -> None:
    """A diagnostic line on stderr, never mixed into data."""
    typer.echo(message, err=True)


def emit_profile(
    profile: dict[str, Any],
    header: list[Column],
    sections: list[Section],
    fmt: OutputFormat,
    section: str | None = None,
) -> None:
    """Write a profile to stdout in the chosen format; `section` picks the lists to write."""
    from aiorg.cli.columns import dates_for_table
    from aiorg.render import OutputFormat, pick_sections, render_profile

    chosen = pick_sections(sections, section)
    # a section's disputed or inferred `when` on lines of its own in a table, as in the listings
    drawn = {
        key: dates_for_table(rows, fmt) if isinstance(rows, list) and rows and isinstance(rows[0], dict) else rows
        for key, rows in profile.items()
    }
    if fmt is OutputFormat.TABLE and profile.get("inferred"):
        drawn = _inferences_marked(drawn, header, chosen)
    render_profile(
        drawn, header, chosen, fmt, sys.stdout, width=table_width(), color=use_color(), whole=section is None
    )
    if section is not None and not any(profile.get(s.key) for s in chosen):  # an empty answer says so
        who = profile.get("name") or ""
        who += f" ({profile['name_zh']})" if profile.get("name_zh") else ""
        titles = " or ".join(s.title.lower() for s in chosen)
        note(f"note: no {titles} recorded for {who}".rstrip())


def _inferences_marked(profile: dict[str, Any], header: list[Column], sections: list[Section]) -> dict[str, Any]:
    """A profile as its tables draw it: " (inferred)" after each value its `inferred` names that a
    table shows bare (a career's start, a firm's parent, a metric's subject), on a line of its own
    under a date; the texts the rows mark already are left as they are."""
    from aiorg.cli.columns import marked_cells

    inferred = profile["inferred"]
    drawn = dict(profile)
    own = header[0].key  # `person` or `firm`: where `inferred` lists the profile's own fields
    drawn.update(marked_cells(profile, inferred.get(own, []), header))
    for section in sections:
        marks = inferred.get(section.key)
        if marks:
            rows = profile[section.key]
            drawn[section.key] = [
                row | marked_cells(row, fields, section.columns) for row, fields in zip(rows, marks, strict=True)
            ]
    return drawn
