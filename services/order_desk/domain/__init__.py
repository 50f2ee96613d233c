"""The order desk's rules, pure Python: what an owner's event says of an order (`register`),
which owner status is which progress state (`mapping`), the list's filters (`filters`) and the
month calendar (`calendar`)."""
