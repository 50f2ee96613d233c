"""A minimum per title (issue 10, "Minimum to go ahead": « per title or overall »): besides the
grouped order's overall minimum, each title of a reading list may have its own minimum of PAID
copies, set with the title and changeable while the grouped order is open (1 to
MAX_COPIES_LIMIT, or empty: none).

At the deadline (where the overall minimum is checked):
- a REQUIRED title under its minimum fails the whole grouped order, as the overall minimum does
  (every payment refunded, every buyer and the initiator mailed, nothing for Librisoft);
- an OPTIONAL title under its minimum is dropped: cut to 0 copies as the bookshop's « Titres
  indisponibles » does (lines removed, partial refunds, a mail each, red until checked), and
  the grouped order goes on;
- then the overall minimum is checked on what remains (the paid copies of the titles kept);
- every title dropped (nothing left to order) fails the grouped order too.
Reached means paid ≥ minimum (a tie is reached). The outcome is decided whole before anything
changes: a grouped order that fails is not first cut, so each buyer gets one refund and one
mail. The rule is written for users in docs/reading-lists.md."""
from dataclasses import dataclass

from services.common.errors import invalid
from services.common.validation import whole_number

from .capacity import MAX_COPIES_LIMIT, minimum_failure_reason, minimum_reached

__all__ = ["TitleCount", "DeadlineOutcome", "title_minimum_field", "minimums_asked",
           "minimums_by_ean", "check_title_minimums",
           "deadline_outcome", "title_progress", "copies_label"]


@dataclass(frozen=True)
class TitleCount:
    """A title at the deadline as the rule sees it: its key (the title's row id), its name,
    whether every buyer must take it, its minimum (None: none) and its paid copies."""
    key: object
    title: str
    required: bool
    minimum: int | None
    paid: int
    at_pickup: int = 0  # of `paid`, the copies to be paid at pickup (issue 10 K5)


@dataclass(frozen=True)
class DeadlineOutcome:
    """What the deadline does: `fails` with its `reason` (every buyer refunded), or goes on
    with the optional titles `dropped` (their keys, in the list's order; maybe none).
    `per_title`: it fails for a title's minimum, not the overall one."""
    fails: bool
    reason: str = ""
    dropped: tuple = ()
    per_title: bool = False


def title_minimum_field(ean: str) -> str:
    """The form field (and error key) of a title's minimum."""
    return f"min_copies_{ean}"


def minimums_asked(data: dict) -> dict:
    """The minimums the initiator typed with the titles: `titles` [{"ean", "min_copies"}]
    ({ean: value}, the titles without one left out)."""
    asked = data.get("titles")
    if not isinstance(asked, list):
        return {}
    return {str(item.get("ean") or "").strip()[:20]: item.get("min_copies")
            for item in asked if isinstance(item, dict) and item.get("min_copies") is not None}


def minimums_by_ean(pairs) -> dict:
    """The minimums typed on the page or sent to the API, [(ean, value)], as {ean: value}: a
    title given twice is a French 400 (not the last value silently kept)."""
    found, twice = {}, []
    for ean, value in pairs:
        if ean in found and ean not in twice:
            twice.append(ean)
        found[ean] = value
    if twice:
        raise invalid("Vérifiez le minimum d'exemplaires de chaque titre.", {"titles": [
            f"Chaque titre une fois : {', '.join(map(str, twice))} est donné deux fois."]})
    return found


def check_title_minimums(eans, asked: dict, maximum=None) -> dict:
    """The minimum typed for each title ({ean: value}; a title not given: none): a whole number
    from 1 to MAX_COPIES_LIMIT, or empty, and not above the grouped order's `maximum` of copies
    (it could never be reached). An EAN not among `eans` is refused. Answers {ean: int | None}
    for every EAN of `eans`; every mistake at once (a French 400, nothing changed)."""
    eans = list(eans)
    errors = {}
    unknown = set(asked or {}) - set(eans)
    if "" in unknown:  # a minimum given without its title's EAN
        errors["titles"] = ["Indiquez l'EAN du titre de chaque minimum."]
    elif unknown:
        errors["titles"] = ["Titre inconnu dans cette commande groupée : "
                            f"{', '.join(sorted(map(str, unknown)))}."]
    found = {}
    for ean in eans:
        raw = (asked or {}).get(ean)
        raw = raw.strip() if isinstance(raw, str) else raw
        if raw in (None, ""):
            found[ean] = None
            continue
        value = None if isinstance(raw, bool) else whole_number(raw)
        if value is None or not 1 <= value <= MAX_COPIES_LIMIT:
            errors[title_minimum_field(ean)] = [
                f"Minimum du titre : un nombre entier entre 1 et {MAX_COPIES_LIMIT}, ou vide."]
            continue
        if maximum is not None and value > maximum:
            errors[title_minimum_field(ean)] = [
                f"Minimum du titre ({value}) supérieur au maximum de la commande groupée "
                f"({maximum} exemplaires) : il ne pourrait jamais être atteint."]
            continue
        found[ean] = value
    if errors:
        raise invalid("Vérifiez le minimum d'exemplaires de chaque titre.", errors)
    return found


def _plural(n):
    return "s" if n > 1 else ""


def copies_label(paid, minimum, at_pickup=0) -> str:
    """`at_pickup`: of the `paid` copies, those to be paid at pickup (issue 10 K5: they count,
    and the label says so, as the overall minimum's)."""
    return (f"{paid} / {minimum} exemplaire{_plural(minimum)} payé{_plural(minimum)}"
            + (" ou à payer au retrait" if at_pickup else ""))


def _title_reason(t: TitleCount) -> str:
    return (f"Minimum non atteint à la clôture des souscriptions pour « {t.title} » (titre obligatoire) : "
            f"{t.paid} exemplaire{_plural(t.paid)} payé{_plural(t.paid)}"
            f"{' ou à payer au retrait' if t.at_pickup else ''} sur les {t.minimum} "
            f"nécessaires.")


def deadline_outcome(overall_minimum, titles, at_pickup=0) -> DeadlineOutcome:
    """`titles`: a TitleCount each, in the list's order (`paid`: the copies that count, paid
    and to be paid at pickup). The first required title under its minimum fails the grouped
    order; the optional ones under theirs are dropped; the overall minimum is then checked on
    the copies of the titles kept (`at_pickup`: some of them are to be paid at pickup, the
    reason says so)."""
    titles = list(titles)
    under = [t for t in titles if not minimum_reached(t.minimum, t.paid)]
    for t in under:
        if t.required:
            return DeadlineOutcome(True, _title_reason(t), per_title=True)
    dropped = tuple(t.key for t in under)
    if titles and len(dropped) == len(titles):
        names = ", ".join(f"« {t.title} »" for t in under)
        return DeadlineOutcome(True, "Minimum non atteint à la clôture des souscriptions pour chaque titre "
                                     f"({names}) : il ne reste rien à commander.",
                               per_title=True)
    paid = sum(t.paid for t in titles if t.key not in dropped)
    if not minimum_reached(overall_minimum, paid):
        reason = minimum_failure_reason(overall_minimum, paid, at_pickup)
        if dropped:
            reason += " (sans les titres facultatifs sous leur minimum)"
        return DeadlineOutcome(True, reason)
    return DeadlineOutcome(False, "", dropped)


def title_progress(ean, title, required, minimum, paid, at_pickup=0) -> dict:
    """A title's progress on the public page: « Titre : 3 / 5 exemplaires payés » (`paid`:
    the copies that count, `at_pickup` of them to be paid at pickup: « … payés ou à payer au
    retrait »)."""
    return {"ean": ean, "title": title, "required": bool(required), "minimum": minimum,
            "paid": paid, "minimum_reached": minimum_reached(minimum, paid),
            "label": f"{title} : {copies_label(paid, minimum, at_pickup)}"}
