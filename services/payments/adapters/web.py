"""HTTP plumbing of the payments service's nameko @http routes: JSON answers for machines (the
provider callbacks, `{"error", "message"}` on failure), server-rendered French HTML for buyers
(the sandbox's hosted page). Bad input never gives a 500: only a fault of ours does."""
import base64
import hashlib
import json
import logging
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from services.common.errors import HTTP_STATUS, DomainError
from services.common.money import eur

from .providers import CallbackRejected

log = logging.getLogger(__name__)

STATUS = {**HTTP_STATUS, "payload_too_large": 413}

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"  # services/payments/templates
_templates = Environment(loader=FileSystemLoader(TEMPLATES),
                         autoescape=True, undefined=StrictUndefined)


def _style_hash() -> str:
    """The CSP source of the layout's one <style> block (no 'unsafe-inline')."""
    source = (TEMPLATES / "_layout.html").read_text()
    css = re.search(r"<style>(.*?)</style>", source, re.S).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


STYLE_SRC = _style_hash()


def content_security_policy(form_action=()) -> str:
    """No script at all, the layout's own style only, no framing. `form-action` allows this
    page and the origins given: Chromium checks it on the redirect that follows the buyer's
    click too, which goes back to the merchant's site (another origin)."""
    sources = " ".join(["'self'", *dict.fromkeys(o for o in form_action if o)])
    return (f"default-src 'none'; style-src {STYLE_SRC}; "
            f"form-action {sources}; frame-ancestors 'none'; base-uri 'none'")


SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class BodyTooLarge(Exception):
    pass


def read_body(request, limit: int) -> bytes:
    """The raw body, up to `limit` bytes; BodyTooLarge beyond."""
    length = request.content_length
    if length is not None and length > limit:
        raise BodyTooLarge()
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise BodyTooLarge()
    return body


# ---- JSON -----------------------------------------------------------------------------------
def json_response(status: int, body) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json", headers={"Cache-Control": "no-store"})


def error_response(status: int, error: str, message: str) -> Response:
    return json_response(status, {"error": error, "message": message})


def respond_json(call) -> Response:
    try:
        return json_response(200, call())
    except CallbackRejected as exc:
        return error_response(400, exc.code, exc.message)
    except DomainError as exc:
        return error_response(STATUS.get(exc.code, 400), exc.code, exc.message)
    except BodyTooLarge:
        return error_response(413, "payload_too_large", "Corps de requête trop volumineux.")
    except HTTPException as exc:
        return error_response(exc.code or 400, "bad_request", "Requête invalide.")
    except Exception:
        log.exception("payments: unexpected error")
        return error_response(500, "internal_error", "Erreur interne du service, réessayez.")


# ---- HTML -----------------------------------------------------------------------------------
format_amount = eur  # (services.common.money)


def render(template: str, **context) -> str:
    return _templates.get_template(template).render(**context)


def html_response(status: int, html: str, form_action=()) -> Response:
    headers = dict(SECURITY_HEADERS)
    headers["Content-Security-Policy"] = content_security_policy(form_action)
    return Response(html, status=status, mimetype="text/html", headers=headers)


def message_page(status: int, title: str, message: str, link=None) -> Response:
    return html_response(status, render("sandbox_message.html", title=title, message=message,
                                        link=link))


def redirect(location: str) -> Response:
    """303 See Other: the browser follows with a GET, never re-posting the form."""
    response = Response("", status=303, headers={"Cache-Control": "no-store"})
    response.headers["Location"] = location
    return response


def respond_html(call) -> Response:
    try:
        return call()
    except BodyTooLarge:
        return message_page(413, "Requête trop volumineuse", "Le formulaire envoyé est trop "
                                                             "volumineux.")
    except HTTPException as exc:
        return message_page(exc.code or 400, "Requête invalide",
                            "La page demandée n'a pas pu être traitée.")
    except Exception:
        log.exception("payments: unexpected error on a page")
        return message_page(500, "Erreur technique", "Une erreur technique est survenue. "
                                                     "Réessayez dans quelques instants.")
