"""Shared set-up: the suite never writes into the user's index cache."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_index_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Set in os.environ so that the CLI, flake8 and pre-commit subprocesses inherit it too.
    previous = os.environ.get("ASYNC_TEST_LINT_CACHE_DIR")
    os.environ["ASYNC_TEST_LINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("index-cache"))
    yield
    if previous is None:
        os.environ.pop("ASYNC_TEST_LINT_CACHE_DIR", None)
    else:
        os.environ["ASYNC_TEST_LINT_CACHE_DIR"] = previous
