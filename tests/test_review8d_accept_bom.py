"""Review 8d, defect (minor): `accept` drops a data file's UTF-8 byte order mark when it merges a
claim into it, although it promises to keep files byte for byte outside the lines it inserts
("Files keep their comments and layout (accept only inserts lines)"). The loader reads a BOM
(README), so an editor's file saved by a Windows editor changes on its first line in the git diff
of every merge. FICTIONAL data."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import ARTICLE_E, TENURES, article, draft, write_kb

BODY = """\
tenures:
- id: lin-feng-xingchen
  person: lin-feng
  firm: xingchen
  end_cause: left
  source: fic-e-2025-08
  quote: 林峰已于2024年12月离职
  review: accept
"""


def test_a_bom_is_kept_by_a_merge(tmp_path: Path) -> None:
    data = write_kb(tmp_path / "kb")
    tenures = data / "tenures.yaml"
    tenures.write_bytes(b"\xef\xbb\xbf" + TENURES.encode())
    path = draft(tmp_path, "fic-e-2025-08", "2025-08-01", article(tmp_path, "e.txt", ARTICLE_E), BODY)
    result = run_cli("--data", str(data), "accept", str(path))
    assert result.exit_code == 0, result.stderr
    raw = tenures.read_bytes()
    assert b"      - source: fic-e-2025-08\n" in raw  # merged
    assert raw.startswith(b"\xef\xbb\xbf# Role spells (FICTIONAL).\n"), raw[:40]
