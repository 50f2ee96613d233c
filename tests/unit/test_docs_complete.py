"""docs/architecture.md stays true: every event of the registry is in its events table with its
version and its consumers, every RPC of every service is named."""
import re
from pathlib import Path

from services.common.contracts.events import CONTRACTS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def table_row(event):
    for line in DOC.splitlines():
        if line.startswith(f"| `{event}` ({CONTRACTS[event].version}) |"):
            return line
    return None


def test_every_event_is_in_the_events_table_with_its_consumers():
    missing, consumers_missing = [], []
    for name, contract in CONTRACTS.items():
        row = table_row(name)
        if row is None:
            missing.append(name)
            continue
        consumers = row.split("|")[3]
        consumers_missing += [(name, service) for service, _ in contract.consumers
                              if service not in consumers]
    assert missing == [] and consumers_missing == []


def test_every_rpc_is_named():
    rpcs = [(path.parent.name, m.group(1))
            for path in sorted((ROOT / "services").glob("*/service.py"))
            for m in re.finditer(r"@rpc\n\s+def (\w+)\(", path.read_text(encoding="utf-8"))]
    assert len(rpcs) > 50
    assert [(s, r) for s, r in rpcs if f"`{r}(" not in DOC and f"`{r}`" not in DOC] == []
