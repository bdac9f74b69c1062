"""Overzicht: a chosen scenario against the baseline in tiles and one main chart."""

import streamlit as st

from simulator.dashboard import (
    BASE,
    chart,
    choice,
    derived,
    lang,
    results_or_button,
    scenarios,
    tiles,
    titled,
    tr,
    year_choice,
)
from simulator.defaultview import overview_names
from simulator.report.sentences import key_messages, peak_sentence

st.title(tr("ui_overzicht_overzicht"))
others = [n for n in scenarios() if n != BASE]
name = choice(st.selectbox, tr("ui_overzicht_scenario"), others, "overview_scenario", overview_names(others)[1],
              format_func=titled())
results = results_or_button([BASE, name], key="overview_run")
if results is not None:
    st.session_state["shown_overview"] = [BASE, name]
    year = year_choice(results, "overview_year", default=2028)
    tiles(results, name, BASE, year)
    chart(results, "backlog")
    messages = derived(results, key_messages, name, BASE, lang())
    st.markdown(f"**{messages[0]}**\n\n" + "\n".join(f"- {m}" for m in messages[1:])
                + f"\n- {derived(results, peak_sentence, name, BASE, 'nareis', lang())}")
    st.caption(tr("ui_overzicht_lijnen_gemiddelde_over"))
