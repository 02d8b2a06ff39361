# Lint-only: httpx need not be installed to lint this file.
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Optional

import httpx
import pytest
import requests

if TYPE_CHECKING:
    from requests import Session as TypedSession

URL = "http://127.0.0.1:9/health"


@pytest.mark.asyncio
async def test_sync_httpx_functions_block_the_loop():
    httpx.get(URL)  # ATL202:5 "httpx.get"
    httpx.post(URL, json={})  # ATL202:5
    with httpx.stream("GET", URL) as response:  # ATL202:10 "httpx.stream"
        response.read()


@pytest.mark.asyncio
async def test_sync_client_methods_block_the_loop():
    with httpx.Client(base_url=URL) as client:
        client.get("/")  # ATL202:9 "httpx.Client.get"
        client.send(client.build_request("GET", "/"))  # ATL202:9
    plain = httpx.Client()
    plain.request("GET", URL)  # ATL202:5
    plain.close()


async def probe(client: httpx.Client) -> int:
    return client.head(URL).status_code  # ATL202:12


# --- negatives ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_async_client_is_the_fix():
    async with httpx.AsyncClient() as client:
        await client.get(URL)
        client.build_request("GET", URL)
    other = httpx.AsyncClient()
    await other.post(URL)
    await other.aclose()


@pytest.mark.asyncio
async def test_sync_client_in_a_thread():
    def fetch():
        with httpx.Client() as client:
            return client.get(URL)

    await asyncio.to_thread(fetch)
    await asyncio.to_thread(httpx.get, URL)


@pytest.mark.asyncio
async def test_fixture_client_has_no_type_fact(client):
    client.get(URL)


def test_sync_client_in_sync_test():
    with httpx.Client() as client:
        client.get(URL)


async def probe_type_checking_annotation(session: TypedSession) -> int:
    # The annotation names `requests.Session` through an import under `if TYPE_CHECKING:`.
    return session.get(URL).status_code  # ATL202:12


async def probe_optional_annotation(session: requests.Session | None) -> int:
    assert session is not None
    return session.get(URL).status_code  # ATL202:12


async def probe_optional_subscript(session: Optional[requests.Session]) -> int:
    return session.get(URL).status_code  # ATL202:12


async def probe_string_annotation(session: "requests.Session") -> int:
    return session.get(URL).status_code  # ATL202:12


async def probe_other_union_is_no_fact(session: requests.Session | httpx.Client) -> int:
    return session.get(URL).status_code
