"""Aannames: the assumption log (what differs from the baseline, with sources) of the scenarios on
screen, in words for the reader (the brief's table) and, folded away, as the scenario file's paths
and raw values for the analyst."""

import streamlit as st

from simulator.dashboard import BASE, lang, scenarios, title, titled, tr
from simulator.report.i18n import capital, t
from simulator.report.parameters import assumption_words
from simulator.scenario.assumptions import assumption_log

st.title(tr("ui_aannames_aannames_en_bronnen"))
st.write(tr("ui_aannames_elke_parameter_die"))
on_screen = list(dict.fromkeys(st.session_state.get("shown_overview", []) + st.session_state.get("shown_compare", [])
                               + st.session_state.get("shown_whatif", [])))
pool = dict(scenarios())
if "whatif_result" in st.session_state:
    pool[st.session_state["whatif_result"][0].name] = st.session_state["whatif_result"][0]
default = [n for n in on_screen if n in pool] or ["combined" if "combined" in pool else BASE]
chosen = st.multiselect(tr("ui_aannames_scenarios"), list(pool), default=default, format_func=titled(),
                        key="assumption_names")
language = lang()
raw_headers = {"parameter": t("parameter", language), "baseline": tr("ui_aannames_baseline"),
               "scenario": t("scenario", language), "unit": t("unit", language), "from": tr("ui_aannames_from"),
               "intervention": tr("ui_aannames_intervention"), "source": t("source", language),
               "confidence": t("confidence", language)}
for name in chosen:
    s = pool[name]
    log = assumption_log(s, None if name == BASE else pool[BASE])
    words = assumption_words(log, [s] if name == BASE else [s, pool[BASE]],
                             {k: iv.label.text(language) for k, iv in s.interventions.items()}, language)
    words.columns = [capital(c) for c in words.columns]
    st.subheader(title(name))
    low = int((log.get("confidence") == "low").sum()) if "confidence" in log else 0
    st.caption(tr("ui_aannames_n_parameters_waarvan", n=len(log), low=low))
    st.dataframe(words, hide_index=True, key=f"assumption_words_{name}")
    st.download_button("CSV", words.to_csv(index=False).encode(), f"aannames_{name}.csv", "text/csv",
                       key=f"assumptions_csv_{name}")
    with st.expander(tr("ui_aannames_technisch")):
        st.dataframe(log.rename(columns=raw_headers), hide_index=True, key=f"assumption_log_{name}")
        st.download_button("CSV", log.to_csv(index=False).encode(), f"aannames_{name}_technisch.csv", "text/csv",
                           key=f"assumptions_raw_csv_{name}")
