"""Media literacy and basic NLP on one translated news article.

Importing the package is cheap: spaCy and the model load only when a
function needs them, so `import course` never slows a notebook down.
"""

__version__ = "0.1.0"
