"""ATL001: a file that cannot be read, decoded or parsed."""

from __future__ import annotations

from async_test_lint.model.rule import Rule


class UnparsableFile(Rule):
    """## What it does
    Reports a file that cannot be read, decoded or parsed, with the reason.

    ## Why is this bad?
    No other rule can check a file it cannot parse, so its mistakes would go unseen. The other
    files are still linted.

    ## Example
    ```python
    async def test_broken(:
        pass
    ```

    Use instead:
    ```python
    async def test_fixed():
        pass
    ```

    ## Known problems
    A file that contains no trigger word of any enabled rule is checked by CPython's own parser
    instead of libcst's (that is what keeps the linter fast), so the reason is given in the words
    of the Python version running the linter. Under flake8 such files are left to flake8's E999.
    """

    code = "ATL001"
    name = "unparsable-file"
    message = "cannot parse"
