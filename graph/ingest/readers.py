"""Files to Documents: find them, read them, decode them, and say clearly why one cannot be read.

Text is kept as the source has it (only ``\\r\\n``/``\\r`` become ``\\n`` and NULs
go), because every later stage points into ``Document.text`` by character
offset. HTML, DOCX and PDF have no such text of their own: their text is built
one block (paragraph, table row, page) per line, in the corpus's style.
"""
from __future__ import annotations

import errno
import io
import logging
import os
import re
import stat
import unicodedata
import zipfile
from pathlib import Path
from typing import Callable, Iterable, Union

import charset_normalizer
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from graph.ingest.metadata import (
    META_TAGS, Metadata, clean_page_title, fields_in_line, looks_like_title, parse_text_metadata,
)
from graph.model import Document, content_id

__all__ = [
    "IngestError", "SUPPORTED_SUFFIXES", "DEFAULT_MAX_BYTES",
    "discover", "load_document", "read_corpus", "decode_bytes",
]

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})
#: Far above any policy document (the largest bulk file is ~80 KB); a bigger file is a mistake.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

PathLike = Union[str, "os.PathLike[str]"]


class IngestError(Exception):
    """A file that cannot become a Document; ``str(err)`` is ``"<path>: <reason>"``."""

    def __init__(self, path: PathLike, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # keep (path, reason) across pickling (multiprocessing workers)
        return (type(self), (self.path, self.reason))


# ---------------------------------------------------------------- discovery

def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def _os_reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symlink loop (too many levels of symbolic links)"
    if exc.errno == errno.ENOENT:
        return "no such file (or a broken symlink)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "unreadable: permission denied"
    return f"unreadable: {exc.strerror or exc}"


def _scan(paths: PathLike | Iterable[PathLike]) -> tuple[list[Path], list[IngestError]]:
    """Supported files under ``paths`` and an error for each path that cannot be used."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    chosen: dict[str, Path] = {}  # real path -> the smallest path naming it
    errors: list[IngestError] = []
    seen_dirs: set[str] = set()

    def add(path: Path) -> None:
        key = os.path.realpath(path)
        if key not in chosen or str(path) < str(chosen[key]):
            chosen[key] = path

    for raw in paths:
        path = Path(raw)
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            _walk(path, add, errors, seen_dirs)
        elif not _supported(path):
            kind = path.suffix or "(no suffix)"
            errors.append(IngestError(path, f"unsupported file type {kind}; supported: "
                                            + " ".join(sorted(SUPPORTED_SUFFIXES))))
        else:
            try:
                path.stat()
            except OSError as exc:
                errors.append(IngestError(path, _os_reason(exc)))
                continue
            add(path)
    return sorted(chosen.values(), key=str), errors


def _walk(root: Path, add: Callable[[Path], None], errors: list[IngestError],
          seen_dirs: set[str]) -> None:
    """Depth-first folder walk that follows symlinks but enters each real folder once."""
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen_dirs:
            continue
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            errors.append(IngestError(folder, "folder " + _os_reason(exc)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: reported below if its name is a document's
                is_dir = False
            path = Path(entry.path)
            if is_dir:
                stack.append(path)
            elif _supported(path):
                add(path)


def discover(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    """The supported files named by ``paths`` (files or folders, walked recursively), sorted.

    Hidden files and folders are skipped inside a walk; a folder reached twice
    through symlinks is walked once. A named file of an unsupported type or a
    missing path raises IngestError rather than vanishing from the build.
    """
    found, errors = _scan(paths)
    if errors:
        raise errors[0]
    return found


# ---------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)
#: Legacy mainland encodings, all decoded as GB18030, their superset: a GBK guess on a
#: file with one GB18030-only character must not lose it.
_GB_FAMILY = frozenset({"gb2312", "gbk", "gb18030", "hz", "cp936"})


def _codec(name: str) -> str:
    name = name.lower().replace("_", "-")
    return "gb18030" if name.replace("-", "") in _GB_FAMILY else name


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a little damage (a cut-off last character, a stray byte), else None.

    Such a file is plainly UTF-8; guessing another encoding for the whole file
    would garble every character to save one. The damage becomes U+FFFD.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    if bad <= max(1, len(text) // 1000) and multibyte >= 10 * bad:
        return text
    return None


def _check_text(path: PathLike, text: str, encoding: str) -> None:
    """Refuse decoded text that is really binary data or a wrong guess of the encoding."""
    n = max(len(text), 1)
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    if control > max(8, n // 100):
        raise IngestError(path, f"binary data, not text ({control} control characters "
                                f"in {len(text)} when read as {encoding})")
    replaced = text.count("\ufffd")
    if replaced > max(8, n // 200):
        raise IngestError(path, f"undecodable text ({replaced} of {len(text)} characters "
                                f"could not be decoded as {encoding})")


def decode_bytes(data: bytes, path: PathLike = "<bytes>", declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file's bytes, or IngestError.

    Order: a byte-order mark; the charset an HTML page declares; UTF-8 when it
    decodes (prefer it: valid UTF-8 is almost never another encoding);
    charset-normalizer otherwise, leaning to GB18030 (see _decode_unmarked).
    NUL bytes without a BOM mean binary data, or UTF-16 without its BOM, which
    is refused rather than guessed.
    """
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, errors="replace")
            _check_text(path, text, name)
            return text, name
    if b"\x00" in data:
        raise IngestError(path, "binary data, not text (contains NUL bytes; "
                                "UTF-16 text needs a byte-order mark)")
    decoded = _decode_unmarked(data, declared)
    if decoded is None:
        raise IngestError(path, "undecodable: not text in any known encoding (binary data?)")
    _check_text(path, *decoded)
    return decoded


def _decode_unmarked(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """Bytes without a BOM: declared charset, then UTF-8, then the detector's best guess."""
    if declared:
        try:
            return data.decode(_codec(declared)), _codec(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # the page's own declaration is wrong: detect instead
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8"
    # Without a BOM, UTF-16/32 guesses are refused (NUL-free "UTF-16" is a misreading of
    # a few bytes); a GB-family candidate close to the best wins, as the documents are
    # mainland ones and short GBK text is often ranked as Big5 or CP949. Real Big5 text
    # is not affected: GB18030 does not come out as a candidate for it.
    matches = [m for m in charset_normalizer.from_bytes(data)
               if not m.encoding.startswith(("utf_16", "utf_32"))]
    if not matches:
        return None
    best = min(matches, key=lambda m: m.chaos)
    gb = [m for m in matches if _codec(m.encoding) == "gb18030" and m.chaos <= best.chaos + 0.1]
    if gb:
        best = gb[0]
    codec = _codec(best.encoding)
    return (data.decode(codec, errors="replace") if codec == "gb18030" else str(best)), codec


def _normalise(text: str) -> str:
    """Line ends to \\n and no NULs; one character per character so offsets are unchanged
    except where a \\r\\n pair becomes one \\n."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


# ---------------------------------------------------------------- readers

Reader = Callable[[Path, bytes], tuple[str, Metadata, str]]


def _read_text(path: Path, data: bytes) -> tuple[str, Metadata, str]:
    text, encoding = decode_bytes(data, path)
    text = _normalise(text)
    return text, parse_text_metadata(text), encoding


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "caption", "blockquote",
    "pre", "address", "figure", "figcaption", "center", "hr", "body", "html",
})
_CELL_TAGS = frozenset({"td", "th"})
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object",
              "embed", "canvas", "button", "select", "input", "textarea", "map")
_CHROME_TAGS = ("nav", "header", "footer", "aside", "form", "menu")
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
_CHROME_WORD = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navi|menu|header|footer|foot|breadcrumbs?|crumbs?|sidebar|share|"
    r"toolbar|topbar|banner|position|location|dqwz|skip|copyright|related|xgwz|fxdh)(?:$|[-_\d])",
    re.I)
_CONTENT_WORD = re.compile(
    r"trs_editor|ucap-content|zoom|content|article|artibody|detail|zhengwen|^zw|main|text|body",
    re.I)
_INLINE_WS = re.compile(r"\s+")


def _tokens(tag: Tag) -> list[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id")
    return [*classes, *([ident] if isinstance(ident, str) else [])]


def _text_len(tag: Tag) -> int:
    return len(_INLINE_WS.sub("", tag.get_text()))


def _lines(node: Tag) -> list[str]:
    """Text of ``node`` one block per line; table cells of a row joined by tabs."""
    parts: list[str] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and not isinstance(item, NavigableString):
            parts.append(item)  # a separator pushed below
        elif isinstance(item, PreformattedString):  # comments, CDATA, doctype
            continue
        elif isinstance(item, NavigableString):
            parts.append(_INLINE_WS.sub(" ", str(item)))
        elif isinstance(item, Tag):
            if item.name == "br":
                parts.append("\n")
                continue
            after = "\n" if item.name in _BLOCK_TAGS else "\t" if item.name in _CELL_TAGS else ""
            if after:
                parts.append(after)
                stack.append(after)
            stack.extend(reversed(list(item.children)))
    lines = []
    for line in "".join(parts).split("\n"):
        line = re.sub(r" *\t[ \t]*", "\t", line).strip(" \t\u3000\xa0")
        if line:
            lines.append(line)
    return lines


def _strip_chrome(body: Tag) -> None:
    """Remove navigation, header, footer, sidebars and share bars, but never the bulk of the page."""
    total = max(_text_len(body), 1)
    chrome = [t for t in body.find_all(True) if t is not body and (
        t.name in _CHROME_TAGS
        or (t.get("role") or "") in _CHROME_ROLES
        or any(_CHROME_WORD.search(tok) for tok in _tokens(t)))]
    for tag in chrome:
        if tag.decomposed or tag.parent is None:
            continue
        if _text_len(tag) <= total // 2:
            tag.decompose()


def _main_container(body: Tag) -> Tag:
    """The element holding the article: the innermost content-like element with most of the text."""
    total = _text_len(body)
    scored = [(t, _text_len(t)) for t in body.find_all(True)
              if t.name in ("article", "main") or any(_CONTENT_WORD.search(tok) for tok in _tokens(t))]
    if not scored:
        return body
    best = max(n for _, n in scored)
    if best < total * 0.25:
        return body
    good = [t for t, n in scored if n >= best * 0.8]
    ids = {id(t) for t in good}
    # Nested candidates holding about the same text: take the innermost (the article body).
    return next((t for t in good if not any(id(d) in ids for d in t.find_all(True))), good[0])


def _html_metadata(soup: BeautifulSoup, page_lines: list[str]) -> Metadata:
    meta = Metadata()
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        if name in META_TAGS and tag.get("content"):
            field_name, rank = META_TAGS[name]
            meta.offer(field_name, tag["content"], rank)
    for line in page_lines:
        for label, value in fields_in_line(line):
            meta.offer_label(label, value)
    for h1 in soup.find_all("h1"):
        heading = _INLINE_WS.sub(" ", h1.get_text()).strip()
        if looks_like_title(heading):
            meta.offer("title", heading, 2)
            break
    if soup.title and soup.title.string:
        meta.offer("title", clean_page_title(soup.title.string), 3)
    return meta


def _read_html(path: Path, data: bytes) -> tuple[str, Metadata, str]:
    declared = _CHARSET.search(data[:4096])
    html, encoding = decode_bytes(data, path, declared.group(1).decode("ascii") if declared else None)
    soup = BeautifulSoup(_normalise(html), "lxml")
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    page_lines = _lines(body)
    meta = _html_metadata(soup, page_lines)
    _strip_chrome(body)
    lines = _lines(_main_container(body))
    # The title usually sits above the article container; put it first, as in the corpus files.
    if meta.title and not any(meta.title in ln for ln in lines[:3]):
        lines.insert(0, meta.title)
    return "\n".join(lines), meta, encoding


def _read_docx(path: Path, data: bytes) -> tuple[str, Metadata, str]:
    import docx  # python-docx; imported here so text-only builds do not pay for it
    from docx.table import Table

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise IngestError(path, "corrupt DOCX: not a ZIP package (an old .doc, or encrypted?)")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors alike
        raise IngestError(path, f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    lines: list[str] = []
    table_lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells, last = [], None
                for cell in row.cells:
                    if cell._tc is last:  # a merged cell repeats in every grid column it spans
                        continue
                    last = cell._tc
                    cells.append(_INLINE_WS.sub(" ", cell.text).strip())
                row_text = "\t".join(c for c in cells if c)
                if row_text:
                    lines.append(row_text)
                    table_lines.append(row_text)
        elif block.text.strip():
            lines.append(block.text)
    text = _normalise("\n".join(lines))
    meta = parse_text_metadata(text)
    for line in table_lines:
        for label, value in fields_in_line(line):
            meta.offer_label(label, value)
    _offer_property_title(meta, document.core_properties.title)
    return text, meta, "utf-8"


def _offer_property_title(meta: Metadata, title: str | None) -> None:
    """A file's own title property, when it is a real title and not a tool's placeholder."""
    if title and looks_like_title(title) and not re.search(
            r"^Microsoft|\.(docx?|wps|pdf)$|^(untitled|无标题|文档\d*)$", title.strip(), re.I):
        meta.offer("title", title.strip(), 7)


def _read_pdf(path: Path, data: bytes) -> tuple[str, Metadata, str]:
    import pypdf

    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "corrupt PDF: no %PDF- header (not a PDF file)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "encrypted PDF: a password is required")
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = reader.metadata.title if reader.metadata else None
    except IngestError:
        raise
    except Exception as exc:  # pypdf signals damage with many exception types
        raise IngestError(path, f"corrupt PDF: {type(exc).__name__}: {exc}") from exc
    text = _normalise("\n".join(p.strip("\n") for p in pages if p.strip()))
    if not text.strip():
        raise IngestError(path, "PDF has no extractable text (scanned images? OCR is not done)")
    meta = parse_text_metadata(text)
    _offer_property_title(meta, info_title)
    return text, meta, "utf-8"


_READERS: dict[str, Reader] = {
    ".txt": _read_text, ".md": _read_text, ".html": _read_html, ".htm": _read_html,
    ".docx": _read_docx, ".pdf": _read_pdf,
}


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
    except OSError as exc:
        raise IngestError(path, _os_reason(exc)) from exc
    if stat.S_ISDIR(st.st_mode):
        raise IngestError(path, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise IngestError(path, "not a regular file (device, pipe or socket)")
    if st.st_size > max_bytes:
        raise IngestError(path, f"too large: {st.st_size} bytes (limit {max_bytes})")
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(path, _os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise IngestError(path, f"too large: over {max_bytes} bytes (limit)")
    return data


def load_document(path: PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document (id = hash of its bytes), or raise IngestError saying why not."""
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(path, f"unsupported file type {path.suffix or '(no suffix)'}")
    data = _read_bytes(path, max_bytes)
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only whitespace)")
    text, meta, encoding = reader(path, data)
    if not text.strip():
        raise IngestError(path, "no text in the document")
    return Document(id=content_id(data), path=str(path), text=text, title=meta.title,
                    issuer=meta.issuer, number=meta.number, date=meta.date,
                    index_no=meta.index_no, encoding=encoding)


def read_corpus(paths: PathLike | Iterable[PathLike], *, max_bytes: int = DEFAULT_MAX_BYTES
                ) -> tuple[list[Document], list[IngestError]]:
    """Every readable document under ``paths`` and one error per file or path that failed.

    A bad file never stops a build. Byte-identical files are one document (the
    first in path order), since their content id, and so their graph, is one.
    """
    files, errors = _scan(paths)
    documents: list[Document] = []
    seen: set[str] = set()
    for path in files:
        try:
            doc = load_document(path, max_bytes=max_bytes)
        except IngestError as err:
            errors.append(err)
            continue
        if doc.id in seen:
            log.info("skipping %s: same content as an earlier file", path)
            continue
        seen.add(doc.id)
        documents.append(doc)
    return documents, errors
