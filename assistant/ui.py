"""The chat UI (Gradio): a conversation with cited passages, passage checks, documents, evaluation.

Every answer comes from ``Assistant.ask``, exactly as in the CLI; this module only renders what the
library returns and wires it to widgets. Handlers are plain functions of an ``Assistant`` and their
inputs, so tests call them directly; ``build_app`` binds them to components.

Per-session state is one ``gr.State``: the list of answer JSONs of the conversation (DESIGN.md's
shape). The history sent back to the library, the chat messages and the citation panels are all
derived from it, so nothing about a conversation lives in module globals.

Everything shown as HTML is built here from escaped text: a document containing ``<script>`` or
``<img onerror=...>`` displays those characters and runs nothing.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

_IMPORTS_STARTED = time.perf_counter()  # gradio, LangChain and Chroma load below: part of start-up time
# Gradio reads these when it is imported; the UI must not phone home from a local tool.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import gradio as gr  # noqa: E402

from .chain import Assistant, check_question  # noqa: E402
from .errors import AssistantError, InputError  # noqa: E402
from .passages import (  # noqa: E402,F401
    CLOSE_MATCH,
    Near,
    Occurrence,
    PassageCheck,
    WordDiff,
    check_passage,
    find_verbatim,
    number_difference,
    word_differences,
)
from .settings import PROJECT_ROOT, Settings  # noqa: E402
from .snapshot import Snapshot  # noqa: E402
from .store import Store  # noqa: E402

__all__ = ["build_app", "launch", "serve", "chat", "ask_json", "show_passage", "check_passage", "find_verbatim",
           "word_differences", "WordDiff", "add_documents", "remove_document", "document_rows", "run_evaluation",
           "history_of", "PassageCheck"]

BUNDLED_EVALSET = PROJECT_ROOT / "evals" / "report.jsonl"
EXAMPLES = [
    "How many IPR cases did Chinese courts conclude last year?",
    "In how many countries and regions has China set up cooperative customs mechanisms?",
    "Which countries are named as partners in China's joint IPR law enforcement operations?",
    "What position does Gan Lin hold?",
]
# Questions are CPU-bound (a MiniLM query embedding, BM25, numpy: ~50 ms warm). A few at a time keep
# the cores busy and let a quick question pass a slow one; more only slow each other down. Measured
# with bench/bench_ui_concurrency.py (20 sessions at once, 2 cores): client p50 4.2 / 3.8 / 3.2 / 3.7 s
# at limits 1 / 2 / 4 / 8, while Assistant.ask p50 grows 46 / 76 / 340 / 1168 ms.
CONCURRENCY = 4
# An extractive answer exists whole at once; it is streamed in a few growing pieces. Each frame costs
# ~10-50 ms in Gradio and a re-render in the browser, so a few frames, not one per word.
STREAM_FRAMES = 4
CLOSEST_SHOWN = 5  # sentences shown beside an abstention, so a person can judge the refusal
NO_CITATIONS = '<div class="ra-empty">Cited passages appear here.</div>'
NO_DOCUMENT = '<div class="ra-empty">Select a citation to read it in its document.</div>'

Conversation = list[dict[str, Any]]
"""The answers of one session, oldest first, each in DESIGN.md's answer JSON shape."""


def _user_error(message: str) -> gr.Error:
    """A message for the person using the app. Bad input is routine: it gets no traceback in the log."""
    return gr.Error(message, print_exception=False)


# -- rendering -------------------------------------------------------------------------------------
_e = html.escape
_MARKER = re.compile(r"\[(\d+)\]")
_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def _md_text(text: str) -> str:
    """Markdown that displays ``text`` literally: every ASCII punctuation mark backslash-escaped."""
    return _MD_PUNCT.sub(r"\\\1", text)


def answer_markdown(text: str, turn: int, notice: str = "") -> str:
    """The answer as chat markdown; each ``[n]`` becomes a link the page turns into "show citation"."""
    parts = []
    last = 0
    for m in _MARKER.finditer(text):
        parts.append(_md_text(text[last:m.start()]))
        parts.append(f"[\\[{m.group(1)}\\]](#cite-{turn}-{m.group(1)})")
        last = m.end()
    parts.append(_md_text(text[last:]))
    body = "".join(parts)
    return f"*{_md_text(notice)}*\n\n{body}" if notice else body


def history_of(conversation: Conversation) -> list[dict[str, str]]:
    """The turns the library needs for follow-ups, rebuilt from the session's answers."""
    turns: list[dict[str, str]] = []
    for a in conversation:
        turns += [{"role": "user", "content": a["question"]}, {"role": "assistant", "content": a["answer"]}]
    return turns


def chat_messages(conversation: Conversation) -> list[dict[str, str]]:
    messages = []
    for turn, a in enumerate(conversation):
        messages.append({"role": "user", "content": _md_text(a["question"])})
        messages.append({"role": "assistant", "content": answer_markdown(a["answer"], turn, a.get("notice", ""))})
    return messages


def _sentence_entry(turn: int, key: str, label: str, doc: str, where: str, score: float, text: str,
                    verified: bool | None) -> str:
    mark = "" if verified is None else (
        '<span class="ra-ok" title="re-checked against the document">✓ verified</span>' if verified
        else '<span class="ra-bad" title="not found at its offsets">✗ not verified</span>')
    return (f'<button type="button" class="ra-cite" data-cite="{turn}:{key}">'
            f'<span class="ra-meta"><b>{_e(label)}</b> {_e(doc)} · {where} · score {score:.3f} {mark}</span>'
            f'<span class="ra-text">{_e(text)}</span></button>')


def render_citations(answer: dict[str, Any], turn: int) -> str:
    """Every citation with document, sentence number, text, score and verified mark; for an
    abstention, the closest sentences that were considered."""
    if answer["citations"]:
        items = "".join(_sentence_entry(turn, f"c{c['n']}", f"[{c['n']}]", c["doc"], f"sentence {c['ordinal'] + 1}",
                                        c["score"], c["text"], c["verified"]) for c in answer["citations"])
        head = f"Cited passages for answer {turn + 1}"
    else:
        items = "".join(_sentence_entry(turn, f"r{i}", f"#{i + 1}", r["doc"], f"characters {r['start']}–{r['end']}",
                                        r["score"], r["text"], None)
                        for i, r in enumerate(answer["retrieved"][:CLOSEST_SHOWN]))
        items = items or '<div class="ra-empty">Nothing in the documents came close.</div>'
        head = "No answer given. Closest sentences considered"
    unsupported = "".join(f"<li>{_e(c['text'])} ({_e(c['reason'])})</li>" for c in answer.get("claims", [])
                          if not c["supported"])
    if unsupported:
        items += f'<div class="ra-bad">Unsupported claims:<ul>{unsupported}</ul></div>'
    took = f'<span class="ra-small" data-latency="{answer["latency_ms"]:.0f}">answered in {answer["latency_ms"]:.0f} ms</span>'
    return f'<div class="ra-head" data-answer="{turn + 1}">{_e(head)} {took}</div><div class="ra-list">{items}</div>'


def render_document(snapshot: Snapshot, doc: str, highlight: Sequence[str], selected: str) -> str:
    """The whole document with the given sentences in ``<mark>``; ``selected`` is scrolled to."""
    if doc not in snapshot.texts:
        return f'<div class="ra-empty">{_e(doc)} is no longer in the index.</div>'
    text = snapshot.texts[doc]
    first, last = snapshot.doc_ranges.get(doc, (0, 0))
    out, pos = [], 0
    for s in snapshot.sentences[first:last]:
        out.append(_e(text[pos:s.start]))
        body = _e(text[s.start:s.end])
        if s.id in highlight:
            cls = "ra-hl ra-selected" if s.id == selected else "ra-hl"
            body = f'<mark class="{cls}" data-sentence="{s.ordinal + 1}">{body}</mark>'
        out.append(body)
        pos = s.end
    out.append(_e(text[pos:]))
    entry = snapshot.manifest.documents.get(doc)
    info = f"{entry.sentences} sentences, sha256 {entry.sha256[:12]}" if entry else ""
    return (f'<div class="ra-head">{_e(doc)} <span class="ra-small">{_e(info)}</span></div>'
            f'<div class="ra-doc-body">{"".join(out)}</div>')


# -- chat ------------------------------------------------------------------------------------------
def _word_chunks(text: str, frames: int = STREAM_FRAMES) -> Iterator[str]:
    """At most ``frames`` growing prefixes of ``text``, ending at word boundaries, the last the whole."""
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    size = max(1, -(-len(ends) // frames))  # ceiling division
    for i in range(size - 1, len(ends) + size - 1, size):
        yield text[:ends[min(i, len(ends) - 1)]]


def _not_asked(message: str) -> dict[str, str]:
    """A reply that says why a message was not asked, in the chat itself: an error badge over the
    conversation would hide it until the next answer, and a toast fades before it is read."""
    return {"role": "assistant", "content": f"**Not asked:** {_md_text(message)}"}


def chat(assistant: Assistant, question: str, conversation: Conversation | None) -> Iterator[tuple[Any, ...]]:
    """Answer one chat turn, streaming the text: yields (messages, conversation, citations, document, box).

    A message that cannot be asked gets a note under it and stays in the box to be fixed; the note
    is not part of the conversation (no follow-up refers to it), so the next answer replaces it."""
    conversation = list(conversation or [])
    if not question.strip():  # an empty box, or Enter pressed twice: nothing to say about it
        yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    shown = chat_messages(conversation)
    pending = [{"role": "user", "content": _md_text(" ".join(question.split()))}]
    try:
        check_question(question, assistant.settings.max_question_chars)  # refuse before searching
    except InputError as exc:
        yield shown + pending + [_not_asked(str(exc))], gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    yield shown + pending + [{"role": "assistant", "content": "…"}], gr.skip(), gr.skip(), gr.skip(), ""
    try:
        answer = assistant.ask(question, history_of(conversation))
    except AssistantError as exc:
        yield shown + pending + [_not_asked(str(exc))], gr.skip(), gr.skip(), gr.skip(), question
        return
    data = answer.to_json()
    turn = len(conversation)
    for partial in list(_word_chunks(answer.text))[:-1]:  # the last piece comes with the citations
        yield (shown + pending + [{"role": "assistant", "content": answer_markdown(partial, turn, answer.notice)}],
               gr.skip(), gr.skip(), gr.skip(), gr.skip())
    conversation.append(data)
    document = show_passage(assistant, conversation, turn, "c1")[1] if data["citations"] else NO_DOCUMENT
    yield chat_messages(conversation), conversation, render_citations(data, turn), document, gr.skip()


def new_conversation() -> tuple[Any, ...]:
    return [], [], NO_CITATIONS, NO_DOCUMENT, ""


def show_passage(assistant: Assistant, conversation: Conversation, turn: int, key: str) -> tuple[str, str]:
    """Citations panel and document view for citation ``c<n>`` or retrieved sentence ``r<i>`` of a turn.

    The document shows every sentence the answer cites from it, with the chosen one selected.
    """
    if not 0 <= turn < len(conversation) or key[:1] not in {"c", "r"} or not key[1:].isdigit():
        return gr.skip(), gr.skip()
    answer, index = conversation[turn], int(key[1:])
    if key[0] == "c":
        chosen = next((c for c in answer["citations"] if c["n"] == index), None)
        others = [c["sentence_id"] for c in answer["citations"] if chosen and c["doc"] == chosen["doc"]]
    else:
        chosen = answer["retrieved"][index] if index < len(answer["retrieved"]) else None
        others = [chosen["sentence_id"]] if chosen else []
    if chosen is None:
        return gr.skip(), gr.skip()
    snapshot = assistant.store.snapshot()
    return (render_citations(answer, turn),
            render_document(snapshot, chosen["doc"], others, chosen["sentence_id"]))


def ask_json(assistant: Assistant, question: str, history: Any = None) -> dict[str, Any]:
    """The ``/ask`` API: DESIGN.md's answer JSON; history is a list of turns or that list as JSON."""
    if isinstance(history, str):
        try:
            history = json.loads(history) if history.strip() else None
        except json.JSONDecodeError as exc:
            raise _user_error(f"history is not valid JSON ({exc.msg} at position {exc.pos})") from None
    try:
        return assistant.ask(question, history).to_json()
    except AssistantError as exc:
        raise _user_error(str(exc)) from None


# -- check a passage -------------------------------------------------------------------------------
def check_view(assistant: Assistant, passage: str) -> str:
    """The tab's result: the passage marked against the documents, or one line saying why it was not
    checked (in place of the last result, which an error badge would leave on screen)."""
    try:
        result = check_passage(assistant, passage)
    except AssistantError as exc:
        return f'<div class="ra-bad"><b>Not checked:</b> {_e(str(exc))}</div>'
    return render_check(result, assistant.store.snapshot().texts)


def _marked(text: str, marks: Sequence[tuple[int, int, bool]]) -> str:
    out, pos = [], 0
    for start, end, number in sorted(marks):
        out += [_e(text[pos:start]), f'<mark class="{"ra-num" if number else "ra-word"}">{_e(text[start:end])}</mark>']
        pos = end
    return "".join(out) + _e(text[pos:])


def render_check(result: PassageCheck, texts: dict[str, str]) -> str:
    if result.found or result.other_case:
        rows = []
        for o in result.found or result.other_case:
            text = texts.get(o.doc, "")
            before, after = text[max(0, o.start - 80):o.start], text[o.end:o.end + 80]
            rows.append(f'<li><b>{_e(o.doc)}</b>, characters {o.start}–{o.end}<div class="ra-doc-body ra-snippet">'
                        f'…{_e(before)}<mark class="ra-hl">{_e(text[o.start:o.end])}</mark>{_e(after)}…</div></li>')
        if not result.found:  # "Dogs are allowed ..." quoting "... dogs are allowed ...": close, not verbatim
            return (f'<div class="ra-head">Found, but not verbatim: the letter case differs '
                    f'({len(result.other_case)}×)</div><ul>{"".join(rows)}</ul>')
        return f'<div class="ra-ok ra-head">Found verbatim ({len(result.found)}×)</div><ul>{"".join(rows)}</ul>'
    if not result.nearest:
        return '<div class="ra-bad ra-head">Not in the documents, and nothing close was found.</div>'
    rows = []
    for n in result.nearest:
        where = f'<b>{_e(n.doc)}</b> · sentence {n.ordinal + 1} · score {n.score:.3f}'
        if n.diff is None:
            rows.append(f'<li>{where} · <i>loosely related</i><div class="ra-doc-body ra-snippet">{_e(n.text)}</div></li>')
            continue
        numbers = "; ".join(number_difference(c, s, "claim", lambda number: f"<mark class=ra-num>{_e(number)}</mark>")
                            for c, s in n.diff.numbers)
        said = ", ".join(f"<mark class=ra-num>{_e(w)}</mark>" for w in n.diff.negations)
        negation = (f"the source says {said} where the claim does not" if n.diff.negated == "source" else
                    f"the claim says {said} where the source does not") if n.diff.negated else ""
        rows.append(f'<li>{where} · {n.diff.shared:.0%} of your words'
                    + (f'<div class="ra-bad">Numbers differ: {numbers}</div>' if numbers else "")
                    + (f'<div class="ra-bad">Negation differs: {negation}</div>' if negation else "")
                    + f'<div class="ra-doc-body ra-snippet">{_marked(n.text, n.diff.source_marks)}</div></li>')
    best = next((n.diff for n in result.nearest if n.diff is not None), None)
    claim = (f'<div>Your text, with the words the closest sentence does not have marked:</div>'
             f'<div class="ra-doc-body ra-snippet">{_marked(result.passage, best.claim_marks)}</div>') if best else ""
    return (f'<div class="ra-bad ra-head">Not found verbatim.</div>{claim}'
            f'<div class="ra-head">Closest sentences</div><ol>{"".join(rows)}</ol>')


# -- documents -------------------------------------------------------------------------------------
DOCUMENT_HEADERS = ["document", "sentences", "characters", "sha256", "indexed at"]


def document_rows(assistant: Assistant) -> list[list[Any]]:
    manifest = assistant.store.snapshot().manifest
    return [[e.name, e.sentences, e.chars, e.sha256[:12], e.indexed_at]
            for e in sorted(manifest.documents.values(), key=lambda e: e.name)]


def _documents_view(assistant: Assistant) -> tuple[Any, Any]:
    rows = document_rows(assistant)
    return rows, gr.Dropdown(choices=[r[0] for r in rows], value=None)


def add_documents(assistant: Assistant, paths: Sequence[str] | None,
                  progress: Callable[..., Any] | None = None) -> tuple[str, Any, Any]:
    """Index uploaded files; a file too large or unreadable is refused and the index stays as it was."""
    from .indexing import index_paths

    if not paths:
        return "Choose one or more .txt or .md files first.", *_documents_view(assistant)
    limit = assistant.settings.max_upload_bytes
    for p in map(Path, paths):
        if p.stat().st_size > limit:
            return (f"**Not added:** {_md_text(p.name)} is {p.stat().st_size:,} bytes; the limit is {limit:,} "
                    "(`ASSISTANT_MAX_UPLOAD_BYTES`). The index is unchanged.", *_documents_view(assistant))

    def step(done: int, total: int) -> None:
        if progress is not None and total:
            progress((done, total), desc="embedding sentences", unit="sentences")

    try:
        before = dict(assistant.store.snapshot().manifest.documents)
    except AssistantError:
        before = {}  # no index yet: nothing to replace
    try:
        report = index_paths(assistant.store, [Path(p) for p in paths], progress=step, uploads=True)
    except AssistantError as exc:
        message = str(exc)
        for p in map(Path, paths):  # Gradio's copy of the upload ("/tmp/gradio/26c9.../a.txt"): its name
            message = message.replace(str(p), p.name)
        return f"**Not added:** {_md_text(message)}. The index is unchanged.", *_documents_view(assistant)
    summary = _md_text(report.summary())
    if report.added:
        summary += f"\n\n**Added:** {', '.join(map(_md_text, report.added))}."
    if report.updated:
        # An upload cannot tell an edited file from another one of the same name: say what went.
        after = assistant.store.snapshot().manifest.documents
        replaced = ", ".join(f"{_md_text(n)} ({before[n].sentences} sentences, now {after[n].sentences})"
                             for n in report.updated if n in before and n in after)
        summary += (f"\n\n**Replaced** by the uploaded file of the same name: {replaced}. To keep both, rename the "
                    "file and upload it again.")
    return summary, *_documents_view(assistant)


def remove_document(assistant: Assistant, name: str | None) -> tuple[str, Any, Any]:
    if not name:
        return "Choose a document to remove.", *_documents_view(assistant)
    try:
        assistant.store.remove([name])
    except AssistantError as exc:
        return f"**Not removed:** {_md_text(str(exc))}", *_documents_view(assistant)
    return f"Removed {_md_text(name)}.", *_documents_view(assistant)


def _holds_bundled_report(assistant: Assistant) -> bool:
    """Whether the bundled report is indexed: its example questions and eval set are about it."""
    from .indexing import BUNDLED_REPORT

    try:
        manifest = assistant.store.read_manifest()
    except AssistantError:
        return False
    return manifest is not None and BUNDLED_REPORT.name in manifest.documents


# -- evaluation ------------------------------------------------------------------------------------
def _not_run(message: str) -> tuple[str, None]:
    return f'<div class="ra-bad"><b>Not run:</b> {_e(message)}</div>', None


def run_evaluation(assistant: Assistant, evalset: str | None,
                   progress: Callable[..., Any] | None = None) -> tuple[str, str | None]:
    """Run an eval set (the bundled one when none is uploaded): the HTML report and a results JSONL.

    A set that cannot be run replaces both with one line saying why: an error badge over the last
    report would leave it on screen as if it were this run's."""
    from .evaluation.evalset import likely_typos, load_evalset
    from .evaluation.report import render_report
    from .evaluation.runner import run_eval, write_results

    def step(done: int, total: int) -> None:
        if progress is not None:
            progress((done, total), desc="evaluating", unit="questions")

    if not evalset and not _holds_bundled_report(assistant):
        return _not_run(f"the bundled {BUNDLED_EVALSET.name} asks about the bundled report, which this index does "
                        "not hold; upload an eval set (.jsonl) written for your documents")
    path = Path(evalset) if evalset else BUNDLED_EVALSET
    try:
        # Named by the upload's own file name, not the temporary path Gradio saved it under.
        items = load_evalset(path, label=path.name)
        for line in likely_typos(items):
            gr.Warning(f"{path.name}: {line}")
        run = run_eval(assistant, items, progress=step)
    except AssistantError as exc:
        return _not_run(str(exc))
    out = Path(tempfile.mkdtemp(prefix="assistant-eval-")) / f"{path.stem}-results.jsonl"
    write_results(run, out)
    report = render_report(run, title=f"Evaluation of {path.name}")
    # The report is a whole page with its own styles: an iframe keeps them apart from the app's, and
    # the sandbox (no allow-scripts) keeps anything in it inert.
    frame = f'<iframe class="ra-report" sandbox title="evaluation report" srcdoc="{_e(report, quote=True)}"></iframe>'
    return frame, str(out)


# -- the app ---------------------------------------------------------------------------------------
_CSS = """
.ra-head{font-weight:600;margin:4px 0}.ra-small{font-weight:400;color:#777;font-size:12px}
.ra-empty{color:#888;padding:8px}.ra-ok{color:#237804}.ra-bad{color:#a8071a}
.ra-cite{display:block;width:100%;text-align:left;margin:4px 0;padding:6px 8px;border:1px solid #ddd;
  border-radius:6px;background:transparent;cursor:pointer;font:inherit;color:inherit}
.ra-cite:hover{border-color:#1677ff}.ra-meta{display:block;font-size:12px;color:#666}.ra-text{display:block}
.ra-doc-body{white-space:pre-wrap;max-height:420px;overflow:auto;position:relative;padding:8px;
  border:1px solid #eee;border-radius:6px;line-height:1.5}
.ra-snippet{max-height:none}
mark.ra-hl{background:#fff1b8;color:#111}mark.ra-selected{background:#ffd666;outline:2px solid #fa8c16}
mark.ra-num{background:#ffccc7;color:#111;font-weight:600}mark.ra-word{background:#fff1b8;color:#111}
.ra-report{width:100%;height:900px;border:1px solid #eee}
"""

# The citations panel installs one capture-phase listener on the page: a click on a [n] link in the
# chat or on an entry of the panel becomes a "click" event of the panel with {turn, key}. The newest
# panel's trigger is kept on window, so a re-mounted panel still receives the clicks.
_CITE_JS = """
window.__raTrigger = trigger;
if (!window.__raListening) {
  window.__raListening = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#cite-"]');
    const entry = event.target.closest('[data-cite]');
    let turn, key;
    if (link) { const [, t, n] = link.getAttribute('href').split('-'); turn = +t; key = 'c' + n; }
    else if (entry) { const [t, k] = entry.dataset.cite.split(':'); turn = +t; key = k; }
    else return;
    event.preventDefault(); event.stopPropagation();
    // On a narrow screen the document sits far below the chat: bring it into view now, and again
    // when the chosen passage has come (it may be in another document).
    window.__raJump = window.innerWidth < 768;
    if (window.__raJump) { document.getElementById('document')?.scrollIntoView({block: 'start'}); }
    window.__raTrigger('click', {turn: turn, key: key});
  }, true);
}
"""

# Scrolls the document view so the selected sentence sits in its upper third; and, after a click on
# a narrow screen (columns stacked), the page to the document view.
_SCROLL_JS = """
watch('value', () => {
  const mark = element.querySelector('mark.ra-selected');
  const body = element.querySelector('.ra-doc-body');
  if (mark && body) { body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3); }
  if (window.__raJump) { window.__raJump = false; element.scrollIntoView({block: 'start'}); }
});
"""


def _html(value: str, **kwargs: Any) -> gr.HTML:
    return gr.HTML(value, css_template=_CSS, js_on_load=kwargs.pop("js_on_load", None), **kwargs)


def build_app(settings: Settings, assistant: Assistant | None = None, concurrency: int = CONCURRENCY) -> gr.Blocks:
    """The UI over ``assistant`` (opened from ``settings`` when not given; the index must exist);
    ``concurrency`` events (questions, uploads, ...) run at once, the rest wait in Gradio's queue."""
    assistant = assistant or Assistant(settings)
    private: dict[str, Any] = {"api_visibility": "private"}

    def on_chat(question: str, conversation: Conversation) -> Iterator[tuple[Any, ...]]:
        yield from chat(assistant, question, conversation)

    def on_select(conversation: Conversation, evt: gr.EventData) -> tuple[str, str]:
        # The page sends {turn, key} with the click (see _CITE_JS); EventData exposes them as attributes.
        return show_passage(assistant, conversation, int(getattr(evt, "turn", -1)), str(getattr(evt, "key", "")))

    def on_check(passage: str) -> str:
        return check_view(assistant, passage)

    def on_add(paths: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any]:
        return add_documents(assistant, paths, progress)

    def on_eval(evalset: str | None, progress: gr.Progress = gr.Progress()) -> tuple[str, str | None]:
        return run_evaluation(assistant, evalset, progress)

    def ask(question: str, history: list[dict[str, str]] | str | None = None) -> dict[str, Any]:
        """Answer a question about the documents; history is earlier turns [{"role", "content"}]."""
        return ask_json(assistant, question, history)

    with gr.Blocks(title="Report Assistant", analytics_enabled=False) as app:
        conversation = gr.State([])
        gr.Markdown("## Report Assistant\nAsk about the indexed documents. Every answer cites the exact "
                    "sentences it comes from; click a [n] to read it in its document.")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    # No copy button: it would copy the escaped markdown, backslashes and all.
                    chatbot = gr.Chatbot(label="Conversation", elem_id="chatbot", height=460,
                                         feedback_options=None, buttons=[])
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask a question about the documents…", show_label=False,
                                              elem_id="question", scale=5, autofocus=True)
                        send = gr.Button("Ask", variant="primary", elem_id="ask", scale=1)
                    start_over = gr.Button("New conversation", elem_id="new-conversation", size="sm")
                    examples = None
                    if _holds_bundled_report(assistant):  # they are about it, and refused over other documents
                        examples = gr.Examples(EXAMPLES, inputs=[question], label="Example questions")
                with gr.Column(scale=2):
                    citations = _html(NO_CITATIONS, elem_id="citations", js_on_load=_CITE_JS)
                    document = _html(NO_DOCUMENT, elem_id="document", js_on_load=_SCROLL_JS)
        with gr.Tab("Check a passage"):
            passage = gr.Textbox(label="Quote or claim", lines=4, elem_id="passage",
                                 placeholder="Paste a sentence to see whether the documents say exactly that.")
            check = gr.Button("Check", variant="primary", elem_id="check")
            check_result = _html("", elem_id="check-result")
        with gr.Tab("Documents"):
            table = gr.Dataframe(headers=DOCUMENT_HEADERS, interactive=False, elem_id="documents")
            with gr.Row():
                upload = gr.File(label=f"Add .txt or .md files (up to {settings.max_upload_bytes / 2**20:g} MB)",
                                 file_count="multiple", file_types=[".txt", ".md"], elem_id="upload")
                with gr.Column():
                    add = gr.Button("Add to index", variant="primary", elem_id="add")
                    to_remove = gr.Dropdown(label="Indexed document", choices=[], elem_id="to-remove")
                    remove = gr.Button("Remove", variant="stop", elem_id="remove")
            status = gr.Markdown(elem_id="documents-status")
        with gr.Tab("Evaluation"):
            gr.Markdown(f"Runs an eval set (JSONL, ragas field names) through the same chain as the chat. "
                        f"Leave the file empty to run the bundled `{BUNDLED_EVALSET.name}` (about the bundled "
                        "report).")
            evalset = gr.File(label="Eval set (.jsonl)", file_types=[".jsonl"], elem_id="evalset")
            run = gr.Button("Run evaluation", variant="primary", elem_id="run-eval")
            results = gr.File(label="Results (JSONL)", interactive=False, elem_id="eval-results")
            report = _html("", elem_id="eval-report")

        chat_outputs = [chatbot, conversation, citations, document, question]
        for trigger in (question.submit, send.click):
            # The "…" placeholder is the progress shown; spinners over all five outputs would cost a
            # re-render of each on every streamed frame.
            trigger(on_chat, [question, conversation], chat_outputs, show_progress="hidden", **private)
        if examples is not None:  # a click on one asks it, as a suggestion does
            examples.load_input_event.then(on_chat, [question, conversation], chat_outputs, show_progress="hidden",
                                           **private)
        start_over.click(new_conversation, None, chat_outputs, **private)
        chatbot.clear(new_conversation, None, chat_outputs, **private)  # its trash icon must forget the state too
        citations.click(on_select, [conversation], [citations, document], **private)
        check.click(on_check, [passage], [check_result], **private)
        passage.submit(on_check, [passage], [check_result], **private)
        add.click(on_add, [upload], [status, table, to_remove], **private)
        remove.click(lambda name: remove_document(assistant, name), [to_remove], [status, table, to_remove],
                     **private)
        run.click(on_eval, [evalset], [report, results], **private)
        app.load(lambda: _documents_view(assistant), None, [table, to_remove], **private)
        gr.api(ask, api_name="ask")
    app.queue(default_concurrency_limit=concurrency)
    return app


def _auth(settings: Settings) -> tuple[str, str] | None:
    if not settings.auth:
        return None
    user, sep, password = settings.auth.partition(":")
    if not sep or not user or not password:
        raise InputError("ASSISTANT_AUTH must look like user:password; fix or unset it")
    return user, password


def launch(app: gr.Blocks, settings: Settings, **overrides: Any) -> tuple[Any, str, str]:
    """Start the server as ``settings`` say (127.0.0.1 unless told otherwise); tests add overrides."""
    options: dict[str, Any] = dict(
        server_name=settings.host, server_port=settings.port, auth=_auth(settings),
        max_file_size=settings.max_upload_bytes, css=_CSS, footer_links=["api"], run_history=False,
        enable_monitoring=False, ssr_mode=False, mcp_server=False, quiet=True,
    )
    options.update(overrides)
    return app.launch(**options)


def _check_port(settings: Settings) -> None:
    """A port another program holds is said in one line, with this tool's own settings: Gradio's
    error is a traceback that names its own (``GRADIO_SERVER_PORT``). Port 0 takes any free one."""
    if settings.port == 0:
        return
    with socket.socket(socket.AF_INET6 if ":" in settings.host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closed port is free
        try:
            probe.bind((settings.host, settings.port))
        except OSError as exc:
            fix = ("another program is using it: pass --port N or set ASSISTANT_PORT" if exc.errno == errno.EADDRINUSE
                   else "pass --host or set ASSISTANT_HOST to an address of this machine (127.0.0.1, 0.0.0.0)")
            raise InputError(f"cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc}); {fix}") from None


def serve(settings: Settings) -> None:
    """Build the index if it is missing (with progress), warm up, and serve until interrupted."""
    from .indexing import BUNDLED_REPORT, index_paths

    timings: dict[str, float] = {"imports": time.perf_counter() - _IMPORTS_STARTED}
    started = last = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        timings[name], last = now - last, now

    _check_port(settings)  # before seconds of warm-up, not after
    store = Store(settings)
    if not store.exists():
        print(f"No index in {store.location} yet: building it from {BUNDLED_REPORT.name}…", file=sys.stderr)

        def step(done: int, total: int) -> None:
            print(f"\r  embedding sentences: {done}/{total}", end="" if done < total else "\n", file=sys.stderr)

        print(index_paths(store, [BUNDLED_REPORT], progress=step).summary(), file=sys.stderr)
        lap("index build")
    assistant = Assistant(settings, store)
    assistant.warm_up()
    lap("model and index warm-up")
    try:  # the first question still fills the answerer's caches (seconds); pay that before a user does
        assistant.ask(EXAMPLES[0])
    except AssistantError:
        pass
    lap("first question")
    app = build_app(settings, assistant)
    lap("UI build")
    _, url, _ = launch(app, settings, prevent_thread_lock=True)
    lap("server start")
    breakdown = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"Report Assistant on {url} (ready in {time.perf_counter() - started + timings['imports']:.1f} s: {breakdown}); "
          "Ctrl-C stops it.", file=sys.stderr)
    try:
        app.block_thread()
    except KeyboardInterrupt:  # block_thread normally handles it; this is belt and braces
        app.close()
