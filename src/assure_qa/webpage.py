"""A web page's readable text: the HTML reader of ``readers``.

Headings between blank lines, list items as bullets, table rows as tab-separated cells, a
definition list's term and value on one labelled line; scripts, styles, navigation, headers,
footers, forms and hidden elements dropped; only the page's main content when it marks one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _HtmlText(HTMLParser):
    """Visible text of a page: headings between blank lines, list items as bullets, table rows as
    tab-separated cells; scripts, styles, navigation, headers, footers, forms and hidden elements
    dropped. When the page marks its main content (<main>, or else <article>), only that is kept,
    and a <header> inside it (an article's title) is kept too."""

    SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg",
            "button", "select", "iframe", "head"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    BLOCK = {"p", "div", "section", "article", "main", "br", "blockquote", "pre", "dd", "dt", "figcaption",
             "address", "ul", "ol", "dl", "li"}
    HEADING = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, within_main: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        # What is being dropped: the tag that started it and how deeply that tag is nested in itself,
        # so that an unclosed <p> inside a dropped <div hidden> cannot end the drop early or late.
        self.skip_tag: str | None = None
        self.skip_depth = 0
        self.skip = self.SKIP - {"header"} if within_main else self.SKIP
        self.cells: list[str] | None = None
        self.cell: list[str] | None = None
        self.term_ended = False  # a <dt> just closed: its <dd> goes on the same line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_tag is not None:
            self.skip_depth += tag == self.skip_tag
        elif tag in self.skip or (tag not in self.VOID and any(k == "hidden" for k, _ in attrs)):
            self.skip_tag, self.skip_depth = tag, 1
        elif self.cell is not None:
            if tag in self.BLOCK:
                self.cell.append(" ")  # a list or paragraph inside a cell stays in its cell
        elif tag in self.HEADING:
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n• ")
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cell = []
        elif tag == "dd" and self.term_ended:  # "Date of assessment: 3 March 2025", a labelled line
            while self.out and not self.out[-1].strip():
                self.out.pop()
            if self.out:
                self.out[-1] = self.out[-1].rstrip()
            self.out.append(" " if self.out and self.out[-1].endswith(":") else ": ")  # "Decision maker:" has one
        elif tag in self.BLOCK:
            self.out.append("\n")
        self.term_ended = False

    def handle_endtag(self, tag: str) -> None:
        if self.skip_tag is not None:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skip_tag = None
        elif tag in ("td", "th") and self.cell is not None and self.cells is not None:
            self.cells.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif self.cell is not None:
            if tag in self.BLOCK:
                self.cell.append(" ")
        elif tag in self.HEADING:
            self.out.append("\n\n")
        elif tag == "tr" and self.cells is not None:
            self.out.append("\n" + "\t".join(self.cells))
            self.cells = None
        elif tag == "table":
            self.out.append("\n\n")
        elif tag == "dt":
            self.term_ended = True
        elif tag in self.BLOCK and tag != "li":
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_tag is not None:
            return
        if self.cell is not None:
            self.cell.append(data)
        elif self.cells is None:
            # Whitespace at either end of a piece of text separates it from its neighbours
            # ("<strong>Decision maker:</strong> Cabinet"); runs of it are one space.
            spaced = bool(self.out) and self.out[-1][-1:].isspace()
            words = " ".join(data.split())
            if not words:
                self.out.append(" " if data and not spaced else "")
            else:
                lead = " " if data[0].isspace() and not spaced else ""
                self.out.append(lead + words + (" " if data[-1].isspace() else ""))


_MAIN = re.compile(r"<main\b[^>]*>(.*)</main\s*>", re.I | re.S)
_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article\s*>", re.I | re.S)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page (see ``_HtmlText``)."""
    main = _MAIN.search(html) or _ARTICLE.search(html)
    parser = _HtmlText(within_main=main is not None)
    parser.feed(main.group(1) if main else html)
    parser.close()
    return tidy("".join(parser.out))


def tidy(text: str) -> str:
    """Trim each line, at most one blank line in a row, no blank start or end."""
    lines = [line.strip(" \xa0") if "\t" not in line else line.strip("\n") for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
