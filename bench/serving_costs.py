"""Two costs behind the load test's settings, measured on their own.

    python bench/serving_costs.py [--questions 40]

1. CPU a gradio_client user spends per question, with certificate verification on (gradio_client's
   default) and off, against ``assure-qa serve`` on 127.0.0.1 (plain http: no TLS either way), and
   the app's CPU per question meanwhile (each question asked once before, so the app's share is a
   cached answer's).
2. Gradio's per-request timing summary (``Queue.compute_analytics_summary``): milliseconds a request
   when it summarises every request over 1,000 and over 10,000 past requests (Gradio's defaults),
   against once in 1,000 requests (what ``serve`` sets).

Writes bench/results/<date>-serving-costs.json with the command, date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - the load test's helpers: the app, the machine, CPU counters


def client_cpu(url: str, pid: int, texts: list[str], verify: bool) -> dict[str, float]:
    from gradio_client import Client

    client = Client(url, verbose=False, ssl_verify=verify)
    for text in texts:  # the app answers each once, so the measured pass is the same for both settings
        client.predict(text, [], [], [], [], api_name="/ask")
    own, app = load.own_cpu_seconds(), load.cpu_seconds(pid)
    for text in texts:
        client.predict(text, [], [], [], [], api_name="/ask")
    return {"client_ms_per_question": round((load.own_cpu_seconds() - own) * 1000 / len(texts), 1),
            "app_ms_per_question": round((load.cpu_seconds(pid) - app) * 1000 / len(texts), 1)}


def summary_cost(records: int, every: int, requests: int = 200) -> float:
    """Milliseconds a request Gradio's queue spends summarising ``records`` past requests, when it
    summarises once in ``every`` requests."""
    from gradio.queueing import Queue

    queue = Queue.__new__(Queue)  # only the summary's own state: no server, no event loop
    queue.cached_event_analytics_summary = {"functions": {}}
    queue.events_recorded, queue.event_count_at_last_cache = 0, 0
    queue.events_recorded_per_fn = {}
    queue.ANAYLTICS_CACHE_FREQUENCY = every
    rows = [{"time": 1.0, "status": "success", "process_time": 0.02, "function": "ask"}] * records
    began = time.perf_counter()
    for _ in range(requests):
        queue.events_recorded += 1
        queue.compute_analytics_summary(rows)
    return round((time.perf_counter() - began) * 1000 / requests, 2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--index", type=Path, default=load.ROOT / "bench" / ".cache" / "load-index")
    args = parser.parse_args()
    os.environ.update(load.ENVIRONMENT)
    src = load.ROOT / "src"
    load.ensure_index(args.index, src)
    texts = load.questions()[: args.questions]
    port = load.free_port()
    process = load.start_app(args.index, src, port, 2, 1)
    try:
        url = f"http://127.0.0.1:{port}/"
        clients = {"verify_certificates": client_cpu(url, process.pid, texts, True),
                   "no_certificates": client_cpu(url, process.pid, texts, False)}
    finally:
        process.terminate()
        process.wait(timeout=60)
    summaries = {"every_request_1000_past": summary_cost(1000, 1),
                 "every_request_10000_past": summary_cost(10000, 1),
                 "every_1000th_request_1000_past": summary_cost(1000, 1000)}
    result = {"command": " ".join(["python bench/serving_costs.py", *sys.argv[1:]]),
              "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": load.machine(),
              "load_average_before": [round(x, 2) for x in os.getloadavg()],
              "gradio_client_cpu": clients, "gradio_summary_ms_per_request": summaries}
    path = load.RESULTS / f"{result['date'][:10]}-serving-costs.json"
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
