"""Item analysis of one graded assignment, for instructors: an HTML page and a CSV, from the gradebook.

`class_report(course_dir, assignment)` reads the course's `gradebook.db` and the
autograded notebooks (`autograded/STUDENT/ASSIGNMENT/*.ipynb`) and returns a
`ClassReport`; `write_class_report` saves `class-report-ASSIGNMENT.html` (one
self-contained offline page: styles inline, charts as PNG data URIs, every
string escaped by Jinja2's autoescape) and `class-report-ASSIGNMENT.csv` (one
row per question). `python -m course class-report ASSIGNMENT` does both.

A *question* is a graded cell: an autograded test cell, a manually graded
answer cell, or a manually graded task. For each question:

- **facility**: the mean score divided by the points;
- **discrimination**: students are ranked by total score and the top and bottom
  27% (rounded, at least one each; ties at the edge broken by student id) form
  the upper and lower groups; the upper group's mean item score minus the lower
  group's, divided by the points (from -1 to 1);
- **point-biserial**: the correlation of the item score with the rest of the test
  (total minus the item), None when either does not vary or fewer than two
  students have a score;
- **blank**: students whose answer cells still hold the release's stub
  (`raise NotImplementedError()`, "YOUR ANSWER HERE", the stub as released) or
  are empty. A test cell's answer cells are the solution cells above it, back to
  the previous graded cell; a manually graded answer cell is its own answer; a
  task's are the plain cells below it. Comment lines and blank lines do not count;
- **messages**: the failure messages of the test cell most students got (first
  line of the error output), counted across students.

Who counts (the convention):
- a student *without a submission* in the gradebook is left out of every figure
  and counted on a separate line ("grading failed" if their submission folder is
  there, else "no submission");
- a student whose grading failed (a cell with neither an automatic grade nor a
  request for manual grading, as in `course grade`'s report) is left out the same way;
- a grade *awaiting manual grading* is missing for that question only: the
  question's figures use the students who have a score, and totals add the
  scores that exist (so figures are provisional until manual grading is done).

Hidden tests stay hidden. A failure message is shown only when the test cell's
code outside `### BEGIN HIDDEN TESTS` ... `### END HIDDEN TESTS` (its source in
the gradebook) contains it as a string literal, after whitespace is collapsed as
the judge collapses it, or when it is a `NameError` for a name that code reads.
A stub that still raises NotImplementedError is counted as NOT_ANSWERED, without
the judge's line (which names the call, and a hidden test's arguments with it).
Anything else (a hidden check's message, a generic type message, an exception
from the student's function, whose text may hold a hidden input) is counted
under one label, HIDDEN_FAILURE, and never shown.
"""

from __future__ import annotations

import ast
import base64
import csv
import io
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from course.core.palette import OKABE_ITO
from course.errors import CourseError

GROUP_SHARE = 0.27
TOP_MESSAGES = 3
HIDDEN_FAILURE = "a hidden test failed (or a check whose message is not in the visible tests)"
NOT_ANSWERED = "not answered yet: the function still raises NotImplementedError"
# The judge's line for a stub (course.teach.judge.remote): it names the call, whose arguments may be a hidden test's.
_JUDGE_NOT_ANSWERED = re.compile(r"Not answered yet: .* still raises NotImplementedError\b")
TEST, MANUAL, TASK = "test", "manual", "task"
STUBS = ("raise NotImplementedError()", "YOUR ANSWER HERE")
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
SOURCE_DIRECTORY = "solutions"  # nbgrader_config.py: CourseDirectory.source_directory (tasks' answer stubs)
MAX_MESSAGE_CHARS = 300
CSV_COLUMNS = ["notebook", "question", "kind", "points", "students", "facility", "discrimination",
               "point_biserial", "blank", "awaiting_manual"] + [
    f"{what}_{i}" for i in range(1, TOP_MESSAGES + 1) for what in ("message", "count")]
STUDENTS_SHOWN = 40  # a heat map with more students drops their names

TEMPLATES = Environment(
    loader=PackageLoader("course.teach", "templates"),
    autoescape=True,  # messages and names come from students' notebooks: never markup
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


# --- the figures, as pure functions -----------------------------------------------------------

def group_size(n: int) -> int:
    """Students in each of the upper and lower groups: 27% of `n`, rounded half up, at least 1 (0 if n < 2)."""
    return 0 if n < 2 else max(1, math.floor(GROUP_SHARE * n + 0.5))


def ranked(totals: dict[str, float]) -> list[str]:
    """Students from the highest total to the lowest; ties by student id."""
    return sorted(totals, key=lambda student: (-totals[student], student))


def facility(scores: Iterable[float | None], points: float) -> float | None:
    """Mean score divided by points, over the students who have a score."""
    known = [s for s in scores if s is not None]
    return statistics.fmean(known) / points if known and points else None


def discrimination(item: dict[str, float | None], totals: dict[str, float], points: float) -> float | None:
    """(mean item score of the upper 27% by total - that of the lower 27%) / points."""
    order = ranked(totals)
    k = group_size(len(order))
    if not k or not points:
        return None
    upper = [item.get(s) for s in order[:k]]
    lower = [item.get(s) for s in order[-k:]]
    upper_known = [s for s in upper if s is not None]
    lower_known = [s for s in lower if s is not None]
    if not upper_known or not lower_known:
        return None
    return (statistics.fmean(upper_known) - statistics.fmean(lower_known)) / points


def point_biserial(item: dict[str, float | None], totals: dict[str, float]) -> float | None:
    """Correlation of the item score with the rest of the test (total minus item); None when undefined."""
    pairs = [(score, totals[s] - score) for s, score in item.items() if score is not None and s in totals]
    if len(pairs) < 2:
        return None
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:  # one of them does not vary
        return None


def _normal(text: str) -> str:
    return " ".join(text.split())


def _hidden_lines(source: str) -> set[int]:
    """Line numbers (from 1) inside hidden-test blocks, the markers included."""
    hidden: set[int] = set()
    inside = False
    for number, line in enumerate(source.splitlines(), start=1):
        if BEGIN_HIDDEN in line:
            inside = True
        if inside:
            hidden.add(number)
        if END_HIDDEN in line:
            inside = False
    return hidden


@dataclass(frozen=True)
class VisibleTests:
    """What the visible part of a test cell can say: its string literals and the names it reads."""

    strings: frozenset[str]
    names: frozenset[str]

    @classmethod
    def of(cls, source: str) -> VisibleTests:
        """Read from the cell's gradebook source; code that does not parse shows nothing."""
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return cls(frozenset(), frozenset())
        hidden = _hidden_lines(source)

        def visible(node: ast.AST) -> bool:
            first = getattr(node, "lineno", 0)
            last = getattr(node, "end_lineno", None) or first
            return not hidden.intersection(range(first, last + 1))

        strings = {_normal(node.value) for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and visible(node)}
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and visible(node)}
        return cls(frozenset(s for s in strings if s), frozenset(names))

    def shown(self, ename: str, evalue: str) -> str:
        """The message as a reader may see it, or HIDDEN_FAILURE when it cannot be traced to visible code."""
        value = _normal(evalue)
        if value and value in self.strings:
            return f"{ename}: {value}"[:MAX_MESSAGE_CHARS]
        if ename == "NameError":
            match = re.match(r"(?:name '([^']+)'|(\S+)) is not defined", value)
            if match and (match.group(1) or match.group(2)) in self.names:
                return f"{ename}: {value}"[:MAX_MESSAGE_CHARS]
        if ename == "NotImplementedError" or _JUDGE_NOT_ANSWERED.match(value):
            return NOT_ANSWERED  # the student's stub, whichever check met it; the call itself is not shown
        return HIDDEN_FAILURE


def failure(outputs: Sequence[dict]) -> tuple[str, str] | None:
    """(ename, first line of evalue) of a cell's first error output, or None if it has none."""
    for output in outputs:
        if output.get("output_type") == "error":
            lines = str(output.get("evalue", "")).splitlines()
            return str(output.get("ename", "Error")), lines[0] if lines else ""
    return None


def _cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _meaningful(text: str, code: bool) -> str:
    """`text` without blank lines (and, for code, comment lines), each line stripped on the right."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if code:
        lines = [line for line in lines if not line.lstrip().startswith("#")]
    return "\n".join(lines)


def is_blank(text: str, stubs: Iterable[str] = (), *, code: bool = True) -> bool:
    """Whether an answer cell is empty or still holds a stub (blank and comment lines aside)."""
    mine = _meaningful(text, code)
    return mine == "" or mine.strip() in STUBS or mine in {_meaningful(s, code) for s in stubs}


# --- what the gradebook and the notebooks hold --------------------------------------------------

@dataclass(frozen=True)
class Question:
    """One graded cell of the assignment, in notebook order."""

    notebook: str
    name: str
    kind: str  # TEST, MANUAL or TASK
    points: float

    @property
    def key(self) -> tuple[str, str]:
        return self.notebook, self.name


@dataclass(frozen=True)
class QuestionStats:
    """The figures for one question; None where a figure is undefined."""

    question: Question
    students: int  # included students with a score for it
    facility: float | None
    discrimination: float | None
    point_biserial: float | None
    blank: int | None  # None: the question has no answer cell
    awaiting_manual: int
    messages: tuple[tuple[str, int], ...] = ()  # the most frequent, (message, students)


@dataclass(frozen=True)
class ExcludedStudents:
    """Who is left out of the figures, and why."""

    no_submission: tuple[str, ...] = ()
    grading_failed: tuple[str, ...] = ()


@dataclass
class _Gradebook:
    """The parts of the gradebook the report needs, read once."""

    questions: list[Question]
    roles: dict[tuple[str, str], str]  # (notebook, cell) -> TEST, MANUAL, TASK or "solution"
    sources: dict[tuple[str, str], str]  # gradebook source of every source cell (stubs for solution cells)
    scores: dict[str, dict[tuple[str, str], float | None]]  # included student -> question -> score
    no_submission: list[str]
    failed: list[str]
    awaiting: dict[tuple[str, str], int] = field(default_factory=dict)


def _read_gradebook(course_dir: Path, assignment: str) -> _Gradebook:
    from nbgrader.api import Gradebook, MissingEntry

    db = course_dir / "gradebook.db"
    if not db.is_file():
        raise CourseError(f"no gradebook at {db}: grade the class first (python -m course grade {assignment})")
    with Gradebook(f"sqlite:///{db}") as gradebook:
        try:
            found = gradebook.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"the gradebook {db} has no assignment {assignment!r}") from None
        questions: list[Question] = []
        roles: dict[tuple[str, str], str] = {}
        sources: dict[tuple[str, str], str] = {}
        for nb in found.notebooks:
            solutions = {cell.name for cell in nb.solution_cells}
            roles.update({(nb.name, name): "solution" for name in solutions})
            for cell in nb.grade_cells:
                kind = MANUAL if cell.name in solutions else TEST
                questions.append(Question(nb.name, cell.name, kind, float(cell.max_score)))
            questions += [Question(nb.name, cell.name, TASK, float(cell.max_score)) for cell in nb.task_cells]
            roles.update({q.key: q.kind for q in questions if q.notebook == nb.name})
            sources.update({(nb.name, cell.name): cell.source or "" for cell in nb.source_cells})
        scores: dict[str, dict[tuple[str, str], float | None]] = {}
        failed: list[str] = []
        awaiting: Counter[tuple[str, str]] = Counter()
        for submission in found.submissions:
            student = submission.student.id
            grades = {(nb.notebook.name, g.name): g for nb in submission.notebooks for g in nb.grades}
            mine: dict[tuple[str, str], float | None] = {}
            broken = False
            for key, grade in grades.items():
                if grade.manual_score is None and grade.auto_score is None:
                    broken = broken or not grade.needs_manual_grade
                    mine[key] = None
                else:
                    base = grade.manual_score if grade.manual_score is not None else grade.auto_score
                    mine[key] = float(base) + float(grade.extra_credit or 0)
            if broken or not grades:
                failed.append(student)
                continue
            scores[student] = mine
            awaiting.update(key for key, score in mine.items() if score is None)
        everyone = {s.id for s in gradebook.students}
    submitted = {p.parent.name for p in (course_dir / "submitted").glob(f"*/{assignment}") if p.is_dir()}
    missing = sorted((everyone | submitted) - set(scores) - set(failed))
    failed += [s for s in missing if s in submitted]
    return _Gradebook(questions, roles, sources, scores, [s for s in missing if s not in submitted],
                      sorted(failed), dict(awaiting))


def _read_notebook(path: Path) -> list[dict] | None:
    """The cells of an autograded notebook, or None when it is missing or unreadable."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return None
    return [cell for cell in cells if isinstance(cell, dict)]


def _grade_id(cell: dict) -> str | None:
    meta = cell.get("metadata", {})
    nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None


def answer_regions(cells: list[dict], roles: dict[str, str]) -> dict[str, list[dict]]:
    """question -> its answer cells in one notebook (`roles`: grade_id -> role, from the gradebook).

    A test cell's answer cells are the solution cells since the previous graded
    cell; a manual answer cell is its own; a task's are the untracked cells after it.
    """
    regions: dict[str, list[dict]] = {}
    pending: list[dict] = []
    task: str | None = None
    for cell in cells:
        grade_id = _grade_id(cell)
        role = roles.get(grade_id) if grade_id else None
        if grade_id is None:
            if task is not None:
                regions[task].append(cell)
            continue
        task = None
        if role == "solution":
            pending.append(cell)
        elif role in (TEST, MANUAL, TASK) and grade_id is not None:
            regions[grade_id] = [cell] if role == MANUAL else pending if role == TEST else []
            pending = []
            task = grade_id if role == TASK else None
    return regions


def _task_stubs(course_dir: Path, assignment: str, notebook: str, roles: dict[str, str]) -> dict[str, list[str]]:
    """task -> the texts of its answer cells as released (from the source notebook, when it is there)."""
    cells = _read_notebook(course_dir / SOURCE_DIRECTORY / assignment / f"{notebook}.ipynb") or []
    regions = answer_regions(cells, roles)
    return {name: [_cell_text(c) for c in regions.get(name, [])] for name, role in roles.items() if role == TASK}


# --- the report ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    """A chart as PNG bytes, with its title and the one-line summary shown under it (and as alt text)."""

    png: bytes
    title: str
    summary: str

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class ClassReport:
    """The item analysis of one assignment: per-question figures, totals, and who was left out."""

    assignment: str
    questions: list[QuestionStats]
    scores: dict[str, dict[tuple[str, str], float | None]]  # included student -> question -> score
    totals: dict[str, float]
    max_score: float
    excluded: ExcludedStudents

    @property
    def students(self) -> list[str]:
        """Included students, highest total first."""
        return ranked(self.totals)

    def histogram(self):
        """A matplotlib Figure: how many students got each total score."""
        return plot_score_histogram(self)

    def heatmap(self):
        """A matplotlib Figure: question by student, score divided by points."""
        return plot_item_heatmap(self)

    def charts(self) -> list[Chart]:
        """Both charts with their summaries (none when no student counts)."""
        if not self.totals:
            return []
        return [_chart(self.histogram(), histogram_summary(self)), _chart(self.heatmap(), heatmap_summary(self))]

    def csv_rows(self) -> list[list[str]]:
        rows = [CSV_COLUMNS]
        for q in self.questions:
            messages = list(q.messages) + [("", 0)] * (TOP_MESSAGES - len(q.messages))
            rows.append([q.question.notebook, q.question.name, q.question.kind, _number(q.question.points),
                         str(q.students), _number(q.facility), _number(q.discrimination),
                         _number(q.point_biserial), "" if q.blank is None else str(q.blank), str(q.awaiting_manual)]
                        + [value for text, count in messages[:TOP_MESSAGES]
                           for value in (text, str(count) if text else "")])
        return rows

    def write_csv(self, path: Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(self.csv_rows())

    def html(self) -> str:
        """The whole page, self-contained; every string in it escaped."""
        return TEMPLATES.get_template("class_report.html.j2").render(
            report=self, charts=self.charts(), hidden_failure=HIDDEN_FAILURE, group_share=GROUP_SHARE,
            group=group_size(len(self.totals)), awaiting=sum(q.awaiting_manual for q in self.questions))


def _number(value: float | None) -> str:
    """A figure for the CSV and the page: three decimals at most; empty when undefined."""
    return "" if value is None else f"{round(value, 3):g}"


TEMPLATES.filters["number"] = _number


def _chart(fig, summary: str) -> Chart:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return Chart(buffer.getvalue(), fig.axes[0].get_title(), summary)


def _label(q: Question, several_notebooks: bool) -> str:
    return f"{q.notebook}/{q.name}" if several_notebooks else q.name


def plot_score_histogram(report: ClassReport):
    """Totals of the included students, one bar per score band; the figure carries `course_summary`."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    totals = list(report.totals.values())
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    top = max([report.max_score, *totals, 1.0])
    bins = [i - 0.5 for i in range(int(math.ceil(top)) + 2)] if top <= 40 else 20
    ax.hist(totals, bins=bins, color=OKABE_ITO[0], edgecolor="white")
    ax.set_title(f"Total scores, {report.assignment}")
    ax.set_xlabel(f"total score (out of {report.max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def histogram_summary(report: ClassReport) -> str:
    """The histogram in one line."""
    totals = list(report.totals.values())
    if not totals:
        return "No student has a grade to count yet."
    return (f"{len(totals)} students: mean {statistics.fmean(totals):.1f} of {report.max_score:g}, "
            f"median {statistics.median(totals):g}, lowest {min(totals):g}, highest {max(totals):g}.")


def plot_item_heatmap(report: ClassReport):
    """Questions (rows) by students (columns, highest total first): score / points; orange: awaiting a person."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    questions = [s.question for s in report.questions]
    students = report.students
    several = len({q.notebook for q in questions}) > 1
    values = [[_ratio(report.scores[s].get(q.key), q.points) for s in students] for q in questions]
    fig = Figure(figsize=(min(4 + 0.25 * len(students), 16), 1.6 + 0.35 * len(questions)), layout="constrained")
    ax = fig.add_subplot()
    colours = LinearSegmentedColormap.from_list("okabe_ito_blues", ["#FFFFFF", OKABE_ITO[0]]).with_extremes(
        bad=OKABE_ITO[1])  # white (0) to blue (full marks); orange: awaiting manual grading
    image = ax.imshow(values, aspect="auto", cmap=colours, vmin=0, vmax=1, interpolation="nearest")
    ax.set_yticks(range(len(questions)), [_label(q, several) for q in questions])
    if len(students) <= STUDENTS_SHOWN:
        ax.set_xticks(range(len(students)), students, rotation=90)
    else:
        ax.set_xticks([])
    ax.set_title(f"Score ÷ points by question and student, {report.assignment}")
    ax.set_xlabel("students, highest total first")
    ax.set_ylabel("question")
    fig.colorbar(image, ax=ax, label="score ÷ points")
    return fig


def heatmap_summary(report: ClassReport) -> str:
    """The heat map in one line: its size, the hardest and easiest questions, grades still to come."""
    several = len({s.question.notebook for s in report.questions}) > 1
    rated = [s for s in report.questions if s.facility is not None]
    waiting = sum(s.awaiting_manual for s in report.questions)
    summary = f"{len(report.questions)} questions × {len(report.totals)} students"
    if rated:
        hard = min(rated, key=lambda s: s.facility or 0.0)
        easy = max(rated, key=lambda s: s.facility or 0.0)
        summary += (f": hardest {_label(hard.question, several)} (facility {hard.facility:.2f}), "
                    f"easiest {_label(easy.question, several)} ({easy.facility:.2f})")
    grades = "grade" if waiting == 1 else "grades"
    return summary + (f"; {waiting} {grades} awaiting manual grading (orange)." if waiting else ".")


def _ratio(score: float | None, points: float) -> float:
    return math.nan if score is None or not points else score / points


def class_report(course_dir: Path | str, assignment: str) -> ClassReport:
    """Read the gradebook and autograded notebooks of `assignment` and compute every figure."""
    course_dir = Path(course_dir)
    book = _read_gradebook(course_dir, assignment)
    keys = {q.key for q in book.questions}
    totals = {s: sum(v for k, v in grades.items() if v is not None and k in keys) for s, grades in book.scores.items()}
    blanks: Counter[tuple[str, str]] = Counter()
    answered: set[tuple[str, str]] = set()
    messages: dict[tuple[str, str], Counter[str]] = {q.key: Counter() for q in book.questions}
    visible = {q.key: VisibleTests.of(book.sources.get(q.key, "")) for q in book.questions if q.kind == TEST}
    order: dict[tuple[str, str], int] = {}
    for notebook in sorted({q.notebook for q in book.questions}):
        roles = {name: role for (nb, name), role in book.roles.items() if nb == notebook}
        stubs = {name: [book.sources.get((notebook, name), "")] for name, role in roles.items()
                 if role in ("solution", MANUAL)}
        task_stubs = _task_stubs(course_dir, assignment, notebook, roles)
        for student in sorted(totals):
            cells = _read_notebook(course_dir / "autograded" / student / assignment / f"{notebook}.ipynb")
            if cells is None:
                continue
            for cell in cells:
                grade_id = _grade_id(cell)
                if grade_id and roles.get(grade_id) in (TEST, MANUAL, TASK):
                    order.setdefault((notebook, grade_id), len(order))
            for name, region in answer_regions(cells, roles).items():
                answered.update([(notebook, name)] if region else [])
                if all(is_blank(_cell_text(c), stubs.get(_grade_id(c) or "", task_stubs.get(name, [])),
                                code=c.get("cell_type") == "code") for c in region):
                    blanks[(notebook, name)] += 1
            for cell in cells:
                key = (notebook, _grade_id(cell) or "")
                error = failure(cell.get("outputs", [])) if key in visible else None
                if error is not None:
                    messages[key][visible[key].shown(*error)] += 1
    questions = sorted(book.questions, key=lambda q: (q.notebook, order.get(q.key, len(order)), q.name))
    stats = []
    for q in questions:
        item = {s: grades.get(q.key) for s, grades in book.scores.items()}
        top = sorted(messages[q.key].items(), key=lambda m: (-m[1], m[0] == HIDDEN_FAILURE, m[0]))[:TOP_MESSAGES]
        stats.append(QuestionStats(
            q, sum(v is not None for v in item.values()), facility(item.values(), q.points),
            discrimination(item, totals, q.points), point_biserial(item, totals),
            blanks[q.key] if q.key in answered else None, book.awaiting.get(q.key, 0), tuple(top)))
    return ClassReport(assignment, stats, book.scores, totals, sum(q.points for q in questions),
                       ExcludedStudents(tuple(book.no_submission), tuple(book.failed)))


def write_class_report(course_dir: Path | str, assignment: str, out_dir: Path | str | None = None) -> tuple[Path, Path]:
    """Write class-report-ASSIGNMENT.html and .csv into out_dir (default: the course folder); return both paths."""
    report = class_report(course_dir, assignment)
    folder = Path(out_dir) if out_dir is not None else Path(course_dir)
    html_path, csv_path = (folder / f"class-report-{assignment}.{suffix}" for suffix in ("html", "csv"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        html_path.write_text(report.html(), encoding="utf-8")
        report.write_csv(csv_path)
    except OSError as err:
        raise CourseError(f"{folder}: cannot write the class report ({err.strerror or err})") from None
    return html_path, csv_path
