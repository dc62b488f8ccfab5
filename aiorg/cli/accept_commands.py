"""The accept command: merge the candidates a reviewer kept in a draft into the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aiorg.cli.context import note, state


def accept(
    ctx: typer.Context,
    draft: Annotated[Path, typer.Argument(help="A draft written by aiorg draft, reviewed.", metavar="DRAFT.yaml")],
    article: Annotated[
        Path | None, typer.Option("--article", help="The article's text, if not at the path the draft names.")
    ] = None,
    skip_pending: Annotated[
        bool, typer.Option("--skip-pending", help="Leave out candidates still marked review: pending.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report the merge; write nothing.")] = False,
) -> None:
    """Merge the candidates a reviewer kept in a draft into the knowledge base, validated first.

    Mark each candidate review: accept (keep it, as corrected) or review: reject (or delete it);
    a candidate left review: pending stops the merge unless --skip-pending. A candidate matching a
    record already there (same id; a name in either script; a spell's person and firm; a deal's
    kind and parties) becomes the source's claim on it (an also: item, or a new deal status step);
    others are new records with stable ids. The article is archived in seeds/ beside the data.
    The whole knowledge base is validated on a staged copy; on any problem nothing is written
    (exit 1). Files are edited by inserting lines (comments stay) and replaced atomically.

    Example: aiorg accept draft.yaml --dry-run
    """
    from aiorg.accept import accept as merge
    from aiorg.datafiles import display_path
    from aiorg.paths import default_data_dir

    data_dir = default_data_dir(state(ctx).data_dir)
    outcome = merge(data_dir, draft, article=article, skip_pending=skip_pending, dry_run=dry_run)
    files = ", ".join(display_path(path) for path in outcome.files) or "none"
    archived = "would archive" if dry_run else "archived"
    seed = f"; {archived} {display_path(outcome.seed)}" if outcome.seed is not None else ""
    pending = f", {outcome.pending} left pending" if outcome.pending else ""
    prefix = "dry run, nothing written: " if dry_run else ""
    note(
        f"{prefix}{len(outcome.added)} records added, {len(outcome.claimed)} claims added to existing records,"
        f" {outcome.rejected} candidates skipped (rejected){pending}, {len(outcome.already)} already there;"
        f" files changed: {files}{seed}"
    )


#: this module's commands, looked up by name when one is run (see aiorg.cli.main)
COMMANDS = {command.__name__: command for command in (accept,)}
