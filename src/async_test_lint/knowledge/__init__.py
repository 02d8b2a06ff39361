"""What is known about libraries and other tools, as data read from `data/`: async APIs, plugin
fixtures, peers' noqa codes."""
