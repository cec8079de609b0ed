"""The no-code explorer app (`make explorer`: Voilà serving notebooks/explorer_app.ipynb)
in Chromium: it loads to an interactive view, a selection changes the view to
what the pure functions compute, pasting an article re-runs the explorers on
it (and bad input gets a one-line message, never a traceback), and the
controls are accessible: named in the accessibility tree, reachable with Tab,
a dropdown works with the arrow keys, and charts use the OKABE_ITO palette.
"""

from __future__ import annotations

import json
import warnings

import pytest

from course.explore.app import EXPLORERS
from harness import REPO_ROOT, run_in_kernel
from ui import (
    CHECKS,
    VIEW_TIMEOUT_MS,
    AppLoadTimeout,
    assert_palette,
    chart_src,
    check_accessibility,
    controls,
    expectations,
    explorer_root,
    explorer_with,
    mark_colours,
    open_app,
    save_json,
    screenshot,
    voila_kernel_id,
    wait_for_view,
)

APP = "notebooks/explorer_app.ipynb"
APP_EXPLORERS = sorted(explorer.__name__ for explorer, _ in EXPLORERS)  # what course.explore.app puts on the page
LOAD_TIMEOUT_MS = 90_000  # a cold start parses the seed article
SHORT_ARTICLE = (
    "Angela Merkel met Emmanuel Macron in Paris on Tuesday to discuss the budget of the European Union.\n"
    '"We agreed on the main points," Merkel told reporters after the meeting.\n'
    "Macron said the talks in the French capital had been useful for both countries.\n"
)


@pytest.fixture(scope="module")
def voila(start_server):
    return start_server("voila", REPO_ROOT, notebook=APP, name="voila-app")


@pytest.fixture(scope="module")
def app(browser, voila):
    """One app page for the tests that only look (load, accessibility, colours)."""
    page = browser.new_page()
    try:
        seconds = open_app(page, voila, LOAD_TIMEOUT_MS)
        save_json("app-load", {"seconds_to_first_interactive_view": round(seconds, 2)})
        yield page
    finally:
        end_page_kernel(page, voila)
        page.close()


@pytest.fixture
def fresh_app(page, voila):
    """A page of its own with the app open, for a test that changes what it shows."""
    try:
        open_app_for_a_change(page, voila)
        yield page
    finally:
        end_page_kernel(page, voila)


def open_app_for_a_change(page, voila) -> None:
    """Open the app for a test of what it does after loading: one hung load is retried once, with a warning.

    A CI run once saw one of the module's four loads hang for 90 s where it takes 3 s; the load itself is
    tested, without a retry, by test_app_loads_with_every_explorer, and a second hang still fails.
    """
    try:
        open_app(page, voila, LOAD_TIMEOUT_MS)
    except AppLoadTimeout as hang:
        warnings.warn(f"retrying a hung app load: {hang}", stacklevel=2)
        end_page_kernel(page, voila)
        open_app(page, voila, LOAD_TIMEOUT_MS)


def end_page_kernel(page, voila) -> None:
    try:
        kernel = voila_kernel_id(page)
    except Exception:  # the page never got as far as a kernel
        return
    voila.end_kernel(kernel)


def test_app_loads_with_every_explorer(app):
    root = explorer_root(app)
    assert app.get_by_role("textbox", name="Article text", exact=True).is_visible()
    assert app.get_by_role("button", name="Explore this text", exact=True).is_visible()
    for explorer in APP_EXPLORERS:
        control = CHECKS[explorer][0]
        assert app.get_by_role("combobox", name=control, exact=True).is_visible(), control
    assert "Traceback" not in root.inner_text()
    screenshot(app, "app-1-loaded")


def test_every_control_is_named_in_the_accessibility_tree(app):
    found = controls(app, explorer_root(app))
    save_json("app-controls", found)
    kinds = {c["kind"] for c in found}
    assert {"widget-dropdown", "widget-select", "widget-textarea", "widget-button"} <= kinds, kinds
    known = check_accessibility(found)
    if known:
        pytest.xfail("known ipywidgets 8.1 gaps: " + " | ".join(known))


def test_charts_and_highlights_use_the_okabe_ito_palette(app):
    from course.explore.palette import OKABE_ITO

    for explorer in APP_EXPLORERS:
        root = explorer_with(app, CHECKS[explorer][0])
        if chart_src(root) is not None:
            assert_palette(chart_src(root), OKABE_ITO)
        marks = mark_colours(root)
        assert set(marks) <= set(OKABE_ITO), f"{explorer} highlights outside OKABE_ITO: {set(marks) - set(OKABE_ITO)}"


def test_the_app_shows_every_explorer_the_course_has():
    import course.explore.widgets

    have = {name for name in dir(course.explore.widgets) if name.endswith("Explorer")}
    assert have, "no explorer found in course.explore.widgets"
    assert have <= set(APP_EXPLORERS), f"explorers not in the app: {sorted(have - set(APP_EXPLORERS))}"


@pytest.fixture(scope="module")
def app_to_change(browser, voila):
    """One app page shared by the selection tests: each changes only its own explorer."""
    page = browser.new_page()
    try:
        open_app_for_a_change(page, voila)
        yield page
    finally:
        end_page_kernel(page, voila)
        page.close()


@pytest.mark.parametrize("explorer", APP_EXPLORERS)
def test_selection_changes_the_view(app_to_change, voila, explorer):
    page = app_to_change
    assert explorer in CHECKS, f"no browser check for {explorer} yet: add one to CHECKS in tests/browser/ui.py"
    control, check = CHECKS[explorer]
    root = explorer_with(page, control)
    check(page, root, expectations(voila, voila_kernel_id(page), explorer))
    root.scroll_into_view_if_needed()
    screenshot(page, f"app-2-{explorer}-changed")


def test_controls_are_reachable_with_tab_and_a_dropdown_works_with_arrow_keys(fresh_app, voila):
    page = fresh_app
    root = explorer_root(page)
    found = controls(page, root)
    widgets = {(c["kind"], c["description"]) for c in found}
    page.get_by_role("textbox", name="Article text", exact=True).focus()
    reached: set[str] = set()
    for _ in range(3 * len(found) + 20):
        reached.add(page.evaluate("() => document.activeElement?.getAttribute('data-a11y') || ''"))
        page.keyboard.press("Tab")
    by_id = {c["id"]: c for c in found}
    operable = {(by_id[i]["kind"], by_id[i]["description"]) for i in reached if i in by_id}
    assert widgets <= operable, f"controls Tab never reaches: {sorted(widgets - operable)}"
    unreached = [c for c in found if c["tabindex"] >= 0 and c["id"] not in reached]
    assert not unreached, f"focusable elements Tab skips: {unreached}"

    expected = expectations(voila, voila_kernel_id(page), "EntityExplorer")
    labels, current = expected["labels"], expected["current"]
    following = labels[labels.index(current) + 1]
    dropdown = page.get_by_role("combobox", name="Entity type", exact=True)
    dropdown.focus()
    page.keyboard.press("ArrowDown")
    assert dropdown.evaluate("s => s.selectedOptions[0].textContent").replace("\xa0", " ") == following
    new = expected["by_label"][following]
    wait_for_view(page, explorer_with(page, "Entity type"),
                  {"options": {"Entity": new["options"]}, "text": [new["summary"]] if new["summary"] else []})
    screenshot(explorer_with(page, "Entity type"), "app-3-keyboard")


_PASTED = r'''
def _pasted_expectation(text):
    """What the pure functions give for the pasted text: its people, and its speakers."""
    import json
    from course.analysis.pipeline import Analysis
    from course.core.textio import prepare_text
    from course.explore.html import mentions_html
    from course.explore.views import ALL, speaker_colours, top_clusters

    analysis = Analysis.of_text(prepare_text(text, "pasted text"), "pasted article")
    people = top_clusters(analysis.clusters, "PERSON", 10)
    return json.dumps({
        "options": [f"{c.name} ({c.count})" for c in people],
        "mentions": mentions_html(analysis.article, people[0]) if people else "",
        "speakers": [ALL, *speaker_colours(analysis.attributions)],
    })


print(_pasted_expectation(TEXT))
'''


def test_pasting_an_article_reruns_the_explorers_and_bad_input_gets_a_message(fresh_app, voila):
    page = fresh_app
    textbox = page.get_by_role("textbox", name="Article text", exact=True)
    button = page.get_by_role("button", name="Explore this text", exact=True)
    alert = page.get_by_role("alert")
    for bad, message in (("   ", "is empty"),
                         ("Der Hund läuft schnell über die Straße, und die Katze schläft auf dem Dach. " * 4,
                          "does not look like English")):
        textbox.fill(bad)
        button.click()
        alert.filter(has_text=message).wait_for(timeout=VIEW_TIMEOUT_MS)
        assert "Traceback" not in page.locator("body").inner_text()
    screenshot(page, "app-4-refused")
    # the seed article's explorers are still shown
    assert page.get_by_role("heading", name="People, places and organisations in the seed article").is_visible()

    textbox.fill(SHORT_ARTICLE)
    button.click()
    page.get_by_role("status").filter(has_text="Showing the pasted article").wait_for(timeout=60_000)
    expected = json.loads(run_in_kernel(voila, voila_kernel_id(page), _PASTED.replace("TEXT", repr(SHORT_ARTICLE))))
    assert "Angela Merkel (2)" in expected["options"], expected  # the check below is not vacuous
    entities = explorer_with(page, "Entity type")
    wait_for_view(page, entities, {"options": {"Entity": expected["options"]}, "html": [expected["mentions"]]})
    wait_for_view(page, explorer_with(page, "Speaker"), {"options": {"Speaker": expected["speakers"]}})
    assert page.get_by_role("heading", name="People, places and organisations in the pasted article").is_visible()
    after = expectations(voila, voila_kernel_id(page), "EntityExplorer")  # the seed's explorers were closed
    assert after["by_label"][after["current"]]["options"] == expected["options"]
    for explorer in APP_EXPLORERS:  # every explorer was rebuilt for the pasted article, none added beside it
        assert page.get_by_role("combobox", name=CHECKS[explorer][0], exact=True).count() == 1, explorer
    assert page.get_by_text("in the seed article").count() == 0
    assert page.get_by_role("alert").count() == 0
    assert "Traceback" not in page.locator("body").inner_text()
    screenshot(page, "app-5-pasted")
