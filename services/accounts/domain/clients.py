"""The replica of Librisoft's collectivity clients (published by librisoft_bridge), and what the
bookshop adds to them: their SIRET and Chorus Pro service code."""
from services.common.errors import invalid
from services.common.validation import normalise_siret, siret_problem


def newer_revision(stored_revision, incoming_revision) -> bool:
    """A client update is applied only if it is newer than what we hold (events may arrive out
    of order or twice)."""
    return stored_revision is None or incoming_revision > stored_revision


CHORUS_CODE_MAX = 100


def check_client_billing(siret, chorus_service_code) -> tuple:
    """The bookshop's SIRET and Chorus Pro service code of a collectivity client (issue 9):
    `(siret or None, code or None)`. The SIRET is the 14 digits of INSEE's number (spaces
    allowed, Luhn-checked by python-stdnum, as the invoices' Factur-X needs it); the service code
    is optional short text (Chorus Pro's « code service »). Bad input: invalid, in French."""
    errors = {}
    siret = str(siret or "").strip()
    code = " ".join(str(chorus_service_code or "").split())
    if siret:
        problem = siret_problem(siret)
        if problem:
            errors["siret"] = [problem]
        else:  # python-stdnum's 14 ASCII digits: « 732.829.320.00074 » or full-width digits
            siret = normalise_siret(siret)
    if "\x00" in code or len(code) > CHORUS_CODE_MAX:
        errors["chorus_service_code"] = [
            f"Le code service Chorus Pro fait au plus {CHORUS_CODE_MAX} caractères."]
    if errors:
        raise invalid("Le SIRET ou le code service saisi n'est pas valide.", errors)
    return (siret or None), (code or None)
