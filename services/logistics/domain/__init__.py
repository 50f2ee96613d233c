"""The logistics rules (reference 003, step 3), pure Python:

- `orders`: which orders are candidates (« Commande prête »), how the owners' events move them;
- `batches`: which orders a hand-off takes, or why it is refused; the batch file's rows;
- `files`: the CSV and JSON formats of the batch file (docs/logistics.md);
- `delivery`: the signed POST to the logistician and its retry schedule.
"""
from . import batches, delivery, files, orders

__all__ = ["batches", "delivery", "files", "orders"]
