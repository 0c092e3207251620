"""The deep-translator adapter, over real HTTP, through deep-translator's real LibreTranslator.

The server is tests/support/libre_server.py: a stdlib HTTP server speaking
LibreTranslate's protocol, scripted per test to be slow, rate-limited, broken
or malformed.
"""

from __future__ import annotations

import threading
import time

import pytest
import requests

from provenance.errors import InvalidInput, TranslationFailed
from provenance.translate import (
    DEEP_TRANSLATOR_VERSION,
    MachineTranslation,
    MachineTranslator,
    TranslatorConfig,
    make_translator,
    provider_names,
)
from tests.support.libre_server import (  # noqa: F401 - the fixture is used by name
    MALFORMED_JSON,
    MISSING_KEY,
    LibreServer,
    Reply,
    fixture_libre_server,
    free_port,
    run_libre_server,
)

KOREAN = "우리는 대화의 문을 닫지 않을 것이다."
RUSSIAN = "Мы не закроем дверь для диалога."


def libre(url: str, **overrides: object) -> MachineTranslator:
    settings: dict[str, object] = {"provider": "libre", "api_key": "dummy", "url": url, "timeout": 2.0,
                                   "retries": 3, "backoff": 0.01}
    settings.update(overrides)
    translator = make_translator(TranslatorConfig(**settings))  # type: ignore[arg-type]
    assert translator is not None
    return translator


def test_success_is_labelled_machine_made(fx_libre_server: LibreServer) -> None:
    fx_libre_server.translations[("ko", "ru", KOREAN)] = RUSSIAN
    result = libre(fx_libre_server.url).translate(KOREAN, source="ko", target="ru")
    assert result == MachineTranslation(
        text=RUSSIAN, provider="libre", source_language="ko", target_language="ru",
        signature=f"mt:libre|deep-translator={DEEP_TRANSLATOR_VERSION}|url={fx_libre_server.url}",
    )
    assert result.signature.startswith("mt:libre|")
    assert DEEP_TRANSLATOR_VERSION == "1.11.4"
    [request] = fx_libre_server.requests
    assert (request.method, request.path) == ("POST", "/translate")
    assert request.params == {"q": KOREAN, "source": "ko", "target": "ru", "format": "text", "api_key": "dummy"}


def test_tags_are_normalised_before_the_call(fx_libre_server: LibreServer) -> None:
    result = libre(fx_libre_server.url).translate("Hello", source="EN_us", target="uk-UA")
    assert (result.source_language, result.target_language) == ("en-US", "uk-UA")
    # Ukrainian is missing from deep-translator's Libre table; the server decides.
    assert fx_libre_server.requests[0].params["target"] == "uk"
    assert result.text == "[en->uk] Hello"


def test_same_language_returns_the_text_without_a_call(fx_libre_server: LibreServer) -> None:
    result = libre(fx_libre_server.url).translate("Colour", source="en-GB", target="en-US")
    assert result.text == "Colour"
    assert result.provider == "identity"
    assert not result.signature.startswith("mt:")
    assert fx_libre_server.request_count == 0


def test_timeout_fails_fast_on_every_attempt(fx_libre_server: LibreServer) -> None:
    fx_libre_server.always(Reply(delay=2.0))
    translator = libre(fx_libre_server.url, timeout=0.3, retries=3, backoff=0.01)
    started = time.monotonic()
    with pytest.raises(TranslationFailed) as caught:
        translator.translate("Hello", source="en", target="fr")
    elapsed = time.monotonic() - started
    assert fx_libre_server.request_count == 3
    # Three attempts of ~0.3 s and two tiny pauses: far from one 2 s wait, let alone three.
    assert elapsed < 1.6, elapsed
    assert "machine translation via libre failed after 3 attempts" in caught.value.message
    assert "no reply within 0.3 s" in caught.value.message
    assert caught.value.context["attempts"] == 3


def test_rate_limit_twice_then_success(fx_libre_server: LibreServer) -> None:
    fx_libre_server.script(Reply(status=429), Reply(status=429))
    result = libre(fx_libre_server.url).translate("Hello", source="en", target="fr")
    assert result.text == "[en->fr] Hello"
    assert fx_libre_server.request_count == 3


def test_retry_after_is_honoured_and_backoff_grows(fx_libre_server: LibreServer) -> None:
    fx_libre_server.script(Reply(status=429, headers={"Retry-After": "0.2"}), Reply(status=503), Reply(status=503))
    pauses: list[float] = []
    config = TranslatorConfig(provider="libre", api_key="k", url=fx_libre_server.url, retries=4, backoff=0.01)
    translator = MachineTranslator(config=config, spec=make_translator(config).spec, sleep=pauses.append)  # type: ignore[union-attr]
    assert translator.translate("Hello", source="en", target="de").text == "[en->de] Hello"
    assert pauses == [0.2, 0.02, 0.04]


def test_retry_after_beyond_the_cap_gives_up_at_once(fx_libre_server: LibreServer) -> None:
    fx_libre_server.always(Reply(status=429, headers={"Retry-After": "3600"}))
    with pytest.raises(TranslationFailed, match=r"after 1 attempt: HTTP 429 .* wait 3600 s"):
        libre(fx_libre_server.url).translate("Hello", source="en", target="fr")
    assert fx_libre_server.request_count == 1


def test_persistent_server_error_uses_exactly_the_configured_attempts(fx_libre_server: LibreServer) -> None:
    fx_libre_server.always(Reply(status=500))
    with pytest.raises(TranslationFailed) as caught:
        libre(fx_libre_server.url, retries=4).translate("Hello", source="en", target="fr")
    assert fx_libre_server.request_count == 4
    assert caught.value.message == (
        f"machine translation via libre failed after 4 attempts: HTTP 500 from {fx_libre_server.url}translate"
    )
    assert caught.value.status == 503


@pytest.mark.parametrize("reply", [MALFORMED_JSON, MISSING_KEY, Reply(body='{"translatedText": ""}'),
                                   Reply(body='["not", "an", "object"]')])
def test_malformed_reply_fails_without_retrying(fx_libre_server: LibreServer, reply: Reply) -> None:
    fx_libre_server.always(reply)
    with pytest.raises(TranslationFailed, match=r"failed after 1 attempt: malformed reply from http://127\.0\.0\.1"):
        libre(fx_libre_server.url).translate("Hello", source="en", target="fr")
    assert fx_libre_server.request_count == 1


def test_rejected_key_is_not_retried() -> None:
    with run_libre_server(api_keys={"right"}) as server:
        with pytest.raises(TranslationFailed, match="HTTP 403 .* refused the API key"):
            libre(server.url, api_key="wrong").translate("Hello", source="en", target="fr")
        assert server.request_count == 1
        assert libre(server.url, api_key="right").translate("Hello", source="en", target="fr").text


def test_unsupported_language_is_not_retried(fx_libre_server: LibreServer) -> None:
    fx_libre_server.always(Reply(status=400, body='{"error": "ko is not supported"}'))
    with pytest.raises(TranslationFailed, match=r"after 1 attempt: HTTP 400 from .*: ko is not supported"):
        libre(fx_libre_server.url).translate(KOREAN, source="ko", target="fr")
    assert fx_libre_server.request_count == 1


def test_connection_refused_is_a_translation_failure() -> None:
    translator = libre(f"http://127.0.0.1:{free_port()}/", retries=2)
    with pytest.raises(TranslationFailed) as caught:
        translator.translate("Hello", source="en", target="fr")
    assert not isinstance(caught.value, requests.RequestException)
    assert "after 2 attempts: cannot connect to http://127.0.0.1:" in caught.value.message


def test_api_key_never_appears_in_the_failure(fx_libre_server: LibreServer) -> None:
    fx_libre_server.always(Reply(delay=1.0))
    with pytest.raises(TranslationFailed) as caught:
        libre(fx_libre_server.url, api_key="s3cret-key", timeout=0.2, retries=1).translate(
            "Hello", source="en", target="fr")
    assert "s3cret" not in caught.value.message


def test_custom_url_without_trailing_slash_works(fx_libre_server: LibreServer) -> None:
    translator = libre(fx_libre_server.url.rstrip("/"))
    assert translator.translate("Hello", source="en", target="es").text == "[en->es] Hello"
    assert translator.signature.endswith(f"url={fx_libre_server.url}")


def test_timeouts_are_per_translator_across_threads() -> None:
    """A patient and an impatient translator on one shimmed module, at once, each keep their own timeout."""
    with run_libre_server() as server:
        server.always(Reply(delay=0.6))
        outcomes: dict[str, object] = {}

        def run(name: str, timeout: float) -> None:
            try:
                outcomes[name] = libre(server.url, timeout=timeout, retries=1).translate("Hi", source="en", target="fr")
            except TranslationFailed as exc:
                outcomes[name] = exc

        threads = [threading.Thread(target=run, args=("patient", 3.0)),
                   threading.Thread(target=run, args=("impatient", 0.2))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert isinstance(outcomes["patient"], MachineTranslation)
    assert isinstance(outcomes["impatient"], TranslationFailed)


def test_deep_translator_outside_our_calls_is_unchanged(fx_libre_server: LibreServer) -> None:
    """The shim passes through when no translate() of ours is running: other code sees plain deep-translator."""
    from deep_translator import LibreTranslator

    libre(fx_libre_server.url).translate("Hello", source="en", target="fr")  # installs the shim
    plain = LibreTranslator(source="en", target="fr", api_key="dummy", custom_url=fx_libre_server.url)
    assert plain.translate("Bye") == "[en->fr] Bye"


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        make_translator(TranslatorConfig(provider="babelfish"))
    for name in ("google", "deepl", "mymemory", "libre", "microsoft", "none"):
        assert name in caught.value.message
    assert caught.value.field_errors[0]["field"] == "provider"


def test_provider_none_means_no_translator() -> None:
    assert make_translator(TranslatorConfig()) is None
    assert make_translator(TranslatorConfig(provider="none")) is None
    assert {"google", "deepl", "mymemory", "libre", "microsoft", "none"} <= set(provider_names())


@pytest.mark.parametrize("provider", ["libre", "deepl", "microsoft"])
def test_providers_needing_a_key_refuse_to_start_without_one(provider: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_translator(TranslatorConfig(provider=provider, api_key=""))
    assert caught.value.field_errors[0]["field"] == "api_key"


@pytest.mark.parametrize(
    ("overrides", "bad_field"),
    [({"timeout": 0}, "timeout"), ({"retries": 0}, "retries"), ({"backoff": -1}, "backoff"),
     ({"url": "127.0.0.1:5000"}, "url")],
)
def test_bad_settings_are_refused(overrides: dict[str, object], bad_field: str) -> None:
    settings: dict[str, object] = {"provider": "libre", "api_key": "k", **overrides}
    with pytest.raises(InvalidInput) as caught:
        make_translator(TranslatorConfig(**settings))  # type: ignore[arg-type]
    assert [e["field"] for e in caught.value.field_errors] == [bad_field]


def test_bad_language_is_invalid_input_not_a_call(fx_libre_server: LibreServer) -> None:
    with pytest.raises(InvalidInput, match="field 'target_language'"):
        libre(fx_libre_server.url).translate("Hello", source="en", target="klingon")
    assert fx_libre_server.request_count == 0


@pytest.mark.parametrize(
    ("provider", "tag", "code"),
    [("google", "zh", "zh-CN"), ("google", "zh-Hant-TW", "zh-TW"), ("google", "he", "iw"), ("google", "ko-KR", "ko"),
     ("mymemory", "ko", "ko-KR"), ("mymemory", "pt-BR", "pt-BR"), ("mymemory", "zh-TW", "zh-TW"),
     ("microsoft", "zh-CN", "zh-hans"), ("microsoft", "zh-TW", "zh-hant"), ("deepl", "en-GB", "en"),
     ("libre", "zh-CN", "zh")],
)
def test_language_codes_per_provider(provider: str, tag: str, code: str) -> None:
    translator = make_translator(TranslatorConfig(provider=provider, api_key="k"))
    assert translator is not None
    assert translator.spec.code(tag) == code

