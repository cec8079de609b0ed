"""Command line: python -m course COMMAND ...

Every command reads its input through `course.core.textio`, so bad input gets a
one-line error on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from dataclasses import asdict

from course.errors import CourseError

# Limits of a sandboxed student kernel that `course grade` can override (course.teach.sandbox).
SANDBOX_LIMITS = {"memory_mb": "memory (address space, MiB)", "cpu_seconds": "CPU time (seconds)",
                  "processes": "processes and threads", "file_size_mb": "the size of a file it writes (MiB)"}


def _read_input(path: str | None) -> tuple[str, str]:
    """(name, text) of the input file (or the seed article); what was changed silently is noted on stderr."""
    from course.core.seeds import seed_text
    from course.core.textio import read_text_file, shown_path

    if path is None:
        return "seed article", seed_text()
    notes: list[str] = []
    text = read_text_file(path, notes=notes)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return shown_path(path), text


def _input_path(path: str | None) -> str:
    """The file a command reads: the one given, or the seed article's."""
    from course.core.seeds import seed_path

    return path if path is not None else str(seed_path("article.txt"))


def _analysis(args: argparse.Namespace, aliases=None):
    """The one analysis of the command's input file (or the seed article)."""
    name, text = _read_input(args.file)  # before importing spaCy, so bad input fails fast

    from course.analysis.pipeline import Analysis

    return Analysis.of_text(text, name, aliases=aliases, progress=True)


def cmd_paragraphs(args: argparse.Namespace) -> int:
    from course.core.article import split_paragraphs

    _, text = _read_input(args.file)
    paragraphs = split_paragraphs(text)
    if args.json:
        print(json.dumps([asdict(p) for p in paragraphs], ensure_ascii=False, indent=2))
    else:
        for p in paragraphs:
            preview = p.text if len(p.text) <= 70 else p.text[:67] + "..."
            print(f"{p.number:>3}  {p.start:>6}-{p.end:<6} {preview}")
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from course.analysis.entities import load_aliases

    aliases = load_aliases(args.aliases) if args.aliases else None
    clusters = _analysis(args, aliases).clusters
    if args.json:
        print(json.dumps([c.to_dict() for c in clusters], ensure_ascii=False, indent=2))
        return 0
    if not clusters:
        return _nothing_found("no people, organisations or places found")
    print(f"{'count':>5}  {'label':<7} {'entity':<32} spellings")
    for c in clusters:
        print(f"{c.count:>5}  {c.label:<7} {c.name:<32} {', '.join(c.variants)}")
    return 0


def _nothing_found(message: str) -> int:
    """One line instead of an empty table: the article was read and holds none of what was asked for."""
    print(message)
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    attributions = _analysis(args).attributions
    if args.json:
        print(json.dumps([a.to_dict() for a in attributions], ensure_ascii=False, indent=2))
        return 0
    if not attributions:
        return _nothing_found("no quotations or reported speech found")
    for a in attributions:
        speaker = a.speaker or (f"({a.speaker_text})" if a.speaker_text else "(no source)")
        content = a.text if len(a.text) <= 70 else a.text[:67] + "..."
        print(f"¶{a.paragraph:<3} {a.kind:<8} {speaker:<28.28} {a.cue or '-':<14.14} {content}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    table = _analysis(args).sources
    if args.json:
        print(json.dumps(json.loads(table.to_json(orient="records")), ensure_ascii=False, indent=2))
    elif table.empty:
        return _nothing_found("no sources found: nothing in the article is attributed to anyone")
    else:
        print(table.drop(columns=["role", "affiliation"]).to_string(index=False))
    return 0


def cmd_framing(args: argparse.Namespace) -> int:
    from course.analysis.framing import CATEGORIES, find_framing

    analysis = _analysis(args)
    devices = find_framing(analysis.doc, analysis.clusters, analysis.attributions,
                           categories=args.category or CATEGORIES)
    if args.json:
        print(json.dumps([d.to_dict() for d in devices], ensure_ascii=False, indent=2))
        return 0
    if not devices:
        return _nothing_found("no framing devices found")
    print(f"{'start':>6}  {'category':<22} {'voice':<8} {'speaker':<22} {'term':<16} text")
    for d in devices:
        extra = f"  [{', '.join(d.qualifiers)}]" if d.qualifiers else ""
        about = f"  (about {d.target})" if d.target else ""
        shown = d.text if len(d.text) <= 50 else d.text[:47] + "..."
        print(f"{d.start:>6}  {d.category:<22} {d.voice:<8} {d.speaker or '-':<22.22} {d.term:<16.16} "
              f"{shown}{extra}{about}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from course.core.textio import check_output_path, shown_path

    name, text = _read_input(args.file)  # before the import below, so bad input fails fast
    source = _input_path(args.file)
    check_output_path(args.output, [source], what="report")  # before the analysis, so no work is lost
    if os.path.splitext(args.output)[1].lower() not in {"", ".html", ".htm"}:
        raise CourseError(f"{shown_path(args.output)}: the report is a web page (HTML): give it a name ending "
                          f"in .html")

    from course.explore.report import source_audit

    report = source_audit(text, name, kind="text", progress=True)
    try:
        report.save(args.output, inputs=[source])  # checks again, then writes a temporary file, renamed into place
    except OSError as err:
        raise CourseError(f"{shown_path(args.output)}: cannot write the report ({err.strerror})") from None
    print(f"wrote {args.output}")
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.core.paths import REPO_ROOT
    from course.teach.grading import FAILED, GradeOptions, grade_class, summary_table, write_grades_csv

    course_dir = Path(args.course_dir) if args.course_dir else REPO_ROOT
    if args.force_manual and not args.yes and not _confirmed(args.assignment):
        raise CourseError("--force-manual not confirmed: nothing was graded and no hand grading was cleared")
    limits = {name: getattr(args, name) for name in SANDBOX_LIMITS if getattr(args, name) is not None}
    options = GradeOptions(workers=args.workers, isolation=not args.no_isolation, force=args.force,
                           force_manual=args.force_manual, timeout=args.timeout, budget=args.budget,
                           feedback=not args.no_feedback, limits=tuple(limits.items()))
    outcomes = grade_class(course_dir, args.assignment, options, log=lambda line: print(line, file=sys.stderr))
    csv_path = Path(args.csv) if args.csv else course_dir / f"grades-{args.assignment}.csv"
    write_grades_csv(outcomes, args.assignment, csv_path)
    cmd_class_report(argparse.Namespace(assignment=args.assignment, course_dir=str(course_dir), out=None))
    print(summary_table(outcomes))
    print(f"grades: {csv_path}")
    failed = [o.student for o in outcomes if o.status == FAILED]
    if failed:
        print(f"error: {len(failed)} student(s) could not be graded: {', '.join(failed)} (see the reasons above)",
              file=sys.stderr)
    return 1 if failed else 0


def _confirmed(assignment: str) -> bool:
    """Ask before --force-manual clears hand grading; no terminal means no."""
    if not sys.stdin.isatty():
        return False
    answer = input(f"--force-manual clears every manual score, comment and extra credit for {assignment}. "
                   f"Type the assignment name to go on: ")
    return answer.strip() == assignment


def cmd_class_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.core.paths import REPO_ROOT
    from course.teach.class_report import write_class_report

    course_dir = Path(args.course_dir) if args.course_dir else REPO_ROOT
    html_path, csv_path = write_class_report(course_dir, args.assignment, args.out)
    print(f"class report: {html_path} (per question: {csv_path})")
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from pathlib import Path

    from course.core.paths import REPO_ROOT
    from course.teach.collect import collect, exchange_settings

    course_dir = Path(args.course_dir) if args.course_dir else REPO_ROOT
    if args.exchange and args.course_id:
        exchange, course_id = Path(args.exchange), args.course_id
    else:
        exchange, course_id = exchange_settings(course_dir)
        exchange, course_id = Path(args.exchange or exchange), args.course_id or course_id
    report = collect(exchange, course_id, args.assignment, course_dir, students=args.student or None)
    for line in report.lines():
        print(line)
    if not report.students:
        print(f"no submissions of {args.assignment} in {exchange / course_id / 'inbound'}", file=sys.stderr)
    if report.failed:
        print(f"error: {len(report.failed)} student(s) could not be collected: {', '.join(report.failed)}",
              file=sys.stderr)
    return 1 if report.failed else 0


def cmd_release(args: argparse.Namespace) -> int:
    from course.teach.release import REPO_ROOT, assignment_names, generate_release

    names = args.assignments or assignment_names()
    for name in names:
        target = generate_release(name, REPO_ROOT / "exercises")
        print(f"released {name} -> {target.relative_to(REPO_ROOT)}")
    return 0


def cmd_student_edition(args: argparse.Namespace) -> int:
    from course.teach.edition import write_student_edition

    target = write_student_edition(args.folder)
    print(f"student edition: {target} (lessons, exercises, the course package and seeds; no solutions)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m course", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def article_command(name: str, help_text: str, run) -> argparse.ArgumentParser:
        """A command that reads one article (default: the seed) and can print JSON."""
        command = commands.add_parser(name, help=help_text)
        command.add_argument("file", nargs="?", help="text, Markdown or a saved web page (default: the seed article)")
        command.add_argument("--json", action="store_true", help="print JSON instead of a table")
        command.set_defaults(run=run)
        return command

    article_command("paragraphs", "number the paragraphs of an article", cmd_paragraphs)
    entities = article_command("entities", "people, organisations and places, merged and counted", cmd_entities)
    entities.add_argument("--aliases", metavar="TOML", help="an alias file forcing or forbidding merges")
    article_command("quotes", "every direct, partial and indirect attribution", cmd_quotes)
    article_command("sources", "one row per source: role, type, how much they are quoted", cmd_sources)
    framing = article_command("framing", "labels, metaphors, descriptions, hedges and boosters, by voice", cmd_framing)
    framing.add_argument("--category", action="append", metavar="CATEGORY",
                         choices=["event_label", "actor_label", "metaphor", "evaluative_description", "hedge",
                                  "booster"],
                         help="show only this category (repeatable): %(choices)s")

    report = commands.add_parser("report", help="a self-contained HTML source audit of an article")
    report.add_argument("file", nargs="?", help="text, Markdown or saved web page (default: the seed article)")
    report.add_argument("-o", "--output", default="source-audit.html",
                        help="where to write the HTML (default: %(default)s)")
    report.set_defaults(run=cmd_report)

    grade = commands.add_parser("grade", help="autograde a class in parallel, safely (instructors)")
    grade.add_argument("assignment", help="assignment name, as in solutions/")
    grade.add_argument("--workers", type=int, default=None, help="students graded at once (default: number of cores)")
    grade.add_argument("--no-isolation", action="store_true", help="run student code without the bubblewrap sandbox")
    grade.add_argument("--force", action="store_true",
                       help="grade again students who were already graded (automatic part only: hand grading is kept)")
    grade.add_argument("--force-manual", action="store_true",
                       help="like --force, and clear hand grading too (asks for confirmation)")
    grade.add_argument("--yes", action="store_true", help="confirm --force-manual without asking")
    grade.add_argument("--no-feedback", action="store_true",
                       help="skip the feedback pages (make them later with nbgrader)")
    grade.add_argument("--timeout", type=int, default=None, help="seconds per cell (default: nbgrader_config.py)")
    grade.add_argument("--budget", type=float, default=None,
                       help="seconds one student may take before grading stops (default: from the cell time limit)")
    for name, what in SANDBOX_LIMITS.items():
        grade.add_argument(f"--{name.replace('_', '-')}", type=int, default=None, metavar="N",
                           help=f"limit on {what} for each student kernel (default: nbgrader_config.py)")
    grade.add_argument("--course-dir", help="the nbgrader course folder (default: this repository)")
    grade.add_argument("--csv", help="where to write the grades CSV (default: COURSE/grades-ASSIGNMENT.csv)")
    grade.set_defaults(run=cmd_grade)

    items = commands.add_parser("class-report",
                                help="item analysis of a graded assignment, as HTML and CSV (instructors)")
    items.add_argument("assignment", help="assignment name, as in the gradebook")
    items.add_argument("--course-dir", help="the nbgrader course folder (default: this repository)")
    items.add_argument("--out", metavar="DIR",
                       help="where to write class-report-ASSIGNMENT.html and .csv (default: the course folder)")
    items.set_defaults(run=cmd_class_report)

    gather = commands.add_parser("collect", help="collect submissions from nbgrader's exchange, safely (instructors)")
    gather.add_argument("assignment", help="assignment name, as released")
    gather.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    gather.add_argument("--course-dir", help="the nbgrader course folder (default: this repository)")
    gather.add_argument("--exchange", metavar="DIR",
                        help="the exchange root (default: Exchange.root from nbgrader config)")
    gather.add_argument("--course-id", help="the course id (default: CourseDirectory.course_id from nbgrader config)")
    gather.set_defaults(run=cmd_collect)

    edition = commands.add_parser("student-edition",
                                  help="write what students receive, without solutions (instructors)")
    edition.add_argument("folder", help="a new folder (or an empty one) to write the edition into")
    edition.set_defaults(run=cmd_student_edition)

    release = commands.add_parser("release", help="regenerate exercises/ from solutions/ (instructors)")
    release.add_argument("assignments", nargs="*", help="assignment names (default: all)")
    release.set_defaults(run=cmd_release)
    return parser


# What writing the output can meet: a full disk, a file-size limit, a quota, a failing device.
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO})


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so the unwritable text left in its buffer fails nowhere at exit."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # AttributeError: no stdout at all
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
        if sys.stdout is not None:  # None when the shell closed it ('>&-')
            sys.stdout.flush()  # here, so that a full disk is reported, not met at exit
        return status
    except CourseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except UnicodeEncodeError as err:  # PYTHONIOENCODING=ascii, or a terminal that shows no '¶'
        _silence_stdout()
        print(f"error: standard output cannot show {ascii(err.object[err.start:err.end])} in the encoding "
              f"{err.encoding}: set PYTHONIOENCODING=utf-8", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away: stop quietly, as Unix tools do.
        _silence_stdout()
        return 1
    except OSError as err:
        if err.errno not in _WRITE_ERRORS:
            raise
        _silence_stdout()
        print(f"error: cannot write the output ({err.strerror})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
