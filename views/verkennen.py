"""Verkennen: a stored exploration (indsim explore) in words and two charts. Starts nothing heavy:
it only reads the folders that ``indsim explore`` wrote (bounded, checked against their manifest)."""

import altair as alt
import streamlit as st

from simulator.dashboard import exploration_root, explorations, lang, show_failure, tr
from simulator.errors import IndsimError
from simulator.experiment import Target
from simulator.report.explore import figure_unit, outcome_label, policies_frame, read_exploration
from simulator.report.units import number, shown

st.title(tr("ui_verkennen_title"))
st.write(tr("ui_verkennen_intro"))
found = explorations()
if not found:  # the manager reads why; the command line is folded away for the analyst
    st.info(tr("ui_verkennen_none"))
    with st.expander(tr("ui_verkennen_none_how")):
        st.markdown(tr("ui_verkennen_none_command", root=exploration_root()))
        st.code("indsim explore scenarios/combined.yaml --experiments 500 --out results/verkenning "
                "--where \"backlog_end.asylum > 60000 in 2028\"", language="bash")
    st.stop()
name = st.selectbox(tr("ui_verkennen_choose"), list(found), key="explore_folder")
try:
    ex = read_exploration(found[name])
except IndsimError as exc:
    show_failure(exc)
    st.stop()
m = ex["manifest"]
st.caption(tr("ui_verkennen_caption", scenario=m["scenario"], start=m["start"][:4], end=m["end"][:4],
              n=number(m["experiments"], lang()), futures=number(m["futures"], lang()),
              policies=len(m["policies"]), sampler=m["sampler"], seed=m["seed"]))
if m.get("interim"):
    st.warning(tr("ui_verkennen_interim", n=number(m["experiments"], lang()), planned=number(m["planned"], lang())))
st.subheader(tr("ui_verkennen_found"))
for line in ex["sentences"].get(lang(), []):
    st.markdown(f"- {line}")

labels = m.get("labels", {}).get(lang(), {})
look = Target.parse(m.get("where") or m.get("target")) if (m.get("where") or m.get("target")) else None
sens = ex.get("sensitivity")
if sens is not None and not sens.empty:
    st.subheader(tr("xp_chart_sobol"))
    key = "ST" if sens.ST.notna().any() else "S1"
    bars = sens.assign(name=[labels.get(u, u) for u in sens.uncertainty]).head(12)
    st.altair_chart(alt.Chart(bars).mark_bar().encode(
        x=alt.X(f"{key}:Q", title=tr("xp_sobol_total" if key == "ST" else "xp_sobol_first")),
        y=alt.Y("name:N", sort="-x", title=None)), width="stretch")
    st.caption(tr("ui_verkennen_sobol_caption"))
top = m.get("top", [])
if look is not None and len(top) == 2:
    year = look.year if not look.every_year_from else int(m["end"][:4])
    col = f"{look.figure}.{look.category}.{year}"
    unit = figure_unit(look.figure)
    st.subheader(tr("xp_chart_scatter"))
    data = ex["experiments"][[*top, col]].set_axis(["x", "y", "outcome"], axis=1)
    data["outcome"] = [shown(v, unit) for v in data.outcome]
    st.altair_chart(alt.Chart(data).mark_circle(size=30).encode(
        x=alt.X("x:Q", title=labels.get(top[0], top[0]), scale=alt.Scale(zero=False)),
        y=alt.Y("y:Q", title=labels.get(top[1], top[1]), scale=alt.Scale(zero=False)),
        color=alt.Color("outcome:Q", title=outcome_label(look, year, lang()), scale=alt.Scale(scheme="viridis"))),
        width="stretch")
robust = ex.get("robustness")
if robust is not None and not robust.empty and m.get("target"):
    st.subheader(tr("ui_verkennen_policies"))
    names = m.get("policy_labels", {}).get(lang(), {})
    st.dataframe(policies_frame(robust, names, Target.parse(m["target"]).figure, lang()), hide_index=True)
