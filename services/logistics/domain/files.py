"""The batch file the logistician receives, in two formats (docs/logistics.md):

- CSV: UTF-8 with a byte order mark, `;` between fields, CRLF line ends, fields quoted when
  needed (RFC 4180 quoting), a header row, then one row per line of each order. The delivery
  address or pickup place is one field, its parts joined by ", ". A field starting with
  = + - @ (a spreadsheet formula) is written after an apostrophe.
- JSON: UTF-8, the batch with its orders, each with its lines (`FORMAT` names the version).
  The JSON file is also the body of the signed POST (the same bytes).
Pure Python."""
import csv
import io
import json

FORMAT = "librairie-logistique/1"
CSV_COLUMNS = ("lot", "type", "commande", "reference", "client", "adresse_livraison_ou_retrait",
               "ean", "titre", "quantite")
CSV_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def one_line(text: str) -> str:
    """A multi-line address as one field: its non-empty parts joined by ", "."""
    return ", ".join(part.strip() for part in str(text or "").splitlines() if part.strip())


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_SEPARATOR, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow([r.batch_number, r.kind, r.number, _cell(r.reference), _cell(r.customer),
                         _cell(one_line(r.destination)), r.ean, _cell(r.title), r.quantity])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_document(batch_number: int, created_at: str, created_by: str, rows) -> dict:
    """The batch as the JSON file holds it: its orders, each with its lines, in batch order."""
    orders = {}
    for r in rows:
        order = orders.setdefault((r.kind, r.number), {
            "kind": r.kind, "number": r.number, "reference": r.reference,
            "customer": r.customer, "destination": {
                "label": one_line(r.destination),
                "lines": [p.strip() for p in str(r.destination).splitlines() if p.strip()]},
            "lines": []})
        order["lines"].append({"ean": r.ean, "title": r.title, "quantity": r.quantity})
    return {"format": FORMAT, "batch_number": batch_number, "created_at": created_at,
            "created_by": created_by, "order_count": len(orders), "line_count": len(rows),
            "quantity_total": sum(r.quantity for r in rows), "orders": list(orders.values())}


def to_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def filename(batch_number: int, fmt: str) -> str:
    return f"lot-logisticien-{int(batch_number):06d}.{fmt}"
