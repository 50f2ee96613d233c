"""Field helpers shared by contracts: money travels as a string, never a float."""
from marshmallow import fields, validate

VAT_RATES = ("2.1", "5.5", "20")


def Money(**kw):
    return fields.Decimal(as_string=True, places=2, **kw)


def Percent(**kw):
    return fields.Decimal(as_string=True, places=2, validate=validate.Range(min=0, max=100), **kw)


def VatRate(**kw):
    return fields.String(validate=validate.OneOf(VAT_RATES), **kw)
