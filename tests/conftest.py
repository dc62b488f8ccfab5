"""Shared test helpers: run the CLI in-process and capture its streams separately."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from aiorg.cli.main import app
from aiorg.kb import KnowledgeBase
from aiorg.loader import load

REPO = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO / "data"


@dataclass
class CliResult:
    """Exit code and the two output streams of one CLI run."""

    exit_code: int
    stdout: str
    stderr: str


def _runner() -> CliRunner:
    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the bundled data directory, with the seeds its sources' texts are in."""
    copy = tmp_path / "kb"
    shutil.copytree(BUNDLED_DATA, copy / "data")
    shutil.copytree(BUNDLED_DATA.parent / "seeds", copy / "seeds")
    return copy / "data"


def one_file_kb(root: Path, kb: str, seeds: dict[str, str]) -> Path:
    """A one-file knowledge base under `root`: `data/kb.yaml` holding `kb`, and each seed text
    (file name: text) in `seeds/`, where sources name them as `../seeds/NAME`. The data folder."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    for name, text in seeds.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    (root / "data" / "kb.yaml").write_text(kb, encoding="utf-8")
    return root / "data"


def store_file(cache_dir: Path) -> Path:
    """The one store under a cache directory."""
    (found,) = (cache_dir / "kb").glob("*.sqlite")
    return found


def damage_wei_wei(store: Path) -> None:
    """Alter one record's bytes in a store (Wei Wei's name), leaving its checksum as it was."""
    db = sqlite3.connect(store)
    (row,) = db.execute("SELECT data FROM records WHERE id = 'wei-wei'").fetchone()
    db.execute("UPDATE records SET data = ? WHERE id = 'wei-wei'", (row.replace(b"Wei Wei", b"Wei Wai"),))
    db.commit()
    db.close()


def run_cli(*args: str, env: dict[str, str] | None = None) -> CliResult:
    """Invoke `aiorg ARGS` in-process, as the console script would."""
    result = _runner().invoke(app, list(args), env=env, catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def cli_text(*args: str, width: int = 80) -> str:
    """What `aiorg ARGS` prints in a terminal `width` columns wide; it must succeed."""
    result = run_cli(*args, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def cli_json(*args: str) -> Any:
    """The parsed `--format json` output of `aiorg ARGS`; it must succeed."""
    return json.loads(cli_text(*args, "--format", "json"))


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tests never read or write the user's real cache."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    folder.chmod(0o700)
    os.environ["AIORG_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def bundled_kb() -> KnowledgeBase:
    """The knowledge base shipped with aiorg, loaded once."""
    return load(BUNDLED_DATA)


def _register_hypothesis_profiles() -> None:
    """CI runs 20 examples a test (the whole suite stays under 5 minutes on a slow 2-core machine);
    `HYPOTHESIS_PROFILE=long` runs many more locally."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("wide", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    import os

    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_register_hypothesis_profiles()


def converted_chunks(patch: pytest.MonkeyPatch) -> list[int]:
    """From now on, the line offset of every chunk aiorg.parse composes and converts (reused
    chunks are not converted, so they are not listed)."""
    from aiorg import parse

    offsets: list[int] = []
    real = parse._convert_chunk

    def counted(chunk: tuple[int, str], display: str) -> object:
        offsets.append(chunk[0])
        return real(chunk, display)

    patch.setattr(parse, "_convert_chunk", counted)
    return offsets


def no_children_left() -> bool:
    """True when this process has no child process, running or unreaped."""
    import os

    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def write_spec(folder: Path, spec: dict[str, list[dict[str, Any]]]) -> None:
    """A knowledge base of these records (kind -> list of records) as one YAML file per kind."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind, records in spec.items():
        (folder / f"{kind}.yaml").write_text(yaml.safe_dump({kind: records}, allow_unicode=True), encoding="utf-8")
