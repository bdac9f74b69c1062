"""A cache of finished replications, keyed by everything that determines their numbers.

One file per replication, written to a temporary name and renamed into place: a reader never
sees half a file, an interrupted experiment keeps the replications it finished (a rerun picks up
from there), and two processes filling the cache at once at worst compute a replication twice.
The key holds the scenario's content hash, seed, replication, inflow factor, what is kept, and a
fingerprint of the model's source code, so a change to the model never serves stale results.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import time
import uuid
from functools import lru_cache
from pathlib import Path

from .. import __version__
from ..model import Replication
from ..scenario import scenario_hash


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the scenario and model source files (and of how an exploration changes a
    scenario): results depend on exactly these."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(__version__.encode())
    files = [p for sub in ("scenario", "model") for p in sorted((root / sub).glob("*.py"))]
    files += [root / "experiment" / "explore" / name for name in ("paths.py", "space.py")]  # variants
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class ResultCache:
    """Replications on disk under ``root`` (created when needed)."""

    def __init__(self, root: Path | str | None = None):
        self.root = Path(root or os.environ.get("INDSIM_CACHE", ".indsim-cache"))

    def key(self, task) -> str:
        blob = json.dumps({
            "scenario": scenario_hash(task.scenario), "name": task.scenario.name, "seed": task.seed,
            "replication": task.replication, "keep_cases": task.keep_cases,
            "inflow_factor": round(task.inflow_factor, 12), "code": code_fingerprint(),
            **({"overrides": task.overrides} if getattr(task, "overrides", ()) else {}),
        }, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def _path(self, task) -> Path:
        return self.root / f"{self.key(task)}.pkl"

    def has(self, task) -> bool:
        """Whether the replication is stored (without loading it)."""
        return self._path(task).exists()

    def get(self, task) -> Replication | None:
        path = self._path(task)
        try:
            with path.open("rb") as f:
                rep = pickle.load(f)
        except FileNotFoundError:
            return None
        except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
            path.unlink(missing_ok=True)  # unreadable: forget it and compute again
            return None
        return rep if isinstance(rep, Replication) else None

    def put(self, task, rep: Replication) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f".{uuid.uuid4().hex}.tmp"
        try:
            with tmp.open("wb") as f:
                pickle.dump(rep, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self._path(task))
        finally:
            tmp.unlink(missing_ok=True)

    def clean(self, older_than_s: float = 3600) -> int:
        """Remove temporary files left by runs that were killed while writing."""
        if not self.root.exists():
            return 0
        now, removed = time.time(), 0
        for tmp in self.root.glob(".*.tmp"):
            try:
                if now - tmp.stat().st_mtime > older_than_s:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                pass
        return removed
