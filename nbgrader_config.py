"""nbgrader configuration for the course (nbgrader 0.9.6).

Paths are relative to the course root, which is the folder this file is in
unless --CourseDirectory.root says otherwise. See README, "For instructors".
"""

c = get_config()  # noqa: F821 - provided by nbgrader/traitlets

c.CourseDirectory.course_id = "wagner-media-literacy"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# nbgrader's default list, plus each assignment's catalogue of wrong answers (tools/mistakes.py),
# which stays with the source and is never released.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "mistakes.yaml"]

# Per-cell time limit. nbgrader 0.9 reads Execute.timeout; the documented
# ExecutePreprocessor.timeout is ignored once this is set.
c.Execute.timeout = 60
# A cell that swallows the interrupt then scores 0 instead of failing the
# whole submission.
c.Execute.raise_on_iopub_timeout = False

# Keep runaway output from bloating autograded notebooks and feedback.
c.LimitOutput.max_lines = 1000
c.LimitOutput.max_traceback = 100

# A deleted test cell is put back (and scores 0) instead of leaving a grade of None.
c.OverwriteCells.add_missing_cells = True

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# --- the course's pipeline (bench/run.py cuts here to time stock nbgrader) ---
# The course's grading pipeline, for every route (course grade, nbgrader autograde and
# generate_feedback, formgrader): test cells are judged outside the student's kernel,
# kernels run in the bubblewrap sandbox, feedback pages hold no hidden test and no traceback.
# See course/teach/nbgrader_setup.py and the README's "Isolation" section.
from course.teach.nbgrader_setup import configure  # noqa: E402

configure(c)

# Limits of one student kernel in the sandbox (python -m course grade --help to override).
c.SandboxedKernelManager.memory_mb = 4096
c.SandboxedKernelManager.processes = 512
c.SandboxedKernelManager.cpu_seconds = 900
c.SandboxedKernelManager.file_size_mb = 64
