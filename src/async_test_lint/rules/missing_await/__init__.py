"""ATL1xx: coroutines and other awaitables that are never awaited."""
