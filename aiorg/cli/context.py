"""Per-invocation state shared by commands: where the data is, and how to write output."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
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
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _names: NameIndex | None = field(default=None, repr=False)

    def knowledge_base(self) -> KnowledgeBase:
        """Load the knowledge base once per invocation."""
        if self._kb is None:
            from aiorg.cache import Cache, default_dir
            from aiorg.loader import load
            from aiorg.paths import default_data_dir

            cache = Cache(default_dir()) if self.use_cache else None
            with progress_bar("loading") as advance:
                self._kb = load(default_data_dir(self.data_dir), cache=cache, progress=advance)
        return self._kb

    def names(self) -> NameIndex:
        """The name index over the loaded knowledge base."""
        if self._names is None:
            from aiorg.names import NameIndex

            self._names = NameIndex(self.knowledge_base())
        return self._names

    def resolve(self, text: str, kinds: tuple[str, ...] = ("people", "firms", "groups", "products")) -> str:
        """The record id for a name typed by the user. A match on part of a name says on stderr
        which record it took; a name of another kind says which command shows that record."""
        from aiorg.names import OtherKindError

        try:
            match = self.names().lookup(text, kinds)
        except OtherKindError as error:
            command = _SHOWN_BY.get(error.kind)
            if command:
                error.args = (f"{error}; {command.format(id=error.record_id)}",)
            raise
        kb = self.knowledge_base()
        if match.partial:
            note(f"note: {text!r} matched {kb.name_of(match.record_id)} [{match.record_id}]")
        elif match.also:
            others = f"{len(match.also)} other{'s' if len(match.also) > 1 else ''}"
            note(
                f"note: {text!r} is a name of {kb.name_of(match.record_id)} [{match.record_id}];"
                f" the names of {others} also hold it (first: {match.also[0]})"
            )
        return match.record_id


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
) -> None:
    """Write rows (each with exactly `keys`, see aiorg.queries.shapes) to stdout in the chosen
    format. An empty table is not drawn: `empty` goes to stderr instead (None when the command
    explains the empty answer itself); JSON prints [] and CSV its header. Exit code 0 either way."""
    from aiorg.render import OutputFormat, render

    if not rows and fmt is OutputFormat.TABLE:
        if empty:
            note(empty)
        return
    render(rows, columns, fmt, sys.stdout, keys, title=title, width=table_width(), color=use_color())


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
    from aiorg.render import pick_sections, render_profile

    chosen = pick_sections(sections, section)
    render_profile(
        profile, header, chosen, fmt, sys.stdout, width=table_width(), color=use_color(), whole=section is None
    )
