"""The optional libraries drafting needs, imported only when a draft is made.

They come with the `draft` extra (`pip install 'aiorg[draft]'`); every dictionary and model they
use ships inside the installed packages, so nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
import sys
from functools import cache
from pathlib import Path
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
    """Raise MissingExtraError unless every library of the extra is installed. Each is imported
    only when it is used (cn2an, say, only for an article that writes an amount in Chinese
    numerals); one that is there but fails to import raises MissingExtraError then."""
    missing = []
    for module, distribution in LIBRARIES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(distribution)
    if missing:
        raise MissingExtraError(missing)


@cache
def cache_salt() -> bytes:
    """What every cached drafting entry also depends on: the Python version, the installed version
    of each library of the extra (OpenCC folds the cached names, pyahocorasick's automaton is a
    dump of its own nodes) and the source of aiorg's drafting code (how names are folded and
    indexed). A change to any of them rebuilds the entries instead of trusting them."""
    from importlib import metadata

    parts = [sys.version]
    for distribution in LIBRARIES.values():
        try:
            parts.append(f"{distribution}={metadata.version(distribution)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{distribution}=?")
    code = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        code.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    parts.append(code.hexdigest())
    return "\n".join(parts).encode()


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
def _jieba() -> ModuleType:
    """jieba, quiet (it logs its dictionary loading at DEBUG).

    jieba finds its data files through pkg_resources when it can import it, and opens them beside
    its own modules when it cannot: the same files. Importing pkg_resources took an eighth of a
    second, so unless something has imported it already, jieba is imported with it hidden."""
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        jieba = _module("jieba")
    finally:
        if hide and sys.modules.get("pkg_resources", "") is None:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def _posseg() -> ModuleType:
    """jieba.posseg, imported without reading every word's tag.

    Importing it makes a module-level tagger over jieba's default tokenizer, which reads the tag of
    every dictionary word on the spot (a quarter of a second). It is imported here with an empty
    tokenizer in the default's place, and that tagger is then replaced by one over the default
    tokenizer that reads the tags when it is first used, so jieba.posseg still works as documented."""
    jieba: Any = _jieba()
    real = jieba.dt
    jieba.dt = jieba.Tokenizer(os.devnull)
    try:
        module: Any = _module("jieba.posseg")
    finally:
        jieba.dt = real

    class LazyTags(module.POSTokenizer):  # type: ignore[misc]
        """A tagger that reads the tags of its tokenizer's dictionary when they are first asked for."""

        def __init__(self, tokenizer: Any) -> None:
            self.tokenizer = tokenizer

        def __getattr__(self, name: str) -> Any:
            if name == "word_tag_tab":
                self.load_word_tag(self.tokenizer.get_dict_file())
                return self.word_tag_tab
            return super().__getattr__(name)

    module.dt = LazyTags(real)
    module.initialize = module.dt.initialize
    module.aiorg_tagger = LazyTags
    return cast(ModuleType, module)


def posseg_tokenizer(freq: dict[str, int] | None = None, tags: dict[str, str] | None = None, total: int = 0) -> Any:
    """A jieba POSTokenizer: over the whole default dictionary (read now), or over just these
    entries, word tags and total frequency (see aiorg.draft.tagger)."""
    module = _posseg()
    if freq is None or tags is None:
        whole = module.dt
        whole.tokenizer.check_initialized()
        whole.word_tag_tab.get("")  # reads the tags now, not in the middle of the first cut
        return whole
    tokenizer = _jieba().Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    tagger = module.aiorg_tagger(tokenizer)
    tagger.word_tag_tab = tags
    return tagger


def jieba_dictionary() -> tuple[str, str]:
    """jieba's version, and the path of the dictionary its default tokenizer reads."""
    jieba = _jieba()
    path = jieba.dt.dictionary or Path(str(jieba.__file__)).parent / jieba.DEFAULT_DICT_NAME
    return str(jieba.__version__), str(path)


def automaton(ints: bool = False) -> Any:
    """A new, empty pyahocorasick automaton (storing plain ints when `ints`)."""
    module = _module("ahocorasick")
    return module.Automaton(module.STORE_INTS) if ints else module.Automaton()


def automaton_from(state: tuple[Any, ...]) -> Any:
    """A pyahocorasick automaton rebuilt from the state its pickling gives (`__reduce__()[1]`)."""
    return _module("ahocorasick").Automaton(*state)


def cn2an(text: str) -> int | None:
    """cn2an's reading of a Chinese numeral such as 三千五百万 (integers only; see numbers.py);
    None for one it cannot read (千千)."""
    try:
        value = _module("cn2an").cn2an(text, "smart")
    except ValueError:
        return None
    return int(value)
