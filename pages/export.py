"""Export: every chart of the results on screen as PNG, SVG and PDF; the data as CSV and Excel."""

import matplotlib.pyplot as plt
import streamlit as st

from simulator.dashboard import lang, results_for, scenarios, tr
from simulator.experiment import paired_differences
from simulator.report.charts import compare_charts
from simulator.report.export import excel_bytes, figure_bytes, figures_table, provenance

st.title("Export")
sets = {"shown_overview": tr("Overzicht", "Overview"), "shown_compare": tr("Vergelijking", "Comparison"),
        "shown_whatif": tr("Wat-als", "What-if")}
available = {k: v for k, v in sets.items() if k in st.session_state}
if not available:
    st.info(tr("Nog niets om te exporteren: bekijk eerst resultaten op Overzicht, Vergelijken of Wat-als.",
               "Nothing to export yet: first view results on Overview, Compare or What-if."))
    st.stop()
which = st.radio(tr("Resultaten", "Results"), list(available), format_func=available.get, horizontal=True,
                 key="export_set")
pool = dict(scenarios())
if "whatif_result" in st.session_state:
    pool[st.session_state["whatif_result"][0].name] = st.session_state["whatif_result"][0]
results = results_for([pool[n] for n in st.session_state[which]])
if results is None:
    st.warning(tr("Deze resultaten zijn niet meer in het geheugen; reken ze opnieuw uit.",
                  "These results are no longer in memory; compute them again."))
    st.stop()

charts = compare_charts(results, lang())
names = {"backlog": tr("Werkvoorraad", "Backlog"), "lead_time": tr("Doorlooptijd", "Lead time"),
         "within_term": tr("Binnen termijn", "Within term"), "utilisation": tr("Bezetting", "Utilisation"),
         "penalties": tr("Dwangsommen", "Penalties"),
         "difference_backlog_asylum": tr("Verschil werkvoorraad asiel", "Difference asylum backlog"),
         "difference_backlog_nareis": tr("Verschil werkvoorraad nareis", "Difference nareis backlog")}
chart = st.selectbox(tr("Grafiek", "Chart"), list(charts), format_func=lambda k: names.get(k, k), key="export_chart")
st.pyplot(charts[chart])
st.caption(tr("Scenario's: ", "Scenarios: ") + ", ".join(results.names))
meta = provenance(results)
cols = st.columns(3)
for col, (fmt, mime) in zip(cols, [("png", "image/png"), ("svg", "image/svg+xml"), ("pdf", "application/pdf")],
                            strict=True):
    col.download_button(fmt.upper(), figure_bytes(charts[chart], fmt, meta), f"{chart}.{fmt}", mime,
                        key=f"export_{fmt}_{which}_{chart}_{lang()}")
for fig in charts.values():
    plt.close(fig)

st.subheader(tr("Gegevens", "Data"))
figs = figures_table(results)
tables = {"figures": figs, "metrics": results.metrics}
if len(results.names) > 1:
    tables["differences"] = paired_differences(results, results.names[0])
c1, c2 = st.columns(2)
c1.download_button(tr("Hoofdcijfers (CSV)", "Main figures (CSV)"), figs.to_csv(index=False).encode(),
                   "hoofdcijfers.csv", "text/csv", key=f"export_csv_{which}")
c2.download_button("Excel", excel_bytes(tables, meta), "indsim_resultaten.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"export_xlsx_{which}")
