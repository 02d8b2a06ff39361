"""ATL2xx: blocking calls on the event loop."""
