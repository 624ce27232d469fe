"""One SearchService per app, attached when the app is made and shared by every request.

The service opens a fresh searcher for each call, so it is safe across threads and a re-index
on disk is seen by the next request without a restart.
"""
from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from indexer.searching import SearchService, SharedAnswers

EXTENSION_KEY = "brieven.search"


def init_service(app: Flask) -> None:
    """Attach the search service for app.config['INDEX_DIR'], or for the OpenSearch cluster of
    app.config['OPENSEARCH'] (nothing is opened until a request)."""
    if app.config.get("OPENSEARCH") is not None:
        from indexer.searching import OpenSearchService

        app.extensions[EXTENSION_KEY] = OpenSearchService(app.config["OPENSEARCH"],
                                                          deadline=float(app.config["SEARCH_SECONDS"]))
        return
    app.extensions[EXTENSION_KEY] = SearchService(Path(app.config["INDEX_DIR"]),
                                                  deadline=float(app.config["SEARCH_SECONDS"]))


def get_service() -> SearchService:
    return current_app.extensions[EXTENSION_KEY]


def share_answers(app: Flask, path: Path) -> None:
    """Have the app's search service keep its answers in the file `path`, which the server's
    other workers share (search_ui/serve.py; indexer/searching/answers.py says why). The
    OpenSearch backend keeps no answers of its own: the cluster has its request cache."""
    service = app.extensions[EXTENSION_KEY]
    if isinstance(service, SearchService):
        service.answers = SharedAnswers(path)


def keep_resident(app: Flask, notice: Callable[[str], None] | None = None) -> Callable[[], None]:
    """Keep the app's index in memory while it is served (indexer/store/resident.py); returns
    what stops it; `notice` is told when it cannot. The OpenSearch backend's index lives in
    its cluster: nothing to do."""
    service = app.extensions[EXTENSION_KEY]
    if isinstance(service, SearchService):
        return service.keep_resident(notice)
    return lambda: None


def page_size() -> int:
    return int(current_app.config["PAGE_SIZE"])


def prepare(app: Flask) -> None:
    """Open the app's index and read what every search needs, before the first request (each
    server process does this for itself). What it read lives as long as the process, so it is
    moved out of the garbage collector's sight (gc.freeze): at 1,000,000 paragraphs a full
    collection walked it for 45 ms, in the middle of whichever search triggered it."""
    app.extensions[EXTENSION_KEY].prepare()
    gc.freeze()
