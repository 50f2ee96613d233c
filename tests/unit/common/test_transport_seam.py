"""The transport seam in services/common: what of eventlet/nameko the rest of the code needs is
behind one named function each (docs/architecture.md, "Moving to another transport")."""
import ast
from pathlib import Path

from services.common import db as db_module, offload
from services.common.db import Database, make_base

COMMON = Path(db_module.__file__).parent
# the only modules of services/common that import nameko or eventlet
TRANSPORT_MODULES = {"nameko_glue.py", "batching.py", "offload.py", "wire.py", "run.py"}


def test_sqlite_transactions_are_serialised_by_the_process_lock(monkeypatch):
    made = []

    def lock():
        made.append(offload.threading.RLock())
        return made[-1]

    monkeypatch.setattr(offload, "process_lock", lock)
    database = Database("test", make_base().metadata, "sqlite://")
    try:
        assert database._serial is made[0]
        with database.transaction():
            assert made[0]._is_owned()
    finally:
        database.dispose()


def test_no_other_common_module_imports_the_transport():
    importing = set()
    for path in COMMON.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("nameko", "eventlet") for n in names):
                importing.add(path.relative_to(COMMON).as_posix())
    assert importing == TRANSPORT_MODULES
