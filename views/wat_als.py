"""Wat-als: levers for inflow, extra staff, the order of interviews and each shock; a run starts only on the button."""

import datetime as dt

import streamlit as st

from simulator.dashboard import (
    BASE,
    SCENARIO_DIR,
    chart,
    date_format,
    derived,
    lang,
    results_for,
    scenarios,
    show_failure,
    tiles,
    tr,
    year_choice,
)
from simulator.errors import IndsimError
from simulator.experiment.whatif import SHOCKS, ShockChoice, WhatIf, shock_date, to_yaml, whatif_data, whatif_scenario
from simulator.report.sentences import key_messages

st.title(tr("ui_wat_als_watals"))
st.write(tr("ui_wat_als_stel_de_knoppen"))
base = scenarios()[BASE]
with st.form("whatif"):
    c1, c2, c3 = st.columns(3)
    inflow = c1.slider(tr("ui_wat_als_instroom_asiel_van"), 50, 200, 100, 5,
                       key="wi_inflow")
    extra = c2.number_input(tr("ui_wat_als_extra_indmedewerkers_asiel"), 0, 1000, 0, 25,
                            key="wi_fte")
    extra_from = c3.date_input(tr("ui_wat_als_extra_fte_vanaf"), dt.date(2027, 1, 1), base.start, base.end,
                               key="wi_fte_from", format=date_format())
    order = st.radio(tr("ui_wat_als_volgorde"), ["as_planned", "oldest_first"], horizontal=True, key="wi_order",
                     format_func=lambda o: tr("ui_wat_als_volgorde_gepland" if o == "as_planned"
                                              else "ui_wat_als_volgorde_oudste"))
    choices = {}
    for shock in SHOCKS:
        a, b, c = st.columns([2, 1, 1])
        on = a.checkbox(tr(f"shock_{shock}"), value=False, key=f"wi_{shock}_on")
        start = b.date_input(tr("ui_wat_als_ingangsdatum"), shock_date(SCENARIO_DIR, shock), base.start, base.end,
                             key=f"wi_{shock}_date", format=date_format())
        months = c.slider(tr("ui_wat_als_invoering_in_maanden"), 0, 24, 0,
                          key=f"wi_{shock}_phase")
        choices[shock] = ShockChoice(on, start, months)
    submitted = st.form_submit_button(tr("ui_wat_als_doorrekenen"), type="primary", key="whatif_run")

choice = WhatIf(shocks=choices, inflow_level=inflow / 100, extra_fte=float(extra), extra_from=extra_from,
                oldest_first=order == "oldest_first")
if submitted and choice.unchanged:
    st.info(tr("ui_wat_als_niets_veranderd"))  # the baseline against itself: half a minute for +0 everywhere
elif submitted:
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
        chart(results, "backlog")
        messages = derived(results, key_messages, scenario.name, BASE, lang())
        st.markdown(f"**{messages[0]}**\n\n" + "\n".join(f"- {m}" for m in messages[1:]))
        st.download_button(tr("ui_wat_als_scenario_downloaden_yaml"), text, "wat_als.yaml",
                           "application/x-yaml", key="whatif_yaml")
