"""Issue 12's scheme, held: grouped_orders' rules are pure (domain/ imports the standard library
and the pure modules of services.common only), and nameko stays in service.py."""
import ast
import sys
from pathlib import Path

import services.grouped_orders

PACKAGE = Path(services.grouped_orders.__file__).parent
PURE_COMMON = {"services.common.errors", "services.common.money", "services.common.clock",
               "services.common.loi_lang", "services.common.validation"}


def imports(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module


def test_the_domain_imports_only_the_standard_library_and_pure_common_modules():
    modules = sorted((PACKAGE / "domain").glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        for name in imports(path):
            assert name in PURE_COMMON or name.split(".")[0] in sys.stdlib_module_names, \
                f"{path.name} imports {name}"


def test_only_service_py_knows_nameko_and_eventlet():
    for path in PACKAGE.rglob("*.py"):
        if path.name == "service.py" or "migrations" in path.parts:
            continue
        for name in imports(path):
            assert name.split(".")[0] not in ("nameko", "eventlet") and \
                name != "services.common.nameko_glue", f"{path} imports {name}"
