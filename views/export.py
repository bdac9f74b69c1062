"""Export: every chart of the results on screen as PNG, SVG and PDF; the data as CSV and Excel."""

import streamlit as st

from simulator.dashboard import choice, derived, lang, results_for, scenarios, tr
from simulator.experiment import paired_differences
from simulator.report.charts import compare_charts
from simulator.report.export import excel_bytes, figure_bytes, figures_table, for_people, provenance
from simulator.report.pack import workbook_frame

st.title("Export")
sets = {"shown_overview": tr("ui_export_overzicht"), "shown_compare": tr("ui_export_vergelijking"),
        "shown_whatif": tr("ui_export_watals")}
available = {k: v for k, v in sets.items() if k in st.session_state}
if not available:
    st.info(tr("ui_export_nog_niets_om"))
    st.stop()
which = choice(st.radio, tr("ui_export_resultaten"), list(available), "export_set", format_func=available.get,
               horizontal=True)
pool = dict(scenarios())
if "whatif_result" in st.session_state:
    pool[st.session_state["whatif_result"][0].name] = st.session_state["whatif_result"][0]
results = results_for([pool[n] for n in st.session_state[which]])
if results is None:
    st.warning(tr("ui_export_deze_resultaten_zijn"))
    st.stop()

charts = compare_charts(results, lang())
names = {"backlog": tr("ui_export_werkvoorraad"), "lead_time": tr("ui_export_doorlooptijd"),
         "within_term": tr("ui_export_binnen_termijn"), "utilisation": tr("ui_export_bezetting"),
         "penalties": tr("ui_export_dwangsommen"),
         "difference_backlog_asylum": tr("ui_export_verschil_werkvoorraad_asiel"),
         "difference_backlog_nareis": tr("ui_export_verschil_werkvoorraad_nareis")}
chart = choice(st.selectbox, tr("ui_export_grafiek"), list(charts), "export_chart",
               format_func=lambda k: names.get(k, k))
st.pyplot(charts[chart])
st.caption(tr("ui_export_scenarios") + ", ".join(results.names))
meta = provenance(results)
cols = st.columns(3)
for col, (fmt, mime) in zip(cols, [("png", "image/png"), ("svg", "image/svg+xml"), ("pdf", "application/pdf")],
                            strict=True):
    col.download_button(fmt.upper(), figure_bytes(charts[chart], fmt, meta), f"{chart}.{fmt}", mime,
                        key=f"export_{fmt}_{which}_{chart}_{lang()}")

st.subheader(tr("ui_export_gegevens"))
figs = figures_table(results)
tables = {"figures": figs, "metrics": results.metrics}
if len(results.names) > 1:
    tables["differences"] = for_people(derived(results, paired_differences, results.names[0]).table)
c1, c2 = st.columns(2)
c1.download_button(tr("ui_export_hoofdcijfers_csv"), figs.to_csv(index=False).encode(),
                   "hoofdcijfers.csv", "text/csv", key=f"export_csv_{which}")
book = {tr(f"ui_export_sheet_{k}"): workbook_frame(v, results, lang()) for k, v in tables.items()}
c2.download_button("Excel", excel_bytes(book, meta, tr("ui_export_sheet_provenance"), lang()),
                   "indsim_resultaten.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key=f"export_xlsx_{which}")
