"""Plain data across the kernel boundary: encode in the kernel, decode in the judge.

Only exact built-in types cross (a subclass of str or an object with a clever
`__eq__` is not plain data), so a decoded value behaves exactly as Python's
own. Decoding reads JSON and checks every node, with limits on depth and
size, so whatever the kernel sends can at worst be refused.
"""

from __future__ import annotations

import json
import math

MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_CHARS = 20_000_000


class NotPlainData(TypeError):
    """The value holds something other than exact built-in data."""


class BadMessage(ValueError):
    """What the kernel sent is not a well-formed encoding."""


def encode(value) -> str:
    """`value` as a JSON string, or NotPlainData."""
    counter = [0]
    return json.dumps(_encode(value, 0, counter), ensure_ascii=False, allow_nan=False)


def _encode(value, depth: int, counter: list[int]):
    counter[0] += 1
    if depth > MAX_DEPTH or counter[0] > MAX_NODES:
        raise NotPlainData("too deeply nested or too large")
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is list:
        return [_encode(item, depth + 1, counter) for item in value]
    if kind in (tuple, set, frozenset):
        items = [_encode(item, depth + 1, counter) for item in value]
        return {kind.__name__: items}
    if kind is dict:
        return {"dict": [[_encode(k, depth + 1, counter), _encode(v, depth + 1, counter)] for k, v in value.items()]}
    raise NotPlainData(f"a value of type {kind.__name__}")


def decode(text: str):
    """The value that `encode` wrote, rebuilt from exact built-in types; BadMessage otherwise."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        raise BadMessage("missing or too large")
    try:
        tree = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise BadMessage(f"not JSON ({type(err).__name__})") from None
    try:
        return _decode(tree, 0)
    except TypeError:  # an unhashable key or set member
        raise BadMessage("not an encoding of plain data") from None


_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_CONTAINERS = {"tuple": tuple, "set": set, "frozenset": frozenset}


def _decode(node, depth: int):
    if depth > MAX_DEPTH:
        raise BadMessage("too deeply nested")
    if node is None or type(node) in (bool, int, float, str):
        return node
    if type(node) is list:
        return [_decode(item, depth + 1) for item in node]
    if type(node) is dict and len(node) == 1:
        (tag, body), = node.items()
        if tag == "float" and body in _FLOATS:
            return _FLOATS[body]
        if tag in _CONTAINERS and type(body) is list:
            return _CONTAINERS[tag](_decode(item, depth + 1) for item in body)
        if tag == "dict" and type(body) is list and all(type(pair) is list and len(pair) == 2 for pair in body):
            return {_decode(k, depth + 1): _decode(v, depth + 1) for k, v in body}
    raise BadMessage("not an encoding of plain data")
