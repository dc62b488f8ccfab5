"""Review 8 (B): attacks on the cache that found nothing wrong. Each step edits a small
fictional knowledge base and checks the cached answer against the files by hand and against
`--no-cache`: an edit changes the answer, an edit undone restores it, a same-size edit with the
old modification time restored is still seen, a deleted, added or renamed file is followed,
touching changes nothing, and two data directories in one cache keep their own answers.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.conftest import one_file_kb, run_cli

KB = """\
sources:
  - id: s1
    title: 长城云
    kind: article
    published: 2024-10-08
    file: ../seeds/s1.txt
firms:
  - {id: changcheng, name: Changcheng Cloud, name_zh: 长城云, country: CN, source: s1, quote: 长城云}
people:
  - {id: zhang-wei, name: Zhang Wei, name_zh: 张伟, source: s1, quote: 张伟}
  - {id: wei-weiming, name: Wei Weiming, name_zh: 魏伟明, source: s1, quote: 魏伟明}
"""

SPELLS = """\
tenures:
  - id: zhang-wei-cc
    person: zhang-wei
    firm: changcheng
    end: 2024-10
    end_cause: advisor
    source: s1
    quote: 长城云首席技术官张伟改任顾问
"""

MORE = """\
tenures:
  - id: wei-weiming-cc
    person: wei-weiming
    firm: changcheng
    end: 2024
    end_cause: left
    source: s1
    quote: 魏伟明离开长城云
"""


def _kb(root: Path) -> Path:
    data = one_file_kb(root, KB, {"s1.txt": "长城云首席技术官张伟改任顾问。魏伟明离开长城云。"})
    (data / "spells.yaml").write_text(SPELLS, encoding="utf-8")
    return data


def _left(data: Path) -> list[tuple[str, str]]:
    """(person, cause) of each departure from Changcheng, cached; the same as without the cache."""
    cached = run_cli("--data", str(data), "people", "--left", "changcheng", "--format", "json")
    fresh = run_cli("--data", str(data), "--no-cache", "people", "--left", "changcheng", "--format", "json")
    assert cached.exit_code == fresh.exit_code == 0, cached.stderr + fresh.stderr
    assert cached.stdout == fresh.stdout
    return [(row["person"], row["cause"]) for row in json.loads(cached.stdout)]


def test_edits_deletes_additions_and_renames_are_followed(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    spells = data / "spells.yaml"
    assert _left(data) == [("zhang-wei", "advisor")]
    spells.write_text(SPELLS.replace("advisor", "founded"), encoding="utf-8")
    assert _left(data) == [("zhang-wei", "founded")]
    spells.write_text(SPELLS, encoding="utf-8")  # edited back: the first answer again
    assert _left(data) == [("zhang-wei", "advisor")]
    os.utime(spells)  # touched, unchanged
    assert _left(data) == [("zhang-wei", "advisor")]
    (data / "more.yaml").write_text(MORE, encoding="utf-8")  # a new file
    assert _left(data) == [("wei-weiming", "left"), ("zhang-wei", "advisor")]
    shutil.move(spells, data / "roles.yaml")  # renamed
    assert _left(data) == [("wei-weiming", "left"), ("zhang-wei", "advisor")]
    (data / "roles.yaml").unlink()  # deleted
    assert _left(data) == [("wei-weiming", "left")]


def test_a_same_size_edit_with_the_old_mtime_is_seen(tmp_path: Path) -> None:
    data = _kb(tmp_path)
    spells = data / "spells.yaml"
    assert _left(data) == [("zhang-wei", "advisor")]
    before = spells.stat()
    spells.write_text(SPELLS.replace("advisor", "demoted"), encoding="utf-8")  # 7 letters for 7
    os.utime(spells, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert spells.stat().st_size == before.st_size
    assert _left(data) == []  # a demotion is not a departure


def test_two_data_directories_keep_their_own_answers(tmp_path: Path) -> None:
    one, two = _kb(tmp_path / "one"), _kb(tmp_path / "two")
    (two / "spells.yaml").write_text(SPELLS.replace("advisor", "left"), encoding="utf-8")
    for _ in range(2):
        assert _left(one) == [("zhang-wei", "advisor")]
        assert _left(two) == [("zhang-wei", "left")]
