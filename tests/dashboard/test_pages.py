"""Every dashboard page through Streamlit's AppTest: widgets change what is shown, runs start only
when asked, bad uploads show the command line's one-line message, both languages work."""

from __future__ import annotations

import yaml
from streamlit.testing.v1 import AppTest

from simulator.scenario import load_scenario, scenario_from_text

from .conftest import APP, ROOT

TIMEOUT = 600


def _app(dashboard_env) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


def _computed(at: AppTest, key: str) -> AppTest:
    """Click the page's compute button if the results are not cached yet."""
    buttons = [b for b in at.button if b.key == key]
    if buttons:
        buttons[0].click().run()
    assert not at.exception, at.exception
    return at


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_overview_tiles_follow_the_chosen_scenario(dashboard_env):
    at = _computed(_app(dashboard_env), "overview_run")
    assert at.title[0].value == "Overzicht"
    assert len(at.metric) == 6
    assert not at.info and not [b for b in at.button if b.key == "overview_run"]  # nothing stale above the figures
    combined = [(m.label, m.value, m.delta) for m in at.metric]
    assert "Werkvoorraad asiel, eind 2028" in combined[0][0]
    assert "basisscenario" in _text(at)
    why = next(m.value for m in at.markdown if m.value.startswith("**Waarom?**"))  # the pool that binds, per scenario
    assert why.count("bezetting") + why.count("Geen capaciteit werkt") == 2 and "Alles samen zoals gepland" in why, why
    # in 2026 the Pact's fast tracks raise the within-term share while the backlog grows: said, with its figures
    at.select_slider(key="overview_year").set_value(2026).run()
    why = next(m.value for m in at.markdown if m.value.startswith("**Waarom?**"))
    assert "hoger dan in het basisscenario (" in why and "hoewel de werkvoorraad asiel eind 2026 groter is" in why, why
    assert "van de eerste besluiten valt in snelle sporen (vooral " in why, why
    assert "Versnelde procedure - besluit" in why, why
    at.selectbox(key="overview_scenario.nl").set_value("amp").run()
    _computed(at, "overview_run")
    amp = [(m.label, m.value, m.delta) for m in at.metric]
    assert amp != combined
    at.select_slider(key="overview_year").set_value(2030).run()
    assert "eind 2030" in at.metric[0].label
    # by 2032 the assumed staff have worked the backlog off: the figures carry that caveat
    at.select_slider(key="overview_year").set_value(2032).run()
    why = next(m.value for m in at.markdown if m.value.startswith("**Waarom?**"))
    assert "Let op: eind 2032 is de werkvoorraad asiel in" in why and "niet uit het beleid" in why, why


def test_the_first_screen_waits_for_the_background_computation_and_never_shows_a_button(dashboard_env, tmp_path,
                                                                                          monkeypatch):
    from simulator import dashboard
    from simulator.defaultview import default_tasks, load_shipped
    from simulator.experiment import ResultCache

    dashboard._store.clear()  # nothing in the server's memory either
    monkeypatch.setenv("INDSIM_CACHE", str(tmp_path))  # cold: the server computes the default view itself
    monkeypatch.setenv("INDSIM_DASHBOARD_WARM", "1")
    at = _app(dashboard_env)
    assert len(at.metric) == 6 and not at.info and not at.button  # figures, after its progress bar
    cache = ResultCache(tmp_path)
    assert all(cache.has(t) for t in default_tasks(load_shipped(), 2))  # what `indsim cache warm -n 2` makes
    at.switch_page("views/vergelijken.py").run()
    assert not at.info and not at.button and at.table  # the comparison's default too, with no button


def test_language_switch_to_english(dashboard_env):
    at = _computed(_app(dashboard_env), "overview_run")
    at.selectbox(key="overview_scenario.nl").set_value("amp").run()
    _computed(at, "overview_run")  # amp's results, unless another test in this process made them already
    at.radio(key="lang").set_value("en").run()
    assert at.radio(key="lang").value == "en"  # the rerun ran app.py whole: its sidebar is there
    assert at.title[0].value == "Overview"
    # a widget of its own per language (Streamlit showed the Dutch label on), the choice carried over
    assert at.selectbox(key="overview_scenario.en").value == "amp"
    assert at.metric[0].label.startswith("Asylum backlog")
    assert "the baseline" in _text(at)


def test_compare_bad_uploads_show_one_line(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/vergelijken.py").run()
    cases = {
        "typo.yaml": (b"extends: baseline.yaml\nhorizon_yeers: 5\n", "horizon_yeers"),
        "unsafe.yaml": (b"extends: baseline.yaml\ntitle: !!python/object:os.system {}\n", "unsafe.yaml"),
        "escape.yaml": (b"extends: ../../etc/passwd\n", "not a shipped scenario"),
        "big.yaml": (b"#" * 1_100_000, "limit"),
        "number.yaml": (b"extends: 5\ntitle: x\n", "not a shipped scenario"),  # was a TypeError
        "years.yaml": (b"extends: baseline.yaml\ntitle: x\nhorizon_years: 1" + b"0" * 400 + b"\n",
                       "more than 1e15 years"),  # was an OverflowError
    }
    for name, (content, expected) in cases.items():
        at.file_uploader(key="upload").set_value((name, content, "application/x-yaml")).run()
        assert not at.exception
        messages = [e.value for e in at.error]
        assert messages, name
        assert all("\n" not in m and "Traceback" not in m for m in messages), messages
        assert all(m.startswith("Niet toegevoegd: ") for m in messages), messages  # said in Dutch first
        assert any(expected in m for m in messages), messages


def test_compare_an_upload_whose_intervention_undoes_another_is_added_with_a_warning(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/vergelijken.py").run()
    text = (b"extends: baseline.yaml\nname: clash\ntitle: Clash\ninterventions:\n"
            b"  a_more:\n    label: more\n    start: 2026-06-01\n    source: 'assumption: test'\n"
            b"    add: {pools.ind_decision.fte: 20}\n"
            b"  b_reset:\n    label: reset\n    start: 2027-01-01\n    source: 'assumption: test'\n"
            b"    set: {pools.ind_decision: {label: x, fte: 300}}\n")
    at.file_uploader(key="upload").set_value(("clash.yaml", text, "application/x-yaml")).run()
    assert not at.exception and not at.error and at.success
    warned = [w.value for w in at.warning if w.value.startswith("Let op, een wijziging gaat verloren: ")]
    assert len(warned) == 1 and "interventions.b_reset sets pools.ind_decision whole" in warned[0], warned


def test_compare_a_valid_upload_with_the_baseline(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/vergelijken.py").run()
    text = (b"extends: baseline.yaml\nname: more_staff\ntitle: More decision staff\npools:\n  ind_decision:\n"
            b"    fte: {value: 360, source: 'assumption: test'}\n")
    at.file_uploader(key="upload").set_value(("more_staff.yaml", text, "application/x-yaml")).run()
    assert not at.error and at.success
    at.multiselect(key="compare_names").set_value(["baseline", "more_staff"]).run()
    _computed(at, "compare_run")
    table = at.table[0].value
    # its rows say 'werkvoorraad eind jaar': the heading says which year, 2028 unless chosen (it was
    # always the last, where every shipped scenario has drained)
    assert "Verschillen met de basis in 2028 (gemiddelde en 95%-interval)" in [h.value for h in at.subheader]
    at.select_slider(key="compare_year").set_value(2032).run()
    table = at.table[0].value
    assert "Verschillen met de basis in 2032 (gemiddelde en 95%-interval)" in [h.value for h in at.subheader]
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert list(table.columns[:2]) == [f"baseline: {base.title.text('nl')}", "more_staff: More decision staff"]
    assert table.index[-1] == "Bindende capaciteit"  # the pool that binds in the last year, with its utilisation
    binding = table.iloc[-1]
    assert all(c.endswith("%)") or c == "–" for c in binding.iloc[0:2]) and binding.iloc[0] != "–", binding
    assert "more_staff" in _text(at)
    # the table's year (2032) comes after the baseline's staff have worked its backlog off: said beside it
    why = next(m.value for m in at.markdown if m.value.startswith("**Waarom?**"))
    assert f"Let op: eind 2032 is de werkvoorraad asiel in {base.title.text('nl')}" in why, why


def test_whatif_runs_only_on_the_button_and_offers_yaml(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/wat_als.py").run()
    assert len(at.metric) == 0  # nothing runs before the button
    at.button(key="whatif_run").click().run()  # nothing changed: said at once, not half a minute for +0
    assert not at.exception and not at.metric and "Er is nog niets veranderd" in at.info[0].value
    # a form's values go with its button (a run in between dropped them, and this test compared the
    # baseline with itself: "+0" passed for "more backlog")
    at.slider(key="wi_inflow").set_value(120)
    at.checkbox(key="wi_tweestatusstelsel_on").check()
    at.button(key="whatif_run").click().run()
    assert not at.exception and len(at.metric) == 6
    assert at.metric[0].delta.startswith("+") and at.metric[0].delta.lstrip("+")[0] != "0"  # more inflow: more backlog
    text = at.get("download_button")[0].proto.label
    assert "YAML" in text


def test_whatif_yaml_is_a_valid_scenario(dashboard_env):
    from simulator.experiment.whatif import ShockChoice, WhatIf, to_yaml, whatif_data

    data = whatif_data(ROOT / "scenarios", WhatIf(shocks={"amp": ShockChoice(True, None, 6)}, inflow_level=1.2))
    s = scenario_from_text(to_yaml(data), "wat_als.yaml", base_dir=ROOT / "scenarios")
    assert s.interventions["amp_screening"].phase_in.mean == 6
    assert yaml.safe_load(to_yaml(data))["extends"] == ["amp.yaml"]


def test_whatif_order_of_interviews_puts_the_earliest_lodged_first_everywhere_the_rule_is_stated(dashboard_env):
    """The lever the exploration has, on the page: at the hearing pool and in the Pact's own
    priorities (which replace the pool's rule from June 2026), the priorities kept; the backlog
    falls."""
    from simulator.experiment.whatif import ShockChoice, WhatIf, to_yaml, whatif_data

    choice = WhatIf(shocks={"amp": ShockChoice(True, None, 0)}, oldest_first=True)
    s = scenario_from_text(to_yaml(whatif_data(ROOT / "scenarios", choice)), "wat_als.yaml",
                           base_dir=ROOT / "scenarios")
    amp = load_scenario(ROOT / "scenarios" / "amp.yaml")
    assert s.pools["ind_hearing"].discipline.then == "oldest_first"
    rule = s.interventions["amp_priorities"].set["pools.ind_hearing.discipline"]
    assert rule["then"] == "oldest_first"
    assert rule["ranking"] == amp.interventions["amp_priorities"].set["pools.ind_hearing.discipline"]["ranking"]
    assert s.pools["ind_decision"].discipline == amp.pools["ind_decision"].discipline  # they decide permits too
    assert s.interventions["amp_priorities"].set["pools.ind_decision.discipline"] == \
        amp.interventions["amp_priorities"].set["pools.ind_decision.discipline"]
    assert "discipline" not in str(whatif_data(ROOT / "scenarios", WhatIf()))  # as planned: nothing said

    at = _app(dashboard_env)
    at.switch_page("views/wat_als.py").run()
    at.radio(key="wi_order").set_value("oldest_first")
    at.button(key="whatif_run").click().run()
    assert not at.exception and len(at.metric) == 6
    assert not at.metric[0].delta.startswith("+")  # the asylum backlog at the end of 2028: lower
    assert "then: oldest_first" in at.session_state["whatif_result"][1]


def test_requirements_page_finds_the_known_answer(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/vergelijken.py").run()
    drain = (ROOT / "tests" / "data" / "drain.yaml").read_bytes()
    at.file_uploader(key="upload").set_value(("drain.yaml", drain, "application/x-yaml")).run()
    assert not at.error
    at.switch_page("views/randvoorwaarden.py").run()
    at.selectbox(key="req_scenario").set_value("drain").run()
    at.number_input(key="req_value").set_value(0.0)
    at.selectbox(key="req_year").set_value(2026)
    at.multiselect(key="req_levers").set_value(["staff"])
    assert at.slider(key="req_prob").value == 80  # a percentage (0.80 read the English way in Dutch)
    assert at.date_input(key="req_from").proto.format == "DD-MM-YYYY"
    at.button(key="req_run").click().run()
    assert not at.exception and not at.error
    assert "5 fte extra vanaf 1 jan 2026" in _text(at)  # a backtest-like scenario in the past: from its start
    assert "in elk jaar vanaf" not in _text(at)
    assert "Wat hebben wij van anderen nodig?" in _text(at)
    at.checkbox(key="req_every").check()  # a target for every year from the one chosen
    at.button(key="req_run").click().run()
    assert not at.exception and not at.error
    assert "in elk jaar vanaf 2026" in _text(at) and "5 fte extra vanaf 1 jan 2026" in _text(at)
    at.selectbox(key="req_kind.nl").set_value("within_term_share.asylum")  # the value field still says 0
    at.number_input(key="req_value").set_value(30000.0)  # a backlog's number kept for a share
    at.button(key="req_run").click().run()
    assert not at.exception and "een getal van 0 tot 1" in at.warning[0].value
    at.selectbox(key="req_kind.nl").set_value("backlog_end.nareis")  # drain has asylum cases only
    at.button(key="req_run").click().run()
    assert not at.exception and "drain has no nareis streams" in " ".join(e.value for e in at.error)


def test_assumptions_and_export_pages(dashboard_env):
    at = _computed(_app(dashboard_env), "overview_run")
    at.switch_page("views/aannames.py").run()
    assert not at.exception
    assert at.multiselect(key="assumption_names").value == ["baseline", "combined"]
    # per scenario: the changes in words (Dutch headers, units in words), then the file's paths folded away
    words, raw = at.dataframe[2].value, at.dataframe[3].value  # the combined scenario's
    assert list(words.columns) == ["Wat verandert", "Waarde", "Wanneer", "Maatregel", "Bron", "Betrouwbaarheid"]
    assert words["Waarde"].str.endswith(" maanden").any() and len(words) > 10
    assert not words["Wat verandert"].str.contains(r"\.\w+\.").any()
    assert {"parameter", "basisscenario", "vanaf", "maatregel", "bron"} <= set(raw.columns) and len(raw) == len(words)
    at.switch_page("views/export.py").run()
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["PNG", "SVG", "PDF"] and "Excel" in labels
    at.selectbox(key="export_chart.nl").set_value("lead_time").run()
    assert not at.exception


def test_a_bomb_upload_is_refused_in_one_line_and_the_page_keeps_working(dashboard_env):
    at = _app(dashboard_env)
    at.switch_page("views/vergelijken.py").run()
    bomb = (ROOT / "tests" / "data" / "bomb.yaml").read_bytes()
    at.file_uploader(key="upload").set_value(("bomb.yaml", bomb, "application/x-yaml")).run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("Niet toegevoegd: bomb.yaml:7:")  # at the anchor that explodes
    assert "more than 100,000 values" in message
    assert at.multiselect(key="compare_names").value  # the page is still there


def test_an_unexpected_error_never_shows_a_traceback_or_its_message(dashboard_env, monkeypatch):
    """app.py shows one line for an error in a page; where Streamlit runs a page without app.py
    (AppTest does on reruns), .streamlit/config.toml's showErrorDetails = "none" hides the details."""
    from simulator import dashboard

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a slip deep inside")

    at = _computed(_app(dashboard_env), "overview_run")
    monkeypatch.setattr(dashboard, "tiles", broken)
    at.run()
    shown = [e.value for e in at.error] + [e.message for e in at.exception]
    assert shown and not any("a slip deep inside" in m or "Traceback" in m for m in shown), shown
    assert all(not e.stack_trace for e in at.exception)


def test_the_replications_control_offers_only_what_the_app_uses(dashboard_env):
    at = _app(dashboard_env)
    control = at.select_slider(key="replications")
    assert control.value == 2  # INDSIM_DASHBOARD_REPLICATIONS of the test
    assert list(control.options) == ["2", "3", "5", "10", "20", "30", "50"]


def test_a_bomb_among_the_shipped_scenarios_is_left_out_not_fatal(tmp_path, monkeypatch, caplog):
    import shutil

    from simulator import dashboard

    for name in ("baseline.yaml", "amp.yaml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path / name)
    shutil.copy(ROOT / "tests" / "data" / "bomb.yaml", tmp_path / "bomb.yaml")
    monkeypatch.setattr(dashboard, "SCENARIO_DIR", tmp_path)
    dashboard.shipped.clear()
    try:
        assert sorted(dashboard.shipped()) == ["amp", "baseline"]
    finally:
        dashboard.shipped.clear()
    assert any("bomb.yaml" in r.getMessage() and "left out" in r.getMessage() for r in caplog.records)


def test_the_inflow_band_switch_puts_the_forecasts_uncertainty_in_the_intervals_and_says_so(dashboard_env):
    """The intervals held chance between replications only, and no page said so; the sidebar's
    switch draws each replication's inflow level from the MPP band, as `--inflow-band` does."""
    at = _computed(_app(dashboard_env), "overview_run")
    captions = " ".join(c.value for c in at.caption)
    assert "alleen het toeval tussen replicaties" in captions
    plain = [m.value for m in at.metric]
    at.toggle(key="inflow_band").set_value(True).run()
    _computed(at, "overview_run")
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "de onzekerheid in de instroom (de MPP-band)" in captions and "alleen het toeval" not in captions
    assert [m.value for m in at.metric] != plain  # other inflow levels, other figures
