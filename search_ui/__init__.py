"""brieven's browser front end: a Flask application factory over the one search service.

    app = create_app({"INDEX_DIR": settings.index_dir, "PAGE_SIZE": settings.page_size})

Pages live in the `pages` blueprint (views.py), JSON in `api` (api.py); both build their data
with the same functions (pages.py). Nothing is read from the environment here: the caller
(`brieven serve`) passes the settings it resolved.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from indexer.searching import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SEARCH_SECONDS
from indexer.settings import DEFAULT_INDEX, public_base_url


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Make the app; `test_config` overrides the defaults (INDEX_DIR, PAGE_SIZE, BASE_URL,
    SEARCH_SECONDS, TESTING, ...)."""
    app = Flask(__name__)
    # BASE_URL: the site's public address for absolute links (feeds), checked by
    # indexer.settings; None: the request's own address for a loopback host, else relative links.
    # SEARCH_SECONDS: a search's deadline (indexer/searching/budget.py).
    app.config.from_mapping(INDEX_DIR=DEFAULT_INDEX, PAGE_SIZE=DEFAULT_PAGE_SIZE, BASE_URL=None,
                            SEARCH_SECONDS=SEARCH_SECONDS)
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["INDEX_DIR"] = Path(app.config["INDEX_DIR"])
    app.config["PAGE_SIZE"] = max(1, min(int(app.config["PAGE_SIZE"]), MAX_PAGE_SIZE))
    app.config["BASE_URL"] = public_base_url(app.config["BASE_URL"])
    app.json.ensure_ascii = False  # the same bytes as `brieven search --json`
    app.json.sort_keys = False

    from search_ui import api, errors, markup, security, service, views

    service.init_service(app)
    security.init_security(app)
    markup.register_filters(app)
    errors.register_error_handler(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    return app
