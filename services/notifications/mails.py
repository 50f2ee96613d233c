"""Which mail each event gives: pure rendering (subject, body) from the event payload."""
from datetime import datetime
from pathlib import Path

from babel.dates import format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined

ROLE_LABELS = {"admin": "Libraire (administrateur)", "utilisateur": "Utilisateur",
               "approbateur": "Approbateur", "collectivite": "Collectivité"}

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)

SUBJECTS = {
    "account_created": "Votre compte collectivité a été créé",
    "password_reset_requested": "Réinitialisation de votre mot de passe",
}


def paris_time(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "d MMMM y 'à' HH:mm",
                           tzinfo="Europe/Paris", locale="fr_FR")


def render(kind: str, payload: dict, public_url: str) -> tuple[str, str, str]:
    """(to, subject, body) for an event of type `kind`."""
    context = dict(payload, public_url=public_url.rstrip("/"))
    if kind == "account_created":
        context["role_label"] = ROLE_LABELS.get(payload["role"], payload["role"])
    if kind == "password_reset_requested":
        context["expires_at_label"] = paris_time(payload["expires_at"])
    body = _env.get_template(f"{kind}.txt").render(**context)
    return payload["email"], SUBJECTS[kind], body
