"""Checks of single input values shared by every door: the gateway's schemas and forms and the
services' domain rules call the same functions, so a value refused at one door is refused at
all of them, with the same French message. Pure Python (plus email-validator and python-stdnum):
domain modules may import it, like `services.common.errors`.

- `normalise_email`: one library (email-validator, syntax only, no DNS look-up) decides what an
  e-mail address is: `a@b@c.fr`, `@x.test`, `<a@b.fr>`, `x@y.fr\\nbcc:z@w.fr` are refused;
  internationalised domains (`eleve@école.fr`) are accepted, in their ASCII form.
- `whole_number`: a quantity is an integer (or a string of ASCII digits from a form): `2.5`,
  `"2.5"`, `True`, `"²"` are refused instead of being truncated.
- `has_nul` / `check_no_nul`: a NUL byte is bad input (PostgreSQL cannot store it).
- `siret_problem` / `normalise_siret`: a SIRET (python-stdnum's `stdnum.fr.siret`: 14 digits,
  Luhn key), the French message when it is not one."""
from email_validator import EmailNotValidError, validate_email
from stdnum.fr import siret as stdnum_siret

from .errors import invalid

EMAIL_MAX = 254
EMAIL_INVALID = "Adresse e-mail invalide."
EMAIL_REQUIRED = "L'adresse e-mail est obligatoire."
EMAIL_LOCAL_ASCII = ("Adresse e-mail invalide : pas de lettre accentuée avant le @ (elle ne "
                     "pourrait pas recevoir nos messages).")
NUL_MESSAGE = "Les données envoyées contiennent un caractère non autorisé (caractère nul)."


def email_problem(value) -> str | None:
    """None when `value` is a valid address, else the French reason (for a field's details)."""
    try:
        normalise_email(value)
    except ValueError as exc:
        return str(exc)
    return None


def normalise_email(value) -> str:
    """The address, trimmed, validated and lower-cased (`Prof.Martin@Ecole.FR ` ->
    `prof.martin@ecole.fr`); ValueError with a French message otherwise. `.test` domains are
    allowed (the demo and the tests use them); no DNS look-up is made.

    An internationalised domain is accepted and kept in its ASCII form, the one every mail
    server takes (`eleve@école.fr` -> `eleve@xn--cole-9oa.fr`); accented letters before the @
    would need SMTPUTF8, which the mail relay may not offer (the mail would be retried
    forever): they are refused, with a message saying so."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(EMAIL_REQUIRED)
    value = value.strip()
    if len(value) > EMAIL_MAX:
        raise ValueError(f"Adresse e-mail trop longue ({EMAIL_MAX} caractères au plus).")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError(EMAIL_INVALID)
    if not value.partition("@")[0].isascii():
        raise ValueError(EMAIL_LOCAL_ASCII)
    try:
        result = validate_email(value, check_deliverability=False, test_environment=True,
                                allow_smtputf8=False)
    except EmailNotValidError:
        raise ValueError(EMAIL_INVALID) from None
    return result.ascii_email.lower()


def check_email(value, field="email", message="L'adresse e-mail n'est pas valide.") -> str:
    """`normalise_email` for the services' rules: DomainError invalid with `field`'s details."""
    try:
        return normalise_email(value)
    except ValueError as exc:
        raise invalid(str(exc) if str(exc) == EMAIL_REQUIRED else message,
                      {field: [str(exc)]}) from None


def whole_number(value) -> int | None:
    """An int from an int or a string of ASCII digits (optionally signed, surrounded by
    spaces); None for anything else (floats, "2.5", booleans, "²", "")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits and digits.isascii() and digits.isdigit() and len(digits) <= 9:
            return int(text)
    return None


def has_nul(value) -> bool:
    """True when a string anywhere in `value` (dicts: keys and values, lists, tuples) holds a
    NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_nul(x) for x in value)
    return False


def check_no_nul(*values):
    """DomainError invalid (HTTP 400) when any value holds a NUL character."""
    if any(has_nul(v) for v in values):
        raise invalid(NUL_MESSAGE)


def siret_problem(value) -> str | None:
    """Why `value` is not a SIRET (French, for the form), or None. python-stdnum checks its
    length, digits and Luhn key; spaces are allowed."""
    try:
        stdnum_siret.validate(str(value))
    except stdnum_siret.InvalidLength:
        return "Un SIRET compte 14 chiffres."
    except stdnum_siret.InvalidFormat:
        return "Un SIRET ne contient que des chiffres (14)."
    except stdnum_siret.ValidationError:
        return "Ce SIRET n'est pas valide (clé de contrôle erronée) : vérifiez-le."
    return None


def normalise_siret(value) -> str:
    """A SIRET's 14 digits (spaces removed), or DomainError invalid in French."""
    problem = siret_problem(value)
    if problem:
        raise invalid(problem, {"siret": [problem]})
    return stdnum_siret.compact(str(value))


def fold(text) -> str:
    """Text as searched and sorted by: without accents, case or extra spaces (« Collège
    Émile-Zola » -> "college emile-zola", « Œuvre » -> "oeuvre"): French users type names
    without their accents, in any case."""
    from unidecode import unidecode

    return " ".join(unidecode(str(text or "")).lower().split())
