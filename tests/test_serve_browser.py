"""`aiorg serve` in a real browser: headless Chromium loads the pages a colleague would open, and
the test reads what the page shows (headings, table cells, links), not the HTML's plumbing.

Needs Chromium and a CJK font (Debian: apt-get install chromium fonts-noto-cjk). The test is
skipped only where no Chromium binary can be found, and says so.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import BUNDLED_DATA
from tests.test_serve_site import SERVE_ENTRY

#: `aiorg` as the console script runs it (with `serve` registered, where it is not yet)
AIORG = [
    sys.executable,
    "-c",
    f"from aiorg.cli import main; main.COMMAND_INDEX.setdefault('serve', {SERVE_ENTRY!r}); main.main()",
]

pytest.importorskip("datasette", reason="the web extra is not installed: pip install 'aiorg[web]'")

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM = next((found for name in BROWSERS if (found := shutil.which(name))), None)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on PATH (tried " + ", ".join(BROWSERS) + "); on Debian/Ubuntu: "
    "apt-get install chromium fonts-noto-cjk. Skipped only where Chromium cannot be installed.",
)


class Page(HTMLParser):
    """What a reader sees: the h1, the text of each table row's cells, the links and their text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.h1 = ""
        self.rows: list[list[str]] = []
        self.links: dict[str, str] = {}
        self._in: list[str] = []
        self._href: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag == "td" and self.rows:
            self.rows[-1].append("")
        elif tag == "a":
            self._href, self._text = dict(attrs).get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links[self._text.strip()] = self._href
            self._href = None
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "h1" in self._in:
            self.h1 += data
        if "td" in self._in and self.rows and self.rows[-1]:
            self.rows[-1][-1] = " ".join((self.rows[-1][-1] + " " + data).split())
        if self._href is not None:
            self._text += data

    @property
    def cells(self) -> list[list[str]]:
        """The data rows (a header row has no td)."""
        return [row for row in self.rows if row]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "State:\tZ" in status


class Server:
    """`aiorg serve` as a child process on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [*AIORG, "--data", str(BUNDLED_DATA), "serve", "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.process.kill()
        pytest.fail(f"aiorg serve did not start: {self.process.communicate()[1].decode()[-2000:]}")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, signum: int) -> tuple[int, str, list[int]]:
        """Send `signum`; the exit code, stderr, and the children that were running before."""
        children = _children(self.process.pid)
        self.process.send_signal(signum)
        _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err.decode(), children


def chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    running = Server()
    yield running
    if running.process.poll() is None:
        running.stop(signal.SIGTERM)


def dom(server: Server, path: str) -> Page:
    return Page(chromium("--dump-dom", server.url(path)).stdout)


@needs_chromium
def test_home_page_lists_the_questions(server: Server) -> None:
    page = dom(server, "/aiorg")
    assert page.h1.strip().startswith("aiorg: AI-industry people, firms and deals")
    for title in ("Who left a firm? 谁离开了", "Deals over an amount 金额以上的交易", "Search names 搜索人名和公司"):
        assert title in page.links, sorted(page.links)
    assert page.links["Who left a firm? 谁离开了"] == "/aiorg/who_left"
    root = dom(server, "/")
    assert "aiorg" in root.links


@needs_chromium
def test_a_table_shows_names_in_both_scripts_and_cites(server: Server) -> None:
    page = dom(server, "/aiorg/people?_sort=id")
    assert page.h1.strip() == "People 人物"
    wei = next(row for row in page.cells if "Wei Wei" in row)
    assert "魏伟" in wei
    title = "在大模型竞赛中处于下风的厂商，纷纷对自家AI团队动起了刀"  # the source, shown by its title
    assert wei[-1] == f"{title} 前MiniMax商业化负责人魏伟"  # ... and then the person's quote from it
    assert page.links[title] == "/aiorg/sources/zimubang-2025-06"


@needs_chromium
def test_searching_two_chinese_characters_finds_the_firm(server: Server) -> None:
    page = dom(server, "/aiorg/search?q=" + quote("暗面"))
    assert page.h1.strip() == "Search names 搜索人名和公司"
    assert page.cells == [["firms", "moonshot", "Moonshot AI", "月之暗面", "月之暗面"]]
    assert page.links["moonshot"] == "/aiorg/firms/moonshot"


@needs_chromium
def test_who_left_minimax_shows_the_people_the_cause_and_the_quote(server: Server, tmp_path: Path) -> None:
    page = dom(server, "/aiorg/who_left?firm=minimax")
    assert page.h1.strip() == "Who left a firm? 谁离开了"
    shown = [(row[1], row[2], row[7], row[8]) for row in page.cells]
    assert shown == [
        ("Zhang Qianchuan", "张前川", "advisor", "2024-09"),
        ("Wei Wei", "魏伟", "left", "2024-12..2025-06"),
    ]
    assert page.cells[1][-2:] == ["前MiniMax商业化负责人魏伟", "found"]  # the quote, verbatim, found in its source
    assert page.links["wei-wei-minimax-commercial"] == "/aiorg/tenures/wei-wei-minimax-commercial"
    picture = tmp_path / "serve.png"
    chromium("--window-size=1500,700", f"--screenshot={picture}", server.url("/aiorg/who_left?firm=minimax"))
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000


@needs_chromium
@pytest.mark.parametrize(
    ("signum", "code", "said"), [(signal.SIGTERM, 0, "aiorg: stopped"), (signal.SIGINT, 130, "aiorg: interrupted")]
)
def test_serve_stops_cleanly_and_takes_datasette_with_it(signum: int, code: int, said: str) -> None:
    running = Server()
    exit_code, err, children = running.stop(signum)
    assert (exit_code, err.strip().splitlines()[-1]) == (code, said)
    assert "Traceback" not in err
    assert children and all(_gone(child) for child in children)
