"""The form's HTML pages, from the Jinja2 templates in web/templates/.

Every value a template prints is HTML-escaped (autoescape); the templates use no `|safe`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

# How the form words each source, for its readers (a reading age of about nine).
SOURCE_WORDS = {
    "service-user": "I use this service",
    "carer": "I am a carer or family member",
    "staff": "I work here",
    "partner": "I work for a partner organisation",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates change only with the code, at a restart
    )


def render_page(template: str, **context: Any) -> bytes:
    return (
        _environment().get_template(template).render(source_words=SOURCE_WORDS, **context).encode()
    )
