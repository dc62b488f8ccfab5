"""SIGTERM ends a command the way Ctrl-C does, instead of killing it where it stands.

Killed outright, a command would leave what it was half-way through: an export's temporary
files, a forked helper still writing. While a command runs, SIGTERM raises
aiorg.errors.Terminated (a KeyboardInterrupt), so every `finally` and interrupt handler that
cleans up after Ctrl-C runs for it too; forked children get the default action back, so the
signal still ends them at once (and they die with their parent: aiorg.store.die_with_parent).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from aiorg.errors import Terminated


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    # Later SIGTERMs are ignored: they would cut the cleanup this one starts (and reach Click as a
    # plain Ctrl-C, exit 130). sigterm_unwinds puts the previous handler back when it ends.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Terminated


def _default_in_child() -> None:
    if signal.getsignal(signal.SIGTERM) is _raise_terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


_registered: list[bool] = []


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While the block runs (in the main thread), SIGTERM raises Terminated; the previous
    handler is put back after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not _registered and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_default_in_child)
        _registered.append(True)
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
