"""A feed row cleaned field by field, pure Python: each field has a `Rule` (its parser from
`values`, whether it is required, its default). A row is cleaned into `(values, errors)`:
`values` holds the normalised fields, `errors` maps a field to French messages (empty when the
row is good)."""
from dataclasses import dataclass
from functools import partial
from collections.abc import Callable

from . import values as v

ROW_NOT_AN_OBJECT = {"_row": ["ligne illisible : un objet (champ -> valeur) est attendu."]}


@dataclass(frozen=True)
class Rule:
    parse: Callable
    required: bool = False
    default: object = None


def text_rule(name, sizes):
    """The parser of a text field whose size is `sizes[name]`."""
    return partial(v.text, max_length=sizes[name])


def unreadable(value) -> None:
    """A lone UTF-16 surrogate (« \\ud800 » in JSON, valid there) can be neither stored nor
    sent on: the row is refused with its field named (it made the whole feed a 500)."""
    for text in (value if isinstance(value, (list, tuple)) else [value]):
        if isinstance(text, dict):
            for inner in text.values():
                unreadable(inner)
        elif isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("caractère Unicode incomplet (demi-paire de substitution) "
                                 "interdit.") from None


def clean(raw: dict, rules: dict):
    values, errors = {}, {}
    for name, rule in rules.items():
        try:
            unreadable(raw.get(name))
            value = rule.parse(raw.get(name))
        except ValueError as exc:
            errors[name] = [str(exc)]
            continue
        if value is None and rule.required:
            errors[name] = ["champ obligatoire."]
            continue
        values[name] = rule.default if value is None else value
    return values, errors
