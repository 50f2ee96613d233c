"""Field helpers shared by contracts: money travels as a string, never a float (and the OpenAPI
document of the gateway says so: a decimal as text, "14.90")."""
from marshmallow import fields, validate

VAT_RATES = ("2.1", "5.5", "20")
DECIMAL_TEXT = {"type": "string", "format": "decimal"}


def Money(**kw):
    kw.setdefault("metadata", DECIMAL_TEXT)
    return fields.Decimal(as_string=True, places=2, **kw)


def Percent(**kw):
    kw.setdefault("metadata", {**DECIMAL_TEXT, "minimum": 0, "maximum": 100})
    return fields.Decimal(as_string=True, places=2, validate=validate.Range(min=0, max=100), **kw)


def VatRate(**kw):
    return fields.String(validate=validate.OneOf(VAT_RATES), **kw)


# several fields of one type on a line, in a schema's body: `first_name, last_name = texts(2)`;
# null=True: each may be null (absent)
def texts(count, null=False):
    return [fields.String(allow_none=null) for _ in range(count)]


def integers(count, null=False):
    return [fields.Integer(allow_none=null) for _ in range(count)]


def booleans(count, null=False):
    return [fields.Boolean(allow_none=null) for _ in range(count)]
