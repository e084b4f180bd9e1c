"""Documents: loading ``.txt`` and ``.md`` files, refusing what cannot be cited reliably."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import DocumentError

__all__ = ["SUPPORTED_SUFFIXES", "Document", "load_documents", "document_from_bytes", "passed_over"]

SUPPORTED_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Document:
    """A source document exactly as read: offsets of citations index into ``text``."""

    name: str
    """Stable name used in citations: the file name, or its path relative to the folder given."""
    text: str
    sha256: str
    """Hash of the UTF-8 text: the document's identity in the index and in sentence ids."""
    source: str = ""
    """The file it was read from (an absolute path), or "" for an upload: another file of the same
    name must not silently replace it in the index."""

    @classmethod
    def from_text(cls, name: str, text: str, source: str = "") -> Document:
        return cls(name=name, text=text, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), source=source)


def document_from_bytes(name: str, data: bytes, label: str | None = None, source: str = "") -> Document:
    """Decode and check one file's content; the error names the file (``label``) and the reason."""
    label = label or name
    # A UTF-32 or UTF-16 byte-order mark: text, but full of NUL bytes (UTF-32's mark starts as UTF-16's).
    for mark, encoding in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                           (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if data.startswith(mark):
            raise DocumentError(f"{label}: is {encoding} text; save it as UTF-8 and retry")
    if b"\x00" in data[:8192]:
        raise DocumentError(f"{label}: looks like a binary file; only UTF-8 .txt and .md files can be indexed")
    for mark, kind, tool in ((b"%PDF-", "a PDF", "pdftotext"), (b"{\\rtf", "an RTF document", "a word processor")):
        if data.lstrip()[:len(mark)] == mark:  # text-like, so no NUL gives it away
            raise DocumentError(f"{label}: is {kind}, not plain text; convert it to a .txt with {tool} and index that")
    try:
        text = data.decode("utf-8")  # a byte-order mark stays, as character 0: offsets are the file's
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{label}: is not UTF-8 text (invalid byte at position {exc.start}); convert it to UTF-8 and retry"
        ) from None
    if not text.strip():
        raise DocumentError(f"{label}: is empty; add text to it or leave it out")
    return Document.from_text(name, text, source)


def passed_over(paths: Iterable[Path], index_files: Path | None = None) -> list[Path]:
    """The files in the folders among ``paths`` that are not indexed for their type ("page.html",
    "report.pdf"): a folder's other files are passed over, and a user should hear which. Not the
    index's own files, when their folder ``index_files`` is inside a folder indexed (as the bundled
    report's is)."""
    index = index_files.expanduser().resolve() if index_files is not None else None
    return sorted(p for path in map(Path, paths) if Path(path).expanduser().is_dir()
                  for p in Path(path).expanduser().rglob("*")
                  if p.is_file() and p.suffix.lower() not in SUPPORTED_SUFFIXES and not p.name.startswith(".")
                  and not (index is not None and p.resolve().is_relative_to(index)))


def load_documents(paths: Iterable[Path]) -> list[Document]:
    """Read every supported file under ``paths``; all are checked before any is returned.

    Raises ``DocumentError`` for the first bad path, or for every file that cannot be read as text
    (all of them named in one line), so that a caller indexing the result never writes half of a
    batch and a person fixes every file at once.
    """
    documents: list[Document] = []
    seen: dict[str, Path] = {}
    bad: list[str] = []
    for path in paths:
        path = Path(path).expanduser()
        if not path.exists():
            raise DocumentError(f"{path}: no such file or folder; check the path")
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not files:
                raise DocumentError(
                    f"{path}: folder has no {' or '.join(SUPPORTED_SUFFIXES)} files; point at a folder of text files"
                )
            named = [(p.relative_to(path).as_posix(), p) for p in files]
        else:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise DocumentError(
                    f"{path}: unsupported file type {path.suffix or '(none)'}; use {' or '.join(SUPPORTED_SUFFIXES)} files"
                )
            named = [(path.name, path)]
        for name, file in named:
            if name in seen and seen[name].resolve() != file.resolve():
                raise DocumentError(f"{file}: another file is also named {name} ({seen[name]}); rename one of them")
            seen[name] = file
            try:
                documents.append(document_from_bytes(name, file.read_bytes(), label=str(file),
                                                     source=str(file.resolve())))
            except OSError as exc:
                bad.append(f"{file}: cannot be read ({exc.strerror}); check its permissions")
            except DocumentError as exc:
                bad.append(str(exc))
    if bad:
        raise DocumentError("; ".join(bad))
    return documents
