"""Build (or reuse) the site's database in the cache, and run Datasette on it until stopped.

The database is the SQLite export plus the site's tables (aiorg.serve.tables), kept in
<cache>/site/<key>/aiorg.db. The key digests every YAML file of the knowledge base (path and
bytes) and aiorg's own code, so an unchanged knowledge base is
served again without loading it, and any edit builds a new database. Older builds are removed.
Datasette runs as a child process (`python -m datasette`) with the metadata written from the
model and aiorg's plugin (aiorg/serve/plugins); stopping aiorg stops it.
"""

from __future__ import annotations

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
    """A digest of the knowledge base's files and of the code that builds the site from them."""
    from aiorg import __version__
    from aiorg.datafiles import data_files

    files, _ = data_files(data_dir)
    parts = [SITE_LAYOUT.encode(), __version__.encode()]
    for path in files:
        parts += [path.relative_to(data_dir).as_posix().encode(), path.read_bytes()]
    package = Path(__file__).parent.parent  # aiorg's own code: an upgrade or a local edit builds anew
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
    """The site for this knowledge base under `root` (<cache>/site): reused when the key matches,
    else built (loading the knowledge base) and older builds removed."""
    key = site_key(data_dir)
    folder = root / key
    database = folder / "aiorg.db"
    reused = database.is_file()
    if not reused:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(dir=root, prefix=".build-"))
        try:
            build_database(knowledge_base(), building / "aiorg.db")
            try:
                building.rename(folder)
            except OSError:  # another aiorg built it meanwhile: use theirs
                if not database.is_file():
                    raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
        for old in root.iterdir():
            if old.name != key and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
    metadata = folder / "metadata.json"
    write_metadata(database, metadata)
    return Site(database, metadata, reused)


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
