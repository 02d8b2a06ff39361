"""ATL202: blocking HTTP and network calls inside an `async def`."""

from __future__ import annotations

from async_test_lint.rules.blocking._shared import BlockingCallRule

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})


class BlockingHttpInAsync(BlockingCallRule):
    """## What it does
    Flags synchronous HTTP and network calls inside an `async def`: the `requests` functions and
    the methods of a `requests.Session()`, `urllib.request.urlopen`, the sync `httpx` functions
    and the methods of an `httpx.Client`, and `socket.create_connection`.

    ## Why is this bad?
    The call holds the event loop until the network answers. In a test that talks to a server
    running on the same loop (an ASGI app, a fake upstream), the server can never answer: the
    test hangs until a timeout, or fails with a connection error that has nothing to do with the
    code under test.

    ## Example
    ```python
    import requests

    async def test_health(live_server):
        assert requests.get(live_server.url).status_code == 200
    ```

    Use instead:
    ```python
    import httpx

    async def test_health(live_server):
        async with httpx.AsyncClient() as client:
            assert (await client.get(live_server.url)).status_code == 200
    ```

    ## Known problems
    A method is matched only when its receiver has a type fact in the same function or module
    (`s = requests.Session()`, `with httpx.Client() as c`, a parameter annotated
    `requests.Session`, `Session | None`, `Optional[Session]` or `"Session"`, also through an
    import under `if TYPE_CHECKING:`). A session kept on `self`, handed in by a fixture without an
    annotation, or annotated with a wider union is not resolved, and so not flagged. A parameter or local named `requests` that is not the module (a dict, say) is
    never mistaken for it. Passing a blocking function by reference to `asyncio.to_thread` or
    `run_in_executor` is the fix, not a finding.
    """

    code = "ATL202"
    name = "blocking-http-in-async"
    message = "`{call}()` is a blocking network call inside `async def`; use an async client or `asyncio.to_thread`"
    functions = frozenset(
        {f"requests.{verb}" for verb in HTTP_VERBS}
        | {f"requests.api.{verb}" for verb in HTTP_VERBS}
        | {f"httpx.{verb}" for verb in HTTP_VERBS | {"stream"}}
        | {"urllib.request.urlopen", "urllib.request.urlretrieve", "socket.create_connection"}
    )
    methods = {
        "requests.Session": HTTP_VERBS | {"send"},
        "httpx.Client": HTTP_VERBS | {"send", "stream"},
    }
