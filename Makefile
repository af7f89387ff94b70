# The two commands a newcomer needs: `make run` (portal with demo data) and `make test` (the suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test test-fast worker beat lint messages bench bench-dashboard bench-office clean-data

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.installed-run: $(VENV)/.python-ok requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

## run: the portal with demo data on http://127.0.0.1:$(PORT) (embedded PostgreSQL unless DATABASE_URL is set)
run: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo
	@# The demo PKI (CRL, OCSP, timestamps) runs beside the portal and stops with it.
	DEBUG=$${DEBUG:-1} $(PY) manage.py demo_pki_serve & pki=$$!; trap 'kill $$pki 2>/dev/null' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: the whole suite on PostgreSQL (DATABASE_URL, else the embedded one) and Redis (REDIS_URL)
test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

## test-fast: the suite without the real-worker and browser tests
test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -m "not integration and not e2e" $(PYTEST_ARGS)

## worker / beat: Celery against REDIS_URL
worker: $(VENV)/.installed-run
	$(VENV)/bin/celery -A egov worker -Q default,pdf,signing,notifications --loglevel=INFO

beat: $(VENV)/.installed-run
	$(VENV)/bin/celery -A egov beat --loglevel=INFO

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

## bench: signing speed (PAdES B-B/B-T/B-LT, stock pyHanko vs ours) in a throw-away test database; BENCH_N scales it;
## then the one-stop desk under wrk on 1,000,000 dossiers (BENCH_DOSSIERS, BENCH_DESK_SECONDS; README "Benchmarks"),
## the statistics, and eOffice's document list and search on 1,000,000 documents (BENCH_DOCS, BENCH_OFFICE_SECONDS)
bench: $(VENV)/.installed-dev
	@# Every benchmark runs even when one fails its target; the exit status says whether any did.
	@status=0; for b in signing desk dashboard office_search; do $(PY) bench/$$b.py || status=1; done; exit $$status

## bench-dashboard: statistics pages against the /healthz floor on the bench database (1M dossiers, 1M documents)
bench-dashboard: $(VENV)/.installed-dev
	$(PY) bench/dashboard.py

## bench-office: eOffice list and search over 1,000,000 documents against the /healthz floor (database egov_office_bench)
bench-office: $(VENV)/.installed-dev
	$(PY) bench/office_search.py

## messages: refresh and compile the English translation (needs GNU gettext)
messages: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --ignore=".venv/*" --ignore="static/vendor/*" --ignore="tests/*"
	DEBUG=1 $(PY) manage.py compilemessages -l en -l vi --ignore=".venv/*"

clean-data:
	rm -rf .data
