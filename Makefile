# Regio Wmo. `make run`: the embedded demo on http://127.0.0.1:8000. `make test`: the whole test suite.
# Everything is installed by `make install` (uv for Python from uv.lock, npm for the front-end from package-lock.json).

UV_VERSION := 0.13.9
# uv from the PATH when there is one, else installed once into .tools/ (a small venv of its own).
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: install run test lint format schema schema-check migrations-check messages bench check-deploy clean backup restore backup-check

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV) node_modules/.installed
	$(UV) sync --frozen --quiet

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: install
	@echo "Regio Wmo: http://$(HOST):$(PORT)/  (de demo wordt geladen; stoppen: Ctrl+C)"
	@$(MANAGE) migrate --noinput -v0
	@$(MANAGE) load_demo -v0
	@echo ""
	@echo "Regio Wmo draait op http://$(HOST):$(PORT)/ : log in met een van de demo-logins hierboven."
	@$(MANAGE) runserver --skip-checks $(HOST):$(PORT)

test: install
	$(UV) run --frozen pytest -n $(TEST_WORKERS)

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# The schema is generated against the PostgreSQL backend's field ranges (production's database) without connecting to
# one, so that it is the same on every machine whatever DATABASE_URL says.
SCHEMA_ENV := DATABASE_URL=postgres://schema@127.0.0.1:1/schema

schema: install
	$(SCHEMA_ENV) $(MANAGE) spectacular --validate --fail-on-warn --file openapi.yaml
	$(MANAGE) region_file_schema > docs/region-file.schema.json

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

schema-check: install
	$(SCHEMA_ENV) $(MANAGE) spectacular --validate --fail-on-warn --file /tmp/regio-openapi.yaml
	diff -u openapi.yaml /tmp/regio-openapi.yaml || (echo "openapi.yaml is verouderd: draai make schema" && exit 1)

messages: install
	$(MANAGE) makemessages -l en --ignore=node_modules --ignore=.venv --ignore=tests --ignore=bench --no-location
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

bench: install
	$(UV) run --frozen python bench/run.py

check-deploy: install
	DJANGO_SETTINGS_MODULE=regio.settings_production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(60))') \
	  BW_PSEUDONYM_SECRET=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(40))') \
	  ALLOWED_HOSTS=localhost $(MANAGE) check --deploy --fail-level WARNING

# Backup and restore (regio/backup.py; README "Backups and restore"): one archive with the PostgreSQL dump (custom
# format), the private documents (PRIVATE_MEDIA_ROOT) and a manifest of counts, amount sums and document hashes.
# `make restore` restores into a fresh, empty database (DATABASE_URL) and document folder, then checks the result.
BACKUP ?= backups/regio-$(shell date +%Y-%m-%d-%H%M%S).tar.gz

backup:
	$(MANAGE) backup $(BACKUP)

restore:
	@test -f "$(BACKUP)" || (echo "Geef de back-up: make restore BACKUP=backups/regio-....tar.gz" && exit 1)
	$(MANAGE) restore $(BACKUP)

backup-check:
	$(MANAGE) backup_check $(if $(wildcard $(BACKUP)),$(BACKUP),)

clean:
	rm -rf .tools .venv node_modules staticfiles db.sqlite3 test.sqlite3
