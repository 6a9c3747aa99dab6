"""The mapping area's service API: what views, commands and other areas call."""

from __future__ import annotations

from app.mapping.schema import DiffRow, Problem, bas_default, diff_mappings, validate_mapping
from app.mapping.seen import Seen, seen_in_closures, unmapped
from app.mapping.transfer import (
    ImportResult,
    StoreChange,
    apply_import,
    export_mapping,
    import_mapping,
)
from app.mapping.versions import (
    AccountsNotInChart,
    MappingInvalid,
    authors,
    changed_accounts,
    current_data,
    get_version,
    latest_mapping,
    list_versions,
    save_mapping,
)

__all__ = [
    "AccountsNotInChart",
    "DiffRow",
    "ImportResult",
    "MappingInvalid",
    "Problem",
    "Seen",
    "StoreChange",
    "apply_import",
    "authors",
    "bas_default",
    "changed_accounts",
    "current_data",
    "diff_mappings",
    "export_mapping",
    "get_version",
    "import_mapping",
    "latest_mapping",
    "list_versions",
    "save_mapping",
    "seen_in_closures",
    "unmapped",
    "validate_mapping",
]
