"""The module vocabulary of issue 12, checked on the services that follow it: `domain/` imports
only the standard library and the pure modules of services.common; nameko and eventlet are
imported only by service.py (and services/common)."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PURE_COMMON = {"services.common.errors", "services.common.money", "services.common.clock",
               "services.common.loi_lang", "services.common.validation",
               "services.common.roles", "services.common.progress"}
SHAPED = ["accounts", "payments", "notifications"]


def _imports(path):
    """The absolute names a module imports (relative imports resolved against its package)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            name = ".".join(p for p in (base, node.module or "") if p)
            yield name
            if node.module is None:  # from . import x
                yield from (f"{name}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("service", SHAPED)
def test_the_domain_is_pure(service):
    domain = ROOT / "services" / service / "domain"
    assert (domain / "__init__.py").exists()
    for path in domain.glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name in PURE_COMMON or \
                name.startswith(f"services.{service}.domain"), f"{path.name} imports {name}"


@pytest.mark.parametrize("service", SHAPED)
def test_nameko_and_eventlet_only_in_service_py(service):
    for path in (ROOT / "services" / service).rglob("*.py"):
        if path.name == "service.py" or "migrations" in path.parts:
            continue
        for name in _imports(path):
            assert name.split(".")[0] not in ("nameko", "eventlet"), f"{path} imports {name}"
