"""Scenario's vergelijken: two or more scenarios (shipped or uploaded) with bands and differences."""

import matplotlib.pyplot as plt
import streamlit as st

from simulator.dashboard import add_upload, lang, read_upload, results_or_button, scenarios, title, tr
from simulator.errors import IndsimError
from simulator.experiment import paired_differences
from simulator.report.charts import backlog_chart, difference_chart, lead_time_chart, within_term_chart
from simulator.report.sentences import difference_sentence, peak_sentence
from simulator.report.summary import difference_frame

st.title(tr("Scenario's vergelijken", "Compare scenarios"))

upload = st.file_uploader(tr("Eigen scenario toevoegen (YAML)", "Add your own scenario (YAML)"), type=["yaml", "yml"],
                          key="upload")
if upload is not None:
    try:
        s = read_upload(upload.name, upload.getvalue())
    except IndsimError as exc:
        for line in exc.lines():
            st.error(line)
    else:
        add_upload(s)
        st.success(tr(f"Scenario '{s.name}' is geldig en toegevoegd.", f"Scenario '{s.name}' is valid and added."))

names = list(scenarios())
default = [n for n in ("baseline", "amp", "amp_phased") if n in names]
chosen = st.multiselect(tr("Scenario's (het eerste is de basis)", "Scenarios (the first is the base)"), names,
                        default=default, format_func=title, key="compare_names")
if len(chosen) < 2:
    st.warning(tr("Kies minstens twee scenario's.", "Choose at least two scenarios."))
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
    year = max(int(y) for y in results.yearly.year.unique())
    for other in chosen[1:]:
        st.markdown(f"- **{other}**: {peak_sentence(results, other, base, 'asylum', lang())} "
                    f"{difference_sentence(results, other, base, 'lead_time_p50', 'asylum', year, lang(), 'weeks')}")
    st.subheader(tr("Verschillen met de basis (gemiddelde en 95%-interval)",
                    "Differences to the base (mean and 95% interval)"))
    st.dataframe(difference_frame(paired_differences(results, base), lang()), hide_index=True)
