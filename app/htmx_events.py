"""The names of every htmx event the server triggers, in one place."""

from __future__ import annotations

STORE_SAVED = "store-saved"
SETTINGS_SAVED = "settings-saved"
MAPPING_SAVED = "mapping-saved"
TOKEN_CREATED = "token-created"
JOB_FINISHED = "job-finished"
CLOSURE_CHANGED = "closure-changed"
PREFLIGHT_RAN = "preflight-ran"
