"""What the bridge accepts of a collectivity client Librisoft sends and how a client's state
moves: pure Python. A client row is cleaned into `(values, errors)` (see `rows`)."""
from decimal import Decimal

from services.common.loi_lang import exceeds_cap

from . import values as v
from .rows import ROW_NOT_AN_OBJECT, Rule, clean, text_rule

CLIENT_TEXT_SIZES = {"number": 50, "name": 200, "phone": 30, "email": 254}
ADDRESS_SIZES = {"label": 100, "line1": 200, "line2": 200, "postal_code": 10, "city": 100}
FLAT_ADDRESS = {"address_label": "label", "address_line1": "line1", "address_line2": "line2",
                "postal_code": "postal_code", "city": "city"}  # one address as columns (CSV)
MAX_ADDRESSES = 20


def addresses(value):
    if v.is_blank(value):
        return []
    if not isinstance(value, list) or len(value) > MAX_ADDRESSES:
        raise ValueError(f"liste d'adresses attendue ({MAX_ADDRESSES} au plus).")
    cleaned, problems = [], []
    for index, item in enumerate(value, 1):
        if not isinstance(item, dict):
            problems.append(f"adresse {index} : objet attendu.")
            continue
        address = {}
        for name, size in ADDRESS_SIZES.items():
            try:
                address[name] = v.text(item.get(name), size) or ""
            except ValueError as exc:
                problems.append(f"adresse {index}, {name} : {exc}")
        if any(address.values()):
            cleaned.append(address)
    if problems:
        raise ValueError(" ".join(problems))
    return cleaned


CLIENT_KEY_RULES = {
    "number": Rule(text_rule("number", CLIENT_TEXT_SIZES), required=True),
    "collectivity": Rule(v.boolean, required=True),
}
CLIENT_RULES = {
    **CLIENT_KEY_RULES,
    "name": Rule(text_rule("name", CLIENT_TEXT_SIZES), required=True),
    "addresses": Rule(addresses),
    "phone": Rule(text_rule("phone", CLIENT_TEXT_SIZES), default=""),
    "email": Rule(v.email, default=""),
    "gencod": Rule(v.ean13, default=""),
    # « Client bloqué » (Librisoft's Complément tab): its accounts may ask for quotes, never
    # place an order
    "blocked": Rule(v.boolean, default=False),
    **{f"discount_{rate}": Rule(v.percent, default=Decimal("0.00"))
       for rate in ("2_1", "5_5", "20", "school")},
}
CLIENT_STATE_FIELDS = ("name", "addresses", "phone", "email", "gencod", "discount_2_1",
                       "discount_5_5", "discount_20", "discount_school", "lang_law_warning",
                       "blocked")
CLIENT_COLUMNS = ("active", "revision", *CLIENT_STATE_FIELDS)  # what an import stores


def clean_client(raw):
    """A client not flagged collectivité needs nothing but its number: its other fields are
    neither kept nor checked. A discount on books (VAT 5.5 %) above the Loi Lang's 9 % cap is
    kept as Librisoft sent it, with `lang_law_warning` set (services.common.loi_lang)."""
    if not isinstance(raw, dict):
        return {}, ROW_NOT_AN_OBJECT
    head, errors = clean(raw, CLIENT_KEY_RULES)
    if not errors and not head["collectivity"]:
        return head, {}
    values, errors = clean(_with_flat_address(raw), CLIENT_RULES)
    if not errors:
        values["lang_law_warning"] = exceeds_cap(values["discount_5_5"])
    return values, errors


def _with_flat_address(raw):
    """A row may give its one address as flat columns, as CSV does, instead of `addresses`."""
    address = {key: raw.get(column) for column, key in FLAT_ADDRESS.items()}
    if not v.is_blank(raw.get("addresses")) or all(map(v.is_blank, address.values())):
        return raw
    return {**raw, "addresses": [address]}


def next_client_state(current, incoming):
    """(outcome, state to store) for a cleaned client row against its stored state (None when
    unknown). Outcomes: created, updated (reactivation included), unchanged, deactivated,
    skipped; the state is None when nothing is to be stored. Every change bumps `revision`."""
    if not incoming["collectivity"]:
        if current is None:
            return "skipped", None
        if not current["active"]:
            return "unchanged", None
        return "deactivated", {**current, "active": False, "revision": current["revision"] + 1}
    state = {"number": incoming["number"], "active": True,
             **{name: incoming[name] for name in CLIENT_STATE_FIELDS}}
    if current is None:
        return "created", {**state, "revision": 1}
    if all(current[name] == value for name, value in state.items()):
        return "unchanged", None
    return "updated", {**state, "revision": current["revision"] + 1}
