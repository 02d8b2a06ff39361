"""Our options and `[tool.async-test-lint]` table, and pytest's configuration as it applies to a file."""
