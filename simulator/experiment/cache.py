"""A cache of finished replications, keyed by everything that determines their numbers, stored as
data that cannot run code and checked before it is believed.

One file per replication, ``<key>.<checksum>.rep``: a magic line, a JSON header (scenario,
replication, seed, inflow factor, the key again, the tables and their lengths) and each table as
an Arrow IPC stream (zstd-compressed). The checksum in the name is the SHA-256 of the whole
content; a reader verifies it before parsing anything, so a flipped bit, a truncated file or a
file planted under someone else's name is recomputed and removed, never loaded. Nothing is ever
unpickled. (The checksum guards against damage, not against someone who may write this folder
and computes checksums: such a person can change results, but still cannot run code here.)

Files are written to a temporary name and renamed into place, so readers never see half a file
and concurrent writers (the command line, the dashboard, several runs) at worst compute a
replication twice. The folder has a size cap (``INDSIM_CACHE_MAX_MB``, default 2048): after
each store, the least recently used files go first. A cache that cannot be written (disk full,
read-only folder) logs one warning and the run goes on without it: it never costs a finished run.
The key holds the scenario's content hash, seed, replication, inflow factor, what is kept, and a
fingerprint of the model's source code, so a change to the model never serves stale results.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import stat
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import __version__
from ..model import Replication
from ..scenario import scenario_hash

log = logging.getLogger(__name__)

MAGIC = b"INDSIM-REPLICATION 1\n"
SUFFIX = ".rep"
TABLES = ("metrics", "yearly", "cases", "daily")
DEFAULT_MAX_MB = 2048
_NAME = re.compile(r"^([0-9a-f]{32})\.([0-9a-f]{32})\.rep$")
_OPTIONS = pa.ipc.IpcWriteOptions(compression="zstd")


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


def encode(rep: Replication, key: str) -> bytes:
    """A replication's tables and scalars as bytes (header JSON + Arrow IPC streams)."""
    header: dict = {"key": key, "scenario": rep.scenario, "replication": rep.replication, "seed": rep.seed,
                    "inflow_factor": rep.inflow_factor, "tables": [], "freq": {}}
    parts = []
    for name in TABLES:
        frame = getattr(rep, name)
        if frame is None:
            continue
        table = pa.Table.from_pandas(frame, preserve_index=not isinstance(frame.index, pd.RangeIndex))
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema, options=_OPTIONS) as writer:
            writer.write_table(table)
        parts.append(sink.getvalue().to_pybytes())
        header["tables"].append([name, len(parts[-1])])
        if getattr(frame.index, "freqstr", None):
            header["freq"][name] = frame.index.freqstr
    head = json.dumps(header).encode()
    return MAGIC + len(head).to_bytes(8, "big") + head + b"".join(parts)


def decode(blob: bytes, key: str) -> Replication:
    """The replication in ``blob`` (already checked against its checksum); ValueError if the
    content is not a replication of this key in this format."""
    if not blob.startswith(MAGIC):
        raise ValueError("not an indsim cache file")
    start = len(MAGIC) + 8
    end = start + int.from_bytes(blob[len(MAGIC): start], "big")
    header = json.loads(blob[start:end])
    if header.get("key") != key:
        raise ValueError("the file holds another replication")
    names = [name for name, _ in header["tables"]]
    if not set(names) <= set(TABLES) or len(set(names)) != len(names) or "yearly" not in names:
        raise ValueError("unexpected tables")
    frames: dict[str, pd.DataFrame | None] = dict.fromkeys(TABLES)
    offset = end
    for name, length in header["tables"]:
        chunk = pa.py_buffer(blob[offset: offset + int(length)])
        offset += int(length)
        table = pa.ipc.open_stream(chunk).read_all()
        table.validate(full=True)
        frame = table.to_pandas()
        if name in header["freq"]:
            frame.index.freq = header["freq"][name]
        frames[name] = frame
    if offset != len(blob):
        raise ValueError("trailing bytes")
    return Replication(scenario=str(header["scenario"]), replication=int(header["replication"]),
                       seed=int(header["seed"]), metrics=frames["metrics"], yearly=frames["yearly"],
                       cases=frames["cases"], daily=frames["daily"], inflow_factor=float(header["inflow_factor"]))


@dataclass(frozen=True)
class CacheInfo:
    """What ``indsim cache info`` prints."""

    root: Path
    files: int
    bytes: int
    max_bytes: int
    oldest: float | None  # last use, seconds since the epoch
    newest: float | None
    other: int  # temporary files and files of the old pickle format (removed by clean or clear)


def _read_entry(path: Path, limit: int) -> bytes:
    """The bytes of a cache file, read without following a link or waiting on a pipe and never more
    than ``limit``: a link to /dev/zero or a FIFO under an entry's name must not exhaust memory or hang.
    ValueError when it is not a regular file of at most ``limit`` bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("a symbolic link, not a regular file") from None
        raise
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("not a regular file")
        if st.st_size > limit or len(blob := f.read(limit + 1)) > limit:  # +1: one that grew meanwhile
            raise ValueError("larger than the whole cache may be")
    return blob


def _max_bytes() -> int:
    text = os.environ.get("INDSIM_CACHE_MAX_MB", "").strip()
    try:
        mb = float(text) if text else DEFAULT_MAX_MB
    except ValueError:
        log.warning("INDSIM_CACHE_MAX_MB=%r is not a number; using %d", text, DEFAULT_MAX_MB)
        mb = DEFAULT_MAX_MB
    return int(max(mb, 0) * 1024 * 1024)


class ResultCache:
    """Replications on disk under ``root`` (created when needed), at most ``max_bytes`` in all."""

    def __init__(self, root: Path | str | None = None, max_bytes: int | None = None):
        self.root = Path(root or os.environ.get("INDSIM_CACHE", ".indsim-cache"))
        self.max_bytes = _max_bytes() if max_bytes is None else max_bytes
        self.unwritable: str | None = None  # why storing stopped (warned once)

    def key(self, task) -> str:
        blob = json.dumps({
            "scenario": scenario_hash(task.scenario), "name": task.scenario.name, "seed": task.seed,
            "replication": task.replication, "keep_cases": task.keep_cases,
            "inflow_factor": round(task.inflow_factor, 12), "code": code_fingerprint(),
            **({"overrides": task.overrides} if getattr(task, "overrides", ()) else {}),
            **({"yearly_only": True} if getattr(task, "yearly_only", False) else {}),
        }, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def _files(self, key: str | None = None) -> list[Path]:
        """Cache files (of one key), by name: the checksum is checked when one is read."""
        try:
            names = os.listdir(self.root)
        except OSError:
            return []
        return [self.root / n for n in names if (m := _NAME.match(n)) and (key is None or m.group(1) == key)]

    def has(self, task) -> bool:
        """Whether the replication is stored (without loading or checking it)."""
        return bool(self._files(self.key(task)))

    def get(self, task) -> Replication | None:
        """The stored replication, or None when it is missing, damaged or not what it claims."""
        key = self.key(task)
        for path in self._files(key):
            try:
                blob = _read_entry(path, max(self.max_bytes, 1 << 20))
                if hashlib.sha256(blob).hexdigest()[:32] != _NAME.match(path.name).group(2):
                    raise ValueError("checksum does not match")
                rep = decode(blob, key)
            except FileNotFoundError:
                continue  # evicted by another process meanwhile
            except Exception as exc:  # whatever is wrong with the file, it is not used
                log.warning("cache file %s is damaged or foreign (%s); it is removed and recomputed", path.name,
                            str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__)
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            with contextlib.suppress(OSError):
                os.utime(path)  # used now: last to be evicted
            return rep
        return None

    def put(self, task, rep: Replication) -> None:
        """Store a replication; when the folder cannot be written, warn once and carry on."""
        if self.unwritable is not None:
            return
        key = self.key(task)
        tmp = self.root / f".{uuid.uuid4().hex}.tmp"
        try:
            blob = encode(rep, key)
            self.root.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as f:
                f.write(blob)
            final = self.root / f"{key}.{hashlib.sha256(blob).hexdigest()[:32]}{SUFFIX}"
            os.replace(tmp, final)
            for other in self._files(key):
                if other != final:
                    with contextlib.suppress(OSError):
                        other.unlink()
            self.evict()
        except OSError as exc:
            self.unwritable = exc.strerror or str(exc)
            log.warning("cache %s cannot be written (%s); results are not kept for next time",
                        self.root, self.unwritable)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)

    def _entries(self) -> list[tuple[float, int, Path]]:
        out = []
        for path in self._files():
            with contextlib.suppress(OSError):
                st = path.stat()
                out.append((st.st_mtime, st.st_size, path))
        return sorted(out, key=lambda e: e[0])

    def evict(self) -> int:
        """Remove the least recently used files until the cache fits its cap; returns how many."""
        entries = self._entries()
        total, removed = sum(size for _, size, _ in entries), 0
        for _, size, path in entries:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
            total -= size
        return removed

    def _other(self) -> list[Path]:
        """Temporary files and the old format's pickles (never read; only removed)."""
        if not self.root.is_dir():
            return []
        return [*self.root.glob(".*.tmp"), *self.root.glob("*.pkl")]

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(self.root, len(entries), sum(size for _, size, _ in entries), self.max_bytes,
                         entries[0][0] if entries else None, entries[-1][0] if entries else None,
                         len(self._other()))

    def clear(self) -> int:
        """Remove every cache file (and temporary and old-format files); returns how many."""
        removed = 0
        for path in [*self._files(), *self._other()]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    def clean(self, older_than_s: float = 3600) -> int:
        """Remove temporary files left by runs killed while writing, and old-format pickles."""
        now, removed = time.time(), 0
        for path in self._other():
            try:
                if path.suffix == ".pkl" or now - path.stat().st_mtime > older_than_s:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
        return removed
