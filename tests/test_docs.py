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
    from aiorg.parse import load_file

    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    example = doc.split("## An example of every record kind", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    result = load_file(path, "example.yaml")
    assert result.problems == []
    assert result.records is not None and len(result.records) == 12


def test_readme_documents_every_row_key() -> None:
    """The README's key table must match what the commands return."""
    import json

    from tests.conftest import run_cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, args in {
        "people": ["people"],
        "deals": ["deals"],
        "timeline": ["timeline"],
        "search": ["search", "meta"],
        "path": ["path", "meta", "ssi"],
        "flows": ["flows"],
        "firms": ["firms"],
        "person": ["person", "wei-wei"],
        "sources": ["sources"],
        "source": ["source", "zimubang-2025-06"],
        "conflicts": ["--data", str(REPO / "tests" / "fixtures" / "multisource" / "data"), "conflicts"],
    }.items():
        data = json.loads(run_cli(*args, "--format", "json").stdout)
        keys = list(data[0]) if isinstance(data, list) else list(data)
        assert f"| `{name}` | " + ", ".join(f"`{k}`" for k in keys) + " |" in readme, name


def test_readme_demo_is_real_output() -> None:
    """The tables in the README's demo are exactly what the commands print."""
    from tests.conftest import run_cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for args in (["people", "--left", "minimax"], ["path", "Daniel Gross", "ssi"], ["flows", "--to", "meta"]):
        result = run_cli(*args, env={"COLUMNS": "80"})
        assert result.exit_code == 0
        assert result.stdout in readme, args
