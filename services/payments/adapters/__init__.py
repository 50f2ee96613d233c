"""The payments service's outside world: the provider interface (`providers`), the built-in
sandbox provider (`sandbox`: checkouts and refunds; `sandbox_notify`: its signed webhooks;
`sandbox_pages`: its hosted page; `signatures`: the HMAC scheme), what a worker sees of the
provider (`handle`), and the HTTP plumbing of the service's @http routes (`web`)."""
