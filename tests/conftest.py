"""Shared fixtures: the real embedding model and a real Chroma index in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "index" / "china-ipr-cooperation.txt"
# The first lines of a script run in a fresh interpreter: any attempt to open a connection fails
# loudly, so that whatever the script does next is shown to need no network.
BLOCK_NETWORK = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network access attempted: " + repr(args[:1]))
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
"""


@pytest.fixture(scope="session")
def embeddings():
    """One sentence-transformers model for the whole run (loading it takes seconds)."""
    from assistant.encoder import MiniLMEmbeddings

    return MiniLMEmbeddings()


@pytest.fixture(scope="session")
def report_index(tmp_path_factory, embeddings) -> Path:
    """A real index of the bundled report, built once; tests must not modify it."""
    from assistant.indexing import index_paths
    from assistant.settings import Settings
    from assistant.store import Store

    folder = tmp_path_factory.mktemp("report-index")
    index_paths(Store(Settings.from_env(index_dir=folder), embeddings=embeddings), [REPORT])
    return folder


@pytest.fixture(scope="session")
def assistant(report_index, embeddings):
    from assistant.chain import Assistant
    from assistant.settings import Settings
    from assistant.store import Store

    settings = Settings.from_env(env={}, index_dir=report_index)
    bot = Assistant(settings, store=Store(settings, embeddings=embeddings))
    bot.warm_up()
    return bot


@pytest.fixture
def fresh_store(tmp_path, embeddings):
    """An empty store in its own folder, sharing the loaded model."""
    from assistant.settings import Settings
    from assistant.store import Store

    return Store(Settings.from_env(env={}, index_dir=tmp_path / "index"), embeddings=embeddings)


@pytest.fixture
def index_files(tmp_path, fresh_store):
    """Index documents of the given names and texts (one folder) into ``fresh_store``; returns the store."""
    from assistant.indexing import index_paths

    def index(files: dict[str, str]) -> Any:
        folder = tmp_path / "documents"
        folder.mkdir(exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        index_paths(fresh_store, [folder / name for name in files])
        return fresh_store

    return index


@pytest.fixture
def index_text(index_files):
    """Index one document of the given text into ``fresh_store``; returns the store."""
    return lambda name, text: index_files({name: text})


@pytest.fixture
def assistant_over(index_files):
    """An assistant over documents of the given names and texts (indexed with ``index_files``)."""
    from assistant.chain import Assistant

    def make(files: dict[str, str]) -> Any:
        store = index_files(files)
        return Assistant(store.settings, store=store)

    return make


@contextmanager
def live_ui(settings: Any, assistant: Any) -> Iterator[str]:
    """The Gradio app serving ``assistant`` on ``settings.port``, as `assistant serve` runs it; its URL."""
    from assistant import ui

    app = ui.build_app(settings, assistant)
    _, url, _ = ui.launch(app, settings, prevent_thread_lock=True)
    try:
        yield url
    finally:
        app.close()
