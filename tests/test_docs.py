"""Documentation that is generated from code must match it."""

from __future__ import annotations

from aiorg.schema_doc import reference
from tests.conftest import REPO


def test_data_format_field_reference_matches_the_model() -> None:
    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    generated = doc.split("<!-- fields:start -->\n", 1)[1].split("<!-- fields:end -->", 1)[0]
    assert generated.strip() == reference().strip()


def test_data_format_has_an_example_of_every_record_kind() -> None:
    from aiorg.model import RECORD_KINDS

    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    example = doc.split("## An example of every record kind", 1)[1].split("## Field reference", 1)[0]
    for kind in RECORD_KINDS:
        assert f"\n{kind}:\n" in example, kind


def test_data_format_example_is_valid_yaml_for_the_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from aiorg.loader import load_file

    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    example = doc.split("## An example of every record kind", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = load_file(path, "example.yaml")
    assert result.problems == []
    assert len(result.records) == 12
