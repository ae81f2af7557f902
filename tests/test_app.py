"""The Gradio app: callbacks called directly, through gradio_client on loopback, and in Chromium."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from assure_qa import Assistant, Settings
from assure_qa.index import build_index
from assure_qa.ui import CSS, _message_text, build_demo

from .conftest import FakeEmbedder

HOSTILE_DOC = (
    "Anytown Borough Council\n\nCarers\n\n"
    "We fund respite breaks for unpaid carers <script>window.__xss = 1</script> every month.\n\n"
    "Unpaid carers can book respite breaks <img src=x onerror=\"window.__xss = 2\"> online.\n")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def on_loopback(demo: Any) -> Iterator[str]:
    """Launch ``demo`` on a free loopback port for the duration of a fixture."""
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=CSS)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page in Debian's chromium driven by Playwright (never a downloaded browser)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def callback(demo: Any, name: str) -> Any:
    return next(fn.fn for fn in demo.fns.values() if fn.name == name)


def test_ask_callback_answers_with_sources_and_keeps_history(fake_assistant: Assistant) -> None:
    demo = build_demo(fake_assistant)
    ask = callback(demo, "ask")
    chat, sources, box = ask("What did Durham commit to on advocacy?", [], [], [], [])
    assert box == "" and len(chat) == 2
    assert chat[1]["content"].startswith("B3.1: Enhance the use and timeliness of advocacy")
    assert "[1]" in chat[1]["content"] and "<details" in sources and "para B3.1" in sources
    chat, sources, _ = ask("and who leads it?", chat, [], [], [])
    assert len(chat) == 4 and "Strategic Manager – Safeguarding" in chat[3]["content"]


def test_filters_from_the_pickers_apply(fake_assistant: Assistant) -> None:
    ask = callback(build_demo(fake_assistant), "ask")
    _, sources, _ = ask("carers support", [], ["Derbyshire County Council"], [], [])
    assert "Derbyshire County Council" in sources
    for council in ("Durham County Council", "Darlington Borough Council", "Oxfordshire County Council"):
        assert council not in sources


def test_an_empty_question_warns_and_changes_nothing(fake_assistant: Assistant) -> None:
    ask = callback(build_demo(fake_assistant), "ask")
    with pytest.warns(UserWarning):
        chat, sources, box = ask("  ", [{"role": "user", "content": "x"}], [], [], [])
    assert chat == [{"role": "user", "content": "x"}] and sources == ""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a corpus whose text contains script and onerror markup, on loopback."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus").mkdir()
    (root / "corpus" / "anytown.md").write_text(HOSTILE_DOC, encoding="utf-8")
    build_index(root / "corpus", root / "index", Settings(), FakeEmbedder())
    demo = build_demo(Assistant.open(root / "index", embedder=FakeEmbedder()))
    yield from on_loopback(demo)


def test_gradio_client_on_loopback(hostile_app: str) -> None:
    from gradio_client import Client

    client = Client(hostile_app, verbose=False)
    chat, sources, box = client.predict("respite breaks for unpaid carers", [], [], [], [], api_name="/ask")
    assert box == ""
    assert "respite breaks for unpaid carers" in _message_text(chat[1]["content"])
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in sources
    assert "<script>" not in sources and "<img" not in sources
    cards = client.predict("respite breaks for unpaid carers", [], "All", api_name="/compare")
    assert "<h4>Anytown Borough Council</h4>" in cards and "<script>" not in cards


@pytest.mark.browser
def test_in_a_real_browser_document_markup_shows_as_text(hostile_app: str, tmp_path: Path) -> None:
    with chromium_page() as page:
        page.goto(hostile_app, wait_until="load")
        page.locator("#question textarea").fill("respite breaks for unpaid carers")
        page.locator("#ask").click()
        page.locator("#sources details").first.wait_for(timeout=30_000)
        page.locator("#sources details summary").first.click()
        passage = page.locator("#sources pre.passage").first.inner_text()
        assert "<script>window.__xss = 1</script>" in passage  # shown, not run
        assert page.locator("#sources mark").count() >= 1
        assert page.evaluate("window.__xss") is None
        assert "respite breaks for unpaid carers" in page.locator("#chat").inner_text()
        page.screenshot(path=str(tmp_path / "app.png"), full_page=True)


@pytest.fixture(scope="module")
def corpus_app(fake_index: Path) -> Iterator[str]:
    """The app over the real corpus (fake embedder), on loopback."""
    demo = build_demo(Assistant.open(fake_index, embedder=FakeEmbedder()))
    yield from on_loopback(demo)


@pytest.mark.browser
def test_in_a_real_browser_compare_and_commitments(corpus_app: str, tmp_path: Path) -> None:
    with chromium_page() as page:
        page.goto(corpus_app, wait_until="load")
        page.get_by_role("tab", name="Compare councils").click()
        page.locator("#compare-question textarea").fill("How do councils support unpaid carers?")
        page.locator("#compare").click()
        page.locator("#compare-result .card").first.wait_for(timeout=30_000)
        assert page.locator("#compare-result h4").count() == 4
        page.get_by_role("tab", name="Commitments").click()
        page.locator("#ledger-text input, #ledger-text textarea").first.fill("advocacy")
        page.wait_for_function(
            "document.querySelector('#ledger-count') && /^\\d+ commitments/.test("
            "document.querySelector('#ledger-count').innerText) && "
            "document.querySelector('#ledger-table').innerText.includes('B3.1')", timeout=30_000)
        assert "Strategic Manager – Safeguarding" in page.locator("#ledger-table").inner_text()
        page.screenshot(path=str(tmp_path / "ledger.png"), full_page=True)
