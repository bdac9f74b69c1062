"""The model's memory policy: numpy's huge-page advice off unless the user chose otherwise, freed
memory kept for the next batch, and the fork server's warm-up never stops the server from
starting."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

from simulator.experiment.preload import warm_up
from simulator.model.memory import plain_pages

_SWITCH = np._core.multiarray._set_madvise_hugepage  # returns the previous setting


@pytest.mark.parametrize(("switch", "advice"), [(None, False), ("1", True)])
def test_plain_pages_turn_the_advice_off_unless_numpys_switch_is_set(monkeypatch, switch, advice):
    if switch is None:
        monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    else:
        monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", switch)
    before = _SWITCH(True)
    try:
        plain_pages()
        assert _SWITCH(True) is advice
    finally:
        _SWITCH(before)


def test_a_batch_runs_with_plain_pages():
    code = ("import numpy as np; from simulator.model import run_batch; from simulator.scenario import load_scenario;"
            "s = load_scenario('scenarios/baseline.yaml').model_copy(update={'horizon_years': 1});"
            "run_batch([s], [0], [s.seed], [False], [1.0]);"
            "print(np._core.multiarray._set_madvise_hugepage(True))")
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "False"


_REUSE = """
import resource, numpy as np
from simulator.model.memory import plain_pages, recycled_pages
plain_pages()  # 4 KiB pages, so that faults count pages
on = recycled_pages()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(8_000_000)  # 64 MB: above the C library's largest threshold for handing memory back
del a
before = faults()
b = np.ones(8_000_000)
print(on, faults() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's settings, Linux page faults")
@pytest.mark.parametrize("keep", ["1", "0"])
def test_freed_memory_is_used_again_without_page_faults(keep):
    env = {**os.environ, "INDSIM_KEEP_FREED_MEMORY": keep}
    on, faults = subprocess.run([sys.executable, "-c", _REUSE], capture_output=True, text=True, check=True,
                                env=env).stdout.split()
    if keep == "0":  # the C library's default: the 64 MB went back to the system and fault in again
        assert on == "False" and int(faults) > 10_000
    elif on == "False":
        pytest.skip("not glibc: no settings for keeping freed memory")
    else:
        assert int(faults) < 1_000  # 16,000 pages of 4 KiB written again, already mapped


def test_warm_up_without_the_scenario_only_logs(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        warm_up(tmp_path / "missing.yaml")
    assert "could not warm up" in caplog.text
