"""ATL4xx: unnamed, dropped and leaked tasks."""
