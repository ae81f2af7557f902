"""Load test: many people asking at once through the launched app.

    python bench/load.py [--users 50] [--questions 20] [--concurrency 1] [--name load]

Starts ``assure-qa serve`` on 127.0.0.1 over the seed corpus's index (built with the real packaged
model into bench/.cache/load-index if absent), then ``--users`` gradio_client users, each in its own
thread, ask ``--questions`` questions one after another (the question texts of eval/*.jsonl, each
user starting at a different place), all users at once. Records every request's latency as the user
sees it, errors, the machine and its load average, into bench/results/<date>-<name>.json;
``python bench/report.py`` renders it in README (Deployment).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from record import machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HUB_DISABLE_TELEMETRY": "1",
               "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def questions() -> list[str]:
    """Every distinct question text of the eval sets, in file order."""
    seen: dict[str, None] = {}
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("question") if line.strip() else None
            if isinstance(text, str) and text.strip():
                seen.setdefault(text.strip(), None)
    return list(seen)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "assure_qa.cli", *args]


def environment(src: Path) -> dict[str, str]:
    return {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(src)}


def ensure_index(index: Path, src: Path) -> None:
    if not (index / "CURRENT").exists():
        subprocess.run(command("index", "--corpus", str(ROOT / "corpus"), "--index", str(index), "--quiet"),
                       check=True, env=environment(src), cwd=ROOT)


def start_app(index: Path, src: Path, port: int, concurrency: int, threads: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command("serve", "--index", str(index), "--corpus", str(ROOT / "corpus"), "--host", "127.0.0.1",
                "--port", str(port), "--concurrency", str(concurrency), "--model-threads", str(threads)),
        env=environment(src), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"assure-qa serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise SystemExit("assure-qa serve did not answer within 300 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class HttpUser:
    """A user of Gradio's own HTTP API (POST /gradio_api/call/ask, then read the event stream):
    the same queue and handler as gradio_client, at a fraction of a client's CPU."""

    def __init__(self, url: str) -> None:
        import httpx

        self.url = url.rstrip("/") + "/gradio_api/call/ask"
        self.http = httpx.Client(timeout=300)

    def predict(self, *data: object, api_name: str = "/ask") -> list[object]:
        event = self.http.post(self.url, json={"data": list(data)}).raise_for_status().json()["event_id"]
        kind = ""
        with self.http.stream("GET", f"{self.url}/{event}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    payload = json.loads(line.split(":", 1)[1])
                    if kind == "error":
                        raise RuntimeError(f"the app answered with an error: {payload}")
                    return list(payload)
        raise RuntimeError("the event stream ended without an answer")


def run_users(url: str, texts: list[str], users: int, per_user: int, client: str = "gradio_client"
              ) -> dict[str, object]:
    """All users at once; returns latencies (ms), errors and the wall time."""
    from gradio_client import Client

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    # A gradio_client Client posts each question with a fresh httpx client, which loads the CA bundle
    # when certificates are to be verified (~50 ms of CPU a question, more than the app spends
    # answering it). Over plain http there is no certificate to verify, so none is loaded.
    verify = url.startswith("https://")
    clients = [Client(url, verbose=False, ssl_verify=verify) if client == "gradio_client" else HttpUser(url)
               for _ in range(users)]
    start = threading.Barrier(users + 1)

    def user(number: int) -> None:
        start.wait()
        for j in range(per_user):
            question = texts[(number * per_user + j) % len(texts)]
            began = time.perf_counter()
            try:
                chat, _, _ = clients[number].predict(question, [], [], [], [], api_name="/ask")
                if len(chat) != 2:
                    raise ValueError(f"expected the question and its answer, got {len(chat)} messages")
            except Exception as exc:  # noqa: BLE001 - every failure is counted and kept, never lost
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:300])
                continue
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return {"latencies": latencies, "errors": errors, "wall_s": time.perf_counter() - began}


def summary(run: dict[str, object], requests: int) -> dict[str, object]:
    latencies = run["latencies"]
    assert isinstance(latencies, list)
    errors = run["errors"]
    assert isinstance(errors, list)
    wall = float(run["wall_s"])  # type: ignore[arg-type]
    return {"requests": requests, "errors": len(errors), "error_samples": sorted(set(errors))[:5],
            "latency_ms": {"p50": round(percentile(latencies, 0.5), 1), "p95": round(percentile(latencies, 0.95), 1),
                           "max": round(max(latencies), 1), "mean": round(sum(latencies) / len(latencies), 1)}
            if latencies else {}, "wall_s": round(wall, 2), "throughput_per_s": round(len(latencies) / wall, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20, help="questions per user")
    parser.add_argument("--concurrency", type=int, default=2, help="assure-qa serve --concurrency (its default)")
    parser.add_argument("--model-threads", type=int, default=1, help="assure-qa serve --model-threads")
    parser.add_argument("--client", choices=("gradio_client", "http"), default="gradio_client",
                        help="each user's client: gradio_client, or plain HTTP to Gradio's API (lighter)")
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / ".cache" / "load-index")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package to measure")
    parser.add_argument("--name", default="load")
    args = parser.parse_args()
    os.environ.update(ENVIRONMENT)
    ensure_index(args.index, args.src)
    texts = questions()
    port = free_port()
    load_before = os.getloadavg()
    process = start_app(args.index, args.src, port, args.concurrency, args.model_threads)
    try:
        url = f"http://127.0.0.1:{port}/"
        run_users(url, texts[-1:], 1, 1, args.client)  # warm-up: the model loads on the first question
        warm = run_users(url, texts, 1, 20, args.client)  # one person's latency, nobody waiting
        server_cpu, client_cpu = cpu_seconds(process.pid), own_cpu_seconds()
        loaded = run_users(url, texts, args.users, args.questions, args.client)
        # Where the cores went: the app (model, search, Gradio) and the users' own clients.
        cpu = {"server_ms_per_request": round((cpu_seconds(process.pid) - server_cpu) * 1000
                                              / (args.users * args.questions), 1),
               "clients_ms_per_request": round((own_cpu_seconds() - client_cpu) * 1000
                                               / (args.users * args.questions), 1)}
    finally:
        process.terminate()
        process.wait(timeout=60)
    result = {
        "command": " ".join(["python bench/load.py", *sys.argv[1:]]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "settings": {"users": args.users, "questions_per_user": args.questions, "concurrency": args.concurrency,
                     "client": args.client, "model_threads": args.model_threads,
                     "distinct_questions": len(texts), "endpoint": "/ask"},
        "single_user": summary(warm, 20),
        "loaded": {**summary(loaded, args.users * args.questions), "cpu": cpu},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{result['date'][:10]}-{args.name}.json"
    runs = json.loads(path.read_text(encoding="utf-8"))["runs"] if path.exists() else []
    runs = [r for r in runs if r["command"] != result["command"]] + [result]
    path.write_text(json.dumps({"runs": runs}, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
