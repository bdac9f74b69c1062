"""Verkennen: a stored exploration (indsim explore) in words and two charts. Starts nothing heavy:
it only reads the folders that ``indsim explore`` wrote."""

import altair as alt
import streamlit as st

from simulator.dashboard import explorations, lang, tr
from simulator.errors import IndsimError
from simulator.experiment import Target
from simulator.report.explore import read_exploration

st.title(tr("Verkennen: toekomsten die niemand schetste", "Explore: futures nobody sketched"))
st.write(tr("Duizenden mogelijke toekomsten (onzekerheden) en beleidskeuzes (hefbomen) zijn doorgerekend met "
            "`indsim explore`. Hier staan de voorwaarden waaronder een doel faalt of lukt, wat de uitkomst het "
            "meest bepaalt en welke keuze in de meeste toekomsten het doel haalt.",
            "Thousands of possible futures (uncertainties) and policy choices (levers) were run with "
            "`indsim explore`. Here are the conditions under which a goal fails or succeeds, what matters most, "
            "and which choice meets the goal in most futures."))
found = explorations()
if not found:
    st.info(tr("Nog geen verkenning gevonden. Maak er een met bijvoorbeeld: `indsim explore scenarios/combined.yaml "
               "--experiments 500 --out results/verkenning --where \"backlog_end.asylum > 60000 in 2028\"`.",
               "No exploration found yet. Make one with e.g. `indsim explore scenarios/combined.yaml "
               "--experiments 500 --out results/exploration --where \"backlog_end.asylum > 60000 in 2028\"`."))
    st.stop()
name = st.selectbox(tr("Verkenning", "Exploration"), list(found), key="explore_folder")
try:
    ex = read_exploration(found[name])
except IndsimError as exc:
    st.error(exc.lines()[0])
    st.stop()
m = ex["manifest"]
st.caption(tr(f"Scenario {m['scenario']} ({m['start'][:4]}–{m['end'][:4]}), {m['experiments']} experimenten: "
              f"{m['futures']} toekomsten × {len(m['policies'])} beleidskeuzes, steekproef {m['sampler']}, "
              f"seed {m['seed']}.",
              f"Scenario {m['scenario']} ({m['start'][:4]}–{m['end'][:4]}), {m['experiments']} experiments: "
              f"{m['futures']} futures × {len(m['policies'])} policies, sampler {m['sampler']}, seed {m['seed']}."))

if m.get("interim"):
    st.warning(tr(f"Tussenstand: {m['experiments']} van de {m['planned']} experimenten zijn klaar.",
                  f"Interim: {m['experiments']} of {m['planned']} experiments have finished."))
st.subheader(tr("Wat we vonden", "What we found"))
for line in ex["sentences"].get(lang(), []):
    st.markdown(f"- {line}")

labels = m.get("labels", {}).get(lang(), {})
look = m.get("where") or m.get("target")
sens = ex.get("sensitivity")
if sens is not None and not sens.empty:
    st.subheader(tr("Wat bepaalt de uitkomst het meest?", "What matters most?"))
    key = "ST" if sens.ST.notna().any() else "S1"
    bars = sens.assign(naam=[labels.get(u, u) for u in sens.uncertainty]).head(12)
    st.altair_chart(alt.Chart(bars).mark_bar().encode(
        x=alt.X(f"{key}:Q", title=tr("Sobol-index (totaal)" if key == "ST" else "Sobol-index (eerste orde)",
                                     "Sobol index (total)" if key == "ST" else "Sobol index (first order)")),
        y=alt.Y("naam:N", sort="-x", title=None)), width="stretch")
    st.caption(tr("Totaal: het deel van de spreiding in de uitkomst dat met deze onzekerheid samenhangt, ook via "
                  "samenspel met andere; eerste orde: door deze onzekerheid alleen.",
                  "Total: the share of the outcome's variance linked to this uncertainty, including interactions; "
                  "first order: by this uncertainty alone."))
top = m.get("top", [])
if look and len(top) == 2:
    cond = Target.parse(look)
    year = cond.year if not cond.every_year_from else int(m["end"][:4])
    col = f"{cond.figure}.{cond.category}.{year}"
    st.subheader(tr("De twee belangrijkste onzekerheden", "The two most influential uncertainties"))
    data = ex["experiments"][[*top, col]].rename(columns={top[0]: "x", top[1]: "y", col: "uitkomst"})
    st.altair_chart(alt.Chart(data).mark_circle(size=30).encode(
        x=alt.X("x:Q", title=labels.get(top[0], top[0]), scale=alt.Scale(zero=False)),
        y=alt.Y("y:Q", title=labels.get(top[1], top[1]), scale=alt.Scale(zero=False)),
        color=alt.Color("uitkomst:Q", title=col, scale=alt.Scale(scheme="viridis"))), width="stretch")
robust = ex.get("robustness")
if robust is not None and not robust.empty:
    st.subheader(tr("Beleidskeuzes over alle toekomsten", "Policies across all futures"))
    names = m.get("policy_labels", {}).get(lang(), {})
    st.dataframe(robust.assign(policy=[names.get(p, p) for p in robust.policy]), hide_index=True)
