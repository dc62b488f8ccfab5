"""The draft command: candidate facts from a news article, for review."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aiorg.cli.context import note, state


def draft(
    ctx: typer.Context,
    article: Annotated[Path, typer.Argument(help="The article as a UTF-8 text file.", metavar="ARTICLE.txt")],
    source_id: Annotated[str, typer.Option("--source-id", help="Id of the new source record the candidates cite.")],
    published: Annotated[str, typer.Option("--published", help="Publication date (YYYY, YYYY-MM or YYYY-MM-DD).")],
    url: Annotated[str | None, typer.Option("--url", help="Where the article can be read.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="auto, zh or en.")] = "auto",
    fmt: Annotated[str, typer.Option("--format", "-f", help="yaml (the knowledge base's own) or json.")] = "yaml",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
) -> None:
    """Draft candidate facts from a news article, each with its verbatim quote, for review.

    Names are matched to the knowledge base in either script; new people and firms, role changes,
    deals, dates and metrics are proposed, each marked review: pending. Needs pip install 'aiorg[draft]'.

    Example: aiorg draft article.txt --source-id example-2025-06 --published 2025-06
    """
    from aiorg.datafiles import data_files
    from aiorg.dates import DateParseError, FuzzyDate
    from aiorg.draft import deps
    from aiorg.draft.build import draft as make_draft
    from aiorg.draft.output import render
    from aiorg.errors import OutputError, UsageError
    from aiorg.paths import default_data_dir

    if lang not in ("auto", "zh", "en"):
        raise UsageError(f"--lang: {lang!r} is not one of auto, zh, en")
    if fmt not in ("yaml", "json"):
        raise UsageError(f"--format: {fmt!r} is not one of yaml, json")
    try:
        when = FuzzyDate.parse(published)
    except DateParseError as error:
        raise UsageError(f"--published: {error}") from None
    try:
        text = article.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{article}: cannot read the article: {error}") from None
    deps.require()
    app_state = state(ctx)
    files, problems = data_files(default_data_dir(app_state.data_dir))
    kb = app_state.knowledge_base() if files or problems else None
    if kb is None:
        note("note: the knowledge base is empty; every person and firm is proposed from the text")
    from aiorg.cache import Cache, default_dir

    # The cache keeps jieba's dictionary and the knowledge base's names in the shape that loads fast.
    cache = Cache(default_dir()) if app_state.use_cache else None
    names = None
    if kb is not None and cache is not None:
        from aiorg.draft.known import KnownNames

        names = KnownNames(kb, cache)
    candidates = make_draft(text, kb, when, lang, names, cache=cache)
    title = next((line.strip() for line in text.splitlines() if line.strip()), source_id)[:120]
    source = {"id": source_id, "title": title, "published": when.text, "url": url, "file": str(article)}
    rendered, held = render(candidates, source, fmt)
    if out is None:
        sys.stdout.write(rendered)
        return
    try:
        out.write_text(rendered, encoding="utf-8")
    except OSError as error:
        raise OutputError(f"cannot write {out}: {error.strerror or error}") from None
    note(f"wrote {held} to {out}")


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (draft,)}
