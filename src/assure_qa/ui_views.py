"""The app's views beyond the chat: compare councils, a quality statement's view, commitments.

Each ``*_tab`` function adds one tab to the Blocks being built and wires named callbacks that
only call the Assistant and ``render``.
"""

from __future__ import annotations

import tempfile
from datetime import date
from html import escape
from typing import Any

from .errors import AssureQAError, BadQuestion
from .ledger import due_bounds, to_csv
from .records import Commitment
from .render import comparison_html, theme_html
from .service import Assistant

ALL = "All"
WINDOWS = ("All", "Due in the next N months", "Past target date")
COLUMNS = ["Council", "Ref", "Action", "Lead", "Target (as written)", "Due", "Priority", "RAG", "CQC themes",
           "Kind", "Document"]


def compare_tab(gr: Any, assistant: Assistant) -> None:
    def compare_councils(question: str, councils: list[str] | None, theme: str | None) -> str:
        """Each council's best cited sentences for the question, side by side."""
        try:
            comparison = assistant.compare(question, councils=councils or None,
                                           theme=None if theme in (None, "", ALL) else theme)
        except BadQuestion as exc:
            gr.Warning(str(exc))
            return ""
        except AssureQAError as exc:
            raise gr.Error(str(exc)) from exc
        return comparison_html(comparison)

    with gr.Tab("Compare councils"):
        question = gr.Textbox(label="What do you want to compare?", elem_id="compare-question",
                              placeholder="e.g. How do councils support unpaid carers?")
        with gr.Row():
            theme = gr.Dropdown([ALL, *assistant.themes()], value=ALL, label="CQC theme", elem_id="compare-theme")
            councils = gr.Dropdown(assistant.councils(), multiselect=True, label="Councils (default: all)",
                                   elem_id="compare-councils")
        button = gr.Button("Compare", variant="primary", elem_id="compare")
        result = gr.HTML(elem_id="compare-result")
        button.click(compare_councils, [question, councils, theme], result, api_name="compare")
        question.submit(compare_councils, [question, councils, theme], result, api_visibility="private")


def theme_tab(gr: Any, assistant: Assistant) -> None:
    def show_theme(statement: str, councils: list[str] | None) -> str:
        """Per council, what its documents say under one quality statement."""
        try:
            return theme_html(assistant.theme_view(statement, councils or None), statement)
        except BadQuestion as exc:
            gr.Warning(str(exc))
            return ""

    with gr.Tab("Quality statement view"):
        with gr.Row():
            statement = gr.Dropdown(assistant.quality_statements(), label="Quality statement",
                                    value=assistant.quality_statements()[0], elem_id="theme-statement")
            councils = gr.Dropdown(assistant.councils(), multiselect=True, label="Councils (default: all)")
        button = gr.Button("Show", variant="primary", elem_id="theme-show")
        result = gr.HTML(elem_id="theme-result")
        button.click(show_theme, [statement, councils], result, api_name="theme_view")


NOT_GIVEN = "not given"


def statuses(assistant: Assistant) -> list[str]:
    """The RAG statuses the documents give, for the status filter ("not given" when blank)."""
    return [ALL, *sorted({r.rag for r in assistant.commitments() if r.rag}), NOT_GIVEN]


def _filtered(assistant: Assistant, council: str, theme: str, text: str, lead: str, as_of: str, window: str,
              months: float | None, status: str = ALL) -> list[Commitment]:
    today = date.fromisoformat(as_of.strip()) if as_of and as_of.strip() else date.today()
    due_after, due_before = (None, None) if window == WINDOWS[0] else due_bounds(
        today, int(months or 0), overdue=window == WINDOWS[2])
    records = assistant.commitments(council=None if council in ("", ALL, None) else council,
                                    theme=None if theme in ("", ALL, None) else theme,
                                    due_before=due_before, due_after=due_after, text=text or None)
    needle = (lead or "").strip().lower()
    records = [r for r in records if needle in r.lead.lower()] if needle else records
    if status not in (ALL, "", None):
        records = [r for r in records if (r.rag or NOT_GIVEN) == status]
    return sorted(records, key=lambda r: (r.due or "9999-99-99", r.council, r.start))  # soonest first


def _rows(records: list[Commitment]) -> list[list[str]]:
    return [[r.council, r.ref, r.action, r.lead, r.target, r.due or "", r.priority, r.rag, "; ".join(r.themes),
             r.kind, r.title] for r in records]


def commitments_tab(gr: Any, assistant: Assistant, demo: Any) -> None:
    def list_commitments(council: str, theme: str, text: str, lead: str, as_of: str, window: str,
                         months: float | None, status: str) -> tuple[list[list[str]], list[str], str]:
        """The ledger rows matching the filters, their ids (for row selection) and a count."""
        try:
            records = _filtered(assistant, council, theme, text, lead, as_of, window, months, status)
        except (ValueError, BadQuestion) as exc:
            gr.Warning(f"{exc}: the date is YYYY-MM-DD")
            return [], [], ""
        return _rows(records), [r.commitment_id for r in records], f"{len(records)} commitments"

    def show_commitment(ids: list[str], event: gr.SelectData) -> str:
        """The selected row's source passage, exactly as the document words it."""
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        if not ids or row is None or row >= len(ids):
            return ""
        record = next(r for r in assistant.commitments() if r.commitment_id == ids[row])
        where = " · ".join(x for x in (record.council, record.title, record.section,
                                       f"p. {record.page}" if record.page else "") if x)
        return (f'<div class="citations"><p><b>{escape(record.ref or record.kind)}</b> · {escape(where)} '
                f"(characters {record.start}-{record.end})</p>"
                f'<pre class="passage"><mark>{escape(record.source)}</mark></pre></div>')

    def download(council: str, theme: str, text: str, lead: str, as_of: str, window: str,
                 months: float | None, status: str) -> str:
        """A CSV of the rows the filters select."""
        try:
            records = _filtered(assistant, council, theme, text, lead, as_of, window, months, status)
        except (ValueError, BadQuestion) as exc:
            raise gr.Error(f"{exc}: the date is YYYY-MM-DD") from exc
        with tempfile.NamedTemporaryFile("w", suffix=".csv", prefix="commitments-", delete=False,
                                         encoding="utf-8", newline="") as out:
            out.write(to_csv(records))
        return out.name

    with gr.Tab("Commitments"):
        with gr.Row():
            council = gr.Dropdown([ALL, *assistant.councils()], value=ALL, label="Council", elem_id="ledger-council")
            theme = gr.Dropdown([ALL, *assistant.themes()], value=ALL, label="CQC theme", elem_id="ledger-theme")
            text = gr.Textbox(label="Search actions", elem_id="ledger-text")
            lead = gr.Textbox(label="Lead contains", elem_id="ledger-lead")
        with gr.Row():
            as_of = gr.Textbox(value=date.today().isoformat(), label="Relative to (YYYY-MM-DD)", elem_id="ledger-date")
            window = gr.Radio(list(WINDOWS), value=WINDOWS[0], label="Due", elem_id="ledger-window")
            months = gr.Number(value=3, precision=0, minimum=1, label="N months", elem_id="ledger-months")
            status = gr.Dropdown(statuses(assistant), value=ALL, label="Status (RAG)", elem_id="ledger-status")
        count = gr.Markdown(elem_id="ledger-count")
        table = gr.Dataframe(headers=COLUMNS, value=[], interactive=False, wrap=True, elem_id="ledger-table",
                             show_search="filter", max_height=600,
                             column_widths=["11%", "5%", "32%", "15%", "9%", "7%", "4%", "4%", "7%", "6%"])
        ids = gr.State([])
        source = gr.HTML(elem_id="ledger-source")
        csv_button = gr.DownloadButton("Download CSV", elem_id="ledger-csv")
        filters = [council, theme, text, lead, as_of, window, months, status]
        for control in filters:
            control.change(list_commitments, filters, [table, ids, count], api_visibility="private")
        table.select(show_commitment, [ids], source, api_visibility="private")
        csv_button.click(download, filters, csv_button, api_name="commitments_csv")
        refresh = gr.Button("Show commitments", elem_id="ledger-show")
        refresh.click(list_commitments, filters, [table, ids, count], api_name="commitments")
        demo.load(list_commitments, filters, [table, ids, count], api_visibility="private")
