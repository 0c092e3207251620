"""Reading untrusted YAML and JSON with limits, before anything is built from it.

A chain document comes from anyone with an editor key, or a file someone was
sent, and YAML lets a few hundred bytes stand for gigabytes: an anchor used
ten times by a node used ten times by a node... (the "billion laughs"). A
plain loader builds the whole expansion before anything can look at it, and
then every later step (validation, an error message that quotes the value)
walks it again. Here the text is first *composed* into YAML's node graph,
where an alias is a reference and costs nothing, and the graph is measured:
how many nodes it stands for once every alias is expanded, how deep it
nests. Only a document within :class:`Limits` is turned into Python values.

Also refused: explicit tags other than YAML's plain types (``!!python/...``,
``!!binary``, ``!!set``, merge keys), a key given twice in one mapping (a
plain loader keeps the last one without a word), NaN and infinities, and
control characters (NUL above all: PostgreSQL cannot store it, and no quote
contains one). JSON, recognised by its first character, is read by the
standard library's parser, far faster than YAML's, with the same checks.
Error messages quote at most a short excerpt of the offending text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import yaml

from provenance.errors import InvalidInput

try:  # libyaml's parser, when PyYAML was built with it: the same events, far faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class DocumentError(InvalidInput):
    """A document refused before it was read: too large once expanded, too deep, or with forbidden content."""

    title = "Invalid document"


@dataclass(frozen=True)
class Limits:
    """How much a document may stand for. The defaults are far above any chain document of real quotes."""

    max_bytes: int = 64 << 20
    max_nodes: int = 2_000_000  # values once every alias is expanded
    max_alias_nodes: int = 10_000  # values that aliases add beyond the written ones
    max_depth: int = 32  # a chain document nests about 8 deep


_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
# C0 controls other than tab, line feed and carriage return; DEL; C1 controls
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def excerpt(value: Any, limit: int = 60) -> str:
    """``value`` as a short string for an error message, never the whole of a large input."""
    text = value if isinstance(value, str) else repr(value)
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def control_character(text: str) -> str | None:
    """The first control character in ``text`` (tab, newlines excepted), described, or None."""
    found = CONTROL.search(text)
    return None if found is None else f"U+{ord(found.group()):04X}"


def load(raw: str | bytes, *, origin: str = "<document>", limits: Limits = Limits()) -> Any:
    """The Python value of a YAML or JSON document, or :class:`DocumentError` saying what is wrong and where."""
    size = len(raw)
    if size > limits.max_bytes:
        raise DocumentError(f"{origin}: the document is {size:,} bytes; at most {limits.max_bytes:,} are read")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{origin}: not UTF-8 text (byte {exc.start} is {raw[exc.start]:#04x})") from None
    stripped = raw.lstrip("\ufeff \t\r\n")
    value = _load_json(raw, origin) if stripped[:1] in ("{", "[") else _load_yaml(raw, origin, limits)
    check_values(value, origin=origin, max_depth=limits.max_depth)
    return value


# ---------------------------------------------------------------- JSON

def _no_duplicates(origin: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise DocumentError(f"{origin}: the key '{excerpt(k)}' is given twice in one object")
            out[k] = v
        return out
    return pairs


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a number a document may hold")


def _load_json(raw: str, origin: str) -> Any:
    try:
        return json.loads(raw, object_pairs_hook=_no_duplicates(origin), parse_constant=_no_constants)
    except RecursionError:
        raise DocumentError(f"{origin}: the document nests too deeply") from None
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{origin}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise DocumentError(f"{origin}: {exc}") from None


# ---------------------------------------------------------------- YAML

def _load_yaml(raw: str, origin: str, limits: Limits) -> Any:
    loader = _Loader(raw)
    try:
        return _Builder(loader, origin, limits).document()
    except yaml.YAMLError as exc:
        raise DocumentError(_yaml_message(exc, origin)) from None
    finally:
        loader.dispose()


def _yaml_message(exc: yaml.YAMLError, origin: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{origin}: not valid YAML or JSON{where}: {excerpt(problem, 160)}"


def _where(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"


_OPEN = object()  # an anchor whose value is still being read: an alias to it would make a value contain itself


class _Frame:
    __slots__ = ("value", "key", "has_key", "size", "anchor")

    def __init__(self, value: Any, anchor: str | None) -> None:
        self.value = value
        self.key: Any = None
        self.has_key = False
        self.size = 1
        self.anchor = anchor


class _Builder:
    """Python values from the parser's events, counting as it goes (an alias reuses the value it names).

    libyaml's parser keeps its own stack, so however deep the text nests, the
    parse is a loop and not a recursion; the depth limit refuses it here, at
    the first event past the limit.
    """

    def __init__(self, loader: Any, origin: str, limits: Limits) -> None:
        self.loader, self.origin, self.limits = loader, origin, limits
        self.anchors: dict[str, Any] = {}
        self.stack: list[_Frame] = []
        self.written = 0
        self.aliased = 0
        self.result: Any = None

    def document(self) -> Any:
        get = self.loader.get_event
        get()  # stream start
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        while True:
            event = get()
            if isinstance(event, yaml.DocumentEndEvent):
                break
            self.handle(event)
        if not isinstance(get(), yaml.StreamEndEvent):
            raise DocumentError(f"{self.origin}: holds several YAML documents; a chain document is one")
        return self.result

    def handle(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.written += 1
            value = self.scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.emit(value, 1, event)
        elif isinstance(event, yaml.AliasEvent):
            found = self.anchors.get(event.anchor)
            if found is None:
                raise DocumentError(f"{self.origin}: the alias '*{excerpt(event.anchor, 40)}' names no anchor "
                                    f"(at {_where(event)})")
            if found is _OPEN:
                raise DocumentError(f"{self.origin}: an alias refers to a value that contains it (at {_where(event)})")
            value, size = found
            self.aliased += size
            if self.aliased > self.limits.max_alias_nodes:
                raise DocumentError(f"{self.origin}: its aliases expand to more than {self.limits.max_alias_nodes:,} "
                                    f"values beyond those it writes (at {_where(event)}); write the values out instead")
            self.emit(value, size, event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self.written += 1
            self.check_tag(event.tag, event, "map" if isinstance(event, yaml.MappingStartEvent) else "seq")
            if len(self.stack) + 1 > self.limits.max_depth:
                raise DocumentError(f"{self.origin}: values nest more than {self.limits.max_depth} deep "
                                    f"(at {_where(event)})")
            if event.anchor:
                self.anchors[event.anchor] = _OPEN
            self.stack.append(_Frame({} if isinstance(event, yaml.MappingStartEvent) else [], event.anchor))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            frame = self.stack.pop()
            if frame.anchor:
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self.emit(frame.value, frame.size, event)
        if self.written + self.aliased > self.limits.max_nodes:
            raise DocumentError(f"{self.origin}: the document stands for more than {self.limits.max_nodes:,} values")

    def check_tag(self, tag: str | None, event: yaml.Event, plain: str) -> None:
        if tag is None or tag == "!" or tag == _YAML_TAG + plain:
            return
        shown = tag.removeprefix(_YAML_TAG)
        raise DocumentError(f"{self.origin}: the tag '{excerpt(shown, 40)}' is not accepted (at {_where(event)}): a "
                            "chain document holds plain strings, numbers, dates, lists and mappings")

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit) if tag is None \
                else _YAML_TAG + "str"
        if tag not in _PLAIN_TAGS or tag in (_YAML_TAG + "map", _YAML_TAG + "seq"):
            self.check_tag(tag, event, "str")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return self.loader.construct_object(node, deep=True)

    def emit(self, value: Any, size: int, event: yaml.Event) -> None:
        if not self.stack:
            self.result = value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.value, list):
            frame.value.append(value)
        elif not frame.has_key:
            if isinstance(value, (dict, list)):
                raise DocumentError(f"{self.origin}: a mapping key is itself a list or mapping (at {_where(event)})")
            if value in frame.value:
                raise DocumentError(f"{self.origin}: the key '{excerpt(value)}' is given twice in one mapping "
                                    f"(at {_where(event)})")
            frame.key, frame.has_key = value, True
        else:
            frame.value[frame.key] = value
            frame.key, frame.has_key = None, False


# ---------------------------------------------------------------- values

def check_values(value: Any, *, origin: str, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth``, control characters in any string, and non-finite numbers.

    Walks shared values once (a YAML alias builds one Python object), so the
    cost is the size of the document as written.
    """
    seen: set[int] = set()
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, level, path = stack.pop()
        if level > max_depth:
            raise DocumentError(f"{origin}: values nest more than {max_depth} deep (at {path or 'the top'})")
        if isinstance(item, str):
            bad = control_character(item)
            if bad:
                raise DocumentError(f"{origin}: {path or 'the document'} holds the control character {bad}: "
                                    "remove it (texts hold letters, punctuation, spaces and line breaks)")
            continue
        if isinstance(item, float) and not math.isfinite(item):
            raise DocumentError(f"{origin}: {path or 'the document'} is not a finite number")
        if isinstance(item, (dict, list)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, dict):
                for k, v in item.items():
                    if isinstance(k, str) and control_character(k):
                        raise DocumentError(f"{origin}: a key holds a control character ({control_character(k)})")
                    name = excerpt(k, 40)
                    stack.append((v, level + 1, f"{path}.{name}" if path else name))
            else:
                for i, v in enumerate(item):
                    stack.append((v, level + 1, f"{path}[{i}]"))


__all__ = ["load", "Limits", "DocumentError", "excerpt", "control_character", "check_values"]
