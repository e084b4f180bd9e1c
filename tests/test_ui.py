"""The UI's handlers, called directly, and the ``/ask`` API through Gradio's own client on a live server.

Everything runs against a real index of the bundled report in a temporary folder (built once per
module); documents are added to and removed from a separate scratch index, so the answers the
other tests expect do not move.
"""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant import ui
from assistant.chain import Assistant
from assistant.indexing import BUNDLED_REPORT, index_paths
from assistant.settings import PROJECT_ROOT, Settings
from assistant.store import Store

from .conftest import live_ui

# Gradio creates asyncio loops it never closes (gradio.utils.safe_get_lock, once per Blocks and
# launch); the garbage collector reports them. Only those reports are ignored here.
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:unclosed event loop:ResourceWarning"),
    pytest.mark.filterwarnings("ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <function BaseEventLoop.__del__:pytest.PytestUnraisableExceptionWarning"),
]

FIXTURES = Path(__file__).parent / "ui_fixtures"
QUESTION = "How many IPR cases did Chinese courts conclude last year?"
FOLLOW_UP = "And how big an increase was that?"
OFF_TOPIC = "What is the capital of France?"
NO_WORDS = "the question has no words; type a question about the documents"
EMPTY = "the question is empty; type a question about the documents"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module", autouse=True)
def collect_gradio_garbage() -> Iterator[None]:
    """Collect Gradio's abandoned event loops while this module's warning filters still apply."""
    yield
    gc.collect()


# ``assistant`` (read-only, the bundled report) and ``embeddings`` come from conftest.py.
@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory, embeddings: Any) -> Assistant:
    """An index that tests may change; a small upload limit to test refusals."""
    settings = Settings.from_env(env={}, index_dir=tmp_path_factory.mktemp("ui-scratch"), max_upload_bytes=20_000)
    store = Store(settings, embeddings=embeddings)
    index_paths(store, [BUNDLED_REPORT])
    return Assistant(settings, store=store)


def run_chat(assistant: Assistant, question: str, conversation: list[dict[str, Any]] | None = None
             ) -> list[tuple[Any, ...]]:
    return list(ui.chat(assistant, question, conversation or []))


# -- chat ------------------------------------------------------------------------------------------
def test_chat_streams_the_answer_and_shows_its_citations(assistant: Assistant) -> None:
    frames = run_chat(assistant, QUESTION)
    first, *middle, last = frames
    messages, conversation, citations, document, box = last

    # The question shows at once, with a placeholder, and the box is cleared.
    assert first[0][-2]["content"] == ui._md_text(QUESTION) and first[0][-1]["content"] == "…"
    assert first[-1] == ""
    # Then the answer grows in a few word chunks, every frame a prefix of the next.
    assert 1 <= len(middle) < ui.STREAM_FRAMES
    texts = [frame[0][-1]["content"] for frame in middle]
    texts.append(messages[-1]["content"])
    assert all(later.startswith(earlier) for earlier, later in zip(texts, texts[1:]))
    assert len(set(texts)) == len(texts)

    (answer,) = conversation
    assert not answer["abstained"]
    assert "320,000" in answer["citations"][0]["text"]
    assert messages[-1]["content"] == ui.answer_markdown(answer["answer"], 0)
    assert "(#cite-0-1)" in messages[-1]["content"]
    # The panel: document, sentence number (ordinal + 1), score, verified mark, the sentence.
    cited = answer["citations"][0]
    assert 'data-cite="0:c1"' in citations
    assert f"{cited['doc']} · sentence {cited['ordinal'] + 1}" in citations
    assert f"score {cited['score']:.3f}" in citations and "✓ verified" in citations
    # The document opens at the first citation, highlighted and selected.
    assert 'class="ra-hl ra-selected"' in document
    assert "Courts across China concluded nearly 320,000" in document.split("ra-selected")[1]


def test_follow_up_uses_the_conversation(assistant: Assistant) -> None:
    conversation = run_chat(assistant, QUESTION)[-1][1]
    messages, conversation, citations, _, _ = run_chat(assistant, FOLLOW_UP, conversation)[-1]
    assert [m["role"] for m in messages] == ["user", "assistant"] * 2
    follow = conversation[1]
    assert not follow["abstained"], follow["answer"]
    assert any("320,000" in c["text"] for c in follow["citations"])
    assert 'data-cite="1:c1"' in citations


def test_sessions_do_not_share_conversations(assistant: Assistant) -> None:
    one = run_chat(assistant, QUESTION)[-1][1]
    other = run_chat(assistant, OFF_TOPIC)[-1][1]
    assert [a["question"] for a in one] == [QUESTION] and [a["question"] for a in other] == [OFF_TOPIC]


def test_abstention_shows_the_closest_sentences(assistant: Assistant) -> None:
    _, conversation, citations, document, _ = run_chat(assistant, OFF_TOPIC)[-1]
    assert conversation[0]["abstained"] is True
    assert conversation[0]["citations"] == []
    assert "Closest sentences considered" in citations
    shown = min(len(conversation[0]["retrieved"]), ui.CLOSEST_SHOWN)
    assert shown >= 3
    assert citations.count('class="ra-cite"') == shown
    assert document == ui.NO_DOCUMENT


def test_an_empty_submit_changes_nothing(assistant: Assistant) -> None:
    # An empty box or a second Enter: the conversation stays as it is, with no error over it.
    conversation = run_chat(assistant, QUESTION)[-1][1]
    for blank in ("", "   \n"):
        assert run_chat(assistant, blank, conversation) == [(gr.skip(),) * 5]


def test_a_question_that_cannot_be_asked_is_answered_with_why_under_it(assistant: Assistant) -> None:
    conversation = run_chat(assistant, QUESTION)[-1][1]
    frames = run_chat(assistant, "???", conversation)
    assert len(frames) == 1
    messages, kept, citations, document, box = frames[0]
    # The conversation stays on screen with the message and a note; nothing else changes, and the
    # message stays in the box to be fixed.
    assert messages[:-2] == ui.chat_messages(conversation)
    assert messages[-2]["content"] == "???".replace("?", "\\?")
    assert messages[-1] == {"role": "assistant", "content": "**Not asked:** " + ui._md_text(NO_WORDS)}
    assert (kept, citations, document, box) == (gr.skip(),) * 4
    # The note is no turn of the conversation: the next answer is built without it.
    assert len(run_chat(assistant, FOLLOW_UP, conversation)[-1][1]) == 2


def test_a_failed_search_takes_the_placeholder_back_and_keeps_the_question(assistant: Assistant, tmp_path: Path
                                                                           ) -> None:
    missing = Assistant(assistant.settings.with_(index_dir=tmp_path / "no-index"))
    frames = run_chat(missing, QUESTION)
    messages, kept, _, _, box = frames[-1]
    assert messages[-1]["content"].startswith("**Not asked:** ") and "assistant index" in messages[-1]["content"]
    assert messages[-2]["content"] == ui._md_text(QUESTION) and box == QUESTION and kept == gr.skip()


def test_new_conversation_clears_everything() -> None:
    messages, conversation, citations, document, box = ui.new_conversation()
    assert (messages, conversation, box) == ([], [], "")
    assert (citations, document) == (ui.NO_CITATIONS, ui.NO_DOCUMENT)


def test_history_is_rebuilt_from_the_answers(assistant: Assistant) -> None:
    conversation = run_chat(assistant, QUESTION)[-1][1]
    assert ui.history_of(conversation) == [
        {"role": "user", "content": QUESTION}, {"role": "assistant", "content": conversation[0]["answer"]}]


def test_markers_become_links_and_text_stays_literal() -> None:
    md = ui.answer_markdown("Nearly 320,000 [1]. See <b>this</b> and *that* [2]", turn=3)
    assert "[\\[1\\]](#cite-3-1)" in md and "[\\[2\\]](#cite-3-2)" in md
    assert "\\<b\\>this\\<\\/b\\>" in md and "\\*that\\*" in md
    assert ui._md_text("<script>alert(1)</script>") == "\\<script\\>alert\\(1\\)\\<\\/script\\>"


def test_selecting_a_citation_or_a_close_sentence_shows_it_in_its_document(assistant: Assistant) -> None:
    conversation = run_chat(assistant, QUESTION)[-1][1] + run_chat(assistant, OFF_TOPIC)[-1][1]
    citations, document = ui.show_passage(assistant, conversation, 0, "c1")
    assert "Cited passages for answer 1" in citations
    assert document.count('class="ra-hl ra-selected"') == 1
    # The whole document is there, not only the sentence: its first and last lines too.
    assert "China will expand international cooperation" in document and "Source: China Daily" in document

    citations, document = ui.show_passage(assistant, conversation, 1, "r0")
    closest = conversation[1]["retrieved"][0]["text"]
    assert "Closest sentences considered" in citations
    assert ui._e(closest) in document.split("ra-selected")[1]

    for turn, key in ((5, "c1"), (0, "c9"), (0, "x1"), (-1, "c1"), (1, "r99")):
        assert ui.show_passage(assistant, conversation, turn, key) == (gr.skip(), gr.skip())


# -- the API handler -------------------------------------------------------------------------------
def test_ask_json_returns_the_design_answer_json(assistant: Assistant) -> None:
    answer = ui.ask_json(assistant, QUESTION)
    assert {"question", "answer", "abstained", "citations", "retrieved", "latency_ms"} <= answer.keys()
    assert "320,000" in answer["citations"][0]["text"]
    history = json.dumps(ui.history_of([answer]))
    follow = ui.ask_json(assistant, FOLLOW_UP, history)  # history as JSON text works as well as a list
    assert follow == {**ui.ask_json(assistant, FOLLOW_UP, json.loads(history)), "latency_ms": follow["latency_ms"]}


@pytest.mark.parametrize("question, history, message", [
    ("", None, EMPTY),
    (QUESTION, "[{", "history is not valid JSON (Expecting property name enclosed in double quotes at position 2)"),
    (QUESTION, [{"role": "robot", "content": "hi"}],
     'history turn 1 must look like {"role": "user"|"assistant", "content": "..."}'),
])
def test_ask_json_errors_are_one_line(assistant: Assistant, question: str, history: Any, message: str) -> None:
    with pytest.raises(gr.Error) as caught:
        ui.ask_json(assistant, question, history)
    assert caught.value.message == message and caught.value.print_exception is False


# -- check a passage -------------------------------------------------------------------------------
def test_find_verbatim_folds_whitespace_and_keeps_offsets() -> None:
    texts = {"a.txt": "One  two\n three. Two three.", "b.txt": "one two three"}
    found = ui.find_verbatim(texts, "two   three")
    assert found == [ui.Occurrence("a.txt", 5, 15), ui.Occurrence("b.txt", 4, 13)]
    assert texts["a.txt"][5:15] == "two\n three"
    assert ui.find_verbatim(texts, "two three", limit=1) == found[:1]
    assert ui.find_verbatim(texts, "One two three.") == [ui.Occurrence("a.txt", 0, 16)]
    assert ui.find_verbatim(texts, "four") == [] and ui.find_verbatim(texts, "  ") == []


def test_a_quote_that_differs_only_in_letter_case_is_found_but_not_as_verbatim(assistant_over: Any) -> None:
    garden = assistant_over({"garden.txt": "Members may bring guests. dogs are allowed on leads in the main paths only.\n"})
    result = ui.check_passage(garden, "Dogs are allowed on leads in the main paths only")
    assert result.found == ()
    (hit,) = result.other_case
    text = garden.store.snapshot().texts[hit.doc]
    assert text[hit.start:hit.end] == "dogs are allowed on leads in the main paths only"
    html = ui.render_check(result, garden.store.snapshot().texts)
    assert "letter case differs" in html and "Found verbatim" not in html
    assert ui.find_verbatim({"a.txt": "One Two"}, "one two") == []
    assert ui.find_verbatim({"a.txt": "One Two"}, "one two", ignore_case=True) == [ui.Occurrence("a.txt", 0, 7)]


def test_word_differences_mark_the_number_first() -> None:
    source = ("Courts across China concluded nearly 320,000 IPR cases of various types last year, "
              "an increase of 41.6 percent over the previous year.")
    claim = "Chinese courts concluded nearly 330,000 IPR cases last year"
    diff = ui.word_differences(claim, source)
    assert diff.numbers == (("330,000", "320,000"),)
    assert (source.index("320,000"), source.index("320,000") + 7, True) in diff.source_marks
    assert (claim.index("330,000"), claim.index("330,000") + 7, True) in diff.claim_marks
    assert (0, 7, False) in diff.claim_marks  # "Chinese" is not in the source
    # Context after the stretch the claim covers is not a difference.
    assert all(end <= source.index("last year") for _, end, _ in diff.source_marks)
    assert diff.shared == 7 / 9  # all but "Chinese" and the number
    assert ui.word_differences("The lamp is visible from 38 km", source).shared < ui.CLOSE_MATCH


@pytest.mark.parametrize(("claim", "source"), [
    ("The damage excess for group C is £1,500.", "The damage excess for group C is £1,250."),  # the last word
    ("£1,500 is the damage excess for group C.", "£1,250 is the damage excess for group C."),  # the first
    ("The excess is £1,500.", "In 2024 the excess is £1,250 for all hire cars in group C."),
])
def test_a_number_that_differs_at_either_end_of_the_claim_is_named_on_both_sides(claim: str, source: str) -> None:
    # The source's number stood where the claim's stretch ended, so it was read as context: "the
    # passage says £1,500, the source does not".
    diff = ui.word_differences(claim, source)
    assert diff.numbers == (("£1,500", "£1,250"),)
    assert [source[a:b] for a, b, _ in diff.source_marks] == ["1,250"]  # the words after it stay context


def test_differing_percentages_are_said_with_their_sign() -> None:
    # "the passage says 15, the source says 10" hid what the numbers are.
    diff = ui.word_differences("Adopters who renew receive a 15% discount.", "Adopters who renew receive a 10% discount.")
    assert diff.numbers == (("15%", "10%"),)


def test_a_number_on_one_side_only_is_said_to_be_missing_from_the_other() -> None:
    source = "A CHAPS payment costs £25 when made in a branch and £20 when made online."
    diff = ui.word_differences("A CHAPS payment costs £25 when made online.", source)
    assert diff.numbers == (("", "£20"),)  # with its currency sign, as written
    assert ui.number_difference(*diff.numbers[0]) == "the source also says £20 here, the passage does not"
    assert ui.number_difference("330,000", "320,000", "claim") == "the claim says 330,000, the source says 320,000"
    assert ui.number_difference("7", "") == "the passage says 7, the source does not"


def test_check_passage_finds_a_verbatim_quote_across_a_line_break(assistant: Assistant) -> None:
    quote = "over the previous year. More than 5,600 criminal suspects"
    result = ui.check_passage(assistant, "  over the previous   year.\nMore than 5,600 criminal suspects ")
    (hit,) = result.found
    text = assistant.store.snapshot().texts[hit.doc]
    assert " ".join(text[hit.start:hit.end].split()) == quote
    html = ui.render_check(result, assistant.store.snapshot().texts)
    assert "Found verbatim" in html and f"characters {hit.start}–{hit.end}" in html


def test_check_passage_shows_the_closest_sentence_with_the_wrong_number(assistant: Assistant) -> None:
    result = ui.check_passage(assistant, "Courts across China concluded nearly 330,000 IPR cases of various types")
    assert result.found == ()
    best = result.nearest[0]
    assert "320,000" in best.text and best.diff is not None and ("330,000", "320,000") in best.diff.numbers
    assert all(n.diff is None or n.diff.shared >= ui.CLOSE_MATCH for n in result.nearest)
    html = ui.render_check(result, assistant.store.snapshot().texts)
    assert "Not found verbatim" in html
    assert '<mark class="ra-num">320,000</mark>' in html and '<mark class="ra-num">330,000</mark>' in html


def test_a_dropped_not_is_called_out(assistant_over: Any) -> None:
    # "Hosepipes are allowed" shares every word but one with the rule, and says its opposite.
    garden = assistant_over({"garden.txt": "Dogs are welcome on a lead. Hosepipes are not allowed at any time.\n"})
    result = ui.check_passage(garden, "Hosepipes are allowed at any time.")
    best = result.nearest[0]
    assert best.text == "Hosepipes are not allowed at any time."
    assert best.diff is not None and best.diff.negations == ("not",) and best.diff.negated == "source"
    html = ui.render_check(result, garden.store.snapshot().texts)
    assert 'Negation differs: the source says <mark class=ra-num>not</mark> where the claim does not' in html
    claim = ui.word_differences("Dogs are not welcome.", "Dogs are welcome on a lead.")
    assert claim.negations == ("not",) and claim.negated == "claim"
    assert ui.word_differences("You can't park here.", "You cannot park here.").negated == ""  # both say no
    assert ui.word_differences("The deposit is refundable.", "The deposit is non-refundable.").negations == ("non",)


def test_check_passage_refuses_an_empty_passage_in_place_of_the_last_result(assistant: Assistant) -> None:
    view = ui.check_view(assistant, " \n")
    assert view.startswith('<div class="ra-bad"><b>Not checked:</b> the passage is empty') and "<mark" not in view
    assert "Not found verbatim." in ui.check_view(assistant, "Courts across China concluded nearly 330,000 IPR cases")


# -- documents -------------------------------------------------------------------------------------
def uploaded(tmp_path: Path, name: str, data: bytes) -> str:
    """A file as Gradio hands uploads to handlers: a temp path whose name is the original name."""
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_documents_are_listed(assistant: Assistant) -> None:
    ((name, sentences, chars, sha, when),) = ui.document_rows(assistant)
    entry = assistant.store.snapshot().manifest.documents[name]
    assert (name, sentences, chars, sha, when) == (
        BUNDLED_REPORT.name, entry.sentences, entry.chars, entry.sha256[:12], entry.indexed_at)


def test_add_a_document_then_ask_about_it_then_remove_it(scratch: Assistant, tmp_path: Path) -> None:
    path = uploaded(tmp_path, "lighthouse.md", (FIXTURES / "lighthouse.md").read_bytes())
    status, rows, dropdown = ui.add_documents(scratch, [path])
    assert status.startswith(ui._md_text("indexed: 1 added; 4 sentences embedded"))
    assert status.endswith("**Added:** lighthouse\\.md.")  # which file, in the status itself
    assert [r[0] for r in rows] == ["china-ipr-cooperation.txt", "lighthouse.md"]
    assert dropdown.choices == [("china-ipr-cooperation.txt", "china-ipr-cooperation.txt"),
                                ("lighthouse.md", "lighthouse.md")]

    answer = ui.ask_json(scratch, "Who designed the Vellmoor lighthouse?")
    assert answer["citations"][0]["doc"] == "lighthouse.md"
    assert "Oriel Castellane" in answer["citations"][0]["text"]

    status, rows, _ = ui.remove_document(scratch, "lighthouse.md")
    assert status == "Removed lighthouse\\.md." and [r[0] for r in rows] == ["china-ipr-cooperation.txt"]
    status, _, _ = ui.remove_document(scratch, "lighthouse.md")
    assert status.startswith("**Not removed:** " + ui._md_text("not in the index: lighthouse.md"))


def test_an_upload_replacing_a_document_of_the_same_name_says_so(scratch: Assistant, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = uploaded(tmp_path / "a", "notes.md", (FIXTURES / "lighthouse.md").read_bytes())
    ui.add_documents(scratch, [first])
    other = uploaded(tmp_path / "b", "notes.md", b"The chess club meets on Tuesdays.\n")
    status, _, _ = ui.add_documents(scratch, [other])
    assert status.startswith(ui._md_text("indexed: 1 updated"))
    assert status.endswith("**Replaced** by the uploaded file of the same name: notes\\.md (4 sentences, now 1). "
                           "To keep both, rename the file and upload it again."), status
    ui.remove_document(scratch, "notes.md")


@pytest.mark.parametrize("name, data, reason", [
    ("bad.txt", b"caf\xe9 au lait", "is not UTF\\-8 text \\(invalid byte at position 3\\)"),
    ("blank.md", b" \n\n", "is empty"),
    ("big.txt", b"word " * 5_000, "big\\.txt is 25,000 bytes; the limit is 20,000"),
])
def test_a_bad_upload_is_refused_and_the_index_is_untouched(scratch: Assistant, tmp_path: Path, name: str,
                                                            data: bytes, reason: str) -> None:
    before = scratch.store.snapshot().manifest
    good = uploaded(tmp_path, "lighthouse.md", (FIXTURES / "lighthouse.md").read_bytes())
    status, rows, _ = ui.add_documents(scratch, [good, uploaded(tmp_path, name, data)])
    assert status.startswith("**Not added:**") and reason in status and status.endswith("The index is unchanged.")
    assert status.startswith(f"**Not added:** {ui._md_text(name)}")  # its name, not the path of Gradio's copy
    assert scratch.store.snapshot().manifest == before
    assert [r[0] for r in rows] == sorted(before.documents)


def test_every_bad_file_of_an_upload_is_named(scratch: Assistant, tmp_path: Path) -> None:
    before = scratch.store.snapshot().manifest
    files = [uploaded(tmp_path, "lighthouse.md", (FIXTURES / "lighthouse.md").read_bytes()),
             uploaded(tmp_path, "binary.txt", b"abc\x00def"), uploaded(tmp_path, "empty.txt", b"  \n")]
    status, _, _ = ui.add_documents(scratch, files)
    assert ui._md_text("binary.txt: looks like a binary file") in status
    assert ui._md_text("empty.txt: is empty") in status
    assert "/tmp" not in status and status.endswith("The index is unchanged.")
    assert scratch.store.snapshot().manifest == before


def test_document_text_is_escaped_in_the_document_view(scratch: Assistant, tmp_path: Path) -> None:
    ui.add_documents(scratch, [uploaded(tmp_path, "injection.md", (FIXTURES / "injection.md").read_bytes())])
    try:
        answer = ui.ask_json(scratch, "When does the Quillmarsh ferry timetable change?")
        assert answer["citations"][0]["doc"] == "injection.md"
        _, citations, document, _ = list(ui.chat(scratch, "When does the Quillmarsh ferry timetable change?", []))[-1][1:]
        for html in (citations, document):
            assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&#x27;script ran&#x27;)&lt;/script&gt;" in document
        assert "&lt;img src=x onerror=&quot;alert(&#x27;img ran&#x27;)&quot;&gt;" in document
    finally:
        scratch.store.remove(["injection.md"])


# -- evaluation ------------------------------------------------------------------------------------
def test_run_evaluation_on_an_uploaded_set(assistant: Assistant, tmp_path: Path) -> None:
    evalset = shutil.copy(FIXTURES / "tiny_eval.jsonl", tmp_path / "tiny_eval.jsonl")
    steps: list[tuple[int, int]] = []
    frame, results = ui.run_evaluation(assistant, str(evalset), lambda step, **_: steps.append(step))
    assert steps == [(1, 3), (2, 3), (3, 3)]
    rows = [json.loads(line) for line in Path(results).read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["t1", "t2", "t3"] and rows[1]["abstained"] is True
    assert all("metrics" in r for r in rows)
    assert frame.startswith('<iframe class="ra-report" sandbox ') and "<table" not in frame  # escaped srcdoc
    assert "Risk-coverage curve" in frame and "Evaluation of tiny_eval.jsonl" in frame


def test_run_evaluation_reports_a_bad_eval_set(assistant: Assistant, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok?"}\nnot json\n', encoding="utf-8")
    frame, results = ui.run_evaluation(assistant, str(bad))
    # One line saying why, in place of the last report and its results file.
    assert frame.startswith('<div class="ra-bad"><b>Not run:</b> bad.jsonl') and results is None


def test_the_bundled_eval_set_exists() -> None:
    assert ui.BUNDLED_EVALSET.is_file()


def test_the_bundled_report_s_questions_are_offered_only_over_it(assistant: Assistant, assistant_over: Any,
                                                                  tmp_path: Path) -> None:
    lighthouse = assistant_over({"lighthouse.md": (FIXTURES / "lighthouse.md").read_text(encoding="utf-8")})

    # Over other documents, its example questions would be refused and its eval set score nan.
    def examples(over: Assistant) -> int:
        app = ui.build_app(over.settings, over)
        try:
            return sum(c.get("type") == "dataset" for c in app.config["components"])
        finally:
            app.close()

    assert examples(assistant) == 1 and examples(lighthouse) == 0
    frame, results = ui.run_evaluation(lighthouse, None)
    assert "Not run:" in frame and "upload an eval set" in frame and results is None
    evalset = shutil.copy(FIXTURES / "tiny_eval.jsonl", tmp_path / "tiny_eval.jsonl")
    frame, _ = ui.run_evaluation(lighthouse, str(evalset))  # about the report, run over other documents
    assert "gold sentences were not found in the indexed documents" in frame


# -- settings --------------------------------------------------------------------------------------
def test_login_comes_from_settings() -> None:
    assert ui._auth(Settings(auth="")) is None
    assert ui._auth(Settings(auth="ada:s3:cret")) == ("ada", "s3:cret")
    with pytest.raises(ui.InputError, match="ASSISTANT_AUTH must look like user:password"):
        ui._auth(Settings(auth="ada"))


# -- Gradio's client against a live server ---------------------------------------------------------
@pytest.fixture(scope="module")
def server(assistant: Assistant) -> Iterator[str]:
    with live_ui(assistant.settings.with_(port=free_port()), assistant) as url:
        yield url


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False, download_files=False)


def test_server_binds_localhost_by_default(server: str) -> None:
    assert server.startswith("http://127.0.0.1:")


def test_only_ask_is_a_public_endpoint(client: Client) -> None:
    assert list(client.view_api(print_info=False, return_format="dict")["named_endpoints"]) == ["/ask"]


def test_client_ask(client: Client) -> None:
    answer = client.predict(QUESTION, api_name="/ask")
    assert answer["question"] == QUESTION and answer["abstained"] is False
    assert "[1]" in answer["answer"]
    citation = answer["citations"][0]
    assert citation["n"] == 1 and citation["verified"] is True and "320,000" in citation["text"]
    assert {"doc", "sentence_id", "start", "end", "text", "ordinal", "score"} <= citation.keys()
    assert answer["retrieved"][0]["sentence_id"] == citation["sentence_id"]


def test_client_follow_up(client: Client) -> None:
    first = client.predict(QUESTION, api_name="/ask")
    history = [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": first["answer"]}]
    follow = client.predict(FOLLOW_UP, history, api_name="/ask")
    assert follow["abstained"] is False, follow["answer"]
    assert any("320,000" in c["text"] for c in follow["citations"])
    as_json = client.predict(question=FOLLOW_UP, history=json.dumps(history), api_name="/ask")
    assert as_json["citations"] == follow["citations"]


def test_client_abstention(client: Client) -> None:
    answer = client.predict(OFF_TOPIC, api_name="/ask")
    assert answer["abstained"] is True and answer["citations"] == []
    assert len(answer["retrieved"]) >= 3


def test_client_empty_question(client: Client) -> None:
    with pytest.raises(AppError) as caught:
        client.predict("", api_name="/ask")
    assert str(caught.value) == EMPTY


def test_login_is_required_when_configured(assistant: Assistant) -> None:
    settings = assistant.settings.with_(port=free_port(), auth="ada:lovelace")
    app = ui.build_app(settings, assistant)
    _, url, _ = ui.launch(app, settings, prevent_thread_lock=True)
    try:
        with pytest.raises(Exception, match="(?i)login|auth|401|403"):
            Client(url, verbose=False).predict(OFF_TOPIC, api_name="/ask")
        answer = Client(url, auth=("ada", "lovelace"), verbose=False).predict(OFF_TOPIC, api_name="/ask")
        assert answer["abstained"] is True
    finally:
        app.close()


@pytest.mark.slow
def test_app_py_builds_a_missing_index_with_progress_then_serves(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "ASSISTANT_INDEX_DIR": str(tmp_path / "index"), "GRADIO_ANALYTICS_ENABLED": "False"}
    process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "app.py"), "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 240
        for line in process.stderr:
            lines.append(line)
            if "Report Assistant on" in line or time.monotonic() > deadline:
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
            assert page.status == 200 and "Report Assistant" in page.read().decode()
    finally:
        process.terminate()
        lines.append(process.communicate(timeout=30)[1])  # also closes the pipe
    said = "".join(lines)
    assert "No index in" in said and "building it from china-ipr-cooperation.txt" in said
    assert re.search(r"embedding sentences: (\d+)/\1\n", said), said  # the progress reached the end
    assert "indexed: 1 added" in said and f"Report Assistant on http://127.0.0.1:{port}/" in said
    assert Store(Settings.from_env(env={}, index_dir=tmp_path / "index")).exists()
