# One task runner for people and CI. `make demo` and `make test` set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REPORTS ?= reports

REAL_DEV ?= ../shared/datasets/clinic_pages_dev
# The shipped claim model learns from corpora/ and, where ../shared is present, the real development set.
TRAIN_SETS := corpora/ $(wildcard $(REAL_DEV))

.PHONY: demo demo-site test test-fast eval eval-blind eval-real train lint format bench bench-audit install clean lock report-screenshot

demo: $(STAMP)  ## Check every page in corpora/ and write reports to reports/
	$(BIN)/claimcheck check corpora/*.txt corpora/*.html --report-dir $(REPORTS) --format text

SITE_PORT ?= 8765
demo-site: $(STAMP)  ## Serve corpora/ as a small site on 127.0.0.1 and audit it into reports/audit.db
	mkdir -p $(REPORTS)
	$(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory corpora >/dev/null 2>&1 & \
	pid=$$!; sleep 1; \
	$(BIN)/claimcheck audit http://127.0.0.1:$(SITE_PORT)/ --db $(REPORTS)/audit.db --delay 0 --depth 1 --max-pages 200; \
	status=$$?; kill $$pid; exit $$status

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest -q

eval: $(STAMP)  ## Accuracy against the gold annotations (claim model cross-validated by page)
	$(BIN)/claimcheck eval corpora/ $(if $(wildcard $(REAL_DEV)),--also-train-on $(REAL_DEV))

eval-blind: $(STAMP)  ## The shipped model on corpora/blind/, pages written by others and never trained on
	$(BIN)/claimcheck eval corpora/blind/ --shipped-model

eval-real: $(STAMP)  ## The same figures on corpora/ and on the real development set, side by side; every disagreement in build/eval-errors.jsonl
	@test -d $(REAL_DEV) || { echo "eval-real: $(REAL_DEV) is absent (it lives in ../shared, beside the checkout)" >&2; exit 2; }
	$(BIN)/claimcheck eval corpora/ $(REAL_DEV) --errors build/eval-errors.jsonl

train: $(STAMP)  ## Retrain the claim classifier and the spun-text classifier, then re-evaluate
	$(BIN)/claimcheck train $(TRAIN_SETS)
	$(MAKE) eval

test-fast: $(STAMP)  ## The inner loop: everything but the slow accuracy floors
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)  ## ruff (lint + format check) and mypy
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(STAMP)  ## Speed and memory figures, with a baseline in the same run
	$(BIN)/python benchmarks/bench_pipeline.py

bench-audit: $(STAMP)  ## Crawl a local 1,000-page site: pages/s fetching, pages/s checking, store size
	$(BIN)/python benchmarks/bench_audit.py

SCREENSHOT_PAGES := corpora/001_b75484fee7bd1750.txt corpora/000_4b0f3c6d6a0af338.txt corpora/w14_spun_blog.txt
CHROMIUM ?= chromium

report-screenshot: $(STAMP)  ## docs/report-screenshot.png: the audit report of three corpus pages (needs chromium)
	mkdir -p $(REPORTS) docs
	$(BIN)/claimcheck check -q $(SCREENSHOT_PAGES) --format html -o $(REPORTS)/demo-report.html
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-background-networking --no-first-run \
		--hide-scrollbars --window-size=1200,1900 --screenshot=docs/report-screenshot.png \
		file://$(CURDIR)/$(REPORTS)/demo-report.html

.PHONY: eval-external
EXTERNAL ?= ../shared/datasets
eval-external: $(STAMP)  ## Score claim detection and certainty on the public labelled sets in ../shared/datasets
	$(BIN)/claimcheck eval --external $(EXTERNAL)

install: $(STAMP)

# torch is installed first and pinned: on these machines 2.13.0 is the local CPU build,
# while an unpinned torch would pull gigabytes of CUDA packages.
# constraints.txt pins every other package to the versions the published figures and the
# accuracy floors were measured with, so a clean clone reproduces them (`make lock` refreshes it).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lock: $(STAMP)  ## Re-pin constraints.txt to what the venv holds now (after an upgrade; then re-run eval-real)
	{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable | grep -v -E '^(torch==|claimcheck)'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) $(REPORTS) .pytest_cache .mypy_cache .ruff_cache
