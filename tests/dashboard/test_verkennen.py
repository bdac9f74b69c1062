"""The page 'Verkennen' shows a stored exploration (sentences, Sobol bars, scatter, policies) in
Dutch and English, starts no run, and the report pack includes an exploration."""

from __future__ import annotations

import os

import pytest
from streamlit.testing.v1 import AppTest

from simulator.report.explore import copy_exploration, exploration_blocks, read_exploration

from .conftest import APP


def test_the_page_shows_a_stored_exploration_in_both_languages_without_running_anything(
        stored_exploration, dashboard_env, monkeypatch):
    monkeypatch.setenv("INDSIM_EXPLORATIONS", str(stored_exploration))
    import simulator.experiment.runner as runner

    monkeypatch.setattr(runner, "run_tasks", lambda *a: pytest.fail("the page must not run the model"))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("views/verkennen.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("Verkennen")
    text = "\n".join(m.value for m in at.markdown)
    assert "van de toekomsten met een werkvoorraad asiel boven 600 eind 2027" in text
    assert len(at.get("vega_lite_chart")) == 2  # Sobol bars and the scatter
    assert len(at.dataframe) == 1  # the policies across futures
    english = AppTest.from_file(APP, default_timeout=300)
    english.session_state["lang"] = "en"
    english.run()
    english.switch_page("views/verkennen.py").run()
    assert not english.exception, english.exception
    assert "of the futures with a backlog asylum above 600" in "\n".join(m.value for m in english.markdown)


def test_the_page_says_how_to_make_an_exploration_when_there_is_none(dashboard_env, monkeypatch, tmp_path):
    monkeypatch.setenv("INDSIM_EXPLORATIONS", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("views/verkennen.py").run()
    assert not at.exception
    # the manager reads why there is none, in words; the command and the server's folder are folded
    # away for the analyst (the page showed a path and a command line to the MT)
    assert "een analist maakt haar" in at.info[0].value and "indsim" not in at.info[0].value
    assert str(tmp_path) not in at.info[0].value
    assert "indsim explore" in at.code[0].value and at.expander[0].label == "Voor de analist"


def test_the_report_pack_carries_the_exploration_and_its_sentences(stored_exploration, tmp_path):
    folder = stored_exploration / "klein"
    copy_exploration(folder, tmp_path / "exploration")
    assert (tmp_path / "exploration" / "experiments.parquet").exists()
    blocks = exploration_blocks(folder, "nl")
    assert blocks[0].text == "Verkenning van toekomsten"
    assert any("toekomsten met een werkvoorraad asiel boven 600" in x for b in blocks for x in b.items)
    assert any(b.kind == "chart" and b"<svg" in b.svg for b in blocks)
    from simulator.report import brief

    pdf = brief.to_pdf(blocks, "nl", {})
    assert pdf.startswith(b"%PDF")  # the section sets in the PDF brief too (its charts included)


def test_a_changed_exploration_file_is_refused_with_one_line(stored_exploration, tmp_path):
    import shutil

    from simulator.errors import OutputError

    copy = tmp_path / "kopie"
    shutil.copytree(stored_exploration / "klein", copy)
    with (copy / "boxes.csv").open("a") as f:
        f.write("extra\n")
    with pytest.raises(OutputError, match="size differs from the manifest"):
        read_exploration(copy)
    assert os.path.exists(copy)
