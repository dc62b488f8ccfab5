"""Turn a directory of YAML files into a validated KnowledgeBase, or raise DataError.

Every problem in every file is collected before raising, each with `path:line:col`. The work is
done by: `parse` (files to payloads, through `convert` and `fields`), `checks` (across records)
and `sync` (the SQLite store); this module only runs them in order.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from aiorg import store, sync
from aiorg.cache import Cache
from aiorg.datafiles import data_files, gc_paused
from aiorg.errors import DataError, Problem
from aiorg.kb import KnowledgeBase


def load(
    data_dir: Path,
    check_quotes: bool = False,
    cache: Cache | None = None,
    progress: Callable[[int, int], None] | None = None,
    retain: list[object] | None = None,
) -> KnowledgeBase:
    """Load and cross-check a knowledge base; raise DataError listing every problem.

    With a cache, unchanged files are not parsed again, and the knowledge base is read from
    its SQLite store, decoding only the records a query uses. When files were edited, added or
    removed, only they are read, and the store is updated in place if the knowledge base is
    still consistent; any problem sends the load down the full path, which reports every
    problem at its place. `check_quotes` (what `aiorg validate` does) always runs every check.
    `retain`, when given, keeps the parsed files and the tables of the checks instead of letting
    them be freed on return: a command that ends without tearing anything down (aiorg.cli.main)
    saves the time freeing them takes (0.4 s at 100k people).
    """
    if not data_dir.is_dir():
        raise DataError([Problem(str(data_dir), None, None, "no such data directory")])
    files, problems = data_files(data_dir)
    if not files and not problems:
        raise DataError([Problem(str(data_dir), None, None, "no .yaml files found")])
    with gc_paused():
        if cache is not None and cache.usable and not check_quotes and not problems:
            kb = sync.load_from_store(data_dir, files, cache, progress)
            if kb is not None:
                return kb
        # Only a load that reads files needs the parser and the checks (a warm command never imports them).
        from aiorg.checks import assemble, cross_check
        from aiorg.parse import read_entries

        # The last step of the progress bar is writing the store, which a first load waits for.
        reading = (lambda done, total: progress(done, total + 1)) if progress is not None else None
        path = sync.store_path(cache, data_dir) if cache is not None and cache.usable else None
        # A store that will be written whole is written while the files are parsed. (`validate`
        # with a store in place keeps it, or updates it file by file: see below.)
        early = path is not None and not problems and not (check_quotes and path.exists())
        writer: store.StreamWriter | store.BackgroundWriter | None = None
        writer = sync.store_writer(path) if early and path is not None else None
        try:
            entries = read_entries(data_dir, files, cache, problems, reading, writer)
            # `validate` reads every file; when the store already holds exactly these versions it is kept.
            current = sync.current_store(path, entries) if path is not None and not problems else None
            # After an edit, validate updates the store file by file, as a query would, once the checks pass.
            update = check_quotes and current is None and path is not None and path.exists()
            if writer is not None and (problems or current is not None or update):
                writer.discard()
                writer = None
            if early and writer is None and path is not None and current is None and not update and not problems:
                writer = sync.whole_store_writer(path, entries)  # no fork: written from the payloads
            placed = assemble(entries, problems)
            if retain is not None:
                retain.append((entries, placed))
            cross_check(placed, entries, check_quotes, problems)
            if problems:
                raise DataError(problems)
            if update and path is not None:
                current = sync.updated_store(path, entries)
            kb = current or (sync.published(writer, path) if writer is not None and path is not None else None)
        finally:
            if writer is not None:
                writer.discard()  # nothing to do once published
        if kb is None:  # no cache, or the store could not be written there: keep it in memory
            kb = sync.in_memory(entries)
        if progress is not None:
            progress(len(files) + 1, len(files) + 1)
        gc.freeze()  # the records live until exit: keep later collections from walking them
        return kb
