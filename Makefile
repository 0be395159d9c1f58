# Two commands for a fresh clone: `make run` and `make test`. Both install first (idempotent).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := static/vendor/socket.io.min.js

.PHONY: install messages run test bench bench-full clean soak icons page-weight

CATALOGUES := $(wildcard game/translations/*/LC_MESSAGES/messages.po)

install: $(VENV)/.installed $(VENDOR) $(CATALOGUES:.po=.mo)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): node_modules/.installed
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js $(VENDOR)

# Compiled gettext catalogues (docs/i18n.md); not in git.
game/translations/%/LC_MESSAGES/messages.mo: game/translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing user-facing text: extract the message ids and merge them into the catalogues, then
# translate the new entries in game/translations/{nl,en}/LC_MESSAGES/messages.po (tests/i18n checks).
messages: install
	$(BIN)/python -m game.i18n_catalogues

run: install
	$(BIN)/inzetspel serve --host $${HOST:-127.0.0.1} --port $${PORT:-5000}

# --durations: the 25 slowest tests close the log, so where the suite's time goes stays in view.
test: install
	$(BIN)/ruff check game tests benchmarks
	$(BIN)/python -m pytest --durations=25 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules static/vendor

# The app icons in static/icons/ (committed) are drawn by game/icons.py; redraw after changing it.
icons: install
	$(BIN)/python -m game.icons

# The player page's transfer size and load time in Chromium (docs/benchmarks.md, "Player page weight").
page-weight: install
	$(BIN)/python -m benchmarks.page_weight $(PAGE_WEIGHT_ARGS)

# The security battery with many more generated payloads and kills (docs/security.md quotes its figures):
# 2,000 payloads per Socket.IO event, 200 requests per HTTP route and method, 4 SIGKILLs. About 15 minutes.
soak: install
	rm -f test-artifacts/security-figures.json
	HYPOTHESIS_PROFILE=soak FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} FUZZ_HTTP_EXAMPLES=$${FUZZ_HTTP_EXAMPLES:-200} \
		FAULT_KILLS=$${FAULT_KILLS:-4} $(BIN)/python -m pytest tests/security -p no:cacheprovider $(PYTEST_ARGS)
	$(BIN)/python -m tests.security.figures docs/security.md test-artifacts/security-figures.json \
		" (FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000}, FUZZ_HTTP_EXAMPLES=$${FUZZ_HTTP_EXAMPLES:-200}, FAULT_KILLS=$${FAULT_KILLS:-4})"

# The load benchmark (docs/benchmarks.md): the game against a bare Flask-SocketIO server, 1,000
# players, ~8 minutes on a quiet machine. Not a test: it never fails on a slow machine. Writes
# docs/benchmarks/results.json, the plots and the figures in docs/benchmarks.md. Last line: one JSON
# object. A quick try that touches nothing under docs/:
#   make bench BENCH_ARGS="--players 100 --rounds 2 --window 3 --out /tmp/try/results.json"
bench: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# The same plus the scaling series (100-2,000 players), every async mode for both servers and two
# processes + Redis on PostgreSQL (~75 minutes).
bench-full: install
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m benchmarks.run --full $(BENCH_ARGS)
