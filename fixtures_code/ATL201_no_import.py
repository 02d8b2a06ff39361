import time


async def test_no_async_library_imported_gets_no_fix():
    time.sleep(0.01)  # ATL201:5 "the sleep of the async library it runs under"
