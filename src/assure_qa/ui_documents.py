"""The app's Documents tab: what the index holds, upload a file with its description, remove one.

The callbacks only call the Assistant. Adding or removing starts a background build; a timer shows
its progress, and the table is redrawn once the app answers from the new generation. When the app
signs users in, only administrators see the upload and removal controls, and the handlers check the
signed-in user's role themselves (a reader calling the API directly is refused as well).

No ``from __future__ import annotations`` here: Gradio finds the ``gr.Request`` parameter by its
evaluated annotation, and ``gr`` is a local name.
"""

from pathlib import Path
from typing import Any

from .access import Access
from .errors import AssureQAError
from .service import Assistant

COLUMNS = ["File", "Council", "Title", "Type", "Date", "Passages", "Inferred", "Status"]
DOC_TYPES = ["self-assessment", "scrutiny report", "minutes", "CQC report", "improvement plan"]
UPLOAD_TYPES = [".pdf", ".txt", ".md", ".docx", ".html", ".htm"]


def document_rows(assistant: Assistant) -> list[list[Any]]:
    return [[e.file, e.council, e.title, e.doc_type, e.date, e.passages, ", ".join(e.inferred), e.status]
            for e in assistant.documents()]


def indexing_text(assistant: Assistant) -> str:
    """One line on the background build, and the files it could not read."""
    status, served = assistant.indexing(), assistant.status()
    if status.state == "idle":
        return f"Index {served['generation']}: answering from {served['counts']['documents']} documents."
    if status.state == "running":
        done = f" {status.done} of {status.total}" if status.total else ""
        return (f"Indexing:{done} ({status.message}). Questions are answered from index "
                f"{served['generation']} until the new one is ready.")
    lines = [f"{'Indexed' if status.state == 'done' else 'Indexing failed'}: {status.message}"]
    lines += [f"- could not read {failure}" for failure in status.failures]
    return "\n".join(lines)


def _upload_name(upload: Any) -> tuple[str, str]:
    """(path on disk, the name the user's file had) for what gr.File hands over."""
    path = str(getattr(upload, "name", upload))
    return path, str(getattr(upload, "orig_name", None) or Path(path).name)


def refusal(access: Access, request: Any) -> str:
    """Why this request may not change the corpus ("" when it may)."""
    user = getattr(request, "username", None)
    if access.can_manage(user):
        return ""
    return f"only administrators may add or remove documents ({user or 'not signed in'} is not one)"


def documents_tab(gr: Any, assistant: Assistant, access: Access, demo: Any) -> None:
    def prefill(upload: Any, request: gr.Request = None) -> tuple[str, str, str, str]:
        """Council, type, date and title guessed from the uploaded file's text."""
        if not upload:
            return "", "", "", ""
        if reason := refusal(access, request):
            gr.Warning(reason)
            return "", "", "", ""
        path, name = _upload_name(upload)
        try:
            guess = assistant.describe_upload(path, name)
        except AssureQAError as exc:
            gr.Warning(str(exc))
            return "", "", "", ""
        return guess.council, guess.doc_type, guess.date, guess.title

    def add_document(upload: Any, council: str, doc_type: str, day: str, title: str,
                     request: gr.Request = None) -> tuple[str, Any]:
        """Put the file in the corpus with its description and start indexing it (administrators)."""
        if reason := refusal(access, request):
            gr.Warning(reason)
            return f"Not added: {reason}", None
        if not upload:
            gr.Warning("choose a file to upload first")
            return indexing_text(assistant), None
        path, name = _upload_name(upload)
        try:
            stored = assistant.add_document(path, name, council or "", doc_type or "", day or "", title or "")
        except AssureQAError as exc:
            gr.Warning(str(exc))
            return f"Not added: {exc}", upload
        gr.Info(f"{stored} added to the corpus; indexing it now")
        return indexing_text(assistant), None

    def remove_document(name: str, request: gr.Request = None) -> str:
        """Delete the chosen file from the corpus and start re-indexing (administrators)."""
        if reason := refusal(access, request):
            gr.Warning(reason)
            return f"Not removed: {reason}"
        if not name:
            gr.Warning("choose a document to remove")
            return indexing_text(assistant)
        try:
            assistant.remove_document(name)
        except AssureQAError as exc:
            gr.Warning(str(exc))
            return f"Not removed: {exc}"
        return indexing_text(assistant)

    def refresh(shown: str) -> tuple[str, Any, Any, str]:
        """Progress; the table and the removal list are redrawn only when the generation changed."""
        generation = assistant.status()["generation"]
        if generation == shown:
            return indexing_text(assistant), gr.skip(), gr.skip(), shown
        files = [e.file for e in assistant.documents()]
        return (indexing_text(assistant), document_rows(assistant), gr.update(choices=files, value=None),
                generation)

    with gr.Tab("Documents"):
        status = gr.Markdown(indexing_text(assistant), elem_id="documents-status")
        table = gr.Dataframe(document_rows(assistant), headers=COLUMNS, interactive=False, wrap=True,
                             elem_id="documents-table")
        with gr.Row(elem_id="documents-manage") as manage:
            with gr.Column():
                upload = gr.File(label="Upload a document", file_types=UPLOAD_TYPES, type="filepath",
                                 elem_id="documents-upload")
                council = gr.Textbox(label="Council", elem_id="documents-council")
                doc_type = gr.Dropdown(DOC_TYPES, label="Document type", allow_custom_value=True,
                                       elem_id="documents-type")
                day = gr.Textbox(label="Date (YYYY, YYYY-MM or YYYY-MM-DD)", elem_id="documents-date")
                title = gr.Textbox(label="Title", elem_id="documents-title")
                add = gr.Button("Add and index", variant="primary", elem_id="documents-add")
            with gr.Column():
                chosen = gr.Dropdown([e.file for e in assistant.documents()], label="Document to remove",
                                     elem_id="documents-remove-choice")
                remove = gr.Button("Remove from the corpus", variant="stop", elem_id="documents-remove")
        shown = gr.State(assistant.status()["generation"])
        upload.upload(prefill, upload, [council, doc_type, day, title], api_name="prefill")
        add.click(add_document, [upload, council, doc_type, day, title], [status, upload], api_name="add_document")
        remove.click(remove_document, chosen, status, api_name="remove_document")
        gr.Timer(1.0).tick(refresh, shown, [status, table, chosen, shown], api_visibility="private")

    def controls(request: gr.Request = None) -> Any:
        """Upload and removal shown to administrators only."""
        return gr.update(visible=not refusal(access, request))

    demo.load(controls, None, manage, api_visibility="private")
