# The two commands of the README. Both set everything up first (uv, then the locked dependencies).
UV := sh scripts/uv.sh
OUT ?= results/baseline
REPLICATIONS ?= 10

.PHONY: demo test setup lint dashboard report

## make demo: set up, then run the baseline scenario (results, charts and summary in $(OUT))
demo: setup
	$(UV) run --locked indsim run scenarios/baseline.yaml --out $(OUT) --replications $(REPLICATIONS)

## make test: set up, then run the whole test suite (and the notebooks) on 2 cores
test: setup
	$(UV) run --locked pytest -n 2 --timeout 1200 --durations 10 --nbmake tests notebooks

## make dashboard: set up, compute what the dashboard shows first (into .indsim-cache, with a progress
## bar; at once when it is there), then start the management dashboard on http://localhost:8501 with
## those results already in its memory (simulator/serve.py, then streamlit run app.py)
dashboard: setup
	$(UV) run --locked indsim cache warm
	$(UV) run --locked python -m simulator.serve

## make report: set up, then write the report pack for the baseline and the combined scenario
report: setup
	$(UV) run --locked indsim report scenarios/baseline.yaml scenarios/combined.yaml --out results/report \
		--replications $(REPLICATIONS)

setup:
	$(UV) sync --locked

lint: setup
	$(UV) run --locked ruff check .
