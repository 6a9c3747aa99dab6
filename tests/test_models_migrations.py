"""The migrations build exactly the tables app.models declares (what `alembic check` compares)."""

from __future__ import annotations

import subprocess
import sys

# In a fresh interpreter: in the suite's own process other imports have registered every model,
# which would hide one missing from app.models (the one module migrations/env.py imports).
CHECK = """
import sys
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel
import app.models

with sa.create_engine(sys.argv[1]).connect() as conn:
    diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
for d in diffs:
    if isinstance(d, tuple) and d[0] in ("add_table", "remove_table"):
        print(d[0], d[1].name)
"""


def test_every_migrated_table_has_its_model_and_no_model_lacks_a_migration(database_url):
    """A model left out of app.models (or a table no migration makes) is a difference."""
    done = subprocess.run(
        [sys.executable, "-c", CHECK, database_url], capture_output=True, text=True, check=True
    )
    assert done.stdout == "", done.stdout
