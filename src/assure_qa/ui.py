"""Gradio wiring only: build_demo(assistant) -> gr.Blocks with named callbacks.

The app talks to the Assistant and to ``render``; it never touches Chroma, BM25 or the model.
Errors the user can act on become ``gr.Warning``; anything else becomes ``gr.Error``.
"""

from __future__ import annotations

import os
from typing import Any

from .access import Access, check_bind
from .config import DEFAULT_CONCURRENCY, set_offline_environment
from .errors import AssureQAError, BadQuestion
from .render import answer_markdown, citations_html
from .service import Assistant
from .ui_documents import documents_tab
from .ui_ratings import ratings_tab
from .ui_views import commitments_tab, compare_tab, theme_tab

EXAMPLES = [
    ["What evidence do we have that safeguarding enquiries are timely?"],  # inspection staff
    ["How do other councils support unpaid carers?"],  # leads comparing peers
    ["What did Durham commit to on advocacy, who leads it and by when?"],  # elected members
]

CSS = """
.citations details { border-left: 3px solid #8aa; margin: 6px 0; padding: 2px 8px; }
.citations summary { cursor: pointer; }
.citations q { font-style: italic; }
pre.passage { white-space: pre-wrap; font-size: 0.85em; background: #f6f6f6; padding: 8px; }
pre.passage mark { background: #ffe066; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.card { border: 1px solid #ccd; border-radius: 6px; padding: 8px; }
.card.empty { color: #666; background: #fafafa; }
.card h5 { margin: 8px 0 2px; text-transform: uppercase; font-size: 0.75em; color: #557; }
p.superseded { color: #8a4b00; font-size: 0.85em; }
.ratings table { border-collapse: collapse; font-size: 0.9em; }
.ratings th, .ratings td { border: 1px solid #ccd; padding: 4px 6px; text-align: center; position: relative; }
.ratings th[scope=row] { text-align: left; }
.ratings summary { cursor: pointer; list-style: none; font-weight: bold; }
.ratings summary { text-decoration: underline dotted; }
.ratings details[open] .popover { position: absolute; z-index: 20; left: 0; top: 100%; width: 560px;
  max-height: 480px; overflow: auto; text-align: left; background: #fff; border: 1px solid #889; padding: 6px;
  box-shadow: 0 2px 8px #0003; }
.ratings td:nth-last-child(-n+6) details[open] .popover { left: auto; right: 0; }
.ratings .score-1, .ratings .rating-inadequate { background: #f4a3a3; }
.ratings .score-2, .ratings .rating-requires-improvement { background: #ffd27f; }
.ratings .score-3, .ratings .rating-good { background: #b5e0a0; }
.ratings .score-4, .ratings .rating-outstanding { background: #8fc9ef; }
.ratings .indicative { font-style: italic; border-style: dashed; }
.ratings .legend span { padding: 2px 6px; margin-right: 6px; }
"""


def _message_text(content: Any) -> str:
    """A chat message's text, whatever shape this Gradio version gives it."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(_message_text(part) for part in content)
    if isinstance(content, dict):
        return str(content.get("text") or content.get("value") or "")
    return str(content or "")


def build_demo(assistant: Assistant, access: Access | None = None) -> Any:
    """The whole app as a gr.Blocks; callbacks are plain functions so tests can call them. With
    ``access`` requiring sign-in, only administrators see and may use adding and removing documents."""
    import gradio as gr

    def ask(message: str, chat: list[dict[str, Any]] | None, councils: list[str] | None,
            themes: list[str] | None, doc_types: list[str] | None) -> tuple[list[dict[str, Any]], str, str]:
        """Answer ``message`` in the context of the conversation; returns chat, sources, cleared box."""
        chat = list(chat or [])
        history = [_message_text(m["content"]) for m in chat if m.get("role") == "user"]
        filters = {"councils": councils or [], "themes": themes or [], "doc_types": doc_types or []}
        try:
            answer = assistant.ask(message, filters=filters, history=history)
        except BadQuestion as exc:
            gr.Warning(str(exc))
            return chat, "", message
        except AssureQAError as exc:
            raise gr.Error(str(exc)) from exc
        sources = citations_html(answer)
        chat += [{"role": "user", "content": message},
                 {"role": "assistant", "content": f"{answer_markdown(answer)}\n\n{sources}"}]
        return chat, sources, ""

    def clear() -> tuple[list[dict[str, Any]], str, str]:
        return [], "", ""

    def pickers() -> tuple[Any, Any]:
        """Council and type choices, read again on each page load (the Documents tab may add some)."""
        return gr.update(choices=assistant.councils()), gr.update(choices=assistant.doc_types())

    def header() -> str:
        """What the app answers from; read again on each page load (the Documents tab may rebuild)."""
        status = assistant.status()
        counts = status["counts"]
        return ("## assure-qa: adult social care assurance documents\n"
                f"Answers are sentences quoted from {counts['documents']} documents "
                f"({counts['chunks']} passages), each with its source. Index {status['generation']}, "
                f"built {status['built_at']}.")

    with gr.Blocks(title="assure-qa") as demo:
        title = gr.Markdown(header())
        demo.load(header, None, title, api_visibility="private")
        with gr.Tab("Ask"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(label="Conversation", height=520, elem_id="chat",
                                      sanitize_html=True, feedback_options=None)
                    box = gr.Textbox(label="Question", placeholder="Ask about the documents…",
                                     elem_id="question", lines=1)
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary", elem_id="ask")
                        reset = gr.Button("New conversation", elem_id="clear")
                    gr.Examples(EXAMPLES, inputs=[box], label="Examples: inspection staff, peer leads, members")
                with gr.Column(scale=2):
                    councils = gr.Dropdown(assistant.councils(), multiselect=True, label="Councils",
                                           elem_id="filter-council")
                    themes = gr.Dropdown(assistant.themes(), multiselect=True, label="CQC themes",
                                         elem_id="filter-theme")
                    doc_types = gr.Dropdown(assistant.doc_types(), multiselect=True, label="Document types",
                                            elem_id="filter-doctype")
                    sources = gr.HTML(label="Sources of the latest answer", elem_id="sources")
            demo.load(pickers, None, [councils, doc_types], api_visibility="private")
            inputs = [box, chat, councils, themes, doc_types]
            send.click(ask, inputs, [chat, sources, box], api_name="ask")
            box.submit(ask, inputs, [chat, sources, box], api_visibility="private")
            reset.click(clear, None, [chat, sources, box], api_name="clear")
        compare_tab(gr, assistant)
        theme_tab(gr, assistant)
        commitments_tab(gr, assistant, demo)
        ratings_tab(gr, assistant, demo)
        if assistant.library is not None:
            documents_tab(gr, assistant, access or Access(), demo)
    return demo


def serve(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
          access: Access | None = None, concurrency: int = DEFAULT_CONCURRENCY) -> Any:
    """Launch the app on ``host:port`` with analytics off. Beyond loopback it needs ``access`` with
    users (sign-in). Each kind of request runs at most ``concurrency`` at a time; the rest queue, so
    the model is never run by every waiting user's thread at once."""
    access = access or Access()
    check_bind(host, access)
    if concurrency < 1:
        raise AssureQAError(f"--concurrency {concurrency}: at least one question must be answered at a time")
    set_offline_environment()
    # Gradio summarises the timings of its last 10,000 requests in a pandas table after every request,
    # for a monitoring page this app does not enable: 1.7 ms a request after 1,000 questions, 6.7 ms after
    # 10,000 (bench/serving_costs.py). Summarise every 1,000 requests, over the last 1,000.
    for key, value in (("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000"), ("GRADIO_ANALYTICS_MAX_EVENTS", "1000")):
        os.environ.setdefault(key, value)
    demo = build_demo(assistant, access)
    demo.queue(default_concurrency_limit=concurrency)
    demo.launch(server_name=host, server_port=port, css=CSS, prevent_thread_lock=not block,
                footer_links=[], quiet=False, auth=access.authenticate if access.required else None,
                auth_message="Sign in with the name and password your administrator gave you.")
    return demo
