"""Output folders (``--out``): written whole or not at all, never deleting what indsim did not write.

Files go to a hidden staging folder beside the destination, ``.NAME.PID.xxxx.partial``. Only when
everything is written does it take the destination's place, in one atomic exchange of the two
names (Linux ``renameat2(RENAME_EXCHANGE)``; elsewhere two renames), under a lock on the parent
folder, so two runs finishing into one ``--out`` at the same instant each leave a whole output
and never a mix. So at any moment, also after ``kill -9``, the destination is absent, the old
output or the new one. A staging folder whose process is gone (killed) is removed by the next
run that writes beside it.

A destination that exists is replaced only when it is an earlier indsim output holding nothing
but the files its manifest lists; a folder with other files (a user's notes, a sub-folder) is
refused unless ``force``. Disk full, read-only or missing folders give one line
(:class:`OutputError`) and leave nothing behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import itertools
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError

MANIFEST = "manifest.json"
_MANIFEST_MAX = 20 * 2**20
_STAGING = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.(partial|old)$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


_SHOWN = 3  # foreign files a refusal names; the scan stops at the one after


def _listed(out: Path) -> set[str]:
    """The files the indsim manifest in ``out`` lists, the manifest included; empty without one."""
    try:
        if (out / MANIFEST).stat().st_size <= _MANIFEST_MAX:
            manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            if isinstance(manifest, dict) and manifest.get("package") == "indsim":
                return {MANIFEST, *(str(f) for f in manifest.get("files", {}))}
    except (OSError, ValueError, AttributeError):
        pass
    return set()


def foreign_files(out: Path) -> Iterator[str]:
    """Files and folders in ``out`` that its manifest does not list (all of them if there is no
    readable indsim manifest), found lazily and only inside folders the manifest lists: ``--out /``
    walked 800,000 files to name three. A foreign folder is named, not entered."""
    listed = _listed(out)
    folders = {str(p) for f in listed for p in Path(f).parents}
    pending = [""]
    while pending:
        rel = pending.pop()
        with contextlib.suppress(PermissionError), os.scandir(out / rel) as entries:  # unreadable: as rglob did
            for entry in entries:
                name = os.path.join(rel, entry.name) if rel else entry.name
                if (name in folders or name in listed) and entry.is_dir(follow_symlinks=False):
                    pending.append(name)
                elif name not in listed:
                    yield name


def check(out: Path, force: bool = False) -> None:
    """Refuse, in one line, a destination that may not be replaced (before any work is done)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is a file, not a folder; choose another --out")
    if not out.is_dir() or force:
        return
    foreign = list(itertools.islice(foreign_files(out), _SHOWN + 1))
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (" and more" if len(foreign) > _SHOWN else "")
        raise OutputError(f"{out}: holds files indsim did not write ({shown}); choose another --out, "
                          "or add --force to replace the whole folder")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale(parent: Path, name: str, older_than_s: float = 3600) -> int:
    """Remove the staging folders in ``parent`` left by processes that no longer run, whatever
    their ``--out`` (a killed run's folder stayed until a run into the same name); of the old
    naming, without a process id, those for ``name``."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            m = _STAGING.match(entry.name)
            if not m or not entry.is_dir(follow_symlinks=False):
                continue
            if _alive(int(m.group("pid"))) and time.time() - entry.stat().st_mtime < 7 * 86400:
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    for old in parent.glob(f".{name}.*.partial"):  # the old naming, without a process id
        if not _STAGING.match(old.name) and time.time() - old.stat().st_mtime > older_than_s:
            shutil.rmtree(old, ignore_errors=True)
            removed += 1
    return removed


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot."""
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is None:
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _swap_in(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out``; what was at ``out`` ends up in ``staging`` (or is removed)."""
    if not out.exists():
        os.rename(staging, out)
    elif not _exchange(staging, out):
        old = out.with_name(f".{out.name}.{os.getpid()}.{os.urandom(4).hex()}.old")
        os.rename(out, old)
        os.rename(staging, out)
        shutil.rmtree(old, ignore_errors=True)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"no room to write ({exc.strerror})"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"cannot write here ({exc.strerror})"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def staged(out: Path, force: bool = False) -> Iterator[Path]:
    """A folder to write into; on success it becomes ``out``, on any failure it disappears."""
    out = Path(out)
    check(out, force)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale(parent, out.name)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise OutputError(f"{out}: {_reason(exc)}; nothing was written") from None
    try:
        yield staging
        with _locked(parent):
            check(out, force)  # another run may have written there meanwhile
            _swap_in(staging, out.absolute())
    except OSError as exc:
        raise OutputError(f"{out}: {_reason(exc)}; nothing was written") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
