"""The gateway's authorization matrix: for each (endpoint, method), who may use it. Checked
against the app's url_map in the unit tier (tests/unit/gateway/test_authorization_matrix.py:
a new route must say who may use it) and walked by every kind of visitor end to end
(tests/e2e/test_authorization.py)."""

EVERYONE = {"anonymous", "utilisateur", "approbateur", "collectivite", "admin", "other"}
SIGNED_IN = EVERYONE - {"anonymous"}
MANAGERS = {"approbateur", "collectivite", "admin", "other"}
COLLECTIVITY = {"utilisateur", "approbateur", "collectivite", "other"}
ADMIN = {"admin"}

# (endpoint, method) -> who is allowed. "other" is a Collectivité account of another
# collectivity: same routes as "collectivite", but none of the first collectivity's objects.
EXPECTED = {
    ("auth.home", "GET"): EVERYONE,
    ("auth.login", "GET"): EVERYONE, ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.forgot", "GET"): EVERYONE, ("auth.forgot", "POST"): EVERYONE,
    ("auth.reset", "GET"): EVERYONE, ("auth.reset", "POST"): EVERYONE,
    ("auth.change_password", "GET"): SIGNED_IN, ("auth.change_password", "POST"): SIGNED_IN,
    ("account.index", "GET"): SIGNED_IN,
    ("account.accounts", "GET"): MANAGERS,
    ("account.new_account", "GET"): MANAGERS, ("account.new_account", "POST"): MANAGERS,
    # the target is the first collectivity's Utilisateur: "other" is refused by the service
    ("account.set_active", "POST"): {"approbateur", "collectivite", "admin"},
    ("admin.index", "GET"): ADMIN, ("admin.clients", "GET"): ADMIN,
    ("admin.client", "GET"): ADMIN, ("admin.client", "POST"): ADMIN,
    ("admin.mails", "GET"): ADMIN, ("admin.mail", "GET"): ADMIN, ("admin.sms", "GET"): ADMIN,
    ("admin.dead_letters", "GET"): ADMIN, ("admin.replay", "POST"): ADMIN,
    ("catalogue.search", "GET"): SIGNED_IN, ("catalogue.article", "GET"): SIGNED_IN,
    ("health.health", "GET"): EVERYONE,
    ("api-docs.openapi_json", "GET"): EVERYONE,
    ("api.Session", "POST"): EVERYONE, ("api.Session", "DELETE"): EVERYONE,
    ("api.Me", "GET"): SIGNED_IN, ("api.Me", "PUT"): SIGNED_IN,
    ("api.Articles", "GET"): SIGNED_IN, ("api.ArticleSheet", "GET"): SIGNED_IN,
    ("api.Accounts", "GET"): MANAGERS, ("api.Accounts", "POST"): MANAGERS,
    ("api.AccountActive", "PUT"): {"approbateur", "collectivite", "admin"},
    ("api.Clients", "GET"): ADMIN,
    # grouped orders: the target is one initiated by the first collectivity's Collectivité
    # account; only it (and the bookshop, on its own routes) sees it
    ("grouped_orders.mine", "GET"): COLLECTIVITY,
    ("grouped_orders.search", "GET"): COLLECTIVITY,
    ("grouped_orders.new", "GET"): COLLECTIVITY, ("grouped_orders.new", "POST"): COLLECTIVITY,
    ("grouped_orders.detail", "GET"): {"collectivite"},
    ("grouped_orders.deadline", "POST"): {"collectivite"},
    ("grouped_orders.pdf", "GET"): {"collectivite"},
    ("subscription.page", "GET"): EVERYONE, ("subscription.page", "POST"): EVERYONE,
    ("subscription.result", "GET"): EVERYONE, ("subscription.pay_again", "POST"): EVERYONE,
    ("subscription.status", "GET"): EVERYONE, ("subscription.terms", "GET"): EVERYONE,
    # the buyer's own sub-order as a PDF, from the tokens of their link
    ("subscription.document_pdf", "GET"): EVERYONE,
    # order details as PDF (issue 9): the target is the grouped order initiated by the first
    # collectivity's Collectivité account; the bookshop reads any order
    ("documents.admin_pdf", "GET"): ADMIN, ("documents.my_pdf", "GET"): {"collectivite"},
    ("admin_finances.index", "GET"): ADMIN, ("admin_finances.export_csv", "GET"): ADMIN,
    ("admin_finances.mark_paid", "POST"): ADMIN,
    ("admin_desk.index", "GET"): ADMIN, ("admin_desk.order", "GET"): ADMIN,
    ("api_order_desk.Calendar", "GET"): ADMIN, ("api_order_desk.Orders", "GET"): ADMIN,
    ("api_order_desk.Order", "GET"): ADMIN,
    # invoices and credit notes (issue 9): the bookshop issues; each customer reads their own
    ("invoices.issue", "POST"): ADMIN, ("invoices.credit_note", "GET"): ADMIN,
    ("invoices.credit_note", "POST"): ADMIN, ("invoices.admin_pdf", "GET"): ADMIN,
    ("invoices.export_csv", "GET"): ADMIN,
    ("invoices.collectivity_pdf", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("invoices.buyer_pdf", "GET"): EVERYONE,
    ("admin_grouped_orders.index", "GET"): ADMIN, ("admin_grouped_orders.detail", "GET"): ADMIN,
    ("admin_grouped_orders.validate", "POST"): ADMIN,
    ("admin_grouped_orders.cancel", "POST"): ADMIN,
    ("admin_grouped_orders.close_now", "POST"): ADMIN,
    ("admin_grouped_orders.make_available", "GET"): ADMIN,
    ("admin_grouped_orders.make_available", "POST"): ADMIN,
    ("admin_grouped_orders.reset", "POST"): ADMIN, ("admin_grouped_orders.pdf", "GET"): ADMIN,
    ("admin_grouped_orders.validate_sub", "POST"): ADMIN,
    ("admin_grouped_orders.cancel_sub", "POST"): ADMIN,
    ("admin_grouped_orders.payment_methods", "POST"): ADMIN,
    ("admin_grouped_orders.export_csv", "GET"): ADMIN,
    ("api_grouped_orders.Mine", "GET"): COLLECTIVITY,
    ("api_grouped_orders.Mine", "POST"): COLLECTIVITY,
    ("api_grouped_orders.MineOne", "GET"): {"collectivite"},
    ("api_grouped_orders.Deadline", "PUT"): {"collectivite"},
    ("api_grouped_orders.Public", "GET"): EVERYONE,
    ("api_grouped_orders.Subscribe", "POST"): EVERYONE,
    ("api_grouped_orders.BuyerStatus", "GET"): EVERYONE,
    ("api_grouped_orders.Pay", "POST"): EVERYONE,
    ("api_grouped_orders.AdminList", "GET"): ADMIN,
    ("api_grouped_orders.AdminOne", "GET"): ADMIN,
    ("api_grouped_orders.AdminAction", "POST"): ADMIN,
    ("api_grouped_orders.AdminManualPayment", "POST"): ADMIN,
    ("api_grouped_orders.AdminCancel", "POST"): ADMIN,
    ("api_grouped_orders.AdminSubAction", "POST"): ADMIN,
    # collectivity baskets: the target is a draft of the first collectivity's Utilisateur,
    # which only its owner sees (an Approbateur sees it once sent: reference 001, annexe)
    ("baskets.mine", "GET"): COLLECTIVITY, ("baskets.create", "POST"): COLLECTIVITY,
    ("baskets.add_from_catalogue", "POST"): COLLECTIVITY,
    ("baskets.to_validate", "GET"): {"approbateur", "collectivite", "other"},
    ("baskets.validated", "GET"): {"approbateur", "collectivite", "other"},
    ("baskets.detail", "GET"): {"utilisateur"}, ("baskets.rename", "POST"): {"utilisateur"},
    ("baskets.delete", "POST"): {"utilisateur"}, ("baskets.add_line", "POST"): {"utilisateur"},
    ("baskets.set_quantity", "POST"): {"utilisateur"},
    ("baskets.remove_line", "POST"): {"utilisateur"}, ("baskets.move", "POST"): {"utilisateur"},
    ("baskets.transform", "GET"): {"utilisateur"},
    ("baskets.transform", "POST"): {"utilisateur"},
    # the target quote and order are the first collectivity's: every account of its client
    # sees them, "other" does not
    ("baskets.quotes", "GET"): COLLECTIVITY, ("baskets.orders", "GET"): COLLECTIVITY,
    ("baskets.quote", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("baskets.order", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("admin_collectivity.quotes", "GET"): ADMIN, ("admin_collectivity.quote", "GET"): ADMIN,
    ("admin_collectivity.archive", "POST"): ADMIN, ("admin_collectivity.orders", "GET"): ADMIN,
    ("admin_collectivity.order", "GET"): ADMIN,
    ("admin_collectivity.order_action", "POST"): ADMIN,
    ("admin_collectivity.message", "POST"): ADMIN,
    ("api_baskets.Menus", "GET"): COLLECTIVITY,
    ("api_baskets.Baskets", "GET"): COLLECTIVITY, ("api_baskets.Baskets", "POST"): COLLECTIVITY,
    ("api_baskets.Basket", "GET"): {"utilisateur"}, ("api_baskets.Basket", "PUT"): {"utilisateur"},
    ("api_baskets.Basket", "DELETE"): {"utilisateur"},
    ("api_baskets.Lines", "POST"): {"utilisateur"},
    ("api_baskets.Line", "PUT"): {"utilisateur"}, ("api_baskets.Line", "DELETE"): {"utilisateur"},
    ("api_baskets.Move", "POST"): {"utilisateur"},
    ("api_baskets.Price", "GET"): COLLECTIVITY,
    ("api_baskets.Documents", "GET"): COLLECTIVITY,
    ("api_baskets.Document", "GET"): {"utilisateur", "approbateur", "collectivite"},
    ("api_baskets.AdminQuotes", "GET"): ADMIN, ("api_baskets.AdminQuote", "GET"): ADMIN,
    ("api_baskets.AdminArchive", "POST"): ADMIN, ("api_baskets.AdminOrders", "GET"): ADMIN,
    ("api_baskets.AdminOrder", "GET"): ADMIN, ("api_baskets.AdminOrderAction", "POST"): ADMIN,
    ("api_baskets.AdminOrderActionDeprecated", "POST"): ADMIN,
    ("api_baskets.AdminMessage", "POST"): ADMIN,
}
