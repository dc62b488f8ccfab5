"""The site through Datasette's HTTP API (in-process, no port), its metadata, and `aiorg serve`'s own
behaviour: the cache key, the missing extra, the warning for a non-loopback address."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from aiorg.kb import KnowledgeBase
from aiorg.loader import load
from aiorg.serve import site
from aiorg.serve.metadata import FACETS
from tests.conftest import BUNDLED_DATA, run_cli

pytest.importorskip("datasette", reason="the web extra is not installed: pip install 'aiorg[web]'")

#: the command's entry in aiorg.cli.main.COMMAND_INDEX; the tests add it where it is not there yet
SERVE_ENTRY = (
    "aiorg.cli.serve_commands",
    "Browse and search the knowledge base in a web browser, on Datasette (needs aiorg[web]).",
)


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiorg.cli.main import COMMAND_INDEX

    if "serve" not in COMMAND_INDEX:
        monkeypatch.setitem(COMMAND_INDEX, "serve", SERVE_ENTRY)


@pytest.fixture(scope="module")
def built(bundled_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> site.Site:
    return site.prepare(BUNDLED_DATA, lambda: bundled_kb, tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def metadata(built: site.Site) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(built.metadata.read_text(encoding="utf-8"))
    return data


class Client:
    """GET pages and JSON from a Datasette serving the built site, as a browser would."""

    def __init__(self, built: site.Site) -> None:
        from datasette.app import Datasette  # type: ignore[import-untyped]

        self.datasette = Datasette(
            [str(built.database)],
            metadata=json.loads(built.metadata.read_text(encoding="utf-8")),
            plugins_dir=str(site.PLUGINS),
        )

    def get(self, path: str, **params: str) -> Any:
        async def fetch() -> Any:
            await self.datasette.invoke_startup()
            return await self.datasette.client.get(path, params=params)

        response = asyncio.run(fetch())
        assert response.status_code == 200, (path, response.text[:500])
        return response

    def rows(self, path: str, **params: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.get(path, _shape="array", **params).json()
        return rows


@pytest.fixture(scope="module")
def client(built: site.Site) -> Client:
    return Client(built)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("张", {"zhang-fan", "zhang-qianchuan", "zhang-xinhao", "zhang-yiming"}),
        ("暗面", {"moonshot"}),
        ("魏伟", {"wei-wei"}),
        ("月之暗面", {"moonshot"}),
        ("Zhang", {"zhang-fan", "zhang-qianchuan", "zhang-xinhao", "zhang-yiming"}),
        ("moonshot", {"moonshot"}),
    ],
)
def test_search_by_part_of_a_chinese_name_over_http(client: Client, typed: str, found: set[str]) -> None:
    assert {row["record"] for row in client.rows("/aiorg/search.json", q=typed)} == found


def test_who_left_over_http_names_people_with_source_and_quote(client: Client) -> None:
    rows = client.rows("/aiorg/who_left.json", firm="稀宇") or client.rows("/aiorg/who_left.json", firm="MiniMax")
    assert [(r["name_zh"], r["cause"]) for r in rows] == [("张前川", "advisor"), ("魏伟", "left")]
    assert all(r["source"] == "zimubang-2025-06" and r["quote"] for r in rows)


def test_money_is_shown_formatted_and_sorts_as_a_number(client: Client) -> None:
    page = client.get("/aiorg/deals", _sort_desc="amount_usd").text
    assert "$14.3B" in page and "14300000000" not in page.replace("14,300,000,000", "")
    amounts = [row["amount_usd"] for row in client.rows("/aiorg/deals.json", _sort_desc="amount_usd")]
    numbers = [a for a in amounts if a is not None]
    assert numbers == sorted(numbers, reverse=True) and isinstance(numbers[0], float)


def test_a_record_row_links_its_source_and_shows_its_quote(client: Client) -> None:
    page = client.get("/aiorg/tenures", id="wei-wei-minimax-commercial").text
    assert 'href="/aiorg/sources/zimubang-2025-06"' in page
    assert '<blockquote class="aiorg-quote">前MiniMax商业化负责人魏伟</blockquote>' in page


def test_foreign_keys_show_names(client: Client) -> None:
    page = client.get("/aiorg/tenures", id="wei-wei-minimax-commercial").text
    assert '<a href="/aiorg/people/wei-wei">Wei Wei</a>' in page
    assert '<a href="/aiorg/firms/minimax">MiniMax</a>' in page


def test_tables_are_described_from_the_model(metadata: dict[str, Any]) -> None:
    tables = metadata["databases"]["aiorg"]["tables"]
    tenures = tables["tenures"]
    assert tenures["title"] == "Role spells 任职经历"
    assert tenures["description"].startswith("One role spell of a person at a firm")
    assert "(one of: left, founded, advisor, demoted, reported)" not in tenures["columns"]["end_cause"]
    assert tenures["columns"]["end_cause"].startswith("why it ended: left, founded, advisor, demoted, reported")
    assert tenures["columns"]["certainty"].endswith("(one of: confirmed, reported, rumoured, planned, inferred)")
    assert tenures["columns"]["end_earliest"].startswith("earliest day the end can be")
    assert tenures["facets"] == ["firm", "end_cause", "kind", "certainty"]
    assert tables["deals"]["facets"] == ["status", "kind"]
    assert tables["deals"]["columns"]["amount_usd"].startswith("money that changes hands")
    assert tables["people"]["label_column"] == "name" and tables["sources"]["label_column"] == "title"
    assert set(FACETS) <= {f for t in tables.values() for f in t.get("facets", [])}
    queries = metadata["databases"]["aiorg"]["queries"]
    assert list(queries) == ["who_left", "deals_over", "timeline", "flows", "search", "conflicts"]


def test_an_unchanged_knowledge_base_is_reused_and_an_edit_rebuilds(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, data)
    loads: list[int] = []

    def knowledge_base() -> KnowledgeBase:
        loads.append(1)
        return load(data)

    root = tmp_path / "site"
    first = site.prepare(data, knowledge_base, root)
    again = site.prepare(data, knowledge_base, root)
    assert (first.reused, again.reused, len(loads)) == (False, True, 1)
    assert again.database == first.database
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    edited = site.prepare(data, knowledge_base, root)
    assert (edited.reused, len(loads)) == (False, 2)
    assert edited.database != first.database and not first.database.exists()  # the old build is removed


def test_without_the_web_extra_serve_names_it_and_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(site, "datasette_installed", lambda: False)
    result = run_cli("serve")
    assert result.exit_code == 2
    assert result.stderr == "aiorg: error: serve needs Datasette, which is not installed: pip install 'aiorg[web]'\n"


def test_build_only_prints_the_datasette_command(tmp_path: Path) -> None:
    import shlex

    result = run_cli("serve", "--build-only", "--port", "8125")
    assert result.exit_code == 0, result.stderr
    words = shlex.split(result.stdout)
    assert words[1:4] == ["-m", "datasette", "serve"] and words[words.index("--port") + 1] == "8125"
    database = Path(words[words.index("--immutable") + 1])
    assert database.name == "aiorg.db" and database.is_file()
    assert run_cli("--no-cache", "serve", "--build-only").exit_code == 2


def test_a_non_loopback_host_is_warned_about(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[tuple[str, int]] = []
    monkeypatch.setattr(site, "run", lambda built, host, port: served.append((host, port)))
    quiet = run_cli("serve", "--port", "8123")
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr
    loud = run_cli("serve", "--host", "0.0.0.0", "--port", "8124")
    assert loud.exit_code == 0
    assert "aiorg: warning: serving on 0.0.0.0: the site has no login" in loud.stderr
    assert served == [("127.0.0.1", 8123), ("0.0.0.0", 8124)]


def test_a_port_in_use_is_a_usage_error() -> None:
    import socket

    from aiorg.errors import UsageError

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(UsageError, match=r"cannot listen on 127\.0\.0\.1 port"):
            site.check_port("127.0.0.1", taken.getsockname()[1])
