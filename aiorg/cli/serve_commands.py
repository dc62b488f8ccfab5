"""`aiorg serve`: the knowledge base as a browsable, searchable Datasette site."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from aiorg.cli.context import note, state


class _TerminatedError(Exception):
    """SIGTERM arrived: stop serving, cleanly."""


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        raise _TerminatedError

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _cache_root() -> Path | None:
    """<cache>/site, or None when the cache folder is not ours alone (see aiorg.cache)."""
    from aiorg.cache import Cache, default_dir

    return default_dir() / "site" if Cache(default_dir()).usable else None


@contextlib.contextmanager
def _site_root(use_cache: bool) -> Iterator[Path]:
    """<cache>/site, or a temporary folder removed afterwards (--no-cache, or a cache we cannot trust)."""
    import tempfile

    root = _cache_root() if use_cache else None
    if root is not None:
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="aiorg-site-") as folder:
        yield Path(folder)


def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", metavar="ADDRESS", help="Address to listen on; anything but loopback is reachable by others."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8001,
    build_only: Annotated[
        bool,
        typer.Option(
            "--build-only",
            help="Build (or reuse) the site's database and metadata in the cache, print the Datasette command "
            "that serves them, and exit (to serve them yourself, e.g. on a shared server).",
        ),
    ] = False,
) -> None:
    """Browse and search the knowledge base in a web browser, on Datasette (needs aiorg[web]).

    Builds the SQLite export with the site's tables into the cache (reused while the knowledge
    base is unchanged), writes titles, descriptions, facets and canned questions from the model
    (who_left, deals_over, timeline, flows, search), and serves it until stopped. It listens on
    127.0.0.1 only unless --host says otherwise; the site has no login, so any other address
    prints a warning. Ctrl-C stops it with exit code 130, SIGTERM with 0; Datasette stops too.
    Run `aiorg serve` and open http://127.0.0.1:8001/ in a browser.

    Example: aiorg serve --build-only
    """
    from aiorg.errors import UsageError
    from aiorg.paths import default_data_dir
    from aiorg.serve import site

    if not build_only:
        site.require_datasette()
    if host not in site.LOOPBACK:
        note(f"aiorg: warning: serving on {host}: the site has no login, so anyone who can reach it can read it")
    app_state = state(ctx)
    data_dir = default_data_dir(app_state.data_dir)
    if build_only:
        import shlex

        root = _cache_root() if app_state.use_cache else None
        if root is None:
            raise UsageError(
                "--build-only keeps the site in the cache, which --no-cache or an unsafe cache folder rules out"
            )
        built = site.prepare(data_dir, app_state.knowledge_base, root)
        typer.echo(shlex.join(site.command(built, host, port)))
        return
    with _site_root(app_state.use_cache) as root:
        built = site.prepare(data_dir, app_state.knowledge_base, root)
        how = "reused" if built.reused else "built"
        shown = f"[{host}]" if ":" in host else host
        note(f"aiorg: {how} {built.database}; serving http://{shown}:{port}/ (Ctrl-C stops)")
        try:
            with _stop_on_sigterm():
                site.run(built, host, port)
        except _TerminatedError:
            note("aiorg: stopped")


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (serve,)}
