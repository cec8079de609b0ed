"""Showing the analyses to people: charts, HTML, explorers, the explorer app and the source audit.

Every view reads one `course.analysis.pipeline.Analysis` and never runs a rule
itself. The modules build on each other in this order; each imports only
the ones above it:

    palette   the Okabe-Ito colours and the named colours every view shares (no matplotlib)
    views     plain helpers lessons call too: which entities or attributions to show, how to
              name and colour a source, an attribution's sentence (no ipywidgets, no matplotlib)
    html      every HTML fragment, from the Jinja2 templates in templates/ (autoescaped);
              one article highlighter for quotes and framing
    plots     matplotlib charts, each with a one-sentence summary
    widgets   EntityExplorer, QuoteExplorer, FramingExplorer: ipywidgets shells over the above
    app       ExplorerApp: all explorers on one page plus a paste box (notebooks/explorer_app.ipynb)
    report    the source audit as one self-contained HTML page (templates/report.html.j2)
"""
