"""The shape of the code (issue 12), read from the source with `ast` (nothing is imported):

- a service's domain (`services/<svc>/domain.py` and `services/<svc>/domain/*.py`) imports only
  the standard library, its own domain and the pure modules of services/common;
- no service imports another service's package (and services/common imports none);
- `nameko` and `eventlet` are imported only in `services/*/service.py` and `services/common/`
  (the transport seam: see docs/architecture.md, "Moving to another transport").

A violation that another helper's branch is fixing is marked xfail(strict=True) with its name:
once that branch is merged the test passes, strict xfail fails, and the marker is removed."""
import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES_DIR = ROOT / "services"
SERVICES = sorted(p.name for p in SERVICES_DIR.iterdir()
                  if (p / "__init__.py").exists() and p.name != "common")
PURE_COMMON = ("errors", "money", "clock", "loi_lang", "validation", "roles", "progress",
               "invoiced")
# well-kept libraries that are pure computation (no I/O): EAN check digits, accent folding
PURE_LIBRARIES = ("stdnum", "unidecode")
TRANSPORT = ("nameko", "eventlet")
STDLIB = sys.stdlib_module_names


def module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path):
    """(absolute module name, line) of every import in the file, nested ones included; a
    `from x import y` gives `x.y` (y may be a module or a name in x)."""
    package = module_of(path) if path.name == "__init__.py" else module_of(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            for alias in node.names:
                yield f"{module}.{alias.name}", node.lineno


def python_files(directory: Path):
    return sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)


def domain_files(service: str):
    base = SERVICES_DIR / service
    return [p for p in [base / "domain.py", *sorted((base / "domain").glob("*.py"))]
            if p.exists()]


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def domain_allows(service: str, module: str) -> bool:
    return (module.split(".")[0] in STDLIB or module.split(".")[0] in PURE_LIBRARIES
            or within(module, f"services.{service}.domain")
            or any(within(module, f"services.common.{pure}") for pure in PURE_COMMON))


def where(path, line, module):
    return f"{path.relative_to(ROOT)}:{line} imports {module}"


def helper(branch, why):
    return pytest.mark.xfail(strict=True, reason=f"{why}: being fixed on branch {branch}")


def domain_violations(service):
    return [where(p, line, m) for p in domain_files(service) for m, line in imports(p)
            if not domain_allows(service, m)]


def cross_service_violations(package):
    own = {package, "common"}
    return [where(p, line, m) for p in python_files(SERVICES_DIR / package)
            for m, line in imports(p)
            if within(m, "services") and m.count(".") >= 1 and m.split(".")[1] not in own
            and m.split(".")[1] in SERVICES]


def transport_violations(service):
    return [where(p, line, m) for p in python_files(SERVICES_DIR / service)
            for m, line in imports(p)
            if m.split(".")[0] in TRANSPORT and p.name != "service.py"]


# ---- the rules themselves -------------------------------------------------------------------
DOMAIN_XFAIL = {}
TRANSPORT_XFAIL = {}


def marked(table):
    return [pytest.param(s, marks=table[s]) if s in table else s for s in SERVICES]


@pytest.mark.parametrize("service", marked(DOMAIN_XFAIL))
def test_a_domain_imports_only_the_standard_library_and_pure_common_modules(service):
    assert domain_violations(service) == []


def test_the_domains_are_found():
    # notifications has no domain module on main; the five others do
    assert len([s for s in SERVICES if domain_files(s)]) >= 5


@pytest.mark.parametrize("package", [*SERVICES, "common"])
def test_no_service_imports_another_service(package):
    assert cross_service_violations(package) == []


@pytest.mark.parametrize("service", marked(TRANSPORT_XFAIL))
def test_nameko_and_eventlet_only_in_service_py_and_common(service):
    assert transport_violations(service) == []


# ---- the checker catches what it must (so that a green run means something) ---------------
def test_the_checker_sees_every_kind_of_import(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    package = tmp_path / "services" / "shop" / "domain"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    source = package / "rules.py"
    source.write_text("import decimal\nfrom . import status\nfrom ..models import Row\n"
                      "from services.common import errors, db\n"
                      "def f():\n    import eventlet\n")
    found = {m for m, _ in imports(source)}
    assert found == {"decimal", "services.shop.domain.status", "services.shop.models.Row",
                     "services.common.errors", "services.common.db", "eventlet"}
    assert sorted(m for m in found if not domain_allows("shop", m)) == \
        ["eventlet", "services.common.db", "services.shop.models.Row"]
