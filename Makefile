# Kassabok: `make run` starts the demo portal, `make test` runs the whole test suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CATALOGS := $(wildcard app/translations/*/LC_MESSAGES/messages.po)

.PHONY: run test lint format messages translations screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP) $(CATALOGS:.po=.mo)

%.mo: %.po
	$(BIN)/pybabel compile -i $< -o $@

run: $(STAMP) translations
	scripts/run.sh

test: $(STAMP) translations
	scripts/test.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract every _() string and merge it into the Swedish and English catalogs.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshot.py docs/img
