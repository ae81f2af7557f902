"""The Gradio app: `python app.py [--index index] [--corpus corpus] [--host 127.0.0.1] [--port 7860]
[--auth-file users.toml] [--concurrency 2] [--model-threads 1] [--chroma-url http://HOST:PORT]`.

The wiring lives in ``assure_qa.ui`` so that the installed ``assure-qa serve`` finds it from any
folder; this file is the runnable entry point and re-exports ``build_demo(assistant)``.
"""

from __future__ import annotations

import argparse
import sys

from assure_qa import Assistant, AssureQAError, Settings, set_offline_environment
from assure_qa.access import Access, check_bind
from assure_qa.cli_serve import DEFAULT_CONCURRENCY, DEFAULT_MODEL_THREADS, chroma_option
from assure_qa.ui import build_demo, serve

__all__ = ["build_demo", "main"]


def main(argv: list[str] | None = None) -> int:
    set_offline_environment()
    parser = argparse.ArgumentParser(description="Serve the assure-qa app")
    parser.add_argument("--index", default="index")
    parser.add_argument("--corpus", default="corpus", help="where the Documents tab adds and removes files")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--auth-file", help="users file (assure-qa add-user); needed beyond loopback")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--model-threads", type=int, default=DEFAULT_MODEL_THREADS)
    chroma_option(parser)
    args = parser.parse_args(argv)
    try:
        access = Access.from_file(args.auth_file)
        check_bind(args.host, access)
        settings = Settings(chroma_url=args.chroma_url, model_threads=args.model_threads)
        assistant = Assistant.open(args.index, settings=settings, corpus_dir=args.corpus)
        serve(assistant, host=args.host, port=args.port, access=access, concurrency=args.concurrency)
    except AssureQAError as exc:
        print(f"assure-qa: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
