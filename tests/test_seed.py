"""The seed article is byte-identical to the original, and its metadata is true of it."""

import hashlib
import json

import pytest

from course.core.seeds import seed_metadata, seed_text


def test_article_matches_recorded_sha256(repo_root):
    data = (repo_root / "seeds" / "article.txt").read_bytes()
    assert hashlib.sha256(data).hexdigest() == seed_metadata()["sha256"]


def test_article_is_byte_identical_to_shared_original(repo_root):
    original = repo_root.parent / "shared" / "seed" / "article.txt"
    if not original.exists():
        pytest.skip("no ../shared/seed/article.txt beside this checkout (only CI and developers have it)")
    assert (repo_root / "seeds" / "article.txt").read_bytes() == original.read_bytes()


def test_metadata_line_numbers_point_at_the_credit_and_furniture():
    metadata = seed_metadata()
    lines = seed_text().split("\n")
    known = metadata["known"]
    assert lines[known["translation_credit_line"] - 1] == known["translation_credit"]
    assert lines[known["leftover_page_furniture_line"] - 1].strip() in known["leftover_page_furniture"]


def test_metadata_records_the_provenance_gaps():
    unknown = seed_metadata()["unknown"]
    assert {"byline", "date", "outlet"} <= set(unknown)
    assert all(isinstance(note, str) and note for note in unknown.values())


def test_metadata_is_valid_json_with_utf8(repo_root):
    raw = (repo_root / "seeds" / "metadata.json").read_bytes()
    assert isinstance(json.loads(raw.decode("utf-8")), dict)
