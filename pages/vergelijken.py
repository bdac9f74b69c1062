"""Scenario's vergelijken: two or more scenarios (shipped or uploaded) with bands and differences."""

import matplotlib.pyplot as plt
import streamlit as st

from simulator.dashboard import add_upload, lang, read_upload, results_or_button, scenarios, title, tr
from simulator.errors import IndsimError
from simulator.experiment import paired_differences
from simulator.report.charts import backlog_chart, difference_chart, lead_time_chart, within_term_chart
from simulator.report.sentences import key_messages
from simulator.report.summary import difference_frame

st.title(tr("ui_vergelijken_scenarios_vergelijken"))

upload = st.file_uploader(tr("ui_vergelijken_eigen_scenario_toevoegen"), type=["yaml", "yml"],
                          key="upload")
if upload is not None:
    try:
        s = read_upload(upload.name, upload.getvalue())
    except IndsimError as exc:
        for line in exc.lines():
            st.error(line)
    else:
        add_upload(s)
        st.success(tr("ui_vergelijken_scenario_name_is", name=s.name))

names = list(scenarios())
default = [n for n in ("baseline", "amp", "amp_phased") if n in names]
chosen = st.multiselect(tr("ui_vergelijken_scenarios_het_eerste"), names,
                        default=default, format_func=title, key="compare_names")
if len(chosen) < 2:
    st.warning(tr("ui_vergelijken_kies_minstens_twee"))
    st.stop()
results = results_or_button(chosen, key="compare_run")
if results is not None:
    st.session_state["shown_compare"] = chosen
    base = chosen[0]
    for maker in (backlog_chart, lead_time_chart, within_term_chart):
        fig = maker(results, lang())
        st.pyplot(fig)
        plt.close(fig)
    fig = difference_chart(results, base, "backlog", "asylum", lang())
    st.pyplot(fig)
    plt.close(fig)
    for other in chosen[1:]:
        st.markdown(f"**{title(other)}**\n\n" + "\n".join(f"- {m}" for m in key_messages(results, other, base,
                                                                                          lang())))
    st.subheader(tr("ui_vergelijken_verschillen_met_de"))
    frame = difference_frame(paired_differences(results, base), lang())
    st.dataframe(frame.rename(columns=lambda c: title(c) if c in results.scenarios else c), hide_index=True)
