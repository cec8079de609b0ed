"""Media literacy and basic NLP on one translated news article.

Importing the package is cheap: spaCy and the model load only when a
function needs them, so `import course` never slows a notebook down.
"""

__version__ = "0.1.0"


def report(text: str, name: str = "article"):
    """A source audit of `text` (plain text, Markdown or HTML); shows as HTML in a notebook.

    See `course.explore.report`. Imported here lazily so that `import course` stays fast.
    """
    from course.explore.report import source_audit

    return source_audit(text, name)
