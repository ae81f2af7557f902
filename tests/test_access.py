"""A shared, safe app: hashed passwords, sign-in on the launched app, administrators only manage
documents, and no serving beyond loopback without sign-in."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from assure_qa import Assistant, Settings
from assure_qa.access import (
    Access,
    User,
    add_user,
    check_bind,
    hash_password,
    is_loopback,
    read_users,
    verify_password,
)
from assure_qa.cli import main
from assure_qa.errors import AccessError
from assure_qa.index import build_index
from assure_qa.ui import build_demo, serve

from .conftest import FakeEmbedder
from .test_app import callback, free_port

ALICE = User("alice", hash_password("alice-password"), admin=True)
BOB = User("bob", hash_password("bob-password"), admin=False)
CARERS = "Anytown Borough Council\n\nCarers\n\nAnytown funds respite breaks for unpaid carers every month.\n"


def test_passwords_are_salted_scrypt_hashes() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first.startswith("scrypt$16384$8$1$") and first != second  # a fresh salt each time
    assert "correct horse" not in first
    assert verify_password("correct horse", first) and verify_password("correct horse", second)
    assert not verify_password("correct horsE", first)
    assert not verify_password("correct horse", "scrypt$broken") and not verify_password("x", "md5$1$2$3$4$5")


def test_add_user_writes_a_private_users_file_and_replaces_a_password(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    assert add_user(path, "alice", "alice-secret-1", admin=True)
    assert add_user(path, "bob", "bob-secret-22")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    users = read_users(path)
    assert {n: u.admin for n, u in users.items()} == {"alice": True, "bob": False}
    assert "alice-secret-1" not in path.read_text()
    assert not add_user(path, "bob", "bob-new-secret", admin=True)  # replaced, not duplicated
    users = read_users(path)
    assert users["bob"].admin and verify_password("bob-new-secret", users["bob"].password_hash)
    with pytest.raises(AccessError, match="too short"):
        add_user(path, "carol", "short")
    with pytest.raises(AccessError, match="user name 'a b'"):
        add_user(path, "a b", "long enough password")
    assert set(read_users(path)) == {"alice", "bob"}


def test_bad_users_files_are_refused_by_name_and_reason(tmp_path: Path) -> None:
    with pytest.raises(AccessError, match="no such users file.*add-user"):
        read_users(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[users\n")
    with pytest.raises(AccessError, match="broken.toml: not a readable users file"):
        read_users(broken)
    plain = tmp_path / "plain.toml"
    plain.write_text('[users.eve]\npassword = "hunter2"\n')
    with pytest.raises(AccessError, match="user 'eve' has no scrypt password hash"):
        read_users(plain)


def test_add_user_command_reads_the_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "users.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    assert main(["add-user", "alice", "--admin", "--auth-file", str(path)]) == 0
    assert capsys.readouterr().out == f"added alice (administrator) in {path}\n"
    assert verify_password("s3cret-password", read_users(path)["alice"].password_hash)
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["add-user", "bob", "--auth-file", str(path)]) == 1
    assert "too short" in capsys.readouterr().err


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True),
                                            ("localhost", True), ("0.0.0.0", False), ("::", False),
                                            ("10.1.2.3", False), ("", False)])
def test_only_loopback_may_be_served_without_sign_in(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
    if loopback:
        check_bind(host, Access())
    else:
        with pytest.raises(AccessError, match="without sign-in.*--auth-file"):
            check_bind(host, Access())
    check_bind(host, Access({"alice": ALICE}))  # with sign-in, any address


def test_serve_refuses_a_public_address_without_sign_in_before_loading_anything(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--index", str(tmp_path / "no-index")]) == 1
    assert "--host 0.0.0.0 would serve the app to other machines without sign-in" in capsys.readouterr().err


def test_serve_defaults_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assure_qa.cli import _parser

    args = _parser().parse_args(["serve"])
    assert (args.host, args.concurrency, args.model_threads, args.auth_file) == ("127.0.0.1", 2, 1, None)
    assert main(["serve", "--model-threads", "-1", "--index", str(tmp_path)]) == 1
    assert "--model-threads -1: use 0 (torch's default) or more" in capsys.readouterr().err
    with pytest.raises(AccessError, match="no such users file"):
        Access.from_file(tmp_path / "users.toml")


@pytest.fixture
def shared_app(tmp_path: Path) -> Iterator[tuple[str, Assistant, Path]]:
    """The app on loopback with sign-in: alice administers, bob reads."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "carers.txt").write_text(CARERS, encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assistant = Assistant.open(tmp_path / "index", embedder=FakeEmbedder(), corpus_dir=corpus)
    users = tmp_path / "users.toml"
    add_user(users, "alice", "alice-password", admin=True)
    add_user(users, "bob", "bob-password")
    port = free_port()
    demo = serve(assistant, "127.0.0.1", port, block=False, access=Access.from_file(users), concurrency=2)
    yield f"http://127.0.0.1:{port}/", assistant, corpus
    demo.close()


def test_sign_in_rejects_a_wrong_password_and_accepts_the_right_one(shared_app: tuple[str, Assistant, Path]) -> None:
    from gradio_client import Client

    url, _, _ = shared_app
    assert httpx.get(url + "config").status_code == 401  # nothing is served before sign-in
    for name, password in (("bob", "wrong-password"), ("mallory", "bob-password"), ("bob", "bob-password ")):
        response = httpx.post(url + "login", data={"username": name, "password": password})
        assert (response.status_code, response.json()["detail"]) == (400, "Incorrect credentials."), name
    assert httpx.post(url + "login", data={"username": "bob", "password": ""}).status_code == 422
    signed_in = httpx.post(url + "login", data={"username": "bob", "password": "bob-password"})
    assert signed_in.json() == {"success": True}
    assert httpx.get(url + "config", cookies=signed_in.cookies).status_code == 200
    with pytest.raises(ValueError, match="Could not login"):
        Client(url, auth=("bob", "alice-password"), verbose=False)
    client = Client(url, auth=("bob", "bob-password"), verbose=False)
    chat, _, _ = client.predict("respite breaks for unpaid carers", [], [], [], [], api_name="/ask")
    assert "respite breaks for unpaid carers" in str(chat[1]["content"])


def test_a_reader_cannot_upload_or_remove_and_an_administrator_can(
        shared_app: tuple[str, Assistant, Path], tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    url, assistant, corpus = shared_app
    upload = tmp_path / "Hub Plan.txt"
    upload.write_text("Anytown Borough Council will open a dementia hub by June 2025.\n", encoding="utf-8")
    reader = Client(url, auth=("bob", "bob-password"), verbose=False)
    status, _ = reader.predict(handle_file(str(upload)), "Anytown Borough Council", "improvement plan", "2025-06",
                               "Hub plan", api_name="/add_document")
    assert status == "Not added: only administrators may add or remove documents (bob is not one)"
    assert reader.predict("carers.txt", api_name="/remove_document").startswith("Not removed: only administrators")
    assert sorted(p.name for p in corpus.iterdir()) == ["carers.txt"]
    assert assistant.indexing().state == "idle"
    admin = Client(url, auth=("alice", "alice-password"), verbose=False)
    status, _ = admin.predict(handle_file(str(upload)), "Anytown Borough Council", "improvement plan", "2025-06",
                              "Hub plan", api_name="/add_document")
    assert status.startswith(("Indexing", "Indexed")), status
    assert assistant.library is not None and assistant.library.wait(60).state == "done"
    assert "Hub-Plan.txt" in [e.file for e in assistant.documents()]


def test_the_documents_controls_are_shown_to_administrators_only(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "carers.txt").write_text(CARERS, encoding="utf-8")
    build_index(corpus, tmp_path / "index", Settings(), FakeEmbedder())
    assistant = Assistant.open(tmp_path / "index", embedder=FakeEmbedder(), corpus_dir=corpus)
    access = Access({"alice": ALICE, "bob": BOB})
    assert access.authenticate("alice", "alice-password") and not access.authenticate("bob", "alice-password")
    assert not access.authenticate("nobody", "alice-password")
    demo = build_demo(assistant, access)
    controls = callback(demo, "controls")
    assert controls(SimpleNamespace(username="alice"))["visible"] is True
    assert controls(SimpleNamespace(username="bob"))["visible"] is False
    assert controls(None)["visible"] is False
    assert callback(build_demo(assistant), "controls")(None)["visible"] is True  # a local app: no sign-in


def test_serve_needs_at_least_one_request_at_a_time(fake_assistant: Assistant) -> None:
    from assure_qa.errors import AssureQAError

    with pytest.raises(AssureQAError, match="--concurrency 0"):
        serve(fake_assistant, port=free_port(), block=False, concurrency=0)


def test_the_served_app_does_not_summarise_every_request_for_gradio_monitoring(
        fake_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    """Gradio's default rebuilds a pandas summary of its last 10,000 requests after each request;
    the app serves with a rare summary over a short window (its cost grows with uptime otherwise)."""
    monkeypatch.delenv("GRADIO_ANALYTICS_CACHE_FREQUENCY", raising=False)
    monkeypatch.delenv("GRADIO_ANALYTICS_MAX_EVENTS", raising=False)
    demo = serve(fake_assistant, port=free_port(), block=False, concurrency=2)
    try:
        queue = demo._queue
        assert (queue.ANAYLTICS_CACHE_FREQUENCY, queue.ANALYTICS_MAX_EVENTS) == (1000, 1000)
        assert queue.default_concurrency_limit == 2
    finally:
        demo.close()
