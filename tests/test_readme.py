"""The README starts with the two set-up commands, and every local file it links to exists."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_it_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make lab", "make test"]


def test_every_local_link_and_picture_exists():
    targets = re.findall(r"\]\(([^)\s#]+)\)", README)
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    assert local, "expected the README to link a picture or file"
    assert [t for t in local if not (REPO_ROOT / t).exists()] == []
