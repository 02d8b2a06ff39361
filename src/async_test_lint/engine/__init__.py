"""Runs the rules: loading a file (ATL001 for one that cannot be read or parsed), the prefilter, the
single walk, noqa, positions, the fixer, and the registry that finds the rules."""
