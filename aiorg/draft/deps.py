"""The optional libraries drafting needs, imported only when a draft is made.

They come with the `draft` extra (`pip install 'aiorg[draft]'`); every dictionary and model they
use ships inside the installed packages, so nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import logging
from functools import cache
from types import ModuleType
from typing import Any, Protocol, cast

from aiorg.errors import UsageError

INSTALL_HINT = "pip install 'aiorg[draft]'"
#: the import name of each library, and the distribution that provides it
LIBRARIES = {"jieba": "jieba", "opencc": "opencc", "cn2an": "cn2an", "ahocorasick": "pyahocorasick"}


class MissingExtraError(UsageError):
    """A library of the `draft` extra is not installed (exit code 2, like any usage error)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"drafting needs {', '.join(missing)}; install them with: {INSTALL_HINT}")


def require() -> None:
    """Raise MissingExtraError unless every library of the extra can be imported."""
    missing = []
    for module, distribution in LIBRARIES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(distribution)
    if missing:
        raise MissingExtraError(missing)


def _module(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingExtraError([LIBRARIES.get(name.split(".")[0], name)]) from None


class Converter(Protocol):
    """OpenCC's converter: one method."""

    def convert(self, text: str) -> str:
        """The text in the target script."""


@cache
def to_simplified() -> Converter:
    """OpenCC's traditional-to-simplified converter (its dictionaries ship in the wheel)."""
    return cast(Converter, _module("opencc").OpenCC("t2s"))


@cache
def posseg() -> Any:
    """jieba's part-of-speech segmenter, initialised quietly (its dictionary ships in the package)."""
    jieba = _module("jieba")
    jieba.setLogLevel(logging.WARNING)
    module = _module("jieba.posseg")
    jieba.initialize()
    return module


def automaton(ints: bool = False) -> Any:
    """A new, empty pyahocorasick automaton (storing plain ints when `ints`)."""
    module = _module("ahocorasick")
    return module.Automaton(module.STORE_INTS) if ints else module.Automaton()


def cn2an(text: str) -> int:
    """cn2an's reading of a Chinese numeral such as 三千五百万 (integers only; see numbers.py)."""
    value = _module("cn2an").cn2an(text, "smart")
    return int(value)
