"""The product catalog: what ERP sells, buys and makes, and at what price and cost."""
