"""What every API schema and blueprint is made of: marshmallow fields and validators that speak
French, strict integers, the one e-mail check of the suite, a parser that answers 400 (the
API's one status for bad input), the one error body `{error, message, details}` and the Api that
documents it in /api/v1/openapi.json.

Input schemas derive from `In` (unknown fields refused, French messages); answers from `Out`
(declared fields typed; a key a service adds before its schema here is updated is passed
through, never silently dropped, and the spec allows it: additionalProperties)."""
import copy
import logging

from flask_smorest import Api, Blueprint as SmorestBlueprint
from marshmallow import EXCLUDE, INCLUDE, RAISE, Schema, ValidationError, fields, post_dump, \
    validate
from webargs.flaskparser import FlaskParser, abort

from services.common.validation import normalise_email

from .. import idempotency
from ..security import allow

log = logging.getLogger(__name__)

# ---- French messages --------------------------------------------------------------------------
REQUIRED = "Champ obligatoire."
NULL = "Ce champ ne peut pas être vide (null)."


class _French:
    default_error_messages = {"required": REQUIRED, "null": NULL,
                              "validator_failed": "Valeur invalide."}


class String(_French, fields.String):
    default_error_messages = {"invalid": "Texte attendu.",
                              "invalid_utf8": "Texte UTF-8 attendu."}


class Integer(_French, fields.Integer):
    """Strict: 2.5, 2.0, "2" and true are refused in a JSON body (2.5 was truncated to 2).
    Query strings are text: there `Integer(strict=False)` still refuses "2.5"."""
    default_error_messages = {"invalid": "Nombre entier attendu.",
                              "too_large": "Nombre trop grand."}

    def __init__(self, *, strict=True, **kwargs):
        super().__init__(strict=strict, **kwargs)


class Boolean(_French, fields.Boolean):
    """Strict in a JSON body: true or false only (« "true" », 1 or "oui" were taken as true:
    terms « accepted » by a string). Query strings are text: there `Boolean(strict=False)`."""
    default_error_messages = {"invalid": "Valeur vrai/faux attendue (true ou false)."}

    def __init__(self, *, strict=True, **kwargs):
        super().__init__(**kwargs)
        self.strict = strict

    def _deserialize(self, value, attr, data, **kwargs):
        if self.strict and not isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class List(_French, fields.List):
    default_error_messages = {"invalid": "Liste attendue."}


class Nested(_French, fields.Nested):
    default_error_messages = {"type": "Objet attendu."}


class Dict(_French, fields.Dict):
    default_error_messages = {"invalid": "Objet attendu."}


class Email(String):
    """An e-mail address, checked by the suite's one check (email-validator, as the services
    do) and normalised."""
    default_error_messages = {"invalid_email": "Adresse e-mail invalide."}

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("format", "email")
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_email(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Length(validate.Length):
    message_min = "{min} caractère(s) au moins."
    message_max = "{max} caractères au plus."
    message_all = "Entre {min} et {max} caractères."
    message_equal = "Exactement {equal} caractères."


class Items(validate.Length):
    """A list's length, in items (Length speaks of characters)."""
    message_min = "{min} élément(s) au moins."
    message_max = "{max} éléments au plus."
    message_all = "Entre {min} et {max} éléments."
    message_equal = "Exactement {equal} éléments."


class Range(validate.Range):
    message_min = "Doit être {min_op} {{min}}."
    message_max = "Doit être {max_op} {{max}}."
    message_all = "Doit être {min_op} {{min}} et {max_op} {{max}}."
    message_gte = "supérieur ou égal à"
    message_gt = "supérieur à"
    message_lte = "inférieur ou égal à"
    message_lt = "inférieur à"


class OneOf(validate.OneOf):
    default_message = "Valeur inconnue ; valeurs permises : {choices}."


# ---- schemas ----------------------------------------------------------------------------------
class In(Schema):
    """Input: unknown fields refused, every message in French."""
    error_messages = {"unknown": "Champ inconnu.",
                      "type": "Données invalides : un objet JSON est attendu."}

    class Meta:
        unknown = RAISE


class NoBody(In):
    """An action that takes nothing: no body, or `{}`; unreadable JSON or any field is a 400
    (it was ignored: `garbage` or `{"x": 1}` started a payment)."""


class Query(In):
    """Query string: unknown parameters ignored (as webargs does for queries)."""

    class Meta:
        unknown = EXCLUDE


class Out(Schema):
    """An answer: declared fields are typed and documented; extra keys pass through."""

    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def _keep_undeclared(self, data, original, **kwargs):
        if isinstance(original, dict):
            extra = {k: v for k, v in original.items() if k not in data and
                     k not in self.fields}
            if extra:
                log.debug("%s: undeclared keys %s", type(self).__name__, sorted(extra))
                data.update(extra)
        return data


VALIDATION_STATUS = 400
ERROR_CODES = ("invalid", "unauthorized", "forbidden", "not_found", "method_not_allowed",
               "not_acceptable", "conflict", "gone", "too_large", "unsupported_media_type",
               "throttled", "error", "unavailable")


class Error(Schema):
    """The one error body of the API, whatever the status (4xx, 500, 503)."""
    error = fields.String(required=True, validate=validate.OneOf(ERROR_CODES), metadata={
        "description": "Stable code: invalid (400), unauthorized (401), forbidden (403), "
                       "not_found (404), method_not_allowed (405), conflict (409), "
                       "too_large (413), unsupported_media_type (415), throttled (429), "
                       "error (500), unavailable (503)…"})
    message = fields.String(required=True, metadata={"description": "For people, in French."})
    details = fields.Dict(keys=fields.String(), required=True, metadata={
        "description": "Per field, the French messages (`{\"email\": [\"Adresse e-mail "
                       "invalide.\"]}`); empty when the error is not about fields."})

    class Meta:
        unknown = RAISE


# ---- parser, blueprint, api -------------------------------------------------------------------
class Parser(FlaskParser):
    """Bad input is a 400 (as the services' DomainError "invalid"), messages in French."""
    DEFAULT_VALIDATION_STATUS = VALIDATION_STATUS

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": ["Corps JSON illisible."]})


class Blueprint(SmorestBlueprint):
    """flask-smorest's Blueprint with the API's one way of declaring a route:

        @blp.view("/grouped-orders/<int:number>/deadline", COLLECTIVITY)
        class Deadline(MethodView):
            @blp.answers(schemas.GroupedOrder, takes=DeadlineIn, idempotent=True)
            def put(self, data, number): ...

    `view`: the path, and who may call every method of the class (`@allow`,
    gateway/security.py): who may call a route is said where it is declared. `answers`: what an
    operation answers (its schema and status), what it takes (`takes`, a JSON body; `query`,
    the query string) and whether it takes the Idempotency-Key header (documented)."""
    ARGUMENTS_PARSER = Parser()

    def view(self, path, who):
        def decorate(view_cls):
            for method in view_cls.methods:
                allow(*who)(getattr(view_cls, method.lower()))
            return self.route(path)(view_cls)
        return decorate

    def answers(self, schema=None, status=200, *, takes=None, query=None, idempotent=False):
        def decorate(fn):
            if idempotent:
                fn = self.doc(parameters=[copy.deepcopy(idempotency.API_PARAMETER)])(fn)
            fn = self.response(status, schema)(fn)
            for location, arguments in (("json", takes), ("query", query)):
                if arguments is not None:
                    fn = self.arguments(arguments, location=location)(fn)
            return fn
        return decorate


def any_of(names, variable="action"):
    """A path segment that is one of `names` (the keys of the table that maps them to RPCs):
    `<any(a, b):action>`, listed as an enum in the OpenAPI document."""
    return f"<any({', '.join(names)}):{variable}>"


class GatewayApi(Api):
    """flask-smorest's Api documenting the real error body (not its `{code, status, ...}`)."""
    ERROR_SCHEMA = Error
