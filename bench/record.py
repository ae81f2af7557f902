"""What every benchmark result records besides its numbers: when, by which command, on what machine.

    from record import machine, write_result   # bench/ is on the path of a bench/*.py script
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def machine() -> dict[str, object]:
    """The machine a result was measured on."""
    return {"host": platform.node(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(), "system": platform.platform()}


def command() -> str:
    """The command that is running, as a reader would repeat it: "python bench/<script> <args>"."""
    return " ".join(["python", f"bench/{Path(sys.argv[0]).name}", *sys.argv[1:]])


def write_result(out: Path, name: str, fields: dict[str, Any], indent: int = 2) -> Path:
    """Write ``<out>/<date>-<name>.json``: the date, the command and the machine, then ``fields``."""
    date = datetime.now(UTC).isoformat(timespec="seconds")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{date[:10]}-{name}.json"
    result = {"date": date, "command": command(), "machine": machine(), **fields}
    path.write_text(json.dumps(result, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {path}")
    return path
