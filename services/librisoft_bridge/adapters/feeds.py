"""Feed bodies (JSON or CSV) -> numbered rows, before any field is checked.

A body that cannot be read at all raises DomainError (the webservice answers 400 and stores
nothing); a CSV line that does not fit the header becomes a row carrying its `error`, reported
with the other rejected rows. `line` is the physical line in a CSV file (the header is line 1)
and the 1-based position of the item in a JSON list."""
import csv
import io
import json
from decimal import Decimal
from typing import NamedTuple

from services.common.errors import DomainError, invalid

REQUIRED_COLUMNS = {"articles": ("ean", "title"), "clients": ("number", "name", "collectivity")}
CSV_TYPES = ("text/csv", "application/csv")
DELIMITERS = (";", ",", "\t")


class FeedRow(NamedTuple):
    line: int
    data: object
    error: str | None = None


def numbered(rows) -> list:
    """Rows already parsed (objects) numbered from 1; FeedRows are kept as they are."""
    if not isinstance(rows, list):
        raise invalid("Une liste de lignes est attendue.")
    return [row if isinstance(row, FeedRow) else FeedRow(index, row)
            for index, row in enumerate(rows, 1)]


def parse(body: bytes, mimetype: str, charset: str | None, kind: str) -> list:
    if mimetype == "application/json":
        return parse_json(decode(body, charset), kind)
    if mimetype in CSV_TYPES:
        return parse_csv(decode(body, charset), kind)
    raise DomainError(f"Content-Type « {mimetype or 'absent'} » non pris en charge : "
                      "application/json ou text/csv attendu.", code="unsupported_media_type")


def decode(body: bytes, charset: str | None) -> str:
    encoding = (charset or "utf-8").lower()
    try:
        return body.decode("utf-8-sig" if encoding in ("utf-8", "utf8") else encoding)
    except LookupError:
        raise invalid(f"Encodage inconnu : « {charset} ».") from None
    except UnicodeDecodeError as exc:
        raise invalid(f"Le corps n'est pas du texte {encoding} valide "
                      f"(octet {exc.start}) : UTF-8 attendu.") from None


def load_json(text: str):
    """The JSON document, decimals read exactly; DomainError (400) when it cannot be read."""
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        raise invalid(f"JSON illisible : {exc}.") from None
    except RecursionError:
        raise invalid("JSON illisible : imbrication trop profonde.") from None


def parse_json(text: str, kind: str) -> list:
    document = load_json(text)
    if isinstance(document, dict) and kind in document:
        document = document[kind]
    if not isinstance(document, list):
        raise invalid(f'JSON inattendu : {{"{kind}": [...]}} ou une liste est attendu.')
    return numbered(document)


def parse_csv(text: str, kind: str) -> list:
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        columns = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise invalid("CSV vide : une ligne d'en-tête est attendue.") from None
    _check_header(columns, kind)
    rows, next_line = [], reader.line_num + 1
    try:
        for cells in reader:
            line, next_line = next_line, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                rows.append(_csv_row(line, columns, cells))
    except csv.Error as exc:
        raise invalid(f"CSV illisible à la ligne {reader.line_num} : {exc}.") from None
    return rows


def _check_header(columns, kind):
    missing = [name for name in REQUIRED_COLUMNS[kind] if name not in columns]
    if missing:
        required = ", ".join(REQUIRED_COLUMNS[kind])
        raise invalid(f"En-tête CSV incomplet : colonne(s) {', '.join(missing)} manquante(s). "
                      f"La première ligne doit nommer les champs ({required}, ...), "
                      "séparés par « ; » ou « , ».")
    doubles = sorted({name for name in columns if name and columns.count(name) > 1})
    if doubles:
        raise invalid(f"En-tête CSV : colonne(s) en double : {', '.join(doubles)}.")


def _csv_row(line, columns, cells) -> FeedRow:
    extra = [cell for cell in cells[len(columns):] if cell.strip()]
    data = {name: cell for name, cell in zip(columns, cells) if name}
    if extra:
        return FeedRow(line, data, f"{len(cells)} cellules pour {len(columns)} colonnes : "
                                   "un séparateur en trop ? (mettez les décimales entre "
                                   "guillemets si le séparateur est la virgule)")
    return FeedRow(line, data)
