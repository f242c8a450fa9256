# AP Hub: `make run` serves the demo, `make test` runs every test and lint. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DIST := src/aphub/static/dist
SCSS := $(wildcard src/aphub/assets/scss/*.scss)

.PHONY: run test bench drill load audit assets install install-test install-load lint lock clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: $(BIN)/activate requirements/build.lock requirements/run.lock pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/build.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.run-installed requirements/test.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/test.lock
	touch $@

# locust for `make load`: its lock is the test lock's packages plus locust's (one resolution, so one set of pins).
$(VENV)/.load-installed: $(VENV)/.test-installed requirements/load.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/load.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(DIST)/app.css: node_modules/.installed $(SCSS) src/aphub/assets/js/app.mjs
	mkdir -p $(DIST)/govuk
	npx --no-install sass --quiet-deps --load-path=node_modules --style=compressed --no-source-map \
		src/aphub/assets/scss/app.scss $(DIST)/app.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(DIST)/
	cp src/aphub/assets/js/app.mjs $(DIST)/
	rm -rf $(DIST)/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets $(DIST)/govuk/assets
	rm -rf $(DIST)/govuk/assets/fonts

# pip-audit for `make audit`, in a venv of its own so its pins never move the app's.
.venv-audit/.installed: requirements/audit.lock
	$(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/audit.lock
	touch $@

install: $(VENV)/.run-installed
install-test: $(VENV)/.test-installed
install-load: $(VENV)/.load-installed
assets: $(DIST)/app.css

# The task worker runs beside the web server, so reminders and absence alerts are sent (printed on this console);
# it stops with the server.
run: install assets
	mkdir -p var
	DJANGO_SETTINGS_MODULE=aphub.settings.development $(BIN)/aphub collectstatic --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=aphub.settings.development $(BIN)/aphub migrate --noinput --verbosity 0
	DJANGO_SETTINGS_MODULE=aphub.settings.development $(BIN)/aphub demo --if-empty
	export DJANGO_SETTINGS_MODULE=aphub.settings.development; \
		$(BIN)/aphub db_worker --no-reload --verbosity 0 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/aphub runserver 127.0.0.1:8000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=aphub.settings.test $(BIN)/aphub makemigrations --check --dry-run --verbosity 0

# The tests run on every core (pytest-xdist; at most TEST_WORKERS_MAX, as each worker migrates a test database of its
# own). `--dist load` hands out tests in their collected order, so each worker still runs the transactional tests
# (which empty the tables) after the others, as pytest-django orders them (worksteal does not: a worker that steals
# can run a transactional test before ordinary ones). TEST_WORKERS=0 runs them in this one process.
# See docs/decisions/0024-tests-on-every-core.md.
TEST_WORKERS ?= auto
TEST_WORKERS_MAX ?= 4
test: install-test assets lint
	$(BIN)/pytest --numprocesses $(TEST_WORKERS) --maxprocesses $(TEST_WORKERS_MAX) --dist load $(PYTEST_ARGS)

# PostgreSQL (DATABASE_URL, else the local server's aphub_bench database, kept between runs), else SQLite.
# BENCH_ARGS (e.g. "--pupils 2000 --placements 6000 --marks 300000") sizes the large LA's journeys when they are
# first loaded; a database that already holds them is reused as it is, so give a smaller run its own DATABASE_URL.
# PYTHONPATH puts this checkout's src first (bench, drill, load): the editable install may point at another checkout.
bench: install-test assets
	PYTHONPATH=src:. $(BIN)/python -m bench $(BENCH_ARGS)

# The backup and point-in-time restore drill (ops/drill.py; not part of `make test`: 5 to 6 minutes). A throwaway
# PostgreSQL cluster in a temporary folder, deleted at the end; needs PostgreSQL's programs installed, not a server.
# DRILL_ARGS e.g. "--by lsn" or "--target-time +5". See README.md, "Backup and point-in-time restore".
drill: install
	PYTHONPATH=src:. $(BIN)/python -m ops.drill $(DRILL_ARGS)

# The production stack (gunicorn, PostgreSQL, the task worker) on 127.0.0.1 under 50 concurrent users for two minutes
# (locust, headless), on a fresh copy of the large LA (`aphub_bench`, from `make bench`; loaded when missing). Prints
# p50/p95/p99 per journey, errors, throughput and lost writes; exits 1 on any error or lost write. See load/run.py.
# LOAD_ARGS: e.g. "--users 20 --run-time 60s --workers 3 --threads 4".
load: install-load assets
	PYTHONPATH=src:. $(BIN)/python -m load $(LOAD_ARGS)

# Which pinned packages have known vulnerabilities: every requirements/*.lock (pip-audit) and the npm tree (npm audit).
# Not part of `make test`: it asks databases on the internet, and a new advisory is no regression in our code.
# Exits 0 when every pin was checked and none is known to be vulnerable, 1 when one is (listed), 2 when a database
# did not answer and some pins went unchecked. AUDIT_ARGS="--service osv" asks OSV instead of PyPI's JSON API.
# See docs/decisions/0039-dependency-audit.md.
audit: .venv-audit/.installed node_modules/.installed
	$(PYTHON) -m ops.audit $(AUDIT_ARGS)

# Regenerate the locks after changing pyproject.toml dependencies. `make lock LOCK_ARGS=--upgrade` also moves every
# pin to the newest release the bounds allow (Django stays on 5.2 LTS: pyproject.toml pins it below 5.3).
LOCK_ARGS ?=
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile requirements/build.in --python-version 3.11 --generate-hashes $(LOCK_ARGS) -q -o requirements/build.lock
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes $(LOCK_ARGS) -q -o requirements/run.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes $(LOCK_ARGS) -q -o requirements/test.lock
	$(BIN)/uv pip compile pyproject.toml --extra test --extra load --python-version 3.11 --generate-hashes $(LOCK_ARGS) -q -o requirements/load.lock
	$(BIN)/uv pip compile requirements/audit.in --python-version 3.11 --generate-hashes $(LOCK_ARGS) -q -o requirements/audit.lock

clean:
	rm -rf $(VENV) .venv-audit node_modules $(DIST) var
