# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
TRANSLATIONS := awards_app/translations
CHECKERS := tests/browser
export FLASK_APP := awards_app

.PHONY: run test install lock system system-run checkers translations translations-update serve clean

run: system-run install translations ## set up everything and serve the demo on SQLite, with one job-queue consumer
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@# One job-queue consumer beside the web server (mail, reminders), on the SQLite queue in
	@# instance/ unless HUEY_URL says otherwise. A background job of this non-interactive shell
	@# ignores Ctrl-C, so the trap stops it whenever the web server ends, however it ends.
	export PUBLIC_BASE_URL="$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(BIN)/flask worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: system install translations checkers ## run the whole test suite
	$(BIN)/lint-imports --no-cache  # the layers of pyproject.toml: features import downwards only
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

# Debian packages pip cannot install, installed as root or with sudo (else the one command to run is
# named). The tests need them all; the demo runs without them, but certificate PDFs need Pango.
system:
	@bash .ci/system-packages --checkers .ci/apt-packages-run.txt .ci/apt-packages.txt

system-run:
	@bash .ci/system-packages --optional .ci/apt-packages-run.txt

# Exact versions with their hashes from requirements.lock (pyproject.toml keeps the ranges).
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

lock: ## refresh requirements.lock from pyproject.toml's ranges (newest versions that fit, with hashes)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --extra test --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-trusted-host --no-emit-find-links -o requirements.lock pyproject.toml .ci/requirements-older-pythons.in

# axe-core and the Nu HTML checker for the browser tests, from npm (vnu.jar runs on the system Java;
# its install script, which would fetch a Java of its own, is skipped).
checkers: $(CHECKERS)/node_modules/.installed

$(CHECKERS)/node_modules/.installed: $(CHECKERS)/package.json $(CHECKERS)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests' checkers: run make test as root, or install nodejs and npm"; exit 1; }
	npm ci --prefix $(CHECKERS) --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

translations: install ## compile the message catalogs (.po -> .mo)
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

translations-update: install ## after changing user-facing text: extract, merge, then translate the new entries
	@# --ignore-dirs: pybabel's default also skips folders named _*, and so templates/_macros/ ("Please
	@# correct the field marked below.", the pagination) escaped the catalogs.
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' -o $(TRANSLATIONS)/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/python -m awards_app.core.catalogs fill-english $(TRANSLATIONS)/en/LC_MESSAGES/messages.po
	$(BIN)/python -m awards_app.core.catalogs missing $(TRANSLATIONS)/ja/LC_MESSAGES/messages.po

serve: install translations ## production-style server (gunicorn) on the configured database
	$(BIN)/flask db upgrade
	PORT=$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py "awards_app:create_app()"

clean:
	rm -rf $(VENV) instance build *.egg-info $(CHECKERS)/node_modules
