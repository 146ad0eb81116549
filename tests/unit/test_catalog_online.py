"""``catalog check --online`` against a real local aiohttp server: a quote that is still there,
one that is gone, a page that moved, a page that is gone, an unreachable host."""
from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.catalog import build_catalog, parse_files, read_catalog_files
from bot.catalog.checks import catalog_check_main
from bot.catalog.online import check_online, normalize, page_text

PAGE = """<html><head><title>FAQ</title><script>var quote = "not visible";</script></head>
<body><h1>Prepaid</h1><p>Every RM1 top&nbsp;up is equivalent to <b>1 day</b> of active period.</p>
<p>有效期限，并额外提供50天的信贷宽限期。</p></body></html>"""


@pytest.fixture
async def site() -> AsyncIterator[str]:
    async def faq(request: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html", charset="utf-8")

    async def old(request: web.Request) -> web.Response:
        raise web.HTTPMovedPermanently("/faq-new")

    async def gone(request: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    app = web.Application()
    app.router.add_get("/faq", faq)
    app.router.add_get("/faq-new", faq)
    app.router.add_get("/old", old)
    app.router.add_get("/gone", gone)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    site_ = web.TCPSite(runner, "127.0.0.1", port)
    await site_.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _write(tmp_path: Path, base: str) -> Path:
    def fact(value: str, path: str, quote: str, **extra: str) -> str:
        more = "".join(f', {k} = "{v}"' for k, v in extra.items())
        return (f'{{ value = "{value}", source = "{base}{path}", checked = 2026-12-01, confidence = "H", '
                f'quote = "{quote}"{more} }}')

    dead = f"http://127.0.0.1:{_free_port()}"
    (tmp_path / "x.toml").write_text(f"""
[country]
code = "my"
name = "Malaysia"
report = [{fact("RM1", "/faq", "Every RM1 top up is equivalent to 1 day")}]

[[providers]]
id = "other"
name = "Other"
country = "my"
kind = "mobile"

[[providers]]
id = "alpha"
name = "Alpha"
country = "my"
kind = "mobile"
grace = [{fact("50", "/faq", "并额外提供50天的信贷宽限期")}]
notes = [
  {fact("A", "/faq", "a sentence that is not on the page")},
  {fact("B", "/old", "1 day of active period")},
  {fact("C", "/gone", "anything")},
  {fact("D", "/faq", "not visible")},
]
support = [{{ value = "123", source = "{dead}/x", checked = 2026-12-01, confidence = "H", quote = "call 123" }}]
""", encoding="utf-8")
    return tmp_path


def test_normalize_ignores_markup_space_punctuation_and_width() -> None:
    assert normalize("Top up，and  ＲＭ1!") == normalize("top-up and RM1")
    assert "1 day" in page_text("<b>1 day</b>")


async def test_online_check_against_a_local_server(site: str, tmp_path: Path) -> None:
    catalog = build_catalog(parse_files(read_catalog_files(_write(tmp_path, site))))
    problems = await check_online(catalog, timeout=5)
    by = {p.field.split("[")[1].rstrip("]") + ":" + p.severity: p.message for p in problems}
    assert "quote not found" in by["A:error"]
    assert "source moved" in by["B:warning"] and "/faq-new" in by["B:warning"]
    assert "B:error" not in by                       # the moved page still has the quote
    assert "HTTP 404" in by["C:error"]
    assert "quote not found" in by["D:error"]        # text inside <script> does not count
    assert "unreachable" in by["123:error"]
    assert "50:error" not in by and "RM1:error" not in by   # quotes found (Chinese, entities, tags)
    assert [p.severity for p in problems] == ["error"] * 4 + ["warning"]  # errors first


async def test_only_limits_the_check(site: str, tmp_path: Path) -> None:
    catalog = build_catalog(parse_files(read_catalog_files(_write(tmp_path, site))))
    problems = await check_online(catalog, only={"my"}, timeout=5)
    assert problems == []


async def test_cli_online_exit_status(site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, site)
    argv = ["--path", str(path), "--today", "2026-12-02"]
    # The CLI runs its own event loop: run it in a thread so that the server's loop keeps serving.
    assert await asyncio.to_thread(catalog_check_main, argv) == 0   # offline: well formed
    assert await asyncio.to_thread(catalog_check_main, [*argv, "--online", "--only", "my", "--timeout", "5"]) == 0
    assert await asyncio.to_thread(catalog_check_main, [*argv, "--online", "--timeout", "5"]) == 1
    assert "quote not found" in capsys.readouterr().out
