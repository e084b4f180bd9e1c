"""What only a browser shows: the page loads, answers stream in with citations, clicking a citation
highlights its sentence in the document, uploads work, and hostile documents stay inert.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright; screenshots go to
``artifacts/screenshots/``. Run with ``pytest -m browser tests/test_browser.py -s`` to see timings.
"""

from __future__ import annotations

import gc
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.chain import Assistant
from assistant.indexing import BUNDLED_REPORT, index_paths
from assistant.settings import PROJECT_ROOT, Settings
from assistant.store import Store

from .conftest import live_ui

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
FIXTURES = Path(__file__).parent / "ui_fixtures"
QUESTION = "How many IPR cases did Chinese courts conclude last year?"
TIMEOUT_MS = 30_000

playwright_api = pytest.importorskip("playwright.sync_api", reason="needs `pip install playwright==1.65.2`")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                                                     "(apt-get install -y chromium)"),
    # Gradio creates asyncio loops it never closes (gradio.utils.safe_get_lock); only those reports are ignored.
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:unclosed event loop:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <function BaseEventLoop.__del__:pytest.PytestUnraisableExceptionWarning"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def shot(page: Any, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture(scope="module", autouse=True)
def collect_gradio_garbage() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Path:
    """This module's own index: its tests upload documents to it."""
    path = tmp_path_factory.mktemp("browser-index")
    index_paths(Store(Settings.from_env(env={}, index_dir=path), embeddings=embeddings), [BUNDLED_REPORT])
    return path


@pytest.fixture(scope="module")
def server(index_dir: Path, embeddings: Any) -> Iterator[str]:
    settings = Settings.from_env(env={}, index_dir=index_dir, port=free_port())
    assistant = Assistant(settings, store=Store(settings, embeddings=embeddings))
    assistant.warm_up()
    assistant.ask(QUESTION)  # as serve() does: the first question fills the answerer's caches
    with live_ui(settings, assistant) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """One browser session on the app, recording any alert/confirm dialog that fires."""

    def __init__(self, browser: Any, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)
        self.page.locator("#question textarea").wait_for()

    def ask(self, question: str, answers_before: int) -> tuple[float, float]:
        """Submit a question; seconds, by the page's own clock, from the key press to the first words
        of the answer and to the whole answer with its citations panel rendered."""
        box = self.page.locator("#question textarea")
        box.fill(question)
        self.page.evaluate("""n => {
            const t = window.__timing = {};
            document.querySelector('#question textarea').addEventListener(
                'keydown', () => { t.pressed = performance.now(); }, {once: true});
            const seen = new MutationObserver(() => {
                const bots = document.querySelectorAll('#chatbot .bot-row');
                const text = bots.length > n ? bots[n].innerText.trim() : '';
                if (!t.words && text && text !== '…') t.words = performance.now();
                if (document.querySelector(`#citations [data-answer='${n + 1}']`)) {
                    t.done = performance.now(); seen.disconnect(); }
            });
            seen.observe(document.body, {subtree: true, childList: true, characterData: true});
        }""", answers_before)
        box.press("Enter")
        # The panel is filled by the handler's last frame, with the last piece of the answer.
        self.page.locator(f"#citations [data-answer='{answers_before + 1}']").wait_for()
        t = self.page.evaluate("window.__timing")
        return (t["words"] - t["pressed"]) / 1000, (t["done"] - t["pressed"]) / 1000

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()

    def upload(self, *files: Path) -> str:
        self.tab("Documents")
        self.page.locator("#upload input[type=file]").set_input_files([str(f) for f in files])
        # Gradio shows a chosen file's stem and extension in separate elements, so wait on the
        # component's whole text rather than on an element holding the full name.
        playwright_api.expect(self.page.locator("#upload")).to_contain_text(files[-1].stem, timeout=4 * TIMEOUT_MS)
        self.page.locator("#add").click()
        status = self.page.locator("#documents-status")
        # The first upload loads sentence-transformers and torch: seconds, more on a busy machine.
        status.get_by_text(re.compile("indexed|Not added")).wait_for(timeout=4 * TIMEOUT_MS)
        return str(status.inner_text())

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser: Any, server: str) -> Iterator[Page]:
    page = Page(browser, server)
    yield page
    page.close()


def test_page_ready_after_serve(index_dir: Path) -> None:
    """`python app.py` on a built index: time until the page is usable, and what that time went to."""
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "app.py"), "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT)
    try:
        with playwright_api.sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = chromium.new_page()
            while True:
                assert process.poll() is None, process.communicate()[1][-2000:]
                assert time.perf_counter() - started < 120, "the page was not ready within 120 s"
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=5_000)
                    page.locator("#question textarea").wait_for(timeout=10_000)
                    break
                except playwright_api.Error:
                    time.sleep(0.2)
            ready = time.perf_counter() - started
            chromium.close()
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    line = next((ln for ln in stderr.splitlines() if "ready in" in ln), "(no ready line)")
    print(f"\npage ready {ready:.1f} s after `python app.py`; the server said: {line}")
    assert "http://127.0.0.1:" in line  # bound to localhost by default


def test_ask_see_the_citation_click_it_see_the_sentence(session: Page) -> None:
    page = session.page
    session.ask(QUESTION, 0)
    words, done = session.ask("What position does Gan Lin hold?", 1)
    library = int(page.locator("#citations [data-latency]").get_attribute("data-latency") or 0)
    print(f"\nwarm, key press -> first words of the answer {words * 1000:.0f} ms, -> whole answer and citations "
          f"rendered {done * 1000:.0f} ms (of which Assistant.ask {library} ms)")
    assert done < 3.0

    first_answer = page.locator("#chatbot a[href='#cite-0-1']").first
    assert first_answer.inner_text() == "[1]"
    assert page.locator("#citations").get_by_text("Cited passages for answer 2").is_visible()
    shot(page, "01-answer-with-citations")

    first_answer.click()  # a [1] of the first answer, not of the latest one
    page.locator("#citations").get_by_text("Cited passages for answer 1").wait_for()
    entry = page.locator("#citations .ra-cite").first
    assert re.search(r"china-ipr-cooperation\.txt · sentence \d+ · score \d\.\d{3} ✓ verified", entry.inner_text())
    selected = page.locator("#document mark.ra-selected")
    assert "nearly 320,000 IPR cases" in selected.inner_text()
    assert page.url.endswith("/")  # the link did not navigate
    # Scrolled into view inside the document box, with neighbouring sentences readable around it.
    inside = page.evaluate("""() => {
        const m = document.querySelector('#document mark.ra-selected').getBoundingClientRect();
        const b = document.querySelector('#document .ra-doc-body').getBoundingClientRect();
        return m.top >= b.top && m.bottom <= b.bottom; }""")
    assert inside
    assert "Law enforcement authorities in China handled 215,000" in page.locator("#document").inner_text()
    shot(page, "02-citation-highlighted-in-document")

    page.locator("#new-conversation").click()
    page.locator("#citations").get_by_text("Cited passages appear here.").wait_for()
    assert page.locator("#chatbot a[href^='#cite-']").count() == 0


def test_the_answer_streams_in(session: Page) -> None:
    page = session.page
    page.evaluate("""() => {
        window.__lengths = [];
        new MutationObserver(() => {
            const bots = document.querySelectorAll('#chatbot .bot-row .message-content');
            const last = bots[bots.length - 1];
            if (last) window.__lengths.push(last.innerText.length);
        }).observe(document.querySelector('#chatbot'), {subtree: true, childList: true, characterData: true});
    }""")
    session.ask(QUESTION, 0)
    lengths = sorted(set(page.evaluate("window.__lengths")))
    assert len(lengths) >= 3, lengths  # the answer arrived in several growing pieces


def test_abstention_shows_the_closest_sentences(session: Page) -> None:
    page = session.page
    session.ask("What is the capital of France?", 0)
    panel = page.locator("#citations")
    assert panel.get_by_text("No answer given. Closest sentences considered").is_visible()
    assert panel.locator(".ra-cite").count() >= 3
    panel.locator(".ra-cite").first.click()
    page.locator("#document mark.ra-selected").wait_for()
    shot(page, "03-abstention-closest-sentences")


def test_sessions_have_their_own_conversations(browser: Any, server: str) -> None:
    one, other = Page(browser, server), Page(browser, server)
    try:
        one.ask(QUESTION, 0)
        other.ask("What is the capital of France?", 0)
        assert "capital of France" not in one.page.locator("#chatbot").inner_text()
        assert "IPR cases" not in other.page.locator("#chatbot").inner_text()
    finally:
        one.close()
        other.close()


def test_a_question_that_cannot_be_asked_leaves_the_conversation_on_screen(session: Page) -> None:
    page = session.page
    session.ask(QUESTION, 0)
    chat = page.locator("#chatbot")
    box = page.locator("#question textarea")
    box.fill("???")
    box.press("Enter")
    note = chat.get_by_text("Not asked: the question has no words; type a question about the documents")
    note.wait_for()
    # The answer before it is still there to read, no error badge covers the chat, and the message
    # is still in the box to be fixed.
    assert "320,000" in chat.inner_text() and chat.locator(".bot-row").count() == 2
    assert page.locator(".error, [data-testid=status-tracker] .error").count() == 0
    assert box.input_value() == "???"
    shot(page, "03b-a-question-with-no-words")
    # An empty box sent (Enter pressed twice) changes nothing.
    box.fill("")
    box.press("Enter")
    page.wait_for_timeout(1500)
    assert note.is_visible() and chat.locator(".bot-row").count() == 2
    box.fill("How many suspects were arrested?")
    box.press("Enter")
    page.locator("#citations [data-answer='2']").wait_for()
    assert not note.is_visible() and "5,600" in chat.inner_text()


def test_on_a_phone_a_citation_click_brings_its_sentence_into_view(browser: Any, server: str) -> None:
    phone = Page(browser, server)
    try:
        page = phone.page
        page.set_viewport_size({"width": 390, "height": 844})
        phone.ask(QUESTION, 0)
        link = page.locator("#chatbot a[href='#cite-0-1']").first
        link.scroll_into_view_if_needed()
        link.click()
        # The columns are stacked: the document view is far below the chat, and comes into view.
        selected = page.locator("#document mark.ra-selected")
        playwright_api.expect(selected).to_be_in_viewport(timeout=TIMEOUT_MS)
        shot(page, "03c-phone-citation", full_page=False)
    finally:
        phone.close()


def test_clicking_an_example_question_asks_it(session: Page) -> None:
    page = session.page
    page.get_by_text("What position does Gan Lin hold?").first.click()
    page.locator("#citations [data-answer='1']").wait_for()
    assert "vice-minister" in page.locator("#chatbot").inner_text()


def test_check_a_passage_marks_the_wrong_number(session: Page) -> None:
    page = session.page
    session.tab("Check a passage")
    page.locator("#passage textarea").fill("Courts across China concluded nearly 330,000 IPR cases of various types")
    page.locator("#check").click()
    result = page.locator("#check-result")
    result.get_by_text("Not found verbatim.").wait_for()
    assert result.locator("mark.ra-num", has_text="320,000").count() >= 1
    shot(page, "04-check-a-passage")


def test_upload_a_document_and_ask_about_it(session: Page) -> None:
    page = session.page
    status = session.upload(FIXTURES / "lighthouse.md")
    assert status.startswith("indexed: 1 added"), status
    assert page.locator("#documents").get_by_text("lighthouse.md").first.is_visible()
    shot(page, "05-documents-after-upload")

    session.tab("Chat")
    session.ask("Who designed the Vellmoor lighthouse?", 0)
    assert "lighthouse.md" in page.locator("#citations .ra-cite").first.inner_text()
    assert "Oriel Castellane" in page.locator("#document mark.ra-selected").inner_text()
    shot(page, "06-answer-from-uploaded-document")


def test_a_bad_upload_is_refused_with_the_reason(session: Page, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"caf\xe9")
    status = session.upload(bad)
    assert status.startswith("Not added:") and "is not UTF-8 text" in status and "The index is unchanged." in status


def test_an_upload_over_the_size_limit_is_refused(session: Page, tmp_path: Path) -> None:
    page = session.page
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 2_200_000)  # 11 MB; the default limit is 10 MiB
    session.tab("Documents")
    table = page.locator("#documents")
    # Opening the tab refreshes the table; on a loaded machine it can still be loading here.
    playwright_api.expect(table).to_contain_text(BUNDLED_REPORT.name, timeout=TIMEOUT_MS)
    playwright_api.expect(table.locator(".progress-text, .eta-bar")).to_have_count(0, timeout=TIMEOUT_MS)
    before = table.inner_text()
    page.locator("#upload input[type=file]").set_input_files(str(big))
    toast = page.locator("[data-testid=toast-text]", has_text="exceed the maximum allowed size")
    toast.wait_for()
    assert "big.txt" in toast.inner_text()
    page.wait_for_timeout(600)  # the toast slides in
    shot(page, "09-upload-over-the-size-limit", full_page=False)  # the toast is fixed to the viewport
    assert table.inner_text() == before


def test_a_script_in_a_document_stays_text(session: Page) -> None:
    page = session.page
    assert session.upload(FIXTURES / "injection.md").startswith("indexed: 1 added")
    session.tab("Chat")
    session.ask("How much do Quillmarsh ferry tickets cost for adults?", 0)
    # The answer quotes the sentence with the tag in it; the chat shows the tag as text.
    assert "12 crowns <img src=x onerror=\"alert('img ran')\"> for adults" in page.locator("#chatbot").inner_text()
    assert page.locator("#chatbot script, #chatbot img[src=x]").count() == 0
    page.locator("#citations .ra-cite").first.click()
    document = page.locator("#document")
    document.get_by_text("<script>alert('script ran')</script>", exact=False).wait_for()
    assert "<img src=x onerror=\"alert('img ran')\">" in document.inner_text()
    assert document.locator("script, img").count() == 0

    session.tab("Check a passage")
    page.locator("#passage textarea").fill("Tickets for the Quillmarsh ferry cost 12 crowns <img src=x onerror=")
    page.locator("#check").click()
    page.locator("#check-result").get_by_text("Found verbatim").wait_for()
    session.tab("Chat")
    page.wait_for_timeout(300)  # let any handler that would fire, fire
    shot(page, "07-script-injection-inert")
    assert session.dialogs == []


def test_run_an_uploaded_eval_set(session: Page) -> None:
    page = session.page
    session.tab("Evaluation")
    page.locator("#evalset input[type=file]").set_input_files(str(FIXTURES / "tiny_eval.jsonl"))
    page.locator("#evalset").get_by_text(re.compile("tiny_eval")).first.wait_for()
    page.locator("#run-eval").click()
    frame = page.frame_locator("#eval-report iframe")
    frame.get_by_text("Evaluation of tiny_eval.jsonl").wait_for(timeout=4 * TIMEOUT_MS)  # slow on a busy machine
    assert frame.get_by_text("Risk-coverage curve").is_visible()
    link = page.locator("#eval-results a[download='tiny_eval-results.jsonl']")
    link.wait_for()
    shot(page, "08-evaluation-report")
    with page.expect_download() as download:
        link.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["t1", "t2", "t3"]
