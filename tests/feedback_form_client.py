"""Using the public feedback form over HTTP as a browser does: open the page, read its form
token, post the fields form-encoded. No redirects are followed, so tests see each answer."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from html import unescape
from urllib.parse import urlencode, urlsplit

from tests.slack_harness import HttpResult

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def request(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> HttpResult:
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with _opener.open(req, timeout=10) as response:
            return HttpResult(response.status, response.read(), dict(response.headers))
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read(), dict(error.headers))


def form_path(address: str) -> str:
    """The path of a link's address (`https://public.example/f/abc` -> `/f/abc`)."""
    return urlsplit(address).path


def page_text(result: HttpResult) -> str:
    """The page's words, tags dropped and entities read, for asserting on what people see."""
    html = result.body.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


class FormVisitor:
    """One person opening a link's form on the server at `base_url` and sending it."""

    def __init__(self, base_url: str, path: str) -> None:
        self.url = base_url + path
        self.path = path

    def open(self) -> HttpResult:
        return request(self.url)

    def form_token(self) -> str:
        page = self.open()
        assert page.status == 200, page
        match = FORM_TOKEN.search(page.body.decode())
        assert match is not None, "the form carries a form token"
        return unescape(match[1])

    def send(
        self,
        *,
        source: str | None = "service-user",
        rating: str | None = "Good",
        text: str | None = "The nurses were kind and explained everything.",
        form_token: str | None = "",
        headers: dict[str, str] | None = None,
        **more: str,
    ) -> HttpResult:
        """Post the form; `form_token=""` takes a fresh one from the page, None sends none."""
        fields = {"source": source, "rating": rating, "text": text, **more}
        if form_token == "":
            form_token = self.form_token()
        if form_token is not None:
            fields["form_token"] = form_token
        body = urlencode({k: v for k, v in fields.items() if v is not None}).encode()
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        return request(self.url, "POST", body, all_headers)
