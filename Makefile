# Two entry points for a fresh machine: `make run` and `make test`.
# Both create ./.venv and install the pinned requirements into it first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test browser check clean

$(VENV)/.app-installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.app-installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.app-installed
	$(PY) -m streamlit run streamlit_app.py

# Browser tests drive Debian's Chromium; Playwright cannot download its own here.
# The PDF export tests render pages with poppler's pdftoppm (and PDFium, from pip).
# apt-get needs root: as another user, sudo is used.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }
	@command -v pdftoppm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq poppler-utils; }

test: $(VENV)/.dev-installed browser
	$(PY) -m pytest

check: $(VENV)/.app-installed
	$(PY) -m mapapp check

clean:
	rm -rf $(VENV) static/vendor static/data .pytest_cache test-artifacts
