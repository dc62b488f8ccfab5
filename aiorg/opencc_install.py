"""Which OpenCC is installed, told without importing it, for the store's schema version.

The store keeps each name written in traditional characters also as OpenCC reads it in
simplified ones (aiorg.store.schema.READ_SIMPLIFIED). Another OpenCC may read a name otherwise,
so the store's schema version names the installed one, and an upgrade rebuilds the store instead
of searching with the old readings. The version is checked on every command that opens the store,
so it is read from the name of the distribution's metadata folder beside the package
('opencc-1.4.2.dist-info'): importing OpenCC loads its dictionaries, and importlib.metadata alone
costs some 30 ms.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache
from pathlib import Path

#: the import name; its distributions are named after it ('opencc', 'OpenCC',
#: 'opencc_python_reimplemented')
MODULE = "opencc"
_METADATA = (".dist-info", ".egg-info")


@cache
def installed_version() -> str | None:
    """Which OpenCC is installed: its metadata folders' names ('opencc-1.4.2'), else (an install
    without them beside the package) the size and modification time of its module file, so an
    upgrade still changes it; None when OpenCC is not installed."""
    try:
        spec = importlib.util.find_spec(MODULE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    where = spec.origin or next(iter(spec.submodule_search_locations or ()), None)
    if where is None:
        return "installed"
    module = Path(where)
    package = module.parent if module.name.startswith("__init__.") else module
    return _metadata_names(package.parent) or _file_state(module)


def _metadata_names(folder: Path) -> str | None:
    """The installed OpenCC distributions' metadata folders in `folder`, without their suffix."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries]
    except OSError:
        return None
    found = sorted(
        name.removesuffix(suffix)
        for name in names
        for suffix in _METADATA
        if name.endswith(suffix) and name.casefold().startswith(MODULE)
    )
    return " ".join(found) or None


def _file_state(path: Path) -> str:
    try:
        state = path.stat()
    except OSError:
        return "installed"
    return f"{path.name}:{state.st_size}:{state.st_mtime_ns}"
