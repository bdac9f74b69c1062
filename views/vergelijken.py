"""Scenario's vergelijken: two or more scenarios (shipped or uploaded) with bands and differences."""

import streamlit as st

from simulator.dashboard import (
    add_upload,
    chart,
    comparison_table,
    derived,
    lang,
    read_upload,
    results_or_button,
    scenarios,
    surprises,
    title,
    titled,
    tr,
    year_choice,
)
from simulator.defaultview import compare_names
from simulator.errors import IndsimError
from simulator.report.caveats import for_year
from simulator.report.sentences import key_messages
from simulator.scenario.overrides import overridden

st.title(tr("ui_vergelijken_scenarios_vergelijken"))

upload = st.file_uploader(tr("ui_vergelijken_eigen_scenario_toevoegen"), type=["yaml", "yml"],
                          key="upload")
if upload is not None:
    try:
        s = read_upload(upload.name, upload.getvalue())
    except IndsimError as exc:
        for line in exc.lines():  # the command line's message (English), after a word in the reader's language
            st.error(f"{tr('ui_vergelijken_niet_toegevoegd')}: {line}")
    else:
        add_upload(s)
        st.success(tr("ui_vergelijken_scenario_name_is", name=s.name))
        for line in overridden(s):  # a change another intervention undoes (as `indsim validate` warns)
            st.warning(f"{tr('change_lost')}: {line}")

names = list(scenarios())
chosen = st.multiselect(tr("ui_vergelijken_scenarios_het_eerste"), names,
                        default=compare_names(names), format_func=titled(), key="compare_names")
if len(chosen) < 2:
    st.warning(tr("ui_vergelijken_kies_minstens_twee"))
    st.stop()
results = results_or_button(chosen, key="compare_run")
if results is not None:
    st.session_state["shown_compare"] = chosen
    base = chosen[0]
    for which in ("backlog", "lead_time", "within_term", "utilisation"):
        chart(results, which)
    chart(results, "backlog", base=base)
    for other in chosen[1:]:
        st.markdown(f"**{title(other)}**\n\n" + "\n".join(f"- {m}" for m in derived(results, key_messages, other, base,
                                                                                          lang())))
    # the table's year (its rows say 'eind jaar', the heading which): 2028 as on the overview, not
    # the last year, where every shipped scenario has drained and the page itself says so
    last = year_choice(results, "compare_year", default=2028)
    st.subheader(tr("ui_vergelijken_verschillen_met_de", year=last))
    frame = derived(results, comparison_table, base, lang(), last)  # its last row: the pool that binds
    # a plain table: a dozen rows read whole, and no data grid for the browser to load on a first visit
    st.table(frame.rename(columns=lambda c: title(c) if c in results.scenarios else c).set_index(frame.columns[0]))
    # beside the table's binding row: why a figure moves against intuition, and whether its year's
    # figures follow from a drained backlog rather than from the policy
    explained = surprises(results, chosen, base, last, latest=True) + derived(results, for_year, tuple(chosen), last,
                                                                             lang())
    if explained:
        st.markdown(f"**{tr('ui_dashboard_waarom')}** " + "  \n".join(explained))
