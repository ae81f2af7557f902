"""Read each kind of file councils publish into text the structure stage understands.

Every reader returns ``Text``: the document's text (what every offset in the index points into) and,
for paged formats, where each page starts. Word documents and web pages become plain text laid out
the way ``structure`` reads extracted PDFs: a heading on its own line between blank lines, list
items as "• " lines, table rows as tab-separated cells with the header row first. A file that
cannot be read raises ``UnreadableDocument`` with a reason a person can act on.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from .errors import UnreadableDocument
from .webpage import html_to_text, tidy

PAGE_BREAK = "\f"
TEXT_TYPES = (".txt", ".md")
READERS = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


@dataclass(frozen=True)
class Text:
    text: str
    page_starts: tuple[int, ...] = ()
    encoding: str = ""  # for text files: the encoding the bytes were decoded with


def read_bytes(raw: bytes, suffix: str, name: str) -> Text:
    """The text of a file of type ``suffix`` (".pdf", ".docx"…) whose bytes are ``raw``."""
    suffix = suffix.lower()
    if suffix == ".pdf":
        return read_pdf(raw, name)
    if suffix == ".docx":
        return read_docx(raw, name)
    if suffix in (".html", ".htm"):
        decoded = decode_text(raw, name)
        return Text(_nonempty(html_to_text(decoded.text), name), (), decoded.encoding)
    decoded = decode_text(raw, name)
    return Text(rows_joined(decoded.text), (), decoded.encoding)


_MAX_CELL = 3000  # characters a quoted cell may run to: past it, its quote is a stray mark
_OPENING = re.compile(r'(?:^|(?<=\t))"', re.M)  # a quote at the start of a field
_QUOTED_CELL = re.compile(r'"(?:[^"]|"")*"(?=[\t\n]|\Z)')  # "" inside a cell is a quote mark


def rows_joined(text: str) -> str:
    """Text whose tab-separated rows are each one line: a cell that Excel's "Text (Tab delimited)"
    export quotes because it holds line breaks ("\"Waiting list at 412.\nAgency team extended.\"")
    has those breaks read as spaces, so its row reads whole (action, lead, dates and progress). A
    quote opens a cell only at the start of a field of a line with a tab, and only when it closes
    before a tab or a line break within ``_MAX_CELL`` characters."""
    pieces, done = [], 0
    for opening in _OPENING.finditer(text):
        at = opening.start()
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        if at < done or "\t" not in text[line_start:line_end if line_end >= 0 else len(text)]:
            continue
        cell = _QUOTED_CELL.match(text[at:at + _MAX_CELL])
        if cell is not None and "\n" in cell.group():
            pieces += [text[done:at], cell.group().replace("\n", " ")]
            done = at + cell.end()
    return "".join(pieces) + text[done:]


def _nonempty(text: str, name: str) -> str:
    if not text.strip():
        raise UnreadableDocument(name, "the file has no text")
    return text


def _readable(text: str, name: str) -> str:
    """Decoded bytes that are mostly control characters were never text."""
    sample = text[:4096]
    if sum(1 for ch in sample if ch.isprintable() or ch in "\n\r\t\f") < 0.95 * len(sample):
        raise UnreadableDocument(name, "looks like a binary file, not text")
    return _nonempty(text, name)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(raw: bytes, name: str) -> Text:
    """Decode text, saying which encoding was used (``_decode``), with one kind of line break:
    Windows ("\r\n", as Excel and Word export text) and old Mac ("\r") breaks become "\n", so
    every offset into the text is an offset into what the index stores and cites."""
    text = _decode(raw, name)
    return Text(text.text.replace("\r\n", "\n").replace("\r", "\n"), text.page_starts, text.encoding)


def _decode(raw: bytes, name: str) -> Text:
    """Decode text, saying which encoding was used: a byte-order mark first (UTF-8, UTF-16,
    UTF-32), then UTF-8, then UTF-16 without a mark (every other byte zero), then Windows-1252
    (a superset of Latin-1 for text). Bytes that are none of these are a binary file."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return Text(_readable(raw.decode(encoding), name), (), encoding)
            except UnicodeDecodeError as exc:
                raise UnreadableDocument(name, f"starts with a {encoding} byte-order mark but is not {encoding} "
                                               f"({exc.reason} at byte {exc.start})") from exc
    sample = raw[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        guess = "utf-16-le" if odd > 0.4 * len(sample[1::2]) and even == 0 else \
            "utf-16-be" if even > 0.4 * len(sample[0::2]) and odd == 0 else None
        if guess:
            try:
                return Text(_readable(raw.decode(guess), name), (), guess)
            except UnicodeDecodeError:
                pass
        raise UnreadableDocument(name, "looks like a binary file, not text")
    try:
        return Text(_readable(raw.decode("utf-8"), name), (), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Text(_readable(raw.decode("cp1252"), name), (), "cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined: Latin-1 reads them all
        return Text(_readable(raw.decode("latin-1"), name), (), "latin-1")


def read_pdf(raw: bytes, name: str) -> Text:
    """Each page's text with pypdf. A PDF with only an owner password (printing or copying
    restricted, none needed to open it) is read, with RC4 or AES; one that needs a password to
    open, a broken one and one with only scanned images are reported. Each page is laid out from
    its fonts and positions (``pdf_layout``): headings, paragraphs and table rows as ``structure``
    reads them, running headers and footers dropped, hyphenated words joined."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    from .pdf_layout import layout_pages, page_pieces

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(name, "the PDF needs a password to open")
        pages = layout_pages([page_pieces(page) for page in reader.pages])
    except UnreadableDocument:
        raise
    except DependencyError as exc:  # a cipher the installed crypto cannot handle
        raise UnreadableDocument(name, f"the PDF is encrypted ({exc})") from exc
    except PyPdfError as exc:
        raise UnreadableDocument(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    except (ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableDocument(name, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(p.strip() for p in pages):
        raise UnreadableDocument(name, "the PDF has no extractable text (scanned images need OCR)")
    starts, offset = [], 0
    for text in pages:
        starts.append(offset)
        offset += len(text) + len(PAGE_BREAK)
    return Text(PAGE_BREAK.join(pages), tuple(starts))


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(raw: bytes, name: str) -> Text:
    """A Word document's body in order: headings (by their style), paragraphs, list items and
    tables (each row tab-separated, one per line)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            body = ElementTree.fromstring(archive.read("word/document.xml")).find(f"{_W}body")
            styles = _docx_styles(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise UnreadableDocument(name, f"not a readable Word document ({type(exc).__name__}: {exc})") from exc
    if body is None:
        raise UnreadableDocument(name, "not a readable Word document (it has no body)")
    out: list[str] = []
    _docx_blocks(body, styles, out)
    return Text(_nonempty(tidy("\n".join(out)), name))


def _docx_styles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Style id -> style name, lower case ("Heading1" -> "heading 1")."""
    try:
        root = ElementTree.fromstring(archive.read("word/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return {}
    names = {}
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None:
            names[style.get(f"{_W}styleId", "")] = name.get(f"{_W}val", "").lower()
    return names


def _docx_blocks(parent: ElementTree.Element, styles: dict[str, str], out: list[str]) -> None:
    for child in parent:
        if child.tag == f"{_W}p":
            _docx_paragraph(child, styles, out)
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = [" ".join(_docx_text(p) for p in cell.iter(f"{_W}p")).strip()
                         for cell in row.findall(f"{_W}tc")]
                out.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
            out.append("")
        elif child.tag == f"{_W}sdt":  # a content control: its content is ordinary blocks
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _docx_blocks(content, styles, out)


def _docx_text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _docx_paragraph(paragraph: ElementTree.Element, styles: dict[str, str], out: list[str]) -> None:
    text = _docx_text(paragraph).strip()
    if not text:
        return
    properties = paragraph.find(f"{_W}pPr")
    style_id = ""
    listed = False
    if properties is not None:
        style = properties.find(f"{_W}pStyle")
        style_id = style.get(f"{_W}val", "") if style is not None else ""
        listed = properties.find(f"{_W}numPr") is not None
    style_name = styles.get(style_id, style_id.lower())
    if style_name.startswith("heading") or style_name in ("title", "subtitle"):
        out += ["", text, ""]
    elif listed or "list" in style_name:
        if len(out) >= 2 and out[-1] == "" and out[-2].endswith(":"):
            out.pop()  # a list reads on from its lead-in ("We will:")
        out.append(f"• {text}")
    else:
        out += [text, ""]
