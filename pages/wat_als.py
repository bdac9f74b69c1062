"""Wat-als: levers for inflow, extra staff and each shock; a run starts only on the button."""

import datetime as dt

import matplotlib.pyplot as plt
import streamlit as st

from simulator.dashboard import BASE, SCENARIO_DIR, lang, results_for, scenarios, show_failure, tiles, tr, year_choice
from simulator.errors import IndsimError
from simulator.experiment.whatif import SHOCKS, ShockChoice, WhatIf, shock_date, to_yaml, whatif_data, whatif_scenario
from simulator.report.charts import backlog_chart
from simulator.report.sentences import peak_sentence

SHOCK_NAMES = {"amp": ("EU-Migratiepact", "EU Pact on Migration and Asylum"),
               "asielnoodmaatregelenwet": ("Asielnoodmaatregelenwet", "Emergency asylum measures law"),
               "tweestatusstelsel": ("Tweestatusstelsel", "Two-status system"),
               "ketenpartner": ("Ketenpartner stopt (VWN) en nieuwe rol advocatuur",
                                "Chain partner withdraws (VWN), new role for lawyers")}

st.title(tr("Wat-als", "What-if"))
st.write(tr("Stel de knoppen in en klik op **Doorrekenen**; het resultaat verschijnt naast het basisscenario.",
            "Set the levers and click **Run**; the result appears next to the baseline."))
base = scenarios()[BASE]
with st.form("whatif"):
    c1, c2, c3 = st.columns(3)
    inflow = c1.slider(tr("Instroom asiel (% van basis)", "Asylum inflow (% of baseline)"), 50, 200, 100, 5,
                       key="wi_inflow")
    extra = c2.number_input(tr("Extra IND-medewerkers asiel (fte)", "Extra IND asylum staff (FTE)"), 0, 1000, 0, 25,
                            key="wi_fte")
    extra_from = c3.date_input(tr("Extra fte vanaf", "Extra FTE from"), dt.date(2027, 1, 1), base.start, base.end,
                               key="wi_fte_from")
    choices = {}
    for shock in SHOCKS:
        nl, en = SHOCK_NAMES[shock]
        a, b, c = st.columns([2, 1, 1])
        on = a.checkbox(tr(nl, en), value=False, key=f"wi_{shock}_on")
        start = b.date_input(tr("Ingangsdatum", "Start date"), shock_date(SCENARIO_DIR, shock), base.start, base.end,
                             key=f"wi_{shock}_date")
        months = c.slider(tr("Invoering in maanden (0 = in één keer)", "Phase-in months (0 = at once)"), 0, 24, 0,
                          key=f"wi_{shock}_phase")
        choices[shock] = ShockChoice(on, start, months)
    submitted = st.form_submit_button(tr("Doorrekenen", "Run"), type="primary", key="whatif_run")

if submitted:
    choice = WhatIf(shocks=choices, inflow_level=inflow / 100, extra_fte=float(extra), extra_from=extra_from)
    try:
        scenario = whatif_scenario(SCENARIO_DIR, choice)
    except IndsimError as exc:
        st.error(exc.lines()[0])
    else:
        try:
            results_for([base, scenario], run=True)
        except IndsimError as exc:
            show_failure(exc)
        else:
            st.session_state["whatif_result"] = (scenario, to_yaml(whatif_data(SCENARIO_DIR, choice)))

if "whatif_result" in st.session_state:
    scenario, text = st.session_state["whatif_result"]
    results = results_for([base, scenario])
    if results is not None:
        st.session_state["shown_whatif"] = [BASE, scenario.name]
        year = year_choice(results, "whatif_year", default=2028)
        tiles(results, scenario.name, BASE, year)
        fig = backlog_chart(results, lang())
        st.pyplot(fig)
        plt.close(fig)
        st.markdown(f"**{peak_sentence(results, scenario.name, BASE, 'asylum', lang())}**")
        st.download_button(tr("Scenario downloaden (YAML)", "Download scenario (YAML)"), text, "wat_als.yaml",
                           "application/x-yaml", key="whatif_yaml")
