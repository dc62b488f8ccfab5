"""What the drafting tests share: skipping without the `draft` extra, and the articles they draft."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg.draft.deps import LIBRARIES

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "tests" / "draft_articles"


def require_draft_extra() -> None:
    """Skip the calling test module unless every library of the extra is installed."""
    for module in LIBRARIES:
        pytest.importorskip(module)


def article(path: Path) -> str:
    return path.read_text(encoding="utf-8")


SEED = article(ROOT / "seeds" / "000_a8261eb4c3cf4880.txt")
XINGHE = article(ARTICLES / "zh_hant_xinghe.txt")
BRIGHTWATER = article(ARTICLES / "en_brightwater.txt")
