"""Test cells judged outside the student's reach.

A test cell that runs in the student's kernel can be switched off from inside
it: rebind `checks.expect_equal`, patch `builtins`, read the hidden test's
expected values from the caller's frame. So when grading, test cells never
run in the student's kernel. The grader runs each one itself, in the
*judge* (its own process, with its own `course.checks`), and every name the
cell needs from the student's notebook is fetched from the kernel:

- a value that is plain data (str, int, float, bool, None, and lists, tuples,
  dicts and sets of them) arrives as a copy, decoded by `codec` (never pickle);
- a function or any other object stays in the kernel as a `remote` handle:
  calling it sends the arguments to the kernel and brings the result back the
  same way.

The kernel only ever sees the *inputs* of the checks (the arguments of its
own functions); expected values, digests and the comparisons stay in the
judge. A student's code still decides what its functions return, which is
what is being graded, but nothing it does can change how the answer is
judged. `execute.JudgedExecute` is the nbgrader preprocessor that does this;
`agent` is the small piece that runs inside the kernel to answer the judge.
"""
