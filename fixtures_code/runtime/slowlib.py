"""A project's own blocking helper, listed under `blocking-calls` for ATL205 (`slowlib.fetch_report`)."""

import time


def fetch_report():
    time.sleep(0.2)
    return "report"
