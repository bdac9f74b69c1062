"""IND caseload simulator: the management team's dashboard (Dutch first, English on request).

Start with ``uv run streamlit run app.py`` (or ``make dashboard``). The pages live in ``views/``;
shared pieces in ``simulator/dashboard.py``. No model logic here.
"""

from __future__ import annotations

# Progress bars jump to each new value instead of gliding there. The glide is a CSS transition
# the browser draws frame by frame: in headless Chromium on the 2-core reference machine, a bar
# moved 20 times in 10 s cost 1.5-1.7 CPU seconds with it and 0.8 without, taken from the
# computation the bar reports on (benchmarks/bench_dashboard.py prints the browser's share).
# And a bar shows only while the page runs: a bar is always removed at the end of its run, but
# after Streamlit's Stop button the page may send nothing more, and the bar stood frozen at its
# last share as if the computation went on (it had been stopped within a second).
STILL_BARS = ("<style>[data-testid='stProgress'] * {transition: none !important}"
              " [data-test-script-state='notRunning'] [data-testid='stProgress'] {display: none}</style>")


def main() -> None:
    """The app: sidebar, background computation of the default view, pages. Imports here, not at
    the top: a computation's process imports this file too (see below) and needs none of them."""
    import streamlit as st

    from simulator.dashboard import default_replications, replication_choices, show_failure, tr, warm_in_background

    st.set_page_config(page_title="IND-simulator", page_icon=":material/insights:", layout="wide")
    st.html(STILL_BARS)

    with st.sidebar:
        st.radio("Taal / Language", ["nl", "en"], key="lang", horizontal=True,
                 format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code])
        st.select_slider(tr("ui_app_replicaties_per_scenario"), replication_choices(),
                         value=min(default_replications(), max(replication_choices())), key="replications",
                         help=tr("ui_app_meer_replicaties_geven"))
        st.toggle(tr("ui_app_instroomband"), key="inflow_band", help=tr("ui_app_instroomband_uitleg"))

    warm_in_background()  # the default view, computed once per server if the result cache lacks it

    pages = [
        st.Page("views/overzicht.py", title=tr("ui_app_overzicht"), icon=":material/home:", default=True),
        st.Page("views/vergelijken.py", title=tr("ui_app_scenarios_vergelijken"),
                icon=":material/compare_arrows:"),
        st.Page("views/wat_als.py", title=tr("ui_app_watals"), icon=":material/tune:"),
        st.Page("views/randvoorwaarden.py", title=tr("ui_app_randvoorwaarden"), icon=":material/handshake:"),
        st.Page("views/verkennen.py", title=tr("ui_app_verkennen"), icon=":material/explore:"),
        st.Page("views/aannames.py", title=tr("ui_app_aannames"), icon=":material/menu_book:"),
        st.Page("views/export.py", title="Export", icon=":material/download:"),
    ]
    try:
        st.navigation(pages).run()
    except Exception as exc:  # Streamlit's own stop and rerun signals are not Exceptions and pass through
        show_failure(exc)


# Streamlit runs this file as __main__. A computation's process (multiprocessing, started from
# the server) imports it again as __mp_main__, where it must draw nothing and load nothing.
if __name__ == "__main__":
    main()
