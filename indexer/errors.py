"""The one kind of error brieven means its users to see.

Every such error carries what each adapter needs to answer it: an HTTP `status` for the site and
an `exit_code` for the command line (1: a problem with the state of things, such as no index
yet; 2: a usage error). The CLI and the web app each catch BrievenError once; the message says
what to do. Each wing defines its own subclasses beside the code that raises them.
"""
from __future__ import annotations


class BrievenError(Exception):
    """An error with a message for the user that says what to do."""

    status = 500
    exit_code = 1
