"""The gateway's HTTP schemas (kept apart from RPC schemas and event contracts)."""
from marshmallow import Schema, fields, validate


class LoginIn(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=200))


class ClientRef(Schema):
    number = fields.String()
    name = fields.String()


class AccountOut(Schema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String()
    role_label = fields.String()
    active = fields.Boolean()
    created_at = fields.String()
    last_login_at = fields.String(allow_none=True)
    clients = fields.List(fields.Nested(ClientRef))
    creatable_roles = fields.List(fields.String())


class AccountIn(Schema):
    email = fields.String(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(
        ["utilisateur", "approbateur", "collectivite", "admin"]))
    client_numbers = fields.List(fields.String(validate=validate.Length(max=40)),
                                 load_default=list, validate=validate.Length(max=200))
    active = fields.Boolean(load_default=True)


class ActiveIn(Schema):
    active = fields.Boolean(required=True)


class PasswordIn(Schema):
    current = fields.String(required=True, validate=validate.Length(max=200))
    password = fields.String(required=True, validate=validate.Length(max=200))


class ArticleQuery(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class Article(Schema):
    ean = fields.String()
    title = fields.String()
    author = fields.String(allow_none=True)
    publisher = fields.String(allow_none=True)
    collection = fields.String(allow_none=True)
    genre = fields.String(allow_none=True)
    publication_date = fields.String(allow_none=True)
    format = fields.String(allow_none=True)
    price_ttc = fields.String()
    price_ht = fields.String(allow_none=True)
    vat_rate = fields.String()
    school_book = fields.Boolean()
    availability = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)


class ArticlePage(Schema):
    items = fields.List(fields.Nested(Article))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class Discounts(Schema):
    vat_2_1 = fields.String()
    vat_5_5 = fields.String()
    vat_20 = fields.String()
    school = fields.String()


class ClientOut(Schema):
    number = fields.String()
    name = fields.String()
    active = fields.Boolean()
    discounts = fields.Nested(Discounts)
    lang_law_warning = fields.Boolean()
    accounts = fields.List(fields.Nested(AccountOut))


class ClientsOverview(Schema):
    clients = fields.List(fields.Nested(ClientOut))
    alerts = fields.List(fields.String())
    inactive_accounts = fields.List(fields.Nested(AccountOut))
