"""`assure-qa serve` and `assure-qa add-user`: the app for one person or shared, with sign-in."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from .config import DEFAULT_CONCURRENCY, Settings
from .errors import AccessError, AssureQAError

DEFAULT_MODEL_THREADS = 1
CHROMA_URL_ENV = "ASSURE_QA_CHROMA_URL"


def chroma_option(parser: argparse.ArgumentParser) -> None:
    """--chroma-url, defaulting to $ASSURE_QA_CHROMA_URL."""
    parser.add_argument("--chroma-url", default=os.environ.get(CHROMA_URL_ENV, ""), metavar="http://HOST:PORT",
                        help="keep or read the dense vectors on a `chroma run` server (default: $"
                             f"{CHROMA_URL_ENV}, else where the index has them; a new index embeds them)")


def add_server_commands(commands: Any) -> None:
    serve = commands.add_parser("serve", help="serve the Gradio app")
    serve.add_argument("--index", default="index")
    serve.add_argument("--corpus", default="corpus", help="where the Documents tab adds and removes files")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on; anything but loopback needs --auth-file")
    serve.add_argument("--port", type=int, default=7860)
    serve.add_argument("--auth-file", help="users file (assure-qa add-user): sign-in required, "
                                           "only administrators may add or remove documents")
    serve.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY,
                       help="questions answered at once per kind of request; the rest wait in a queue "
                            f"(default {DEFAULT_CONCURRENCY})")
    serve.add_argument("--model-threads", type=int, default=DEFAULT_MODEL_THREADS,
                       help="threads torch may use for the model (0: torch's default, all cores; "
                            f"default {DEFAULT_MODEL_THREADS})")
    chroma_option(serve)
    serve.set_defaults(run=run_serve)

    user = commands.add_parser("add-user", help="add a user to the app's users file, or change a password")
    user.add_argument("name")
    user.add_argument("--admin", action="store_true", help="may add and remove documents")
    user.add_argument("--auth-file", default="users.toml")
    user.set_defaults(run=run_add_user)


def run_serve(args: argparse.Namespace) -> int:
    from .access import Access, check_bind
    from .service import Assistant
    from .ui import serve

    access = Access.from_file(args.auth_file)
    check_bind(args.host, access)  # before the index and the model are loaded
    if args.model_threads < 0:
        raise AssureQAError(f"--model-threads {args.model_threads}: use 0 (torch's default) or more")
    settings = Settings(chroma_url=args.chroma_url or "", model_threads=args.model_threads)
    assistant = Assistant.open(args.index, settings=settings, corpus_dir=args.corpus)
    serve(assistant, host=args.host, port=args.port, access=access, concurrency=args.concurrency)
    return 0


def read_password(name: str) -> str:
    """Asked twice at a terminal; otherwise the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("again: ") != first:
            raise AccessError("the two passwords differ: nothing was changed")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run_add_user(args: argparse.Namespace) -> int:
    from .access import add_user

    new = add_user(args.auth_file, args.name, read_password(args.name), admin=args.admin)
    role = "administrator" if args.admin else "reader"
    print(f"{'added' if new else 'updated'} {args.name} ({role}) in {args.auth_file}")
    return 0
