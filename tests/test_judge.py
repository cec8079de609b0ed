"""The judge: test cells decided outside the student's kernel.

Codec tests need no kernel; the link tests start one real kernel (about a second)
and talk to it exactly as the grader does.
"""

from __future__ import annotations

import contextlib
import math

import pytest

from course.teach.judge import codec, remote
from course.teach.judge.execute import free_names
from course.teach.judge.remote import KernelLink, Missing, RemoteFunction, RemoteObject, StudentCodeError


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**70, 1.5, "", "naïve “quotes”", [1, "a", None], (1, (2, 3)), {"a": [1, 2]},
    {1: "int key", (1, 2): "tuple key"}, {1, 2, 3}, frozenset({"x"}), [(), [], {}], math.inf, -math.inf,
])
def test_plain_data_crosses_unchanged_with_its_exact_types(value):
    back = codec.decode(codec.encode(value))
    assert back == value and type(back) is type(value)


def test_nan_crosses_as_nan():
    assert math.isnan(codec.decode(codec.encode(math.nan)))


class _Sly(str):
    pass


class _AlwaysEqual:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value", [_Sly("x"), _AlwaysEqual(), [1, _AlwaysEqual()], {"k": b"bytes"}, print])
def test_anything_but_exact_built_in_data_is_refused(value):
    with pytest.raises(codec.NotPlainData):
        codec.encode(value)


def test_deep_or_huge_values_are_refused():
    deep: list = []
    for _ in range(codec.MAX_DEPTH + 5):
        deep = [deep]
    with pytest.raises(codec.NotPlainData):
        codec.encode(deep)
    with pytest.raises(codec.NotPlainData):
        codec.encode(list(range(codec.MAX_NODES + 1)))


@pytest.mark.parametrize("text", [
    "not json", '{"tuple": 3}', '{"evil": []}', '{"set": [[1]]}', '{"dict": [[[1], 2]]}',
    '{"float": "1e999"}', '{"a": 1, "b": 2}', "[" * 5000 + "]" * 5000, "x" * (codec.MAX_CHARS + 1), None,
])
def test_malformed_messages_are_refused_not_trusted(text):
    with pytest.raises(codec.BadMessage):
        codec.decode(text)


def test_free_names_are_what_a_test_cell_needs_from_the_notebook():
    tree = __import__("ast").parse(
        "import re\nexample = f(1)\nfor x, y in pairs:\n    g(x)\nresult = [h(t) for t in text]\nprint(len(example))")
    assert free_names(tree) == {"f", "pairs", "g", "h", "text"}


# --- a real kernel -------------------------------------------------------------------------

STUDENT_CODE = '''
from course import checks
checks.expect_equal = lambda *a, **k: None      # a student switching the checks off, in the kernel
answer = (1, [2, 3])
class AlwaysEqual:
    def __eq__(self, other): return True
def count(text): return len(text.split())
def broken(x): raise ValueError("bad input " + str(x))
def unanswered(): raise NotImplementedError()
def cheat(): return AlwaysEqual()
def spin():
    swallowed = False
    while True:
        try: pass
        except KeyboardInterrupt:
            if swallowed: raise
            swallowed = True
def nothing(): return None
'''


@contextlib.contextmanager
def _kernel_link(student_code: str, timeout: float):
    """A link to a fresh kernel that has run `student_code`, as the grader makes one."""
    from jupyter_client.manager import start_new_kernel

    from course.core.paths import KERNEL_NAME

    manager, client = start_new_kernel(kernel_name=KERNEL_NAME)
    client.execute_interactive(student_code, timeout=60)
    judge_client = manager.blocking_client()
    judge_client.start_channels()
    judge_client.wait_for_ready(timeout=30)

    def interrupt():
        judge_client.control_channel.send(judge_client.session.msg("interrupt_request", content={}))

    try:
        yield KernelLink(judge_client, timeout=timeout, interrupt=interrupt)
    finally:
        judge_client.stop_channels()
        client.stop_channels()
        manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def link():
    with _kernel_link(STUDENT_CODE, timeout=5) as made:
        yield made


def test_values_arrive_as_plain_copies(link):
    answer = link.fetch("answer")
    assert answer == (1, [2, 3]) and type(answer) is tuple and type(answer[1]) is list


def test_functions_stay_in_the_kernel_and_return_plain_data(link):
    count = link.fetch("count")
    assert isinstance(count, RemoteFunction)
    assert count("one two three") == 3
    assert link.fetch("nothing")() is None


def test_an_object_that_equals_everything_is_not_equal_in_the_judge(link):
    result = link.fetch("cheat")()
    assert isinstance(result, RemoteObject) and not isinstance(result, RemoteFunction)
    assert result != 3 and not (result == "anything")
    from course import checks

    with pytest.raises(AssertionError, match="type int, but it is of type AlwaysEqual"):
        checks.expect_equal(result, 3, "should be 3")


def test_switching_checks_off_in_the_kernel_does_not_touch_the_judges_checks(link):
    from course import checks

    with pytest.raises(AssertionError, match="should count 4"):
        checks.expect_equal(link.fetch("count")("a b c"), 4, "should count 4")


def test_errors_in_student_code_are_one_line_naming_the_call(link):
    with pytest.raises(StudentCodeError) as info:
        link.fetch("broken")(7)
    assert str(info.value) == "broken(7) raised ValueError: bad input 7"
    with pytest.raises(StudentCodeError, match=r"^Not answered yet: unanswered\(\) still raises NotImplementedError"):
        link.fetch("unanswered")()


def test_missing_names_are_reported_as_missing(link):
    with pytest.raises(Missing):
        link.fetch("never_defined")


def test_a_call_that_never_returns_is_stopped_and_the_kernel_still_answers(link):
    # `spin` swallows the first interrupt if it lands inside its `try`: the link interrupts until the call
    # has ended, so the next request never meets an interrupt meant for this one (CI failed that way on 1efe6dd).
    with pytest.raises(StudentCodeError, match="did not finish within 5 s"):
        link.fetch("spin")()
    assert link.fetch("count")("still here") == 2


def test_a_call_that_swallows_every_interrupt_fails_later_requests_at_once(monkeypatch):
    monkeypatch.setattr(remote, "STOP_GRACE", 0.5)
    with _kernel_link("import time\ndef stubborn():\n    while True:\n        try: time.sleep(0.01)\n"
                      "        except KeyboardInterrupt: pass\ndef count(text): return len(text.split())\n",
                      timeout=2) as stuck:
        with pytest.raises(StudentCodeError, match="did not finish within 2 s"):
            stuck.fetch("stubborn")()
        sent = []
        monkeypatch.setattr(stuck.client, "execute", lambda *args, **kwargs: sent.append(args))
        with pytest.raises(StudentCodeError, match="^not run: an earlier call did not stop"):
            stuck.fetch("count")
        assert sent == []  # refused without a request that would wait out the timeout behind the stuck one


def test_a_forged_reply_is_refused_not_trusted(link):
    link.fetch("count")  # the judge is installed by the first request; forge it after that, whatever ran before
    forged = "lambda self, blob: setattr(self, 'reply', '{\"ok\": {\"data\": \"[1\"}}')"
    link.client.execute(f"__course_judge__.__class__.handle = {forged}", silent=True)
    link.client.get_shell_msg(timeout=10)
    with pytest.raises(StudentCodeError, match="no usable answer"):
        link.fetch("answer")


def test_a_message_that_fails_its_signature_check_is_skipped_not_trusted():
    class Client:  # a shell channel that first delivers a garbled message, then the reply
        def __init__(self):
            self.inbox = [ValueError("Invalid Signature"),
                          {"parent_header": {"msg_id": "other"}, "content": {"status": "forged"}},
                          {"parent_header": {"msg_id": "mine"}, "content": {"status": "ok"}}]

        def execute(self, *args, **kwargs):
            return "mine"

        def get_shell_msg(self, timeout):
            item = self.inbox.pop(0)
            if isinstance(item, Exception):
                raise item
            return item

    link = KernelLink(Client(), timeout=5, interrupt=lambda: None)
    assert link._execute("1") == {"status": "ok"}
