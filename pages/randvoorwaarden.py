"""Randvoorwaarden: what IND needs from others (and from itself) to meet a target."""

import streamlit as st

from simulator.dashboard import compute, lang, replications, result_cache, scenarios, show_failure, title, tr
from simulator.errors import IndsimError
from simulator.experiment import Target, requirements
from simulator.experiment.variants import default_levers
from simulator.report.summary import requirement_sentences

st.title(tr("Randvoorwaarden: wat hebben we nodig van anderen?", "Preconditions: what do we need from others?"))
st.write(tr("Zoekt per capaciteitsbron de kleinste extra capaciteit (fte, via werving met opleidingstijd en "
            "instroomplafond waar die gelden) waarmee het doel in de gekozen kans van de replicaties wordt gehaald.",
            "Finds per capacity source the least extra capacity (FTE, through hiring with training time and intake "
            "cap where they apply) that meets the target in the chosen share of replications."))
names = list(scenarios())
name = st.selectbox("Scenario", names, index=names.index("combined") if "combined" in names else 0, key="req_scenario")
st.caption(title(name))
s = scenarios()[name]
with st.form("requirements"):
    c1, c2, c3 = st.columns(3)
    kind = c1.selectbox(tr("Doel", "Target"), ["backlog_end.asylum", "backlog_end.nareis", "within_term_share.asylum"],
                        format_func=lambda k: {"backlog_end.asylum": tr("Werkvoorraad asiel ten hoogste",
                                                                         "Asylum backlog at most"),
                                               "backlog_end.nareis": tr("Werkvoorraad nareis ten hoogste",
                                                                         "Family reunification backlog at most"),
                                               "within_term_share.asylum": tr("Aandeel binnen termijn ten minste",
                                                                              "Share within term at least")}[k],
                        key="req_kind")
    value = c2.number_input(tr("Waarde (aantal, of aandeel 0–1)", "Value (count, or share 0–1)"), 0.0, 1e6, 30000.0,
                            key="req_value")
    years = list(range(s.start.year, s.end.year + 1))
    year = c3.selectbox(tr("In jaar", "In year"), years, index=min(2, len(years) - 1), key="req_year")
    probability = st.slider(tr("Kans (aandeel replicaties dat het doel haalt)", "Probability (share of replications "
                               "meeting the target)"), 0.5, 0.95, 0.8, 0.05, key="req_prob")
    levers = {lv.name: lv for lv in default_levers(s)}
    chosen = st.multiselect(tr("Capaciteitsbronnen", "Capacity sources"), list(levers),
                            default=[k for k in [*list(levers)[:1], "court_district"] if k in levers], key="req_levers")
    go = st.form_submit_button(tr("Berekenen", "Compute"), type="primary", key="req_run")

if go and not chosen:
    st.warning(tr("Kies minstens één capaciteitsbron.", "Choose at least one capacity source."))
elif go:
    op = ">=" if kind.startswith("within") else "<="
    try:
        target = Target.parse(f"{kind} {op} {value:g} in {year}")
        table, without = compute(requirements, (s, target, probability, [levers[k] for k in chosen]),
                                 kwargs={"replications": replications(), "cache": result_cache()})
        st.session_state["requirements_result"] = (table, without)
    except IndsimError as exc:
        show_failure(exc)

if "requirements_result" in st.session_state:
    table, without = st.session_state["requirements_result"]
    for line in requirement_sentences(table, without, lang()):
        st.markdown(line)
    st.dataframe(table, hide_index=True)
