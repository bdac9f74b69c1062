"""IND caseload simulator: the management team's dashboard (Dutch first, English on request).

Start with ``uv run streamlit run app.py`` (or ``make dashboard``). The pages live in ``pages/``;
shared pieces in ``simulator/dashboard.py``. No model logic here.
"""

from __future__ import annotations

import streamlit as st

from simulator.dashboard import default_replications, tr

st.set_page_config(page_title="IND-simulator", page_icon=":material/insights:", layout="wide")

with st.sidebar:
    st.radio("Taal / Language", ["nl", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code])
    st.number_input(tr("Replicaties per scenario", "Replications per scenario"), min_value=2, max_value=100,
                    value=default_replications(), step=1, key="replications",
                    help=tr("Meer replicaties geven smallere intervallen maar rekenen langer.",
                            "More replications give narrower intervals but take longer."))

pages = [
    st.Page("pages/overzicht.py", title=tr("Overzicht", "Overview"), icon=":material/home:", default=True),
    st.Page("pages/vergelijken.py", title=tr("Scenario's vergelijken", "Compare scenarios"),
            icon=":material/compare_arrows:"),
    st.Page("pages/wat_als.py", title=tr("Wat-als", "What-if"), icon=":material/tune:"),
    st.Page("pages/randvoorwaarden.py", title=tr("Randvoorwaarden", "Preconditions"), icon=":material/handshake:"),
    st.Page("pages/verkennen.py", title=tr("Verkennen", "Explore"), icon=":material/explore:"),
    st.Page("pages/aannames.py", title=tr("Aannames", "Assumptions"), icon=":material/menu_book:"),
    st.Page("pages/export.py", title="Export", icon=":material/download:"),
]
st.navigation(pages).run()
