"""Machine translation through deep-translator, with its sharp edges filed off once, here.

Machine translations give the drift checks a pivot text when no person has
glossed a rendition. deep-translator's providers differ in constructors,
language codes and failure modes, and it has four gaps we must close
(LIBRARIES.md §5):

* **No timeout.** Every provider calls ``requests`` with ``timeout=None``. We
  replace each provider module's ``requests`` with :class:`_RequestsShim`, once;
  inside one of our calls it adds our timeout and records the reply, outside
  our calls it passes through untouched. Per-call state lives in a
  thread-local, so translators with different timeouts can run in parallel.
* **Network errors escape raw** (``requests.ConnectionError``; Microsoft even
  swallows them and fails later with ``AttributeError``). The shim records
  transport errors, so we classify them whatever the provider did with them.
* **No retries.** Rate limits, 5xx replies, timeouts and refused connections
  are retried with exponential backoff (``Retry-After`` honoured up to
  :data:`MAX_RETRY_AFTER` seconds); bad keys, unsupported languages and
  malformed replies are not, since asking again cannot help.
* **Malformed replies** (not JSON, no ``translatedText``) surface as
  ``KeyError``/``JSONDecodeError``; they become :class:`TranslationFailed`.

This module is pure: no database. Caching belongs to the caller.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import langcodes
import requests

from provenance.errors import InvalidInput, TranslationFailed
from provenance.languages import base_language, normalize_language

__all__ = [
    "MAX_RETRY_AFTER",
    "MachineTranslation",
    "MachineTranslator",
    "ProviderSpec",
    "TranslatorConfig",
    "make_translator",
    "provider_names",
    "register_provider",
]

DEEP_TRANSLATOR_VERSION = importlib.metadata.version("deep-translator")
"""Read from the installed distribution: ``deep_translator.__version__`` still says 1.9.1 in 1.11.4."""

MAX_RETRY_AFTER = 30.0
"""A server asking us to wait longer than this is treated as down: we fail rather than block a request."""

NO_TRANSLATOR = "none"


@dataclass(frozen=True)
class TranslatorConfig:
    """Which provider to use and how patiently; ``retries`` counts attempts in all (3 means at most 3 requests)."""

    provider: str = NO_TRANSLATOR
    api_key: str | None = None
    url: str | None = None
    timeout: float = 10.0
    retries: int = 3
    backoff: float = 0.5
    region: str | None = None


@dataclass(frozen=True)
class MachineTranslation:
    """A translation labelled with its origin, so it is never mistaken for a person's."""

    text: str
    provider: str
    source_language: str
    target_language: str
    signature: str


# --- the requests shim ------------------------------------------------------


@dataclass
class _CallState:
    timeout: float
    response: requests.Response | None = None
    url: str | None = None
    transport_error: requests.RequestException | None = None


_call = threading.local()


def _state() -> _CallState | None:
    return getattr(_call, "state", None)


@contextmanager
def _calling(timeout: float) -> Iterator[_CallState]:
    state = _CallState(timeout=timeout)
    previous = _state()
    _call.state = state
    try:
        yield state
    finally:
        _call.state = previous


class _RequestsShim:
    """Stands in for ``requests`` inside a provider module; everything but get/post/request is the real thing."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send(requests.get, url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send(requests.post, url, kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        return self._send(lambda u, **kw: requests.request(method, u, **kw), url, kwargs)

    @staticmethod
    def _send(send: Callable[..., requests.Response], url: str, kwargs: dict[str, Any]) -> requests.Response:
        state = _state()
        if state is None:
            return send(url, **kwargs)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = state.timeout
        state.url = url
        state.response = None
        try:
            response = send(url, **kwargs)
        except requests.RequestException as exc:
            state.transport_error = exc
            raise
        state.response = response
        return response


_SHIM = _RequestsShim()
_shim_lock = threading.Lock()


def _install_shim(module_name: str) -> None:
    """Point the provider module's ``requests`` at the shim; idempotent and safe to race."""
    with _shim_lock:
        module = importlib.import_module(module_name)
        if not isinstance(module.requests, _RequestsShim):
            module.requests = _SHIM


# --- providers ----------------------------------------------------------------

Client = Any  # a deep_translator BaseTranslator; the package has no type hints


@dataclass(frozen=True)
class ProviderSpec:
    """How to build one provider's client and spell our language tags for it."""

    name: str
    module: str
    build: Callable[[TranslatorConfig, str, str], Client]
    code: Callable[[str], str] = base_language
    needs_key: bool = False
    uses_url: bool = False


_PROVIDERS: dict[str, ProviderSpec] = {}


def register_provider(spec: ProviderSpec) -> ProviderSpec:
    """Add a provider by name; a new provider is one function and one call."""
    _PROVIDERS[spec.name] = spec
    return spec


def provider_names() -> list[str]:
    """Known provider names, "none" included, for settings validation and error messages."""
    return sorted([*_PROVIDERS, NO_TRANSLATOR])


def _chinese_variant(tag: str, simplified: str, traditional: str) -> str | None:
    language = langcodes.Language.get(tag)
    if language.language != "zh":
        return None
    script = language.script or language.maximize().script
    return traditional if script == "Hant" else simplified


def _google_code(tag: str) -> str:
    zh = _chinese_variant(tag, "zh-CN", "zh-TW")
    if zh:
        return zh
    base = base_language(tag)
    return {"he": "iw", "jv": "jw"}.get(base, base)


def _microsoft_code(tag: str) -> str:
    return _chinese_variant(tag, "zh-hans", "zh-hant") or base_language(tag)


def _mymemory_code(tag: str) -> str:
    """MyMemory wants language-REGION ("ko-KR"); use the tag's region or the language's likeliest one."""
    from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

    known = set(MY_MEMORY_LANGUAGES_TO_CODES.values())
    zh = _chinese_variant(tag, "zh-CN", "zh-TW")
    if zh:
        return zh
    language = langcodes.Language.get(tag)
    base = base_language(tag)
    for territory in (language.territory, language.maximize().territory):
        if territory and f"{base}-{territory}" in known:
            return f"{base}-{territory}"
    same_base = sorted(code for code in known if code.split("-")[0] == base)
    return same_base[0] if same_base else base


def _libre_url(url: str | None) -> str | None:
    # deep-translator builds base_url + "translate": without the slash the host and path run together.
    if url is None:
        return None
    return url if url.endswith("/") else url + "/"


def _build_google(config: TranslatorConfig, source: str, target: str) -> Client:
    from deep_translator import GoogleTranslator

    return GoogleTranslator(source=source, target=target)


def _build_mymemory(config: TranslatorConfig, source: str, target: str) -> Client:
    from deep_translator import MyMemoryTranslator

    return MyMemoryTranslator(source=source, target=target)


def _build_deepl(config: TranslatorConfig, source: str, target: str) -> Client:
    from deep_translator import DeeplTranslator

    # DeepL's free-tier keys end in ":fx" and only work on the free endpoint.
    free = bool(config.api_key and config.api_key.endswith(":fx"))
    return DeeplTranslator(source=source, target=target, api_key=config.api_key, use_free_api=free)


def _build_libre(config: TranslatorConfig, source: str, target: str) -> Client:
    from deep_translator import LibreTranslator

    url = _libre_url(config.url)
    # deep-translator's Libre language table is a stale list of 17 (no Ukrainian);
    # the server we talk to is the authority, and answers 400 for a language it lacks.
    # Without a URL: libretranslate.com (the "free" mirror deep-translator knows is gone).
    client = LibreTranslator(source="en", target="es", api_key=config.api_key, use_free_api=False, custom_url=url)
    client.source, client.target = source, target
    return client


def _build_microsoft(config: TranslatorConfig, source: str, target: str) -> Client:
    from deep_translator import MicrosoftTranslator

    # The constructor fetches the language list over the network: built inside the call, it gets timeout and retries.
    return MicrosoftTranslator(source=source, target=target, api_key=config.api_key, region=config.region)


register_provider(ProviderSpec("google", "deep_translator.google", _build_google, code=_google_code))
register_provider(ProviderSpec("mymemory", "deep_translator.mymemory", _build_mymemory, code=_mymemory_code))
register_provider(ProviderSpec("deepl", "deep_translator.deepl", _build_deepl, needs_key=True))
register_provider(ProviderSpec("libre", "deep_translator.libre", _build_libre, needs_key=True, uses_url=True))
register_provider(ProviderSpec("microsoft", "deep_translator.microsoft", _build_microsoft, code=_microsoft_code,
                               needs_key=True))


# --- failures ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Failure:
    reason: str
    retryable: bool
    wait: float | None = None  # Retry-After, seconds


def _redact(url: str | None) -> str:
    """The URL without its query string, which carries the text and the API key."""
    if not url:
        return "the provider"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare enough to fall back to our own backoff


def _from_transport(error: requests.RequestException, state: _CallState) -> _Failure:
    where = _redact(state.url)
    if isinstance(error, requests.Timeout):
        return _Failure(f"no reply within {state.timeout:g} s from {where}", retryable=True)
    if isinstance(error, requests.ConnectionError):
        return _Failure(f"cannot connect to {where} ({type(error).__name__})", retryable=True)
    if isinstance(error, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                          requests.exceptions.InvalidSchema)):
        return _Failure(f"invalid provider URL {where}", retryable=False)
    if isinstance(error, requests.exceptions.JSONDecodeError):
        return _Failure(f"malformed reply from {where}: not JSON", retryable=False)
    return _Failure(f"request to {where} failed ({type(error).__name__})", retryable=True)


def _from_status(response: requests.Response) -> _Failure:
    where = _redact(response.url)
    status = response.status_code
    if status == 429:
        return _Failure(f"HTTP 429 (rate limited) from {where}", retryable=True, wait=_retry_after(response))
    if status in (401, 403):
        return _Failure(f"HTTP {status} from {where}: the provider refused the API key", retryable=False)
    if status >= 500:
        return _Failure(f"HTTP {status} from {where}", retryable=True, wait=_retry_after(response))
    return _Failure(f"HTTP {status} from {where}{_error_detail(response)}", retryable=False)


def _error_detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    return f": {detail}" if isinstance(detail, str) and detail else ""


def _classify(error: Exception, state: _CallState, provider: str) -> _Failure:
    """Name what went wrong and whether asking again could help."""
    from deep_translator import exceptions as dt

    # Transport errors first: Microsoft swallows them and fails later on a None response.
    if state.transport_error is not None and not isinstance(error, requests.exceptions.JSONDecodeError):
        return _from_transport(state.transport_error, state)
    if isinstance(error, requests.RequestException):
        return _from_transport(error, state)
    if isinstance(error, (dt.LanguageNotSupportedException, dt.InvalidSourceOrTargetLanguage)):
        return _Failure(f"{provider} does not support this language pair ({error.val})", retryable=False)
    if isinstance(error, dt.ApiKeyException):
        return _Failure(f"{provider} needs an API key", retryable=False)
    if isinstance(error, (dt.NotValidPayload, dt.NotValidLength)):
        return _Failure(f"{provider} refused the text: {error.message}", retryable=False)
    response = state.response
    if response is not None and not 200 <= response.status_code < 300:
        return _from_status(response)
    if isinstance(error, dt.AuthorizationException):
        return _Failure(f"{provider} refused the API key", retryable=False)
    if isinstance(error, dt.TooManyRequests) or (isinstance(error, dt.ServerException)
                                                 and "TOO_MANY_REQUESTS" in str(error)):
        return _Failure(f"{provider} is rate limiting us", retryable=True)
    if isinstance(error, (dt.ServerException, dt.RequestError)):
        return _Failure(f"{provider} server error: {error}", retryable=True)
    where = _redact(state.url)
    if isinstance(error, dt.TranslationNotFound):
        return _Failure(f"malformed reply from {where}: no translation in it", retryable=False)
    if isinstance(error, (KeyError, TypeError, IndexError, ValueError, AttributeError)):
        return _Failure(f"malformed reply from {where}: {type(error).__name__} {error}", retryable=False)
    return _Failure(f"{type(error).__name__}: {error}", retryable=False)


# --- the translator -------------------------------------------------------------------


@dataclass(frozen=True)
class MachineTranslator:
    """One configured provider; safe to share between threads (a client is built per call)."""

    config: TranslatorConfig
    spec: ProviderSpec
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)

    @property
    def provider(self) -> str:
        return self.spec.name

    @property
    def signature(self) -> str:
        """Says the text is machine-made and by what, sacrebleu-style, so a pivot can be reproduced."""
        parts = [f"mt:{self.spec.name}", f"deep-translator={DEEP_TRANSLATOR_VERSION}"]
        if self.spec.uses_url and self.config.url:
            parts.append(f"url={_redact(_libre_url(self.config.url))}")
        return "|".join(parts)

    def translate(self, text: str, *, source: str, target: str) -> MachineTranslation:
        """Translate ``text``, retrying transient failures; raise TranslationFailed naming provider and last error."""
        if not isinstance(text, str) or not text.strip():
            raise InvalidInput("nothing to translate: the text is empty",
                               field_errors=[{"field": "text", "message": "must not be empty"}])
        source_tag = normalize_language(source, field="source_language")
        target_tag = normalize_language(target, field="target_language")
        source_code, target_code = self.spec.code(source_tag), self.spec.code(target_tag)
        if source_code == target_code:
            return MachineTranslation(text=text, provider="identity", source_language=source_tag,
                                      target_language=target_tag,
                                      signature=f"identity|same language for {self.spec.name}: {source_code}")
        _install_shim(self.spec.module)
        attempts = max(1, self.config.retries)
        failure: _Failure | None = None
        for attempt in range(1, attempts + 1):
            with _calling(self.config.timeout) as state:
                try:
                    client = self.spec.build(self.config, source_code, target_code)
                    result = client.translate(text)
                except Exception as exc:  # noqa: BLE001 - deep-translator has no common base; _classify sorts it out
                    failure = _classify(exc, state, self.spec.name)
                else:
                    if isinstance(result, str) and result.strip():
                        return MachineTranslation(text=result, provider=self.spec.name, source_language=source_tag,
                                                  target_language=target_tag, signature=self.signature)
                    failure = _Failure(f"malformed reply from {_redact(state.url)}: empty translation {result!r}",
                                       retryable=False)
            if not failure.retryable or attempt == attempts:
                break
            delay = self.config.backoff * 2 ** (attempt - 1)
            if failure.wait is not None:
                if failure.wait > MAX_RETRY_AFTER:
                    failure = _Failure(f"{failure.reason}; it asks us to wait {failure.wait:g} s", retryable=False)
                    break
                delay = max(delay, failure.wait)
            self.sleep(delay)
        assert failure is not None
        plural = "attempt" if attempt == 1 else "attempts"
        raise TranslationFailed(
            f"machine translation via {self.spec.name} failed after {attempt} {plural}: {failure.reason}",
            provider=self.spec.name, attempts=attempt, last_error=failure.reason,
        )


def make_translator(config: TranslatorConfig) -> MachineTranslator | None:
    """Build the configured translator, or None for provider "none"; refuse bad settings before any call."""
    name = (config.provider or NO_TRANSLATOR).strip().lower()
    if name == NO_TRANSLATOR:
        return None
    spec = _PROVIDERS.get(name)
    if spec is None:
        message = f"unknown translation provider {config.provider!r}: use one of {', '.join(provider_names())}"
        raise InvalidInput(message, field_errors=[{"field": "provider", "message": message}])
    problems: list[dict[str, str]] = []
    if spec.needs_key and not (config.api_key and config.api_key.strip()):
        problems.append({"field": "api_key", "message": f"{name} needs a non-empty API key "
                                                        "(any placeholder will do for a local LibreTranslate)"})
    if not config.timeout > 0:
        problems.append({"field": "timeout", "message": "must be a positive number of seconds"})
    if config.retries < 1:
        problems.append({"field": "retries", "message": "must be at least 1 (it counts attempts)"})
    if config.backoff < 0:
        problems.append({"field": "backoff", "message": "must not be negative"})
    if config.url is not None and urlsplit(config.url).scheme not in ("http", "https"):
        problems.append({"field": "url", "message": f"{config.url!r} is not an http(s) URL"})
    if problems:
        detail = "; ".join(f"{p['field']} {p['message']}" for p in problems)
        raise InvalidInput(f"translator settings for {name} are invalid: {detail}", field_errors=problems)
    return MachineTranslator(config=config, spec=spec)

