"""ATL7xx: pytest-asyncio and event-loop mistakes: async tests that never run, async fixtures under
the wrong decorator, the removed `event_loop` fixture, loop juggling."""
