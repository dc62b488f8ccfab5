"""Review 8 (B) defect: an empty profile section is the one empty answer without a note.

README, "Output formats": "An empty answer exits 0 with a one-line note on stderr". Every
listing does so (`people --left beichen`, `deals --min 10B`, `source ID`, `path` …), but
`aiorg person sam-altman --section deals` prints `[]` (JSON), a bare header (CSV) or, as a
table, only the profile's heading lines, with nothing on stderr: the table reader cannot tell
"no deals recorded" from a section that failed to print.

Suggested fix (aiorg/cli/profile_commands.py): when the chosen section has no rows, write the
usual one-line note (`note: no deals recorded for Sam Altman (山姆·奥特曼)`).
"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
@pytest.mark.parametrize(
    "args", [("person", "sam-altman", "--section", "deals"), ("firm", "01ai", "--section", "people_left")]
)
def test_an_empty_section_says_so(args: tuple[str, ...], fmt: str) -> None:
    result = run_cli(*args, "--format", fmt)
    assert result.exit_code == 0
    assert result.stderr.startswith("note: "), (result.stdout, result.stderr)


def test_a_section_with_rows_needs_no_note() -> None:
    result = run_cli("firm", "minimax", "--section", "people_left", "--format", "json")
    assert result.exit_code == 0
    assert '"wei-wei"' in result.stdout and '"zhang-qianchuan"' in result.stdout
