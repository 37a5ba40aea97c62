# EchoHub: `make run` starts it with demo data, `make test` runs the suite.
# Both create .venv on first use; nothing else needs installing by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test lint browser-test messages bench lock clean

# Every dependency comes from requirements-test.lock, pinned with its hashes:
# a changed file on the index is refused. `make lock` writes the locks again
# after a change to pyproject.toml's dependencies.
$(VENV)/.installed: pyproject.toml requirements-test.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "EchoHub needs Python 3.11 or newer (found " + sys.version.split()[0] + ").")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-test.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Beside the web server: a task worker (it sends the emails, printed on the
# console) and the reminder, evaluation, update, outbox and digest jobs every
# 5 minutes. Ctrl-C stops all three.
run: $(VENV)/.installed
	$(PY) -m echohub migrate --noinput
	$(PY) -m echohub demo
	export SITE_URL=http://127.0.0.1:$(PORT); \
	$(PY) -m echohub worker & worker=$$!; \
	(trap 'kill $$nap 2>/dev/null; exit' TERM; \
	 while :; do $(PY) -m echohub send_reminders; $(PY) -m echohub send_evaluations; $(PY) -m echohub purge_cases; $(PY) -m echohub publish_updates; $(PY) -m echohub send_digests weekly; $(PY) -m echohub send_digests monthly; $(PY) -m echohub send_outbox; $(PY) -m echohub send_webhooks; $(PY) -m echohub video_due; $(PY) -m echohub requeue_stale_tasks; sleep 300 & nap=$$!; wait $$nap; done) & \
	reminders=$$!; \
	trap 'kill $$worker $$reminders 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) -m echohub runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m echohub makemigrations --check --dry-run
	$(PY) -m pytest -n 2

# Drives a real Chromium; needs /usr/bin/chromium (Debian's `chromium` package).
browser-test: $(VENV)/.installed
	$(PY) -m pytest -m browser tests/browser -p no:xdist

messages: $(VENV)/.installed
	cd src/echohub && ../../$(PY) -m django makemessages -l fr --no-obsolete --ignore 'static/*'
	cd src/echohub && ../../$(PY) -m django compilemessages -l fr

bench: $(VENV)/.installed
	$(PY) bench/catalogue.py

UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --no-header --quiet
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet uv==0.13.9
	$(UV_COMPILE) -o requirements.lock
	$(UV_COMPILE) --extra test -o requirements-test.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
