"""Build (or reuse) the site's database in the cache, and run Datasette on it until stopped.

The database is the SQLite export plus the site's tables (aiorg.serve.tables), kept in
<cache>/site/<key>-<texts>/aiorg.db. The key digests every YAML file of the knowledge base (path
and bytes), where the data directory is, and aiorg's own code; <texts> digests the archived texts
the sources point to (aiorg.serve.texts), since a quote's `checked` and locator come from them. An
unchanged knowledge base with unchanged texts is served again without loading it; an edit to
either builds a new database. Older builds are removed.
Datasette runs as a child process (`python -m datasette`) with the metadata written from the
model and aiorg's plugin (aiorg/serve/plugins); stopping aiorg stops it.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aiorg.cache import Cache
from aiorg.errors import AiorgError, UsageError
from aiorg.kb import KnowledgeBase
from aiorg.serve.texts import read_manifest, texts_key, write_manifest

#: bump when the site database's layout changes in a way the code digest below would not see
SITE_LAYOUT = "1"
PLUGINS = Path(__file__).parent / "plugins"
INSTALL_HINT = "pip install 'aiorg[web]'"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ServeError(AiorgError):
    """Datasette stopped on its own with an error (its own message is on stderr above)."""


@dataclass(frozen=True, slots=True)
class Site:
    """A built site: the database, its metadata, and whether an earlier build was reused."""

    database: Path
    metadata: Path
    reused: bool


def datasette_installed() -> bool:
    """Whether the web extra (Datasette) is installed."""
    return importlib.util.find_spec("datasette") is not None


def require_datasette() -> None:
    """Raise a usage error naming the extra when Datasette is missing."""
    if not datasette_installed():
        raise UsageError(f"serve needs Datasette, which is not installed: {INSTALL_HINT}")


def site_key(data_dir: Path) -> str:
    """A digest of the knowledge base's files, of where they are (a source's text is found relative
    to its file, so the same YAML elsewhere may point to other texts), and of the code that builds
    the site from them. The texts themselves are digested apart (`prepare`)."""
    from aiorg import __version__
    from aiorg.datafiles import data_files

    files, _ = data_files(data_dir)
    parts = [SITE_LAYOUT.encode(), __version__.encode(), str(data_dir.absolute()).encode()]
    for path in files:
        parts += [path.relative_to(data_dir).as_posix().encode(), path.read_bytes()]
    return Cache.digest(*parts, code_digest().encode())


@functools.cache
def code_digest() -> str:
    """A digest of aiorg's own code (an upgrade or a local edit builds anew), read once a process:
    the code this process runs is the code it first read."""
    package = Path(__file__).parent.parent
    parts: list[bytes] = []
    for code in sorted(package.rglob("*.py")):
        parts += [code.relative_to(package).as_posix().encode(), code.read_bytes()]
    return Cache.digest(*parts)


def build_database(kb: KnowledgeBase, out: Path) -> None:
    """Write the SQLite export and add the site's tables to it."""
    from aiorg.export.sqlite import write_sqlite
    from aiorg.export.whole import ExportGraph
    from aiorg.serve.tables import add_site_tables

    write_sqlite(kb, ExportGraph.whole_of(kb), out)
    db = sqlite3.connect(out)
    try:
        add_site_tables(db, kb)
        db.execute("VACUUM")
    finally:
        db.close()


def write_metadata(database: Path, out: Path) -> None:
    """Write Datasette's metadata.json for this database, from the model."""
    from aiorg.serve.metadata import site_metadata

    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        metadata = site_metadata(db)
    finally:
        db.close()
    out.write_text(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def prepare(data_dir: Path, knowledge_base: Callable[[], KnowledgeBase], root: Path) -> Site:
    """The site for this knowledge base under `root` (<cache>/site): reused when the key matches
    and the texts its sources point to are as they were when it was built, else built (loading
    the knowledge base) and older builds removed."""
    key = site_key(data_dir)
    folder = reusable(root, key)
    reused = folder is not None
    if folder is None:
        kb = knowledge_base()
        paths = [str(path) for path in kb.source_texts.values()]
        folder = root / f"{key}-{texts_key(paths)}"  # the texts as they are before the build reads them
        reused = (folder / "aiorg.db").is_file() and read_manifest(folder) is not None  # built meanwhile
        if not reused:
            shutil.rmtree(folder, ignore_errors=True)  # a build whose record of texts is damaged
            _build(kb, paths, root, folder)
    metadata = folder / "metadata.json"
    write_metadata(folder / "aiorg.db", metadata)
    return Site(folder / "aiorg.db", metadata, reused)


def reusable(root: Path, key: str) -> Path | None:
    """The folder of a build for this key whose texts are as they are now, if there is one.

    Every build for one key read the same text paths (same YAML, same place, same code), so the
    first readable record of them says which folder the texts as they are now name."""
    if not root.is_dir():
        return None
    for candidate in sorted(root.glob(f"{key}-*")):
        paths = read_manifest(candidate)
        if paths is None:
            continue
        folder = root / f"{key}-{texts_key(paths)}"
        if (folder / "aiorg.db").is_file() and read_manifest(folder) is not None:
            return folder
        return None
    return None


def _build(kb: KnowledgeBase, paths: list[str], root: Path, folder: Path) -> None:
    """Build the database in a fresh folder, move it into place, and remove the older builds."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=root, prefix=".build-"))
    try:
        build_database(kb, building / "aiorg.db")
        write_manifest(building, paths)
        try:
            building.rename(folder)
        except OSError:  # another aiorg built it meanwhile: use theirs
            if not (folder / "aiorg.db").is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    for old in root.iterdir():
        if old.name != folder.name and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def check_port(host: str, port: int) -> None:
    """Raise a usage error when nothing can listen on host:port (in use, or not an address here)."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise UsageError(
            f"cannot listen on {host} port {port}: {error.strerror or error}; try another --port"
        ) from None


def command(site: Site, host: str, port: int) -> list[str]:
    """The Datasette command line for this site."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(site.database),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(site.metadata),
        "--plugins-dir",
        str(PLUGINS),
        "--setting",
        "default_page_size",
        "50",
        "--setting",
        "truncate_cells_html",
        "400",
    ]


def run(site: Site, host: str, port: int) -> None:
    """Run Datasette until it stops or this process is interrupted; the child never outlives it.

    KeyboardInterrupt (and whatever exception a signal handler raises) propagates once the
    child is gone. A child that exits with an error raises ServeError.
    """
    check_port(host, port)
    child = subprocess.Popen(command(site, host, port), stdin=subprocess.DEVNULL)
    try:
        code = child.wait()
    finally:
        stop(child)
    if code != 0:
        raise ServeError(f"Datasette stopped with exit code {code}")


def stop(child: subprocess.Popen[bytes]) -> None:
    """Ask the child to stop, then make sure it has."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
