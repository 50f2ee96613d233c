"""Parsers of single feed values, pure Python. Each returns the normalised value (None when the
value is absent) or raises ValueError with a French message meant for the bookshop.

Feeds come from JSON (numbers, booleans) and CSV (strings only, decimal comma), so every parser
accepts both shapes."""
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum import ean as stdnum_ean
from unidecode import unidecode

from services.common.money import CENT
from services.common.validation import normalise_email

VAT_RATES = ("2.1", "5.5", "20")
MAX_PRICE = Decimal("99999999.99")  # Numeric(10, 2)
TRUE_WORDS = {"true", "1", "oui"}
FALSE_WORDS = {"false", "0", "non"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_ALNUM = re.compile(r"[^a-z0-9]+")
COMBINING_MARKS = re.compile("[\u0300-\u036f]+")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value, max_length: int):
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise ValueError("texte attendu.")
    if "\x00" in str(value):
        raise ValueError("caractère nul (\\x00) interdit.")
    value = " ".join(str(value).split())
    if len(value) > max_length:
        raise ValueError(f"{max_length} caractères au plus ({len(value)} reçus).")
    return value


def ean13(value):
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError("EAN13 attendu (13 chiffres).")
    digits = re.sub(r"[\s-]", "", str(value))
    if not (len(digits) == 13 and digits.isascii() and digits.isdigit()):
        raise ValueError(f"EAN13 attendu (13 chiffres), reçu « {value} ».")
    if stdnum_ean.calc_check_digit(digits[:12]) != digits[12]:
        raise ValueError(f"clé de contrôle EAN13 incorrecte pour « {digits} ».")
    return digits


PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+", re.ASCII)


def decimal(value, places: Decimal = CENT):
    """14.90, "14.90", "14,90" -> Decimal("14.90"); more decimals than `places` is an error."""
    if is_blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError("nombre attendu.")
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    # digits as a spreadsheet writes them, nothing else: « 1e3 » was read as 1000 (a typo
    # making a 1,000 € book) and « ١٢ » (Arabic-Indic digits) as 12
    if not PLAIN_NUMBER.fullmatch(raw):
        raise ValueError(f"nombre attendu (chiffres, virgule ou point), reçu « {value} ».")
    try:
        number = Decimal(raw)
        rounded = number.quantize(places) if number.is_finite() else None
    except InvalidOperation:  # not a number, or too large to quantize ("1E99")
        rounded = None
    if rounded is None:
        raise ValueError(f"nombre attendu, reçu « {value} ».")
    if rounded != number:
        raise ValueError(f"{-places.as_tuple().exponent} décimales au plus, reçu « {value} ».")
    return rounded


def price(value):
    number = decimal(value)
    if number is not None and not 0 < number <= MAX_PRICE:
        raise ValueError(f"prix strictement positif attendu (au plus {MAX_PRICE}), reçu {value}.")
    return number


def percent(value):
    number = decimal(value)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"pourcentage entre 0 et 100 attendu, reçu {value}.")
    return number


def vat_rate(value):
    """"5.5", "5,5", 5.5 -> "5.5"; "20.00" -> "20"."""
    if is_blank(value):
        return None
    try:
        number = decimal(value)
    except ValueError:
        number = None
    for rate in VAT_RATES:
        if number == Decimal(rate):
            return rate
    raise ValueError(f"taux de TVA inconnu « {value} » (2.1, 5.5 ou 20 attendu).")


def integer(value, minimum: int = 0, maximum: int = 1_000_000):
    if is_blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = value if isinstance(value, int) else decimal(value, Decimal(1))
    except ValueError:
        raise ValueError(f"nombre entier attendu, reçu « {value} ».") from None
    if not minimum <= number <= maximum:
        raise ValueError(f"entre {minimum} et {maximum} attendu, reçu {value}.")
    return int(number)


def boolean(value):
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"oui/non attendu (true, false, 1, 0, oui, non), reçu « {value} ».")


def iso_date(value):
    if is_blank(value):
        return None
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        raise ValueError(f"date attendue au format AAAA-MM-JJ, reçu « {value} ».")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"date inexistante : « {value} ».") from None


def choice(value, choices):
    """Accent-, case- and separator-insensitive: "Sur commande" -> "sur_commande"."""
    if is_blank(value):
        return None
    word = NOT_ALNUM.sub("_", ascii_lower(str(value))).strip("_")
    if word not in choices:
        raise ValueError(f"valeur inconnue « {value} » ({', '.join(choices)} attendu).")
    return word


def email(value, max_length: int = 254):
    """Checked by the one e-mail check of the suite (services.common.validation)."""
    if isinstance(value, str) and any(c in value for c in "\r\n\x00"):
        raise ValueError("adresse e-mail invalide : retour à la ligne ou caractère nul.")
    value = text(value, max_length)
    if value is None:
        return None
    try:
        return normalise_email(value)
    except ValueError:
        raise ValueError(f"adresse e-mail invalide : « {value} ».") from None


def ascii_lower(value: str) -> str:
    """"Œuvre à l'Été" -> "oeuvre a l'ete": accents dropped (fast path), then unidecode."""
    if not value.isascii():
        value = COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", value))
        if not value.isascii():
            value = unidecode(value)
    return value.lower()


def search_key(value: str) -> str:
    """Accent-, case- and punctuation-free words: "Café, l'été" -> "cafe l ete"."""
    return " ".join(NOT_ALNUM.sub(" ", ascii_lower(value or "")).split())
