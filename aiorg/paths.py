"""Where the bundled knowledge base lives, in a wheel or in a source checkout."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DATA_ENV = "AIORG_DATA"


def bundled_data_dir() -> Path:
    """The knowledge base shipped with aiorg: inside the wheel, else the checkout's data/."""
    inside_wheel = _PACKAGE / "_kb" / "data"
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / "data"


def default_data_dir(explicit: Path | None = None) -> Path:
    """--data wins, then $AIORG_DATA, then the bundled knowledge base."""
    if explicit is not None:
        return explicit
    from_env = os.environ.get(DATA_ENV)
    if from_env:
        return Path(from_env)
    return bundled_data_dir()
