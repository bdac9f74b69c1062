"""The probes of issue 18, run again as a careless or hostile user would: real ``indsim``
processes, real files, real signals. Prints one table row per probe: what happens now, the wall
time until the answer (process start included; about 2-4 s of it is Python importing pandas and
numba), the loader's own time where a file is refused, and the process's peak memory.

    uv run python benchmarks/hostile.py [--only WORD]

The dashboard's probes (bomb upload, three sessions, upload size, memory) are measured by
``tests/dashboard/test_browser.py::test_three_sessions_at_once_a_bomb_a_computation_and_one_that_reads``,
which writes ``test-artifacts/three_sessions.txt``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT

INDSIM = str(Path(sys.executable).with_name("indsim"))
BASE = ROOT / "scenarios" / "baseline.yaml"


class Probe:
    def __init__(self, work: Path):
        self.work = work
        self.rows: list[tuple[str, str, str, str]] = []

    def file(self, name: str, text: str) -> Path:
        path = self.work / name
        path.write_text(text)
        return path

    def short(self, name: str = "short.yaml", extra: str = "") -> Path:
        return self.file(name, f"extends: {BASE}\ntitle: Kort\nhorizon_years: 1\nchanges: []\n{extra}")

    def indsim(self, *args, env: dict | None = None, limit_fsize: int | None = None, timeout: float = 900):
        """Run indsim; (exit code, stderr's lines, wall seconds, peak MB of the process tree's largest)."""
        def pre() -> None:
            if limit_fsize:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit_fsize, limit_fsize))
        started = time.perf_counter()
        proc = subprocess.Popen([INDSIM, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, **(env or {})}, cwd=self.work, preexec_fn=pre)
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own peak memory
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        return proc.returncode, [line for line in err.splitlines() if line.strip()], seconds, usage.ru_maxrss / 1024

    def row(self, probe: str, outcome: str, seconds: float | str, extra: str = "") -> None:
        shown = f"{seconds:.1f} s" if isinstance(seconds, float) else seconds
        self.rows.append((probe, outcome.replace("|", "/"), shown, extra))
        print(f"- {probe}: {outcome} [{shown}] {extra}", flush=True)


def loader_seconds(path: Path) -> str:
    """The loader's own time to refuse the file (in this process, after imports)."""
    from simulator.errors import ScenarioError
    from simulator.scenario import load_scenario

    started = time.perf_counter()
    with contextlib.suppress(ScenarioError):
        load_scenario(path)
    return f"loader {time.perf_counter() - started:.3f} s"


def first(lines: list[str]) -> str:
    more = f" (+{len(lines) - 1} lines)" if len(lines) > 1 else ""
    return (lines[0] if lines else "(nothing on stderr)")[:160] + more


def probe_files(p: Probe) -> None:
    bomb = ROOT / "tests" / "data" / "bomb.yaml"
    deep = p.file("deep.yaml", "a:\n  " + "- " * 5000 + "x\n")  # 10 kB, 5,000 levels
    for name, path in (("alias bomb (342 bytes), indsim validate", bomb),
                       ("10 kB deeply nested YAML, indsim validate", deep)):
        code, err, s, peak = p.indsim("validate", path)
        p.row(name, f"exit {code}: {first(err)}", s, f"{loader_seconds(path)}; peak {peak:,.0f} MB")
    code, err, s, _ = p.indsim("run", bomb, "--out", p.work / "bomb_out")
    p.row("alias bomb, indsim run", f"exit {code}: {first(err)}", s)
    for name, extra in (("monthly_volume: 1e9", "streams: {first_asylum: {monthly_volume: 1000000000}}\n"),
                        ("monthly_volume: 1e5 (14 GB before)", "streams: {first_asylum: {monthly_volume: 100000}}\n"),
                        ("horizon of 1,000 years", "horizon_years: 1000\n"),
                        ("extends: /dev/zero", "")):
        path = p.file("probe.yaml", f"extends: {'/dev/zero' if 'zero' in name else BASE}\ntitle: x\n{extra}")
        code, err, s, _ = p.indsim("run", path, "--out", p.work / "probe_out", "--no-cache")
        p.row(name + ", indsim run", f"exit {code}: {first(err)}", s, loader_seconds(path))


def probe_cache(p: Probe) -> None:
    from simulator.experiment import ResultCache, tasks_for
    from simulator.scenario import load_scenario

    short = p.short()
    cache_dir = p.work / "cache"
    env = {"INDSIM_CACHE": str(cache_dir)}
    task = tasks_for([load_scenario(short)], 1, load_scenario(short).seed, keep_cases="first")[0]
    key = ResultCache(cache_dir).key(task)
    marker = p.work / "PWNED"

    class Planted:
        def __reduce__(self):
            return os.system, (f"touch {marker}",)

    cache_dir.mkdir()
    for name in (f"{key}.pkl", f"{key}.{'0' * 32}.rep"):
        (cache_dir / name).write_bytes(pickle.dumps(Planted()))
    code, err, s, _ = p.indsim("run", short, "--out", p.work / "c1", "--no-charts", env=env)
    p.row("planted pickle in the cache, indsim run", f"exit {code}; command ran: {marker.exists()}; "
          f"{first([e for e in err if 'warning' in e])}", s)
    files = sorted(cache_dir.glob("*.rep"))
    blob = bytearray(files[0].read_bytes())
    blob[len(blob) // 2] ^= 1
    files[0].write_bytes(bytes(blob))
    before = (p.work / "c1" / "metrics.parquet").read_bytes()
    outcomes, warned = [], []
    for i in range(3):
        code, err, s, _ = p.indsim("run", short, "--out", p.work / f"c{i + 2}", "--no-charts", env=env)
        same = (p.work / f"c{i + 2}" / "metrics.parquet").read_bytes() == before
        outcomes.append(f"exit {code}, same numbers: {same}")
        warned += [e for e in err if "warning" in e]
    p.row("one bit flipped in a cache file, 3 reruns", "; ".join(outcomes), s, f"{len(warned)} warning(s): "
          + first(warned))
    blocker = p.file("a-file", "x")
    for name, envs in (("cache folder unusable (under a file)", {"INDSIM_CACHE": str(blocker / "c")}),):
        code, err, s, _ = p.indsim("run", short, "--out", p.work / "c9", "--no-charts", env=envs)
        p.row(name + ", indsim run", f"exit {code}, output written: {(p.work / 'c9' / 'manifest.json').exists()}; "
              f"{first(err)}", s)


def probe_faults(p: Probe) -> None:
    short = p.short()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        out = p.work / f"k{sig}"
        proc = subprocess.Popen([INDSIM, "run", str(short), "--out", str(out), "-n", "4", "--workers", "2",
                                 "--no-cache", "--no-charts"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=p.work)
        workers: set[int] = set()
        while len(workers) < 2 and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.05)
        started = time.perf_counter()
        os.kill(proc.pid, sig)
        proc.wait()
        while any(_alive(w) for w in workers) and time.perf_counter() - started < 60:
            time.sleep(0.05)
        gone = time.perf_counter() - started
        alive = sum(_alive(w) for w in workers)
        p.row(f"{signal.Signals(sig).name} of indsim run --workers 2", f"workers alive after: {alive} of "
              f"{len(workers)}; --out exists: {out.exists()}; staging left: {_staging(p.work, out.name)}", gone)
    out = p.work / "w"
    code, *_ = p.indsim("run", short, "--out", out, "--no-cache")
    proc = subprocess.Popen([INDSIM, "run", str(short), "--out", str(out), "--no-cache", "--seed", "3"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=p.work)
    while not _staging(p.work, "w") and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = _staging(p.work, "w")
    code, err, s, _ = p.indsim("run", short, "--out", out, "--no-cache", "--no-charts")
    p.row("kill -9 while writing, then rerun", f"after the kill: old output whole: {_whole(out)}, staging {left}; "
          f"rerun exit {code}, staging left: {_staging(p.work, 'w')}", s)
    (out / "NOTES.txt").write_text("mine")
    code, err, s, _ = p.indsim("run", short, "--out", out, "--no-cache", "--no-charts")
    p.row("rerun into an --out holding the user's NOTES.txt", f"exit {code}: {first(err)}; NOTES.txt kept: "
          f"{(out / 'NOTES.txt').exists()}", s)
    code, err, s, _ = p.indsim("run", short, "--out", p.work / "full", "--no-cache", "--no-charts",
                               limit_fsize=200_000)
    p.row("full disk under --out (RLIMIT_FSIZE 200 kB)", f"exit {code}: {first(err)}; files left: "
          f"{(p.work / 'full').exists() or bool(_staging(p.work, 'full'))}", s)
    ro = p.work / "ro"
    ro.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)],
                                                  capture_output=True).returncode == 0
    if not mounted:
        ro.chmod(0o555)
    code, err, s, _ = p.indsim("run", short, "--out", ro / "out", "--no-cache", "--no-charts")
    p.row("read-only --out", f"exit {code}: {first(err)}", s)
    if mounted:
        subprocess.run(["umount", str(ro)], check=False)
    code, err, s, _ = p.indsim("run", short, "--out", p.work / "d", "--cluster", "tcp://127.0.0.1:9", "--no-cache")
    p.row("--cluster tcp://127.0.0.1:9", f"exit {code}: {first(err)}", s)
    for args in (["schema", "--out", "/missing/x.json"], ["schema", "--out", "."],
                 ["requirements", str(BASE), "--out", "r", "--target", "backlog_end.asylum <= 20000 in 2028",
                  "--from", "2099-01-01"]):
        code, err, s, _ = p.indsim(*args)
        p.row("indsim " + " ".join(a if len(a) < 30 else "..." for a in args[:1] + args[-2:]),
              f"exit {code}: {first(err)}", s)
    out = p.work / "same"
    results: list[tuple] = []

    def one(seed: int) -> None:
        results.append(p.indsim("run", short, "--out", out, "--no-cache", "--no-charts", "--seed", seed))

    started = time.perf_counter()
    threads = [threading.Thread(target=one, args=(seed,)) for seed in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    p.row("two runs into one --out at once", f"exit codes {sorted(r[0] for r in results)}; output whole: "
          f"{_whole(out)}; staging left: {_staging(p.work, 'same')}", time.perf_counter() - started)


def _children(pid: int) -> set[int]:
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _staging(folder: Path, name: str) -> list[str]:
    return [q.name for q in folder.iterdir() if q.name.startswith(f".{name}.")]


def _whole(out: Path) -> bool:
    try:
        manifest = json.loads((out / "manifest.json").read_text())
    except OSError:
        return False
    files = {str(q.relative_to(out)) for q in out.rglob("*") if q.is_file()} - {"manifest.json"}
    return files == set(manifest["files"]) and all(
        hashlib.sha256((out / f).read_bytes()).hexdigest() == i["sha256"] for f, i in manifest["files"].items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=["files", "cache", "faults"], help="run one group of probes")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="indsim-hostile-"))
    p = Probe(work)
    try:
        for name, fn in (("files", probe_files), ("cache", probe_cache), ("faults", probe_faults)):
            if args.only in (None, name):
                fn(p)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| probe | what happens now | time to the answer | notes |\n|---|---|---|---|")
    for row in p.rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
