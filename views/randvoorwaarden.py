"""Randvoorwaarden: what IND needs from others (and from itself) to meet a target."""

import streamlit as st

from simulator.dashboard import (
    choice,
    compute,
    date_format,
    lang,
    replications,
    result_cache,
    scenarios,
    show_failure,
    title,
    tr,
)
from simulator.errors import IndsimError
from simulator.experiment import Target, requirements
from simulator.experiment.requirements import default_start
from simulator.experiment.variants import default_levers
from simulator.report.i18n import capital, joined, name
from simulator.report.needs import progress_line, requirement_sentences, requirements_frame

st.title(tr("ui_randvoorwaarden_randvoorwaarden_wat_hebben"))
st.write(tr("ui_randvoorwaarden_zoekt_per_capaciteitsbron"))
names = list(scenarios())
chosen_name = st.selectbox(tr("ui_overzicht_scenario"), names, index=names.index("combined") if "combined" in names
                           else 0, key="req_scenario")
st.caption(title(chosen_name))
s = scenarios()[chosen_name]
TARGETS = {"backlog_end.asylum": "ui_randvoorwaarden_werkvoorraad_asiel_ten",
           "backlog_end.nareis": "ui_randvoorwaarden_werkvoorraad_nareis_ten",
           "within_term_share.asylum": "ui_randvoorwaarden_aandeel_binnen_termijn"}
with st.form("requirements"):
    c1, c2, c3 = st.columns(3)
    kind = choice(c1.selectbox, tr("ui_randvoorwaarden_doel"), list(TARGETS), "req_kind",
                  format_func=lambda k: tr(TARGETS[k]))
    value = c2.number_input(tr("ui_randvoorwaarden_waarde_aantal_of"), 0.0, 1e6, 30000.0, format="%g",
                            key="req_value")
    years = list(range(s.start.year, s.end.year + 1))
    year = c3.selectbox(tr("ui_randvoorwaarden_in_jaar"), years, index=min(2, len(years) - 1), key="req_year")
    every = c3.checkbox(tr("ui_randvoorwaarden_elk_jaar_vanaf"), key="req_every")
    probability = st.slider(tr("ui_randvoorwaarden_kans_aandeel_replicaties"), 50, 95, 80, 5, format="%d%%",
                            key="req_prob") / 100  # a percentage: no decimal point to read the English way
    levers = {lv.name: lv for lv in default_levers(s)}
    chosen = st.multiselect(tr("ui_randvoorwaarden_capaciteitsbronnen"), list(levers),
                            default=[k for k in [*list(levers)[:1], "court_district"] if k in levers],
                            format_func=lambda k: capital(joined([name([s], "pools", p, lang())
                                                                  for p in levers[k].pools], lang())),
                            key="req_levers")
    start = st.date_input(tr("ui_randvoorwaarden_vanaf"), default_start(s), s.start, s.end, key="req_from",
                          format=date_format())
    go = st.form_submit_button(tr("ui_randvoorwaarden_berekenen"), type="primary", key="req_run")

if go and not chosen:
    st.warning(tr("ui_randvoorwaarden_kies_minstens_n"))
elif go and kind.startswith("within") and value > 1:  # the field kept a backlog's 30000 (a form's fields stay)
    st.warning(tr("ui_randvoorwaarden_aandeel_tussen", value=value))
elif go:
    op = ">=" if kind.startswith("within") else "<="
    try:
        target = Target.parse(f"{kind} {op} {value:g} {'from' if every else 'in'} {year}")
        found = compute(requirements, (s, target, probability, [levers[k] for k in chosen]),
                        kwargs={"start": start, "replications": replications(), "cache": result_cache()},
                        describe=lambda lv, e: progress_line(s, lv, e, lang()))
        st.session_state["requirements_result"] = found
    except IndsimError as exc:
        show_failure(exc)

if "requirements_result" in st.session_state:
    found = st.session_state["requirements_result"]
    for line in requirement_sentences(found, lang()):
        st.markdown(line)
    st.dataframe(requirements_frame(found, lang()), hide_index=True)
