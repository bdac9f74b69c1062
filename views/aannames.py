"""Aannames: the assumption log (what differs from the baseline, with sources) of the scenarios on screen."""

import streamlit as st

from simulator.dashboard import BASE, scenarios, title, titled, tr
from simulator.scenario.assumptions import assumption_log

st.title(tr("ui_aannames_aannames_en_bronnen"))
st.write(tr("ui_aannames_elke_parameter_die"))
on_screen = list(dict.fromkeys(st.session_state.get("shown_overview", []) + st.session_state.get("shown_compare", [])
                               + st.session_state.get("shown_whatif", [])))
pool = dict(scenarios())
if "whatif_result" in st.session_state:
    pool[st.session_state["whatif_result"][0].name] = st.session_state["whatif_result"][0]
default = [n for n in on_screen if n in pool] or ["combined" if "combined" in pool else BASE]
chosen = st.multiselect("Scenario's", list(pool), default=default, format_func=titled(), key="assumption_names")
for name in chosen:
    s = pool[name]
    log = assumption_log(s, None if name == BASE else pool[BASE])
    st.subheader(title(name))
    low = int((log.get("confidence") == "low").sum()) if "confidence" in log else 0
    st.caption(tr("ui_aannames_n_parameters_waarvan", n=len(log), low=low))
    st.dataframe(log, hide_index=True)
    st.download_button("CSV", log.to_csv(index=False).encode(), f"aannames_{name}.csv", "text/csv",
                       key=f"assumptions_csv_{name}")
