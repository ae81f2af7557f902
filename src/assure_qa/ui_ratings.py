"""The app's Ratings tab: councils by overall rating, percentage and the nine quality statements.

Each cell is coloured by its score and opens to the passage that states it. The callbacks only
call the Assistant, ``ratings`` (pure functions over the rows it returns) and ``render``; the grid
is read again on each page load, so a rebuild from the Documents tab shows in it.
"""

from __future__ import annotations

import tempfile
from typing import Any

from .errors import AssureQAError, BadQuestion
from .ratings import COLUMNS, COUNCIL, MEANING, SORTS, to_csv
from .render import ratings_html
from .service import Assistant

ORDERS = ("Ascending", "Descending")


def ratings_tab(gr: Any, assistant: Assistant, demo: Any) -> None:
    def show_ratings(sort_by: str, order: str) -> str:
        """The grid, sorted by council or by one column (councils without that score last)."""
        try:
            rows = assistant.ratings(sort_by or COUNCIL, descending=order == ORDERS[1])
        except BadQuestion as exc:
            gr.Warning(str(exc))
            return ""
        except AssureQAError as exc:
            raise gr.Error(str(exc)) from exc
        return ratings_html(rows, COLUMNS, MEANING)

    def download_ratings(sort_by: str, order: str) -> str:
        """The grid as CSV, in the order shown."""
        try:
            rows = assistant.ratings(sort_by or COUNCIL, descending=order == ORDERS[1])
        except AssureQAError as exc:
            raise gr.Error(str(exc)) from exc
        with tempfile.NamedTemporaryFile("w", suffix=".csv", prefix="ratings-", delete=False,
                                         encoding="utf-8", newline="") as out:
            out.write(to_csv(rows))
        return out.name

    with gr.Tab("Ratings"):
        with gr.Row():
            sort_by = gr.Dropdown(list(SORTS), value=COUNCIL, label="Sort by", elem_id="ratings-sort")
            order = gr.Radio(list(ORDERS), value=ORDERS[0], label="Order", elem_id="ratings-order")
            csv_button = gr.DownloadButton("Download CSV", elem_id="ratings-csv")
        grid = gr.HTML(elem_id="ratings-grid")
        for control in (sort_by, order):
            control.change(show_ratings, [sort_by, order], grid, api_visibility="private")
        csv_button.click(download_ratings, [sort_by, order], csv_button, api_name="ratings_csv")
        demo.load(show_ratings, [sort_by, order], grid, api_name="ratings")
