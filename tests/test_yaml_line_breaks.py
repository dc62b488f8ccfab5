"""Characters YAML reads as line breaks besides \\n (NEL, U+2028, U+2029): raw in a data file they
are refused at their exact place, since libyaml would count each as a line and misplace every later
problem (and fold a NEL to a space); as double-quoted escapes they are kept in the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from aiorg.errors import DataError
from aiorg.loader import load
from aiorg.model import Person


@pytest.mark.parametrize(("character", "escape"), [("\u2028", "L"), ("\u2029", "P"), ("\x85", "N")])
def test_a_raw_line_break_character_is_refused_at_its_place(data: Path, character: str, escape: str) -> None:
    people = data / "people.yaml"
    lines = people.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if "name: John Giannandrea" in line)
    lines[number] = lines[number].replace("John", f"Jo{character}hn")
    people.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load(data)
    (problem,) = [str(p) for p in caught.value.problems]
    column = lines[number].index(character) + 1
    assert problem == (
        f"{people}:{number + 1}:{column}: U+{ord(character):04X} is read by YAML as a line break;"
        f" delete it, or write it as \\{escape} inside double quotes"
    )


def test_the_escapes_keep_the_characters_in_the_value(data: Path) -> None:
    people = data / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("name: John Giannandrea", 'name: "John\\LGian\\Pnan\\Ndrea"', 1), encoding="utf-8")
    person = load(data).by_id["john-giannandrea"]
    assert isinstance(person, Person) and person.name == "John\u2028Gian\u2029nan\x85drea"
