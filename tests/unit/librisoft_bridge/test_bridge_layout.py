"""The bridge's shape (issue 12): its rules are pure, nameko stays in service.py, and the
helpers written once in services.common are not written again here."""
import ast
import sys
from pathlib import Path

BRIDGE = Path(__file__).resolve().parents[3] / "services" / "librisoft_bridge"
PURE_COMMON = {"services.common.errors", "services.common.money", "services.common.clock",
               "services.common.loi_lang", "services.common.validation"}
VALUE_PARSERS = {"stdnum", "unidecode"}  # the EAN13 check and the accent-free search key


def imported(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def defined(path):
    tree = ast.parse(path.read_text())
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)} | {
        target.id for node in tree.body if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)}


def test_the_domain_imports_only_the_standard_library_and_pure_modules():
    for path in (BRIDGE / "domain").glob("*.py"):
        for name in imported(path):
            top = name.split(".")[0]
            assert (name.startswith(".") or name in PURE_COMMON or top in VALUE_PARSERS
                    or top in sys.stdlib_module_names), f"{path.name} imports {name}"


def test_nameko_and_eventlet_stay_in_service_py():
    for path in BRIDGE.rglob("*.py"):
        if path.name != "service.py":
            assert not any(name.split(".")[0] in ("nameko", "eventlet")
                           for name in imported(path)), path


def test_no_local_copy_of_the_common_helpers():
    for path in BRIDGE.rglob("*.py"):
        assert not defined(path) & {"utcnow", "now", "money", "CENT", "public_url", "_tx", "_do",
                                    "LANG_LAW_MAX_DISCOUNT"}, path
