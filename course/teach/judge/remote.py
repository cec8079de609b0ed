"""The judge's side of the kernel boundary: a link to the kernel, and handles to its objects.

`KernelLink.fetch(name)` gives the student's value for a name: a plain copy, a
`RemoteFunction` or a `RemoteObject`. Calling a handle runs the student's code
in the kernel; what comes back is decoded by `codec`, so the judge never runs
or unpickles anything the kernel made.
"""

from __future__ import annotations

import ast
import json
import queue
import time

from course.core.feedback import call_text, raised_line, shown
from course.teach.judge import codec
from course.teach.judge.agent import request_blob

INSTALL = ("from course.teach.judge.agent import install as _course_install; "
           "_course_install(get_ipython().user_ns); del _course_install")
REPLY_EXPRESSION = "__course_judge__.reply"
MAX_REPLY_CHARS = codec.MAX_CHARS + 1000
STOP_ATTEMPTS, STOP_GRACE = 3, 2.0  # interrupts sent to stop a call that ran too long, seconds waited after each


class StudentCodeError(AssertionError):
    """The student's code raised an exception, hung, or answered with something unusable.

    An AssertionError, so a test cell that meets one fails with this message like any failed check.
    """


class Missing(LookupError):
    """The kernel has no such name."""


class KernelLink:
    """Requests to the agent in one running kernel, over a blocking client of its own."""

    def __init__(self, client, timeout: float, interrupt, setup_names: dict[int, tuple[str, object]] | None = None):
        self.client = client
        self.timeout = timeout
        self.interrupt = interrupt  # called when the kernel does not answer in time
        self.setup_names = setup_names if setup_names is not None else {}  # id -> (name, object), see agent._Pickler
        self._installed = False
        self._stuck: str | None = None  # a request that would not stop (see _stop)

    def _execute(self, code: str, user_expressions: dict | None = None) -> dict:
        if self._stuck is not None and self._reply_to(self._stuck, 0) is None:
            raise StudentCodeError(f"not run: an earlier call did not stop within {self.timeout:.0f} s "
                                   "and the notebook's kernel is still busy with it")
        self._stuck = None
        msg_id = self.client.execute(code, silent=True, store_history=False,
                                     user_expressions=user_expressions or {}, allow_stdin=False)
        content = self._reply_to(msg_id, self.timeout)
        if content is None:
            self._stop(msg_id)
            raise StudentCodeError(f"did not finish within {self.timeout:.0f} s")
        return content

    def _reply_to(self, msg_id: str, timeout: float) -> dict | None:
        """The content of the kernel's reply to `msg_id`, or None if it has not come within `timeout` s."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self.client.get_shell_msg(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                return None
            except ValueError:  # a message that fails its signature check (a late reply garbled by an
                continue        # interrupt): never trusted, and the reply waited for still comes
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return reply["content"]

    def _stop(self, msg_id: str) -> None:
        """Interrupt the kernel until the request `msg_id` has ended. The next request then starts on an
        idle kernel, where no interrupt sent for this one can land. Code that swallows every interrupt
        leaves the kernel busy: later requests fail at once instead of each waiting out the timeout."""
        for _ in range(STOP_ATTEMPTS):
            self.interrupt()
            if self._reply_to(msg_id, STOP_GRACE) is not None:
                return
        self._stuck = msg_id

    def request(self, action: str, *args, what: str) -> object:
        """Send one request; return plain data or a handle. `what` names it in error messages."""
        if not self._installed:
            self._execute(INSTALL)
            self._installed = True
        blob = request_blob(action, *args, setup_names=self.setup_names)
        content = self._execute(f"__course_judge__.handle({blob!r})",
                                {"reply": REPLY_EXPRESSION})
        reply = content.get("user_expressions", {}).get("reply", {})
        text = reply.get("data", {}).get("text/plain", "") if reply.get("status") == "ok" else ""
        if content.get("status") != "ok" or not text or len(text) > MAX_REPLY_CHARS:
            raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer")
        try:
            answer = json.loads(ast.literal_eval(text))
        except (ValueError, SyntaxError, TypeError, RecursionError, MemoryError):
            raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer") from None
        return self._unpack(answer, what)

    def _unpack(self, answer, what: str):
        if not isinstance(answer, dict):
            raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer")
        if "error" in answer:
            kind, message = (list(answer["error"]) + ["", ""])[:2]
            raise StudentCodeError(raised_line(what, str(kind), str(message)))
        value = answer.get("ok")
        if not isinstance(value, dict):
            raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer")
        if value.get("missing"):
            raise Missing(what)
        if type(value.get("items")) is list:
            return [self._unpack({"ok": item}, f"{what}[{i}]") for i, item in enumerate(value["items"])]
        if "data" in value:
            try:
                return codec.decode(value["data"])
            except codec.BadMessage:
                raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer") from None
        if type(value.get("ref")) is int:
            kind = RemoteFunction if value.get("callable") is True else RemoteObject
            return kind(self, value["ref"], str(value.get("type", "object"))[:60], what)
        raise StudentCodeError(f"{what}: the notebook's kernel gave no usable answer")

    def fetch(self, name: str):
        """The student's value for `name` (Missing if the notebook does not define it)."""
        return self.request("lookup", name, what=name)


class RemoteObject:
    """A student's object that is not plain data; it stays in the kernel."""

    def __init__(self, link: KernelLink, ref: int, type_name: str, what: str):
        self._link, self._ref, self.__course_type_name__, self._what = link, ref, type_name, what

    def __reduce__(self):
        """Sent back to the kernel as an argument, a handle becomes the kernel's own object again."""
        from course.teach.judge.agent import resolve

        return resolve, (self._ref,)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._link.request("getattr", self._ref, name, what=f"{self._what}.{name}")

    def __getitem__(self, key):
        return self._link.request("getitem", self._ref, key, what=f"{self._what}[{shown(key, 30)}]")

    def __iter__(self):
        items = self._link.request("list", self._ref, what=f"list({self._what})")
        return iter(items if isinstance(items, list) else [])

    def __len__(self):
        return self._link.request("len", self._ref, what=f"len({self._what})")

    def __repr__(self) -> str:
        return f"<{self.__course_type_name__} from the notebook>"


class RemoteFunction(RemoteObject):
    """A student's function (or any callable): calling it runs it in the kernel."""

    def __call__(self, *args, **kwargs):
        return self._link.request("call", self._ref, args, kwargs, what=call_text(self._what, args, kwargs))
