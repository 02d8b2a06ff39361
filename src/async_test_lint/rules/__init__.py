"""One module per rule, named by the mistake it catches; discovered by `registry.all_rules()`."""
