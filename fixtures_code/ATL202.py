# Lint-only as a whole: the positives would need a server on 127.0.0.1:9 (they get a refused connection).
import asyncio
import functools
import queue
import socket
import urllib.request
from typing import TYPE_CHECKING

import pytest
import requests
import requests as r
from requests import get as fetch
from requests import Session
from urllib.request import urlopen

if TYPE_CHECKING:
    from requests import head as probe_head
else:

    def probe_head(url, timeout=None):
        """At run time a stub: the name means `requests.head` only to the type checker."""
        return url

URL = "http://127.0.0.1:9/health"
SESSION = requests.Session()


@pytest.mark.asyncio
async def test_module_functions_block_the_loop():
    requests.get(URL, timeout=1)  # ATL202:5 "requests.get"
    r.post(URL, data=b"x", timeout=1)  # ATL202:5 "requests.post"
    fetch(URL, timeout=1)  # ATL202:5
    response = requests.request("GET", URL, timeout=1)  # ATL202:16
    assert response.ok


@pytest.mark.asyncio
async def test_stdlib_network_calls_block_the_loop():
    urllib.request.urlopen(URL, timeout=1)  # ATL202:5 "urllib.request.urlopen"
    urlopen(URL, timeout=1)  # ATL202:5
    socket.create_connection(("127.0.0.1", 9), timeout=1)  # ATL202:5 "socket.create_connection"
    with urlopen(URL, timeout=1) as page:  # ATL202:10
        assert page.status == 200


@pytest.mark.asyncio
async def test_session_methods_on_typed_receivers():
    s = requests.Session()
    s.get(URL, timeout=1)  # ATL202:5 "requests.Session.get"
    with Session() as session:
        session.put(URL, timeout=1)  # ATL202:9
    requests.Session().delete(URL, timeout=1)  # ATL202:5
    shared = requests.session()
    shared.head(URL, timeout=1)  # ATL202:5
    SESSION.options(URL, timeout=1)  # ATL202:5
    s.close()  # not a network call


async def check_health(client: requests.Session) -> int:
    return client.get(URL, timeout=1).status_code  # ATL202:12


async def check_health_with_import_inside_function() -> bool:
    import requests as http

    return http.get(URL, timeout=1).ok  # ATL202:12


@pytest.mark.asyncio
async def test_multiline_call_is_reported_where_it_starts():
    requests.patch(  # ATL202:5
        URL,
        json={"state": "up"},
        timeout=1,
    )


@pytest.mark.asyncio
async def test_default_of_nested_def_is_evaluated_on_the_loop():
    def helper(response=requests.get(URL, timeout=1)):  # ATL202:25
        return response

    assert helper()


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_handing_the_function_to_a_thread_is_the_fix():
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(requests.get, URL, timeout=1)
    await asyncio.to_thread(lambda: requests.get(URL, timeout=1))
    await loop.run_in_executor(None, urlopen, URL)
    await loop.run_in_executor(None, functools.partial(requests.get, URL, timeout=1))
    await loop.run_in_executor(None, lambda: SESSION.get(URL, timeout=1))


@pytest.mark.asyncio
async def test_nested_sync_def_runs_in_the_thread():
    def blocking_probe():
        s = requests.Session()
        return s.get(URL, timeout=1).status_code

    await asyncio.to_thread(blocking_probe)


@pytest.mark.asyncio
async def test_dict_and_queue_methods_are_not_http():
    headers = {"accept": "json"}
    assert headers.get("accept") == "json"
    q = queue.Queue()
    q.put(1)
    assert q.get() == 1
    cache: dict[str, int] = {}
    cache.get("x")


@pytest.mark.asyncio
async def test_parameter_named_requests_is_not_the_module(requests={"a": 1}):
    assert requests.get("a") == 1


@pytest.mark.asyncio
async def test_local_named_requests_is_not_the_module():
    requests = {"GET": 0}
    requests.get("GET")


@pytest.fixture
def http_session():
    with requests.Session() as session:
        yield session


@pytest.mark.asyncio
async def test_untyped_receivers_are_not_resolved(http_session):
    http_session.get(URL)


class TestClient:
    session = None

    @pytest.mark.asyncio
    async def test_session_on_self(self):
        self.session.get(URL)


@pytest.mark.asyncio
async def test_reassigned_receiver_has_no_single_type():
    s = requests.Session()
    s = FakeSession()
    s.get(URL)


class FakeSession:
    def get(self, url):
        return url


@pytest.mark.asyncio
async def test_type_checking_import_is_not_a_runtime_name():
    assert probe_head(URL, timeout=1) == URL


@pytest.mark.asyncio
async def test_code_in_strings_is_not_code():
    snippet = "requests.get(URL)"
    assert "get" in snippet


def test_sync_test_may_block():
    requests.get(URL, timeout=1)
    SESSION.get(URL, timeout=1)
    urlopen(URL, timeout=1)


@pytest.mark.asyncio
async def test_deliberate_block_with_reason():
    requests.get(URL, timeout=1)  # noqa: ATL202 the server runs in a thread
