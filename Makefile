# lvzhi: `make run` starts the platform with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/lvzhi
CHROMIUM ?= /usr/bin/chromium

# `make install` (production: runtime packages only) is in docs/deploy.md.
.PHONY: install setup run test test-sqlite test-postgres test-deploy lint system-deps browser-deps bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "lvzhi needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Readable by its owner only (0600): the key signs sessions and password-reset links.
var/secret_key:
	@mkdir -p var
	@(umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@)

setup: $(VENV)/.installed frontend/node_modules/.installed

# A production install: the runtime packages only (no pytest, Playwright or ruff), pinned
# by the lock files, and the Debian packages PDFs need. On an intranet point pip, npm and
# apt at local mirrors first (PIP_INDEX_URL, npm_config_registry, /etc/apt/sources.list).
install: frontend/node_modules/.installed system-deps
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "lvzhi needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements.lock -e .

run: setup system-deps var/secret_key
	@chmod 600 var/secret_key
	@export SECRET_KEY=$$(cat var/secret_key); \
	echo "1/4 建立或升级数据库……" && $(PY) -m lvzhi migrate --noinput -v 0 && \
	$(PY) -m lvzhi createcachetable && \
	echo "2/4 准备页面所需的静态文件……" && $(PY) -m lvzhi collectstatic --noinput -v 0 && \
	echo "3/4 载入演示数据……" && $(PY) -m lvzhi demo --demo && \
	echo "4/4 启动服务" && \
	echo "履职平台：http://127.0.0.1:$(PORT)/  （Ctrl-C 停止）" && \
	exec $(VENV)/bin/gunicorn lvzhi.wsgi --config lvzhi/gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# PDFs (WeasyPrint) need Pango and the Noto CJK fonts from Debian; the browser tests need
# Debian's Chromium and poppler-utils (pdftotext). Each is installed only when missing.
system-deps:
	@if ! ldconfig -p | grep -q libpangoft2-1.0 || ! fc-list 2>/dev/null | grep -qi 'Noto Serif CJK'; then \
		echo "installing fonts-noto-cjk and Pango"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

browser-deps: system-deps
	@if [ ! -x $(CHROMIUM) ] || ! command -v pdftotext >/dev/null; then \
		echo "installing chromium and poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium poppler-utils >/dev/null; \
	fi

lint: setup
	$(VENV)/bin/ruff check .

# The SQLite and PostgreSQL passes run side by side (nothing shared: each its own database
# and Redis database; each one's output printed whole when it ends), then the deployment.
test: setup browser-deps lint
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(MAKE) --no-print-directory test-deploy

test-sqlite: setup
	SECRET_KEY=test-only $(PY) -m pytest -q --durations=10 -m 'not deploy'

# The documented deployment as real processes: PostgreSQL, two gunicorn instances, a task
# worker on a private Redis, the periodic command twice at once (lvzhi/core/tests/test_deploy.py).
test-deploy: setup
	SECRET_KEY=test-only $(PY) -m pytest -q -m deploy

# With CI=true a missing PostgreSQL fails the run; on a developer machine it is skipped.
# The backup test there needs pg_dump and pg_restore (Debian's postgresql-client).
test-postgres: setup
	@command -v pg_dump >/dev/null || { echo "installing postgresql-client"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			postgresql-client >/dev/null; }
	@if ! $(PY) -c 'import psycopg, sys; psycopg.connect("$(PG_URL:/lvzhi=/postgres)", connect_timeout=3).close()' 2>/dev/null; then \
		if [ "$$CI" = "true" ]; then echo "PostgreSQL is not reachable at $(PG_URL)"; exit 1; fi; \
		echo "PostgreSQL not reachable: skipping the PostgreSQL run"; exit 0; \
	fi; \
	SECRET_KEY=test-only DATABASE_URL=$(PG_URL) TEST_REDIS_URL=redis://127.0.0.1:6379/14 \
		$(PY) -m pytest -q --durations=10 -m 'not browser and not deploy'

# The benchmark (not part of the tests): a fresh database at realistic scale under var/bench,
# then a bounded load run against gunicorn on loopback. Figures go to docs/performance.md.
bench: setup system-deps
	rm -rf var/bench && mkdir -p var/bench
	export LVZHI_VAR_DIR=var/bench SECRET_KEY=bench-only-secret; \
	$(PY) -m lvzhi migrate --noinput -v 0 && \
	$(PY) -m lvzhi createcachetable && \
	$(PY) -m lvzhi collectstatic --noinput -v 0 && \
	$(PY) -m bench.generate && \
	$(PY) -m bench.duties && \
	$(PY) -m bench.ledgers && \
	$(PY) -m bench.search && \
	$(PY) -m bench.exports && \
	$(PY) -m bench.run && \
	$(PY) -m bench.writes && \
	$(PY) -m bench.exporting && \
	$(PY) -m bench.checkin && \
	$(PY) -m bench.audit

clean:
	rm -rf $(VENV) frontend/node_modules var test-output
