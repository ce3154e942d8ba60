"""One writer process of the concurrent-writers test.

`python -m tests.store._writer URL RUN WRITER OWN SHARED FOLDER` waits for
`FOLDER/go`, opens the store (migrating it if no one has yet), creates the shared
run unless another writer has, then writes OWN audits of its own and SHARED audits
that every writer also writes. Prints one JSON line: whether it created the run
and the migrations it applied.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from assay import Store
from assay.schema import RunConfig

from .test_store import record


def main(url: str, run_id: str, writer: str, own: int, shared: int, folder: Path) -> None:
    """Write this writer's share once every writer is ready."""
    (folder / f"ready-{writer}").touch()
    deadline = time.monotonic() + 60
    while not (folder / "go").exists():
        if time.monotonic() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.005)
    store = Store.open(url)
    created = store.ensure_run(run_id, RunConfig(), "assay-default@1", {"assay": "test"})
    for i in range(max(own, shared)):
        if i < own:
            store.write_audit(record(run_id, seed=f"{writer}-seed-{i}"))
        if i < shared:
            store.write_audit(record(run_id, seed=f"shared-seed-{i}"))
    print(json.dumps({"writer": writer, "created": created, "applied": store.applied}))


if __name__ == "__main__":
    url, run_id, writer, own, shared, folder = sys.argv[1:7]
    main(url, run_id, writer, int(own), int(shared), Path(folder))
