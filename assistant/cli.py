"""``assistant``: a thin command line over the library (index, ask, chat, check, eval, serve)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .settings import MODES, Settings

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line that says what to run, exit code 2
        self.exit(2, f"{self.prog}: error: {message}; see `{self.prog} --help`\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, help="index folder (default: the bundled index/; env ASSISTANT_INDEX_DIR)")
    common.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (env ASSISTANT_CHROMA_URL)")
    common.add_argument("--llm", help="answer backend: extractive (default), smollm2, ollama:MODEL, openai:MODEL, gguf:PATH")

    parser = _Parser(prog="assistant", description="Ask questions about documents; every answer cites the exact sentences.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = commands.add_parser("index", parents=[common], help="index .txt/.md files or folders (default: the bundled report)")
    p.add_argument("paths", nargs="*", type=Path)
    p.add_argument("--rebuild", action="store_true", help="start over: index exactly these documents")
    p.add_argument("--list", action="store_true", help="list the indexed documents and exit")
    p.add_argument("--remove", nargs="+", metavar="NAME", help="remove documents from the index")

    p = commands.add_parser("ask", parents=[common], help="answer one question")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the answer as JSON")

    commands.add_parser("chat", parents=[common], help="a conversation in the terminal (follow-ups work)")

    p = commands.add_parser("check", parents=[common],
                            help="is a passage in the documents verbatim? if not, the closest sentences and what differs")
    p.add_argument("passage")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = commands.add_parser("eval", parents=[common], help="run an eval set (JSONL) and print metrics")
    p.add_argument("evalset", type=Path)
    p.add_argument("--out", type=Path, help="write one result line per question (JSONL)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--report", type=Path, help="write a self-contained HTML report")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=VALUE",
                   help="fail (exit 1) when a metric is below VALUE; repeatable")
    p.add_argument("--mode", choices=MODES, default="hybrid", help="retrieval mode to measure")

    p = commands.add_parser("serve", parents=[common], help="start the chat UI")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    return parser


def main(argv: Sequence[str] | None = None, exit_fast: bool = False) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        # `assistant ask How many suspects?`: the shell split the question into words.
        hint = (f'put the question in quotes: assistant ask "{" ".join([args.question, *extra])}"'
                if args.command == "ask" and not any(e.startswith("-") for e in extra)
                else f"see `assistant {args.command} --help`")
        parser.exit(2, f"assistant {args.command}: error: unrecognized arguments: {' '.join(extra)}; {hint}\n")
    try:
        settings = Settings.from_env(index_dir=args.index_dir, chroma_url=args.chroma_url, llm=args.llm,
                                     host=getattr(args, "host", None), port=getattr(args, "port", None))
        code = int(_COMMANDS[args.command](args, settings) or 0)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted; the index is as it was before this run", file=sys.stderr)
        return 130
    if args.command == "ask" and exit_fast:
        # `ask` has written nothing but its output; tearing down the interpreter (Chroma's and
        # LangChain's modules) costs ~0.5 s of a ~2.5 s cold run, so skip it.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _index(args: argparse.Namespace, settings: Settings) -> int:
    from .indexing import BUNDLED_REPORT, index_paths, list_documents
    from .store import Store

    store = Store(settings)
    if args.list:
        print(list_documents(store))
        return 0
    if args.remove:
        store.remove(args.remove)
        print(f"removed: {', '.join(args.remove)}")
        return 0
    report = index_paths(store, args.paths or [BUNDLED_REPORT], rebuild=args.rebuild, show_progress=True)
    print(report.summary())
    return 0


def _answer_lines(answer: Any) -> str:
    lines = [answer.text]
    if answer.notice:
        lines.insert(0, f"note: {answer.notice}")
    for c in answer.citations:
        mark = "verified" if c.verified else "NOT VERIFIED"
        lines.append(f"  [{c.n}] {c.sentence.doc}:{c.sentence.start}-{c.sentence.end} ({mark}) {c.sentence.text}")
    for claim in answer.claims:
        if not claim.supported:
            lines.append(f"  unsupported: {claim.text} ({claim.reason})")
    if answer.abstained and answer.retrieved:
        lines.append("  closest sentences considered:")
        for r in answer.retrieved[:3]:
            lines.append(f"    {r.sentence.doc}:{r.sentence.start}-{r.sentence.end} {r.sentence.text}")
    return "\n".join(lines)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from .chain import Assistant

    answer = Assistant(settings).ask(args.question)
    print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else _answer_lines(answer))
    return 0


def _chat(args: argparse.Namespace, settings: Settings) -> int:
    from .chain import Assistant

    assistant = Assistant(settings)
    assistant.warm_up()
    history: list[dict[str, str]] = []
    print("Ask about the documents; an empty line or Ctrl-D ends, /new starts over.")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        if question == "/new":
            history.clear()
            print("(new conversation)")
            continue
        try:
            answer = assistant.ask(question, history)  # type: ignore[arg-type]
        except AssistantError as exc:
            print(f"error: {exc}")
            continue
        print(_answer_lines(answer))
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


def _check(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 when the passage is found verbatim, 1 when it is not (scripts can gate on it)."""
    from dataclasses import asdict

    from .chain import Assistant
    from .passages import check_passage, number_difference

    assistant = Assistant(settings)
    result = check_passage(assistant, args.passage)
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
        return 0 if result.found else 1
    texts = assistant.store.snapshot().texts
    for o in result.found:
        print(f"found verbatim: {o.doc}:{o.start}-{o.end} {texts[o.doc][o.start:o.end]}")
    for o in result.other_case:
        print(f"found with other letter case: {o.doc}:{o.start}-{o.end} {texts[o.doc][o.start:o.end]}")
    if not result.found:
        print("not found verbatim; closest sentences:")
        for n in result.nearest:
            print(f"  {n.doc}:{n.start}-{n.end} (sentence {n.ordinal + 1}, score {n.score:.3f}) {n.text}")
            for claim, source in (n.diff.numbers if n.diff else ()):
                print(f"    numbers differ: {number_difference(claim, source)}")
            if n.diff and n.diff.negated:
                print(f"    negation differs: {_negation(n.diff.negations, n.diff.negated, 'passage')}")
    return 0 if result.found else 1


def _negation(words: Sequence[str], side: str, claim: str) -> str:
    """'the source says "not", the passage does not': which side negates what the other says."""
    said = ", ".join(f'"{w}"' for w in words)
    return f"the source says {said}, the {claim} does not" if side == "source" else f"the {claim} says {said}, the source does not"


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from .evaluation.runner import run_cli

    return run_cli(args, settings)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from .ui import serve

    serve(settings)
    return 0


_COMMANDS = {"index": _index, "ask": _ask, "chat": _chat, "check": _check, "eval": _eval, "serve": _serve}

def entry_point() -> None:
    """The ``assistant`` command."""
    try:
        sys.exit(main(exit_fast=True))
    except BrokenPipeError:
        # `assistant ask ... | head -1`: the reader has what it wanted. Python's advice: point stdout
        # at devnull, so that flushing it at exit raises nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # what a shell reports for a process ended by SIGPIPE


if __name__ == "__main__":  # pragma: no cover
    entry_point()
