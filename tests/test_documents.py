from pathlib import Path

import pytest

from assistant.documents import load_documents, passed_over
from assistant.errors import DocumentError


def test_loads_files_and_folders(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.md").write_text("# Beta\nText.", encoding="utf-8")
    (sub / "ignored.pdf").write_bytes(b"%PDF")
    docs = load_documents([tmp_path])
    assert [d.name for d in docs] == ["a.txt", "sub/b.md"]
    assert docs[0].text == "Alpha."
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    assert passed_over([tmp_path, tmp_path / "a.txt"]) == [sub / "ignored.pdf"]  # said, not silently dropped


def test_indexing_a_folder_says_which_files_it_did_not_read(tmp_path: Path, fresh_store):
    from assistant.indexing import index_paths

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha is the first letter.", encoding="utf-8")
    (folder / "page.html").write_text("<p>Beta</p>", encoding="utf-8")
    report = index_paths(fresh_store, [folder])
    assert report.passed_over == ["page.html"]
    assert report.summary().endswith("\nnot read (only .txt and .md files are): page.html")


def test_an_index_inside_the_folder_indexed_is_not_among_its_files(tmp_path: Path, embeddings):
    # As the bundled report's index/ holds both: indexing the folder into itself, then again, must
    # not list Chroma's own files as documents not read.
    from assistant.indexing import index_paths
    from assistant.settings import Settings
    from assistant.store import Store

    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "a.txt").write_text("Alpha is the first letter.", encoding="utf-8")
    (folder / "page.html").write_text("<p>Beta</p>", encoding="utf-8")
    store = Store(Settings.from_env(env={}, index_dir=folder), embeddings=embeddings)
    index_paths(store, [folder])
    assert any(p.suffix == ".bin" for p in folder.rglob("*"))  # Chroma's files are there
    again = index_paths(store, [folder])
    assert again.passed_over == ["page.html"] and again.unchanged == ["a.txt"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"   \n", "is empty"),
        ("binary.txt", b"abc\x00def", "looks like a binary file"),
        ("latin1.txt", "café".encode("latin-1"), "is not UTF-8 text"),
        ("utf16.txt", "café".encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        # Text-like, so no NUL byte gives them away: a PDF was indexed, and cited as "1 0 obj<</Type/Catalog>>".
        ("renamed.md", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n", "is a PDF, not plain text; convert it to a .txt"),
        ("letter.txt", b"{\\rtf1\\ansi Dear Ada}", "is an RTF document, not plain text"),
    ],
)
def test_bad_files_get_one_line_naming_file_and_reason(tmp_path: Path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as error:
        load_documents([path])
    message = str(error.value)
    assert "\n" not in message
    assert str(path) in message and reason in message


def test_missing_path_and_empty_folder(tmp_path: Path):
    with pytest.raises(DocumentError, match="no such file or folder"):
        load_documents([tmp_path / "nope.txt"])
    (tmp_path / "folder").mkdir()
    with pytest.raises(DocumentError, match="has no .txt or .md files"):
        load_documents([tmp_path / "folder"])


def test_unsupported_suffix(tmp_path: Path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(DocumentError, match="unsupported file type .pdf"):
        load_documents([path])


def test_every_file_that_cannot_be_read_as_text_is_named_in_one_line(tmp_path: Path):
    (tmp_path / "good.txt").write_text("Fine.", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"abc\x00def")
    (tmp_path / "empty.md").write_bytes(b"  \n")
    with pytest.raises(DocumentError) as error:
        load_documents([tmp_path])
    message = str(error.value)
    assert "\n" not in message
    assert f"{tmp_path / 'binary.txt'}: looks like a binary file" in message
    assert f"{tmp_path / 'empty.md'}: is empty" in message

