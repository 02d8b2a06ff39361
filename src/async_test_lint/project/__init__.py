"""The project around a file: its Python files, and the index of its defs, classes and fixtures
(cached on disk)."""
