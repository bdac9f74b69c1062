"""The dashboard's times as the management team meets them, measured in a real browser.

Does what ``make dashboard`` does on a fresh clone, on a fresh cache folder: ``indsim cache warm``
(the default view's replications), then ``python -m simulator.serve`` (the server visits the
default view once before it answers). Then, in headless Chromium (/usr/bin/chromium):

* first screen: from opening the address (after the health check answers) until the six tiles
  and the backlog chart show (target <= 3 s);
* cached pages: the overview in a new tab (a new session; the browser holds the app's files),
  and the comparison page with its charts and table (target <= 2 s), each visited ``--samples``
  times: the first visit, the median and the slowest are printed (one visit is too noisy a figure
  on this machine: 1.5 to 2.3 s for the same page);
* what-ifs at the same replications (target <= 10 s for 10 replications once the engine issue
  has landed), ``--whatifs`` of them in a row on the same page, each new: the Tweestatusstelsel
  switched on, then the same with 25, 50, ... extra staff (each a new scenario, computed afresh).
  Each is timed from the button until the page's run is over and its tiles show (the tiles of
  the one before stay on the page until replaced), split into the time until its progress bar
  shows, while it shows (the computation) and after; first, median and slowest are printed.
  Each also gives the CPU seconds the browser (all its processes) and the server's own process
  used meanwhile: on this 2-core machine they share the cores with the computation's workers.

    uv run python benchmarks/bench_dashboard.py [--replications 10] [--samples 5] [--whatifs 3] [--cache DIR]

``--cache DIR`` reuses a folder (skipping the fresh-cache cost); by default a temporary one.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import ROOT

from simulator.experiment.jobs import tree

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
WAIT_MS = 900_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str, proc: subprocess.Popen) -> float:
    started = time.perf_counter()
    while proc.poll() is None:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server stopped (exit code {proc.returncode})")


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds these processes have used so far (Linux ``/proc``)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _browser_pids() -> list[int]:
    """This process's descendants that are the browser's (Chromium and its helpers)."""
    out = []
    for pid in tree(os.getpid())[1:]:
        try:
            if "chrom" in Path(f"/proc/{pid}/comm").read_text(errors="replace"):
                out.append(pid)
        except OSError:  # gone meanwhile
            continue
    return out


POLL_MS = 50  # how often the waits below look: the figures' last digit is a tenth of a second
_SHOWN = """([selector, n]) => {
    const e = document.querySelectorAll(selector)[n];
    if (!e) return false;
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
}"""


def _shown(page, selector: str, nth: int = 0, timeout: float = WAIT_MS) -> None:
    """Wait until the ``nth`` element matching ``selector`` is on screen, checked every
    :data:`POLL_MS`. (Playwright's own waits check at 0, 20, 120 and 220 ms and then every 500 ms:
    they rounded every figure here up by as much as half a second. Checking at every frame the
    browser draws would spend CPU on the cores the computation runs on.)"""
    page.wait_for_function(_SHOWN, arg=[selector, nth], polling=POLL_MS, timeout=timeout)


def _gone(page, selector: str) -> None:
    """Wait, checked every :data:`POLL_MS`, until no element matches ``selector``."""
    page.wait_for_function("selector => !document.querySelector(selector)", arg=selector, polling=POLL_MS,
                           timeout=WAIT_MS)


TILE, CHART, TABLE = '[data-testid="stMetric"]', '[data-testid="stVegaLiteChart"]', '[data-testid="stTable"]'


def _timed(page, action, *waits: tuple[str, int]) -> float:
    """Seconds from ``action`` until every (selector, nth) of ``waits`` is on screen."""
    started = time.perf_counter()
    action()
    for selector, nth in waits:
        _shown(page, selector, nth)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10, help="the dashboard's default per scenario")
    parser.add_argument("--cache", type=Path, default=None, help="cache folder (default: a fresh one)")
    parser.add_argument("--samples", type=int, default=5, help="visits of each cached page (the first counts too)")
    parser.add_argument("--whatifs", type=int, default=3, help="what-ifs in a row, each a new scenario")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="indsim-bench-dashboard-") as tmp:
        cache = args.cache or Path(tmp) / "cache"
        env = {**os.environ, "INDSIM_CACHE": str(cache), "INDSIM_DASHBOARD_REPLICATIONS": str(args.replications),
               "MPLBACKEND": "Agg", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        started = time.perf_counter()
        warm = subprocess.run([sys.executable, "-m", "simulator.cli", "cache", "warm"], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        print(f"indsim cache warm: {time.perf_counter() - started:.0f} s ({warm.stdout.strip()})")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        with (Path(tmp) / "server.log").open("w") as log:
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "simulator.serve", "--server.headless", "true",
                                     "--server.address", "127.0.0.1", "--server.port", str(port),
                                     "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                _healthy(url, proc)
                print(f"server answers its health check after {time.perf_counter() - started:.1f} s "
                      "(it first visits the default view)")
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                    _measure(browser, url, args.replications, args.samples, args.whatifs, proc.pid)
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(timeout=30)


def _measure(browser, url: str, replications: int, samples: int, whatifs: int, server: int) -> None:
    def session():
        pg = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        pg.set_default_timeout(WAIT_MS)
        return pg

    def nav(page, label: str):
        return page.locator('[data-testid="stSidebarNav"] a', has_text=label).first

    pg = session()
    first = _timed(pg, lambda: pg.goto(url), (TILE, 5), (CHART, 0))
    print(f"first screen (six tiles and the backlog chart): {first:.1f} s (target <= 3 s)")
    tabs, compares = [], []
    for _ in range(samples):  # a new tab: a new session, the browser already holds the app's files
        tab = pg.context.new_page()
        tabs.append(_timed(tab, lambda tab=tab: tab.goto(url), (TILE, 5), (CHART, 0)))
        tab.close()
    for _ in range(samples):
        compares.append(_timed(pg, lambda: nav(pg, "Scenario's vergelijken").click(), (CHART, 4), (TABLE, 0)))
        nav(pg, "Overzicht").click()
        _shown(pg, TILE, 5)
    for what, times in (("overview in a new tab (new session)", tabs),
                        ("comparison (5 charts and the table)", compares)):
        print(f"cached page, {what}: first {times[0]:.1f} s, median {statistics.median(times):.1f} s, "
              f"slowest {max(times):.1f} s of {len(times)} (target <= 2 s)")
    nav(pg, "Wat-als").click()
    pg.get_by_role("button", name="Doorrekenen").wait_for()
    pg.get_by_text("Tweestatusstelsel", exact=True).click()
    totals = []
    for i in range(max(1, whatifs)):
        if i:  # a new scenario: the same shock with more staff
            pg.get_by_label("Extra IND-medewerkers asiel (fte)").fill(str(25 * i))
        browser_cpu, server_cpu = _cpu_seconds(_browser_pids()), _cpu_seconds([server])
        seconds, split = _whatif(pg)
        browser_cpu, server_cpu = _cpu_seconds(_browser_pids()) - browser_cpu, _cpu_seconds([server]) - server_cpu
        totals.append(seconds)
        print(f"  what-if {i + 1} ({25 * i} extra fte): {seconds:.1f} s{split}; meanwhile the browser used "
              f"{browser_cpu:.1f} CPU s, the server {server_cpu:.1f}")
    print(f"what-if of {replications} replications (Tweestatusstelsel on; the baseline's are cached), "
          f"{len(totals)} in a row: first {totals[0]:.1f} s, median {statistics.median(totals):.1f} s, "
          f"slowest {max(totals):.1f} s (target <= 10 s for 10, once the engine issue has landed)")


def _whatif(pg) -> tuple[float, str]:
    """One what-if from the button: its seconds and how they split around the progress bar."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    bar = '[data-testid="stProgress"]'
    started = time.perf_counter()
    pg.get_by_role("button", name="Doorrekenen").click()
    try:
        _shown(pg, bar, timeout=60_000)
        shown = time.perf_counter()
        _gone(pg, bar)
        computed = time.perf_counter()
    except PlaywrightTimeout:  # no progress bar seen: the total only
        shown = computed = None
    _shown(pg, '[data-test-script-state="notRunning"]')  # the run that draws the new tiles is over
    _shown(pg, TILE, 5)
    seconds = time.perf_counter() - started
    split = "" if shown is None else (
        f": {shown - started:.1f} s until its progress bar shows, {computed - shown:.1f} s while it shows "
        f"(the computation), {seconds - (computed - started):.1f} s after it until the tiles show")
    return seconds, split


if __name__ == "__main__":
    main()
