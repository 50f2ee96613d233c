"""The baskets' rules (reference 001, annexe, and ours), one module per topic; pure Python (the
standard library and the pure modules of services.common):

- `chain`: a basket's approval chain (levels, who sees and who holds, the rule of each action,
  the `Move` a transition makes) and the checks of its fields;
- `prices`: the collectivity's prices, its discounts, the Loi Lang cap, the rounding rule, the
  "no public price" rule;
- `status`: quote requests and orders: kinds, statuses, Librisoft's pickup, the bookshop's
  actions (`OrderChange`);
- `filters`: the bookshop's order filters and the page arguments of its lists;
- `tabs`: the collectivity's top bar and lists, the bookshop's tabs, each defined once."""
