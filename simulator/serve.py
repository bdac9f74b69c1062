"""Start the dashboard ready to answer: ``python -m simulator.serve [streamlit options]``
(``make dashboard``) visits the default view's pages once, headless, when the result cache holds
them, so that scenarios, results, charts and sentences are in the server's memory before it
answers; then it hands over to ``streamlit run app.py`` in the same process. A plain
``streamlit run app.py`` works too; its first visitor then waits while the scenarios load.

Nothing is computed here: a cold cache is filled by ``indsim cache warm`` before, or by the server
in the background (:func:`simulator.dashboard.warm_in_background`).
"""

from __future__ import annotations

import logging
import sys
import warnings
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "no ScriptRunContext" while preloading
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from . import dashboard
        from .experiment import jobs

        jobs.prestart()  # beside the preload: the first what-if then finds its fork server running
        dashboard.preload(APP)
    logging.getLogger("streamlit").setLevel(logging.WARNING)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
