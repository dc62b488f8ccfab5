"""`accept` on what an editor may have written by hand, and when the disk is full (review 8d,
defects 3, 9 and 10, beyond the reviewer's own tests): a record written as an inline mapping
and an empty inline `also: []` are each refused at their line with nothing written; a byte
order mark and CRLF are kept together; a staged write that fails, or a copy error without an
errno, is one short line. FICTIONAL data (tests/test_review8d_kb.py)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_E, TENURES, article, draft, write_kb

CLAIM = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  end_cause: left
  source: fic-e-2025-08
  quote: 林峰已于2024年12月离职
  review: accept
"""
INLINE_RECORD = TENURES.replace(
    """  - id: lin-feng-xingchen
    person: lin-feng
    firm: xingchen
    title: Head of product
    area: product
    kind: executive
    end: 2024-12
    end_cause: left     # the first report
    source: fic-a-2025-01
    quote: 星辰智能产品负责人林峰已于2024年12月离职
""",
    "  - {id: lin-feng-xingchen, person: lin-feng, firm: xingchen, end: 2024-12, end_cause: left,"
    " source: fic-a-2025-01, quote: 星辰智能产品负责人林峰已于2024年12月离职}\n",
)
EMPTY_ALSO = TENURES.replace(
    "    quote: 星辰智能产品负责人林峰已于2024年12月离职\n",
    "    quote: 星辰智能产品负责人林峰已于2024年12月离职\n    also: []\n",
)


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _refused(tmp_path: Path, name: str, text: str, body: str) -> str:
    """Accept `body` into a knowledge base whose `name` file is `text`: it must be refused
    (exit 1) with nothing written; the problem lines."""
    data = write_kb(tmp_path / "kb")
    (data / name).write_text(text, encoding="utf-8")
    assert run_cli("--data", str(data), "validate").exit_code == 0  # valid data, only not editable
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), body)
    before = _snapshot(tmp_path / "kb")
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert _snapshot(tmp_path / "kb") == before
    return result.stderr


def test_a_claim_on_a_record_written_as_an_inline_mapping_is_refused_at_the_record(tmp_path: Path) -> None:
    stderr = _refused(tmp_path, "tenures.yaml", INLINE_RECORD, CLAIM)
    assert "tenures.yaml:3:5: this record is an inline mapping ({...}): accept cannot add" in stderr, stderr
    assert "(the draft's line 7); write it as a block mapping" in stderr, stderr


def test_a_claim_on_a_record_with_an_empty_inline_also_is_refused_at_the_also(tmp_path: Path) -> None:
    stderr = _refused(tmp_path, "tenures.yaml", EMPTY_ALSO, CLAIM)
    assert "tenures.yaml:13:11: its 'also' is not a block list" in stderr, stderr


def test_a_byte_order_mark_and_crlf_are_kept_together_and_no_mark_is_added(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    tenures = data / "tenures.yaml"
    tenures.write_bytes(b"\xef\xbb\xbf" + TENURES.replace("\n", "\r\n").encode())
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), CLAIM)
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    raw = tenures.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# Role spells (FICTIONAL).\r\n")
    assert b"\r\n      - source: fic-e-2025-08\r\n" in raw and b"\xef\xbb\xbf" not in raw[3:]
    sources = (data / "sources.yaml").read_bytes()  # written without a mark, and still without one
    assert sources.startswith(b"# Sources") and b"id: fic-e-2025-08" in sources
    assert run_cli("--data", str(data), "validate").exit_code == 0


def _failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: Any, target: Any, name: str) -> str:
    """Accept a claim while `target.name` is `fail`: exit 4, nothing changed; the one stderr line."""
    data = write_kb(tmp_path / "kb")
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), CLAIM)
    before = _snapshot(tmp_path / "kb")
    monkeypatch.setattr(target, name, fail)
    result = run_cli("--data", str(data), "accept", str(path))
    monkeypatch.undo()
    assert result.exit_code == 4, result.stderr
    assert _snapshot(tmp_path / "kb") == before
    assert not [p for p in (tmp_path / "kb").iterdir() if p.name.startswith(".")]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and ".accept-" not in lines[0], lines
    assert lines[0].startswith(f"aiorg: error: {data}: cannot copy it to check the merge: "), lines[0]
    assert lines[0].endswith("; nothing was merged"), lines[0]
    return lines[0]


def test_a_full_disk_while_writing_the_merged_text_to_the_staged_copy_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_text = Path.write_text

    def full(self: Path, *args: Any, **kwargs: Any) -> int:
        if ".accept-" in str(self):
            raise OSError(28, "No space left on device", str(self))
        return write_text(self, *args, **kwargs)

    line = _failing(tmp_path, monkeypatch, full, Path, "write_text")
    assert ": No space left on device; nothing" in line


def test_a_copy_error_without_an_errno_is_one_line_naming_no_staged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
        raise shutil.Error([(str(src), str(dst), f"could not copy {dst}")])

    line = _failing(tmp_path, monkeypatch, broken, shutil, "copytree")
    assert ": a file could not be copied; nothing" in line
