"""The kernel's side of judging: answers the judge's requests about the student's names.

Runs inside the student's kernel (sandboxed), so nothing here is trusted: the
student's code can replace any of it, which only changes what the kernel
answers, never how the judge decides. Requests arrive pickled from the judge
(trusted data); replies leave as JSON built by `codec` (plain data) or as a
handle to an object that stays here.
"""

from __future__ import annotations

import base64
import io
import json
import pickle
from typing import Any

from course.teach.judge.codec import NotPlainData, encode

_AGENT: Agent | None = None
MAX_MESSAGE = 300


class Agent:
    """Holds the objects the judge has handles to, and answers one request at a time."""

    def __init__(self, namespace: dict):
        self.namespace = namespace
        self.objects: dict[int, Any] = {}
        self.reply = ""

    def handle(self, blob: str) -> None:
        """Answer one request; the reply is left in `self.reply` for the judge to read."""
        global _AGENT
        _AGENT = self
        try:
            action, *args = _Unpickler(io.BytesIO(base64.b64decode(blob)), self.namespace).load()
            self.reply = json.dumps({"ok": getattr(self, f"_{action}")(*args)})
        except BaseException as err:  # noqa: BLE001 - any failure of the student's code is an answer
            message = " ".join(str(err).split())[:MAX_MESSAGE]
            self.reply = json.dumps({"error": [type(err).__name__, message]})

    def _describe(self, value) -> dict:
        try:
            return {"data": encode(value)}
        except NotPlainData:
            self.objects[id(value)] = value
            return {"ref": id(value), "type": type(value).__name__, "callable": callable(value)}

    def _lookup(self, name: str) -> dict:
        return self._describe(self.namespace[name]) if name in self.namespace else {"missing": True}

    def _call(self, ref: int, args: tuple, kwargs: dict) -> dict:
        return self._describe(self.objects[ref](*args, **kwargs))

    def _getattr(self, ref: int, name: str) -> dict:
        return self._describe(getattr(self.objects[ref], name))

    def _getitem(self, ref: int, key) -> dict:
        return self._describe(self.objects[ref][key])

    def _list(self, ref: int) -> dict:
        """The items of an iterable one by one, so a list of objects becomes a list of handles."""
        return {"items": [self._describe(item) for item in self.objects[ref]]}

    def _len(self, ref: int) -> dict:
        return self._describe(len(self.objects[ref]))


def resolve(ref: int):
    """Unpickling a judge-side handle gives back the kernel's own object."""
    if _AGENT is None:
        raise LookupError("no judge session in this kernel")
    return _AGENT.objects[ref]


def install(namespace: dict) -> Agent:
    """The agent for this kernel's user namespace, kept under one hidden name."""
    agent = namespace.get("__course_judge__")
    if not isinstance(agent, Agent):
        agent = namespace["__course_judge__"] = Agent(namespace)
    return agent


class _Unpickler(pickle.Unpickler):
    """Reads a request; a setup object the judge sent by name is this kernel's object of that name."""

    def __init__(self, file, namespace: dict):
        super().__init__(file)
        self.namespace = namespace

    def persistent_load(self, pid):
        kind, name = pid
        if kind != "setup" or name not in self.namespace:
            raise pickle.UnpicklingError(f"the notebook no longer defines {name!r}: run its setup cells again")
        return self.namespace[name]


class _Pickler(pickle.Pickler):
    """Writes a request; objects made by the notebook's setup cells go by name, since the kernel
    ran the same setup cells (the article's Doc need not cross the boundary for every call)."""

    def __init__(self, file, setup_names: dict[int, tuple[str, object]]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.setup_names = setup_names

    def persistent_id(self, obj):
        entry = self.setup_names.get(id(obj))
        return ("setup", entry[0]) if entry is not None and entry[1] is obj else None

    def reducer_override(self, obj):
        """A spaCy Doc travels as its bytes, without the model's whole vocabulary (as the parse cache stores it)."""
        if type(obj).__module__ == "spacy.tokens.doc" and type(obj).__name__ == "Doc":
            return rebuild_doc, (obj.to_bytes(exclude=["user_data"]),)
        if type(obj) is memoryview:  # what an upload widget gives; pickle cannot copy it
            return memoryview, (obj.tobytes(),)
        return NotImplemented


def rebuild_doc(data: bytes):
    """A Doc from `Doc.to_bytes`, on the light English vocabulary the parse cache uses."""
    from spacy.tokens import Doc

    from course.core.nlp import english_vocab

    return Doc(english_vocab()).from_bytes(data)


def request_blob(action: str, *args, setup_names: dict[int, tuple[str, object]] | None = None) -> str:
    """What the judge sends: the request pickled (judge to kernel only) and base64-encoded."""
    buffer = io.BytesIO()
    _Pickler(buffer, setup_names or {}).dump((action, *args))
    return base64.b64encode(buffer.getvalue()).decode("ascii")
