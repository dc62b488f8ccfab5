"""The served site's `checked` follows the archived texts, not only the YAML.

`aiorg serve` reuses a built database while the knowledge base is unchanged. A quote's `checked`
(found / not found / unchecked) and its locator come from the source's text file, so a build
must not be reused once that file is edited, removed or made unreadable: the site would say
"found" for a quote the text no longer holds.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.serve import site
from tests.conftest import BUNDLED_DATA

SEED = "000_a8261eb4c3cf4880.txt"
#: a departure whose quote starts with this passage, and one quoting another part of the text
EDITED_SPELL = "zhang-xinhao-stepfun-product"
PASSAGE = "最新调离核心岗位的是阶跃星辰产品负责人张心皓"
OTHER_SPELL = "friedman-github-ceo"


class Copy:
    """The bundled data and its seed text in a folder of their own (`file: ../seeds/...`)."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "data"
        shutil.copytree(BUNDLED_DATA, self.data)
        (folder / "seeds").mkdir()
        self.text = folder / "seeds" / SEED
        shutil.copyfile(BUNDLED_DATA.parent / "seeds" / SEED, self.text)
        self.loads = 0

    def knowledge_base(self) -> KnowledgeBase:
        self.loads += 1
        return load(self.data)

    def prepare(self, root: Path) -> site.Site:
        return site.prepare(self.data, self.knowledge_base, root)


def checked(built: site.Site, tenure: str) -> tuple[str, int]:
    """The site's `checked` for a departure, and the export's (1 found, 0 not) for its quote."""
    db = sqlite3.connect(f"file:{built.database}?mode=ro", uri=True)
    try:
        (spell,) = db.execute("SELECT checked FROM departed_spells WHERE tenure = ?", (tenure,)).fetchone()
        (claim,) = db.execute("SELECT checked FROM source_claims WHERE fact = ? AND part IS NULL", (tenure,)).fetchone()
    finally:
        db.close()
    return spell, claim


def without_passage(text: Path) -> None:
    """Blank out PASSAGE, keeping the file's size and modification time: only its bytes tell."""
    before = text.stat()
    body = text.read_text(encoding="utf-8")
    assert body.count(PASSAGE) == 1
    text.write_text(body.replace(PASSAGE, "某" * len(PASSAGE)), encoding="utf-8")
    os.utime(text, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert text.stat().st_size == before.st_size


def test_an_unchanged_text_is_reused_without_loading(tmp_path: Path) -> None:
    copy, root = Copy(tmp_path), tmp_path / "site"
    first, again = copy.prepare(root), copy.prepare(root)
    assert (first.reused, again.reused, copy.loads) == (False, True, 1)
    assert again.database == first.database and checked(again, EDITED_SPELL) == ("found", 1)


def test_editing_only_the_text_flips_checked(tmp_path: Path) -> None:
    copy, root = Copy(tmp_path), tmp_path / "site"
    first = copy.prepare(root)
    assert checked(first, EDITED_SPELL) == ("found", 1) and checked(first, OTHER_SPELL) == ("found", 1)
    original = copy.text.read_bytes()
    without_passage(copy.text)
    edited = copy.prepare(root)
    assert checked(edited, EDITED_SPELL) == ("not found", 0)
    assert checked(edited, OTHER_SPELL) == ("found", 1)  # the rest of the text still holds its quotes
    assert (edited.reused, copy.loads) == (False, 2)
    assert not first.database.exists()  # the stale build is gone
    copy.text.write_bytes(original)
    restored = copy.prepare(root)
    assert checked(restored, EDITED_SPELL) == ("found", 1)
    assert (restored.reused, copy.loads) == (False, 3)


def _remove(text: Path) -> None:
    text.unlink()


def _folder(text: Path) -> None:
    text.unlink()
    text.mkdir()


def _not_utf8(text: Path) -> None:
    text.write_bytes(b"\xff\xfe" + text.read_bytes())


def _no_permission(text: Path) -> None:
    text.chmod(0)
    try:
        text.read_bytes()
    except PermissionError:
        return
    pytest.skip("this user reads files without permission (root)")


@pytest.mark.parametrize("spoil", [_remove, _folder, _not_utf8, _no_permission], ids=lambda f: f.__name__[1:])
def test_a_text_removed_or_unreadable_gives_unchecked(tmp_path: Path, spoil: object) -> None:
    copy, root = Copy(tmp_path), tmp_path / "site"
    assert checked(copy.prepare(root), EDITED_SPELL) == ("found", 1)
    assert callable(spoil)
    spoil(copy.text)
    try:
        built = copy.prepare(root)
        again = copy.prepare(root)
    finally:
        if copy.text.is_file():
            copy.text.chmod(0o644)
    assert checked(built, EDITED_SPELL) == checked(built, OTHER_SPELL) == ("unchecked", 0)
    assert (built.reused, again.reused, copy.loads) == (False, True, 2)


def test_the_same_yaml_elsewhere_is_checked_against_its_own_text(tmp_path: Path) -> None:
    root = tmp_path / "site"
    kept, edited = Copy(tmp_path / "kept"), Copy(tmp_path / "edited")
    without_passage(edited.text)
    assert checked(kept.prepare(root), EDITED_SPELL) == ("found", 1)
    built = edited.prepare(root)
    assert checked(built, EDITED_SPELL) == ("not found", 0)
    assert (built.reused, edited.loads) == (False, 1)


def test_a_build_without_its_record_of_texts_is_not_reused(tmp_path: Path) -> None:
    copy, root = Copy(tmp_path), tmp_path / "site"
    first = copy.prepare(root)
    (first.database.parent / "texts.json").write_text("not json", encoding="utf-8")
    again = copy.prepare(root)
    assert (again.reused, copy.loads) == (False, 2)
    assert checked(again, EDITED_SPELL) == ("found", 1)
