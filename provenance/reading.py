"""An article as intake reads it: pasted text, a text or HTML file, or a URL, into plain text and metadata.

HTML goes through trafilatura (main text, title, date, author, canonical URL,
site name), which leads the published extraction benchmarks. A URL is fetched
with a time limit and a size limit, and every way it can fail is one clear
message. Nothing here writes; what is read becomes a ``Publication`` only when
an editor accepts the proposal.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from provenance.documents import CONTROL
from provenance.errors import InvalidInput
from provenance.intake.lexicon import LANGUAGES  # the languages intake has cue words for
from provenance.langid import detect_language
from provenance.languages import base_language, normalize_language
from provenance.texts import normalize_text

#: The most an article may weigh, as bytes read (a 20 MB page is refused before it is parsed).
MAX_ARTICLE_BYTES = 5 << 20
#: The longest article text intake reads, in characters, once extracted: about 15,000 words, past any news
#: article; reading one this long takes about a second (bench/intake.py has the timing).
MAX_ARTICLE_CHARS = 100_000
FETCH_TIMEOUT = 10.0
_HTML = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[ >])", re.IGNORECASE)


@dataclass
class ArticleIn:
    """An article's text and what is known of it, before anything is recorded."""

    text: str
    language: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published_on: date | None = None
    retrieved_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    read_as: str = "text"  # text, html or url
    language_detected: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"url": self.url, "outlet": self.outlet, "title": self.title, "author": self.author,
                "published_on": self.published_on.isoformat() if self.published_on else None,
                "language": self.language, "language_detected": self.language_detected,
                "retrieved_at": self.retrieved_at.isoformat(), "read_as": self.read_as,
                "length": len(self.text)}


def decode(raw: bytes, *, origin: str, charset: str | None = None) -> str:
    """The text in the character set the server names (``charset``), else UTF-8, else the one an HTML page
    declares; or a clear refusal of a binary file."""
    if len(raw) > MAX_ARTICLE_BYTES:
        raise InvalidInput(f"{origin}: the article is {len(raw):,} bytes; intake reads at most "
                           f"{MAX_ARTICLE_BYTES:,} (save the article's text alone and try again)")
    if b"\x00" in raw[:8192]:
        raise InvalidInput(f"{origin}: this is a binary file, not an article: give a text or HTML file, or a URL")
    if charset:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        declared = re.search(rb"charset=[\"']?([\w-]+)", raw[:4096])
        if declared:
            try:
                return raw.decode(declared.group(1).decode("ascii"))
            except (LookupError, UnicodeDecodeError):
                pass
        raise InvalidInput(f"{origin}: not UTF-8 text, and no character set it declares reads it: save the article "
                           "as UTF-8 text or HTML") from None


def read_article(content: str | bytes, *, origin: str = "the article", url: str | None = None,
                 language: str | None = None, html: bool | None = None, charset: str | None = None) -> ArticleIn:
    """The article in ``content`` (text or HTML, recognised by its start unless ``html`` says), its language
    given or detected; refused with a message when it is empty, binary, too large or in a language intake
    does not read."""
    text = decode(content, origin=origin, charset=charset) if isinstance(content, bytes) else content
    if len(text) > MAX_ARTICLE_BYTES:  # a page's characters, before its main text is taken out
        raise InvalidInput(f"{origin}: the page is {len(text):,} characters; intake reads pages of at most "
                           f"{MAX_ARTICLE_BYTES:,}")
    if "\x00" in text:
        raise InvalidInput(f"{origin}: the text holds NUL characters, so it is not an article's text")
    is_html = bool(_HTML.match(text)) if html is None else html
    article = _from_html(text, url=url, origin=origin) if is_html else ArticleIn(text=text, language="", url=url)
    article.text = _clean(article.text)
    if not article.text.strip():
        raise InvalidInput(f"{origin}: the article is empty" + (" (no main text found in the page)" if is_html else ""))
    if len(article.text) > MAX_ARTICLE_CHARS:
        raise InvalidInput(f"{origin}: the article's text is {len(article.text):,} characters; intake reads at most "
                           f"{MAX_ARTICLE_CHARS:,}")
    if language:
        article.language = base_language(normalize_language(language))
        article.language_detected = False
    else:
        found = detect_language(normalize_text(article.text[:4_000]))  # a page's opening tells its language
        if found.language is None:
            raise InvalidInput(f"{origin}: the article's language could not be told; give it (--language xx, or "
                               "'language' in the request)")
        article.language = base_language(found.language)
    if article.language not in LANGUAGES:
        raise InvalidInput(f"{origin}: the article reads as '{article.language}'; intake reads articles in "
                           f"{', '.join(LANGUAGES)} (give --language if the guess is wrong)",
                           field_errors=[{"field": "language", "message": "not a language intake reads"}])
    if is_html:
        article.read_as = "html"
    return article


def _clean(text: str) -> str:
    """Line ends as \\n and no control characters but tabs and line breaks: what a rendition's text may hold
    (the same characters every input refuses: ``documents.CONTROL``)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text)


def _from_html(page: str, *, url: str | None, origin: str) -> ArticleIn:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(page, url=url, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True)
    except Exception as exc:  # trafilatura wraps lxml; a page it cannot parse is the page's fault
        raise InvalidInput(f"{origin}: the page could not be read as HTML ({type(exc).__name__})") from None
    if doc is None:
        raise InvalidInput(f"{origin}: the article is empty (no main text found in the page)")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    published = None
    if data.get("date"):
        try:
            published = date.fromisoformat(str(data["date"])[:10])
        except ValueError:
            published = None
    return ArticleIn(text=data.get("text") or "", language="", url=data.get("url") or url,
                     outlet=data.get("sitename") or data.get("hostname"), title=data.get("title"),
                     author=data.get("author"), published_on=published)


class NotPublic(InvalidInput):
    """The address a URL leads to is not a public one: intake does not fetch inside the server's network."""


def _guard(allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> Callable[[socket.socket], None]:
    def check(sock: socket.socket) -> None:
        address = ipaddress.ip_address(sock.getpeername()[0])
        if address.is_global or any(address in net for net in allowed):
            return
        sock.close()
        raise NotPublic("the address leads inside a private network, which intake does not fetch from; save the "
                        "page and give the file")
    return check


def _opener(allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> urllib.request.OpenerDirector:
    """urllib with every connection checked after it opens (so a DNS answer that changes between look-up and
    connect gains nothing) and redirects only to http(s)."""
    check = _guard(allowed)

    class Plain(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            check(self.sock)

    class Secure(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            check(self.sock)

    class PlainHandler(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(Plain, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(Secure, req, context=self._context)  # type: ignore[attr-defined]

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = 5

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
                raise InvalidInput(f"the page redirects to '{newurl[:200]}', which is not an http(s) address")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(PlainHandler, SecureHandler, Redirects)


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_ARTICLE_BYTES,
          allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> tuple[bytes, str, str]:
    """The page at ``url`` (http or https, on a public address or one of ``allowed``): its bytes, content type
    and final URL; a clear error otherwise. ``timeout`` bounds the whole fetch, not only each wait."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise InvalidInput(f"'{url[:200]}' is not a valid URL", field_errors=[{"field": "url", "message": "invalid"}]) \
            from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"'{url[:200]}' is not an http(s) URL", field_errors=[{"field": "url", "message": "http(s) only"}])
    request = urllib.request.Request(url, headers={"User-Agent": "quote-provenance intake",
                                                   "Accept": "text/html, text/plain;q=0.9, */*;q=0.1"})
    started = time.monotonic()
    try:
        with _opener(allowed).open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InvalidInput(f"{url}: the page is {int(length):,} bytes; intake reads at most {max_bytes:,}")
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = response.read(64 << 10)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput(f"{url}: the page is over {max_bytes:,} bytes; intake reads at most {max_bytes:,}")
                if time.monotonic() - started > timeout:
                    raise TimeoutError
            return b"".join(chunks), response.headers.get("Content-Type", ""), response.geturl()
    except InvalidInput:
        raise
    except urllib.error.HTTPError as exc:
        raise InvalidInput(f"{url}: the server answered {exc.code} {exc.reason}; check the address") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, InvalidInput):
            raise exc.reason from None
        raise InvalidInput(f"{url}: the page could not be reached ({exc.reason}); check the address, or save the "
                           "page and give the file") from None
    except TimeoutError:
        raise InvalidInput(f"{url}: the page did not arrive within {timeout:g} s; try again later, or save the page "
                           "and give the file") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:
        raise InvalidInput(f"{url}: the page could not be read ({type(exc).__name__}); check the address, or save "
                           "the page and give the file") from None


def read_url(url: str, *, language: str | None = None, timeout: float = FETCH_TIMEOUT,
             allowed: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> ArticleIn:
    body, content_type, final = fetch(url, timeout=timeout, allowed=allowed)
    html = "html" in content_type.lower() if content_type else None
    charset = re.search(r"charset=[\"']?([\w-]+)", content_type or "", re.IGNORECASE)
    article = read_article(body, origin=url, url=final, language=language, html=html,
                           charset=charset.group(1) if charset else None)
    article.url = article.url or final
    article.read_as = "url"
    if not article.outlet:
        article.outlet = urllib.parse.urlsplit(final).hostname
    return article


__all__ = ["ArticleIn", "read_article", "read_url", "fetch", "decode", "MAX_ARTICLE_BYTES", "NotPublic"]
