"""The bridge's rules, pure Python (the standard library, the value parsers' libraries and the
pure modules of services.common), one module per topic:

- `values`: parsers of single feed values (text, EAN13, decimals, VAT rates, dates, e-mails);
- `rows`: a feed row cleaned field by field into (values, errors);
- `articles`: what an article must be, search and price excluding VAT;
- `clients`: what a collectivity client must be (the Loi Lang warning), how its state moves;
- `paging`: pages of a listing;
- `orders`: classic orders' states, numbers, listings and shared checks;
- `grouped_orders`, `documents`: the classic order of a validated grouped order, of a quote
  request or a collectivity order;
- `pickup`: Librisoft picks an order up and posts its status;
- `cancellations`: a source cancelled, and Librisoft applying the cancellation."""
