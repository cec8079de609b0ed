"""Entity clusters: one entry per person, organisation or place in a text.

spaCy's model labels spans; it does not know that "Pavel Orlov", "Orlov"
and "Orlov's" are one person, or that "Kogine" (labelled a nationality) is
"Kozhin" spelled the French way. `cluster_entities` turns the model's
spans into clusters in five small steps:

1. `model_mentions`: the model's spans, split at commas and cleaned of
   articles, possessives and titles.
2. `recovered_people`: people the model missed or buried in another span,
   found as a known given name followed by a capitalised surname; and
   `people_by_context`: names the model called a place or organisation that an
   honorific, title, role or family word beside them shows to be a person's.
3. `cluster_people`: full names first, then bare surnames linked to them by
   spelling family (`course.analysis.names`); two people who share a given name or a
   surname stay apart unless the text links them, and a surname alone that several
   share goes to the one spelled exactly so, then to the one named first.
4. Label by evidence: a span the model called an organisation or nationality
   joins a person whose surname it is; a lone "person" that is only ever a
   bare place name (Kiev) becomes a place.
5. `cluster_others`: organisations and places grouped by normalised name;
   `join_abbreviations` joins an abbreviation to the name the text defines
   it with ('Reporters Without Borders (RWB)'), and `join_initials` one the
   text only uses to the one name it spells ('UN', 'United Nations').

An alias file (`load_aliases`) can force or forbid merges. Nothing here
knows anything about a particular article.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from course.analysis.names import (
    ascii_letters,
    compatible_given_names,
    family_keys,
    first_and_last,
    generational_suffix,
    is_abbreviated_title,
    is_given_name,
    is_given_name_as_written,
    is_title,
    one_slip_apart,
    same_spelling_family,
    slip_keys,
    split_title,
    strip_possessive,
    without_nickname,
)
from course.core.article import headline_end
from course.core.lexicons import checked_table, table, word_list, word_set
from course.core.spans import SpanIndex
from course.core.syntax import doc_text
from course.errors import InputError

DEFAULT_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
PERSON = "PERSON"
_LEADING_JUNK = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One place where an entity is named: the name as written and where it is."""

    text: str
    start: int
    end: int
    label: str
    title: str = ""


@dataclass(frozen=True)
class EntityCluster:
    """One real-world entity and every mention of it."""

    name: str
    label: str
    mentions: tuple[Mention, ...]

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def variants(self) -> tuple[str, ...]:
        """The distinct spellings, in order of first appearance."""
        return tuple(dict.fromkeys(m.text for m in self.mentions))

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "count": self.count,
            "variants": list(self.variants),
            "mentions": [{"text": m.text, "start": m.start, "end": m.end} for m in self.mentions],
        }


@dataclass(frozen=True)
class Aliases:
    """Merges an editor forces (`merge`) or forbids (`keep_apart`); see data/aliases.toml."""

    merge: tuple[tuple[str, ...], ...] = ()
    keep_apart: tuple[tuple[str, ...], ...] = ()

    def forbids(self, names_a: Iterable[str], names_b: Iterable[str]) -> bool:
        a, b = set(names_a), set(names_b)
        return any((a & set(group)) and (b & set(group)) and not (a & b & set(group)) for group in self.keep_apart)


# An alias file lists names: anything larger is not one.
ALIAS_FILE_BYTES = 1_000_000


def load_aliases(path: str | Path) -> Aliases:
    """Read an alias file; a malformed one raises InputError with the reason."""
    from course.core.textio import read_file_bytes, shown_path, strip_invisible

    path = Path(path)
    # a regular file only (a folder, a FIFO or a device gets one line naming it), read in bounded chunks
    raw = read_file_bytes(path, limit=ALIAS_FILE_BYTES, what="alias file")
    try:
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))  # Notepad writes a byte-order mark
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        reason = " ".join(str(err).split())
        raise InputError(f"{shown_path(path)}: not a valid alias file ({reason})") from None

    unknown = sorted(key for key, value in data.items() if key not in {"merge", "keep_apart"}
                     and isinstance(value, list) and value and all(isinstance(v, dict) for v in value))
    if unknown:  # a misspelt '[[mrege]]' would otherwise merge nothing, silently; a 'title = ...' is a note
        raise InputError(f"{shown_path(path)}: unknown table [[{shown_path(unknown[0])}]]: an alias file has only "
                         f"[[merge]] and [[keep_apart]] tables")

    def groups(key: str) -> tuple[tuple[str, ...], ...]:
        entries = data.get(key, [])
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("names"), list) and all(isinstance(n, str) for n in e["names"])
            for e in entries
        ):
            raise InputError(f'{shown_path(path)}: each [[{key}]] needs names = ["...", "..."]')
        # cleaned as the article is, or a name with a zero-width space would match nothing in it
        return tuple(tuple(strip_invisible(n)[0] for n in e["names"]) for e in entries)

    return Aliases(merge=groups("merge"), keep_apart=groups("keep_apart"))


# --- 0. bylines and datelines ------------------------------------------------------------

_BYLINE = re.compile(r"\s*By\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|de|van|von|al|bin|da|di|,))*\s*")
# A wire story's closing credit line: '(Reporting by Ana Lee in Kelvo; Writing by Ben Ruiz; Editing by Mark Dwyer)'
_CREDIT_NAMES = r"\s+[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|in|de|van|von|al|bin|da|di|,))*"
_CREDIT_LINE = re.compile(r"\(?\s*(?:(?i:(?:additional\s+)?(?:reporting|writing|editing|compiled|written)"
                          r"(?:\s+and\s+(?:reporting|writing|editing))?\s+by)"  # 'Writing and editing by'
                          + _CREDIT_NAMES + r"\s*(?:;\s*|(?=\)?\s*$)))+\)?\s*")
# A translator's credit on a line of its own, wherever it stands: 'Translated from the Spanish by Mark Bennett'
_TRANSLATOR_LINE = re.compile(r"\(?\s*(?i:translated(?:\s+(?:from|into)\s+(?:the\s+)?\w+){0,2}\s+by)"
                              + _CREDIT_NAMES + r"\s*\)?\s*")
_DATELINE = re.compile(
    r"\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*,\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?\s*")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_CALENDAR_NAMES = frozenset(_MONTH_NAMES + ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                            "Sunday"))
_MONTHS = {name[:3].lower() for name in _MONTH_NAMES} | {"sept"}  # how a dateline may shorten them


# A wire dateline opening a paragraph: the place in capitals, perhaps a region and an agency after it, then a dash
# ('CARLOW FALLS - ', 'KYIV, Ukraine (AP) — ', 'WASHINGTON (Reuters) -- '); no word of two letters ('US - China')
_DATELINE_OPENER = re.compile(r"([A-Z][A-Z.'’-]{2,}(?:[ \t]+[A-Z][A-Z.'’-]{2,})*)"  # the place
                              r"(?:,[ \t]+[A-Z][\w.'’-]*(?:[ \t]+[A-Z0-9][\w.'’-]*)*){0,2}"  # ', Region', ', June 3'
                              r"(?:[ \t]*\([^()\n]{1,30}\))?"  # ' (Agency)'
                              r"[ \t]+(--?|[–—])[ \t]+(?=\S)")


def dateline_end(text: str, offset: int) -> int:
    """Where the wire dateline that opens the paragraph line holding `offset` ends, when `offset` lies inside it
    ('CARLOW FALLS - A guard told ...': a place, not a name, and no part of the sentence after it); else `offset`.
    Not a name in capitals that opens with a known given name ('ANNA KOVACS - Political Correspondent'), nor a
    name the dash sets off as a pair of dashes does ('TARVSA - the Tarvian space agency - said')."""
    line = text.rfind("\n", 0, offset) + 1
    line += len(text[line:offset]) - len(text[line:offset].lstrip(" \t"))
    match = _DATELINE_OPENER.match(text, line)
    if match is None or match.end() <= offset or is_given_name(match.group(1).split()[0].title()):
        return offset
    line_end = text.find("\n", match.end())
    sentence = re.split(r"[.!?](?:\s|$)", text[match.end():line_end if line_end >= 0 else len(text)])[0]
    return offset if f" {match.group(2)} " in sentence else match.end()


def _closing_credit_lines(lines: list[str]) -> set[int]:
    """The numbers of the credit lines that end the text ('Writing by Ben Ruiz; Editing by Mark Dwyer' before
    '(Additional reporting by ...)'); a credit line elsewhere must stand in parentheses, so that a review's
    'Written and directed by Ana Morel. Starring Tom Wexley.' is no credit."""
    found: set[int] = set()
    for n in range(len(lines) - 1, -1, -1):
        if not lines[n].strip():
            continue
        if not _CREDIT_LINE.fullmatch(lines[n].strip()):
            break
        found.add(n)
    return found


def byline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that is a byline ('By Ana Lee'), a wire story's credit line ('(Reporting by Ana
    Lee; Editing by Mark Dwyer)'), a translator's credit ('Translated from the Spanish by Mark Bennett') or a
    dateline on its own ('London, 3 March 2024'): the article's credits, not its content. A person named in a
    byline is not a person the article names, and a byline is not a sentence that lost its verb."""
    spans = []
    offset = 0
    lines = text.split("\n")
    closing = _closing_credit_lines(lines)
    for n, line in enumerate(lines):
        stripped = line.strip()
        words = stripped.split()
        if (1 < len(words) <= 8 and _BYLINE.fullmatch(stripped) or n in closing
                or stripped.startswith("(") and _CREDIT_LINE.fullmatch(stripped)
                or _TRANSLATOR_LINE.fullmatch(stripped)):
            spans.append((offset, offset + len(line)))
        elif words and len(words) <= 8 and _DATELINE.fullmatch(stripped) and any(
                w.lower().rstrip(".,")[:4] in _MONTHS or w.lower().rstrip(".,")[:3] in _MONTHS for w in words):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


# --- 1. the model's spans -------------------------------------------------------------


# What may stand around a name the model found, and is no part of it
_EDGE_JUNK = " \t\n,;:-–—\"“”'‘’()"
# A number written in digits after a space or a dash: '37', '2,000', '52%', a time '31:45', a score '6–4', 'Lind–29'
_NUMBER = re.compile(r"(?<=[\s\-–—])[.,%]*\d")


def _clean_span(span: Span, label: str) -> Mention | None:
    """The name inside `span`: no leading article, title, trailing possessive or letters after the name."""
    text = strip_possessive(span.text)
    text = _LEADING_JUNK.sub("", text).strip(_EDGE_JUNK)
    title, name = split_title(text) if label == PERSON else ("", text)
    words = name.split()
    if label == PERSON and len(words) > 2 and (words[0].lower() in word_set("person_roles.txt") or (
            words[0].lower() in word_set("person_nouns.txt") and not is_given_name(words[0]))):
        title, name = f"{title} {words[0]}".strip(), " ".join(words[1:])  # 'Blogger C. Custer': a role, not a name
    if label == PERSON and len(words) > 1 and span[0].is_sent_start and (
            span[0].tag_ == "VBG" or _is_speech_participle(words[0])):
        name = " ".join(name.split()[1:])  # 'Echoing Panfilova, ...', 'Quoting Lopez, ...': a verb, not a given name
    if label == PERSON:
        name = _before_a_number(name)  # 'Tadic 48, Kostunica 37': a name and its votes, not a longer name
        name = _without_post_nominals(name)
    if not re.search(r"[A-Za-z]", name):
        return None
    start = span.start_char + span.text.find(name)
    return Mention(name, start, start + len(name), label, title)


def _without_post_nominals(name: str) -> str:
    """`name` less the letters after it for an honour, a rank or a seat ('Jonathan Kessler KC'; data/post_nominals.txt),
    never down to one word."""
    words = name.split(" ")
    while len(words) > 2 and words[-1].rstrip(".,") in word_set("post_nominals.txt", lower=False):
        words.pop()
    return " ".join(words)


def _before_a_number(name: str) -> str:
    """`name` up to the first digit after its first word that follows a space or a dash, less the dash or colon
    ahead of it: a person's name holds no number, and the model runs a name into the figure after it ('Kostunica
    37' in a list of results, 'Omar Lind - 31 percent', 'Mira Lind 6–4 6–3')."""
    first = re.match(r"\S*", name)
    cut = _NUMBER.search(name, first.end() if first else 0)
    return name if cut is None else name[:cut.start()].rstrip(_EDGE_JUNK)


def _is_speech_participle(word: str) -> bool:
    """'Echoing', 'Quoting', 'Citing': the -ing form of a speech verb (data/reporting_verbs.tsv)."""
    stem = word.lower().removesuffix("ing")
    return word.endswith("ing") and bool({stem, stem + "e", stem[:-1]} & _speech_verbs())


@functools.lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    return frozenset(row[0] for row in table("reporting_verbs.tsv") if " " not in row[0])


def model_mentions(doc: Doc, labels: Iterable[str] = DEFAULT_LABELS) -> list[Mention]:
    """The model's entity spans with the given labels, as cleaned mentions.

    A span that contains a comma ("Tver, Kozhin") is two names the
    model ran together, so it is split there.
    """
    wanted = set(labels)
    mentions = []
    # words written in lower case, less the words of longer names ('Grace' of 'Grace Okafor'): see `_common_noun`
    lower_case = {t.text for t in doc if t.is_lower} - {t.lower_ for e in doc.ents if len(e) > 1 for t in e}
    credits = SpanIndex((start, end, None) for start, end in byline_spans(doc_text(doc)))
    for ent in doc.ents:
        if ent.label_ not in wanted or credits.overlapping(ent.start_char, ent.end_char):
            continue
        if ent.label_ == PERSON and _is_descriptor(ent) or len(ent) == 1 and _common_noun(ent[0], lower_case):
            continue
        parts, begin = [], ent.start
        for token in ent:
            if token.text in {",", ";"} or ent.label_ == PERSON and _joins_two_names(token):
                parts.append(doc[begin:token.i])
                begin = token.i + 1
        parts.append(doc[begin:ent.end])
        of = _of_an_organisation(ent)
        if of is not None:  # 'Emmanuel Rosner of Wolfe Research': the person, then where he works
            parts = [doc[ent.start:of]]
            mention = _clean_span(doc[of + 1:ent.end], "ORG")
            mentions += [mention] if mention else []
        for part in parts:
            if all(is_abbreviated_title(t.text) for t in part):
                continue  # 'Cdr.' or 'Lt. Gen.' alone, the titles of a name the model left out, names nobody
            name = _name_after_rank(part)
            label = PERSON if name is not None and len(name) <= 2 and not any(
                t.lower_ in _organisation_heads() for t in name) else ent.label_
            if label == PERSON:
                part = _uncut_name(part)
            if _titled_institution(part, label):
                part, label = doc[part.start - 1:part.end], "ORG"
            mention = _clean_span(part, label)
            if mention:
                mentions.append(mention)
    mentions = _family_firms(doc_text(doc), mentions)
    return _with_dateline_places(doc_text(doc), mentions) if "GPE" in wanted else mentions


_FAMILY_FIRM = re.compile(r"(?-i:[A-Z][a-z][\w'’-]*)(?:,? and | & )(?:Sons|Daughters|Brothers|Partners|Associates)\b"
                          r"(?![ \t]+(?:of|for|from|in|to)\b)")


def _common_noun(token: Token, lower_case: set[str]) -> bool:
    """True for a word the tagger calls a common noun, capitalised only to open a headline or a sentence, that the
    text also writes in lower case ('Farmers protest.' beside 'the farmers'; 'Commuters stranded as ...'); not a
    transcript's label ('Policewoman: I have a day off'), which names a speaker, nor a given name or a word of a
    longer name in the text ('Grace was there' after 'Grace Okafor', beside 'with grace'), nor a word in the middle
    of a sentence ('the candidate for Respect'; review)."""
    if token.tag_ not in {"NN", "NNS"} or not token.text[:1].isupper() or token.text.lower() not in lower_case:
        return False
    opens = token.is_sent_start or token.idx < headline_end(doc_text(token.doc))
    label = token.i + 1 < len(token.doc) and token.nbor().text == ":"
    return opens and not label and not is_given_name(token.text)


def _name_after_rank(span: Span) -> list[Token] | None:
    """The words after the rank that opens `span`, when that rank stands only before a person's name: an
    abbreviated title ('Det. Supt. Femi Adeyemi', which the model may tag an organisation) or two title words or
    more ('Detective Sergeant Oluwatoyin Bakare'); None for one title word, which also opens the names of firms
    ('General Motors'), or for titles only ('Lord Chief Justice'). A place named for someone ('the Col. Ramos
    Sports Complex') is left to the caller, by its head."""
    if is_abbreviated_title(span[0].text):
        return [t for t in span if not is_abbreviated_title(t.text)]
    rank = split_title(span.text)[0]
    name = [t for t in span if t.idx >= span.start_char + len(rank)]
    if len(rank.split()) < 2 or not name or any(is_title(t.text) for t in name):
        return None
    return name


def _family_firms(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, with each firm named for a family ('Patel and Sons', 'Marlow and Daughters', 'Mwangi and
    Associates') one organisation in place of the person, place or pieces the model made of it. Not in the headline,
    whose capitals make any family a firm ('Obama and Daughters Visit'), nor a name's last word ('Anne Wairimu and
    Daughters of Zion', 'the Red Cross and Partners for Resilience'), a place or a kinship word ('Fathers and Sons'),
    or a group followed by what it is of or for."""
    firms = []
    for match in _FAMILY_FIRM.finditer(text, headline_end(text)):  # 'Trump and Sons Face Ruling' is a headline's
        word = match.group().split()[0].rstrip(",")
        before = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        if (re.search(r"[A-Z][\w'’.-]*[ \t]+$", before) or word in _place_names()
                or word.lower().removesuffix("s") in word_set("kinship_nouns.txt")):  # 'Fathers and Sons Unite'
            continue
        firms.append(Mention(match.group(), match.start(), match.end(), "ORG"))
    if not firms:
        return mentions
    taken = SpanIndex((f.start, f.end, None) for f in firms)
    return sorted([m for m in mentions if not taken.overlapping(m.start, m.end)] + firms, key=lambda m: m.start)


def _with_dateline_places(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions, with the place of each wire dateline that names a known place ('LAGOS, Nigeria (AP) —',
    'BERLIN —') a place, whatever the model called it or if it called it nothing: a dateline says where the story
    was filed. A name in capitals before a dash may be anything else: a transcript's speaker, an obituary's head,
    a rubric, an organisation, a slogan ('HOST -', 'HARRIS, Margaret Ann —', 'UNICEF, Geneva —')."""
    places = []
    for line in re.finditer(r"^[ \t]*(?=\S)", text, re.MULTILINE):
        match = _wire_dateline(text, line.end())
        if match is not None and match.group(1).title() in _place_names():
            places.append(Mention(match.group(1), match.start(1), match.end(1), "GPE"))
    if not places:
        return mentions
    taken = SpanIndex((p.start, p.end, None) for p in places)
    kept = [m for m in mentions if not taken.overlapping(m.start, m.end)]
    return sorted(kept + places, key=lambda m: m.start)


def _wire_dateline(text: str, line_start: int) -> re.Match | None:
    """The dateline opening the line at `line_start` (`dateline_end`), as a match whose group 1 is the place."""
    match = _DATELINE_OPENER.match(text, line_start)
    return match if match is not None and dateline_end(text, line_start) > line_start else None


def report_start(text: str, offset: int) -> int:
    """Where a report that the parse starts at `offset` starts: after a wire dateline that an agency or a known
    place shows to be one ('LAGOS (Reuters) - Nigeria expects ...'), not after a slogan in capitals ('HOUSING FOR
    ALL, Not Just The Rich — that was the message', 'JUSTICE NOW (in red letters) — the crowd chanted ...')."""
    line = text.rfind("\n", 0, offset) + 1
    line += len(text[line:offset]) - len(text[line:offset].lstrip(" \t"))
    match = _wire_dateline(text, line)
    if match is None or match.end() <= offset:
        return offset
    agency = re.search(r"\(\s*[A-Z]", text[match.end(1):match.end()])  # '(Reuters)', '(AP)'; not '(in red letters)'
    return match.end() if agency or match.group(1).title() in _place_names() else offset


def _of_an_organisation(ent: Span) -> int | None:
    """The index of the 'of' in a span tagged a person that runs a full name into the organisation the person
    works for ('Emmanuel Rosner of Wolfe Research'): a known given name and a surname before it, capitalised
    words after it. Not a name with 'of' in it ('Catherine of Aragon'), nor a title's ('Prince Philip of Greece',
    whose first word is no given name)."""
    if ent.label_ != PERSON:
        return None
    of = next((t.i for t in ent if t.lower_ == "of"), None)
    if of is None or of - ent.start < 2 or of + 1 >= ent.end or not is_given_name(ent[0].text):
        return None
    before, after = ent.doc[ent.start:of], ent.doc[of + 1:ent.end]
    return of if all(t.text[:1].isupper() for t in before) and after[0].text[:1].isupper() else None


def _joins_two_names(token: Token) -> bool:
    """A word in lower case between two capitalised words inside what the model tagged one person, which no name
    holds: an English function word ('Rovers as Mendoza hails', 'Lee and Okafor'), not a particle ('de', 'van')
    nor 'of' or 'the' ('Joan of Arc', 'Alexander the Great')."""
    doc = token.doc
    return (token.is_lower and token.is_stop and len(token) > 1 and token.lower_ not in {"of", "the"}
            and token.lower_ not in word_set("name_particles.txt")
            and 0 < token.i < len(doc) - 1 and doc[token.i - 1].is_title and doc[token.i + 1].is_title)


def _titled_institution(span: Span, label: str) -> bool:
    """True for an institution's name the model cut after a title word that opens it: 'the Chief' + 'Rabbinate',
    'the President' + 'Hotel', 'the Chief' + 'Inspectorate of ...'. The name follows 'the' and its title, and is an
    organisation's or holds the head of one; a person's name after 'the President' is none ('the President Obama'),
    nor a name after a verb's object ('told the President Congress would not pay'; review)."""
    doc = span.doc
    if span.start < 2 or not is_title(doc[span.start - 1].text) or not doc[span.start - 1].is_title:
        return False
    if doc[span.start - 2].lower_ != "the" or not doc[span.start - 1].whitespace_:
        return False
    if span.start > 2 and doc[span.start - 3].pos_ == "VERB":
        return False  # 'Pelosi told the President Congress would not pay': the one told, then the clause
    return label == "ORG" or label == PERSON and any(t.lower_ in _organisation_heads() for t in span)


def _uncut_name(span: Span) -> Span:
    """A person's name the model cut short, with the untagged capitalised name the parser makes its head
    right after it ('Ana Ruiz' + 'Lenz' in 'Ana Ruiz Lenz was sworn in', the second surname of a Spanish
    name) or a known given name it hangs on the name right before it ('Ana' + 'Ruiz Lenz'). Not a title or
    the head of an organisation's or a place's name ('Ana Ruiz Foundation'), but after a romanised given name
    ('Eun-ji Park'). Any capitalised name right before a name that opens with a particle, whatever the parser made
    of it, except a role word ('Maricel' + 'Dela Cruz'; not 'Striker' + 'Van Dijk'). The rest of a romanised given
    name ('Seo' + '-yeon') joins the name too."""
    doc = span.doc
    start, end = span.start, span.end
    if end + 1 < len(doc) and doc[end].text in HYPHENS and not span[-1].whitespace_ and not doc[end].whitespace_ and (
            ROMANISED_GIVEN_NAME.fullmatch(doc[start:end + 2].text) and _in_a_name(doc[end + 1])):
        end += 2  # 'Seo' + '-yeon': the model tags the first piece of a romanised given name alone; not 'Marek-era'
    romanised = ROMANISED_GIVEN_NAME.fullmatch(doc[start:end].text) is not None and _in_a_name(doc[end - 1])

    def name_word(token) -> bool:  # after 'Eun-ji', a surname that heads places too ('Park') is one
        return (_is_capitalised_propn(token) and not token.ent_type_ and not is_title(token.text)
                and (romanised or token.lower_ not in _organisation_heads()))

    if end < len(doc) and span[-1].dep_ == "compound" and span[-1].head.i == end and span[-1].whitespace_ and (
            name_word(doc[end])):
        end += 1
    before = doc[start - 1] if start else None
    if before is not None and before.whitespace_ and name_word(before):
        hung = before.dep_ == "compound" and start <= before.head.i < end
        if (hung and is_given_name(before.text)
                or _opens_with_particle(span) and before.lower_ not in word_set("person_roles.txt")):
            start -= 1
    return doc[start:end]


def _opens_with_particle(span: Span) -> bool:
    """True for a name that opens with a capitalised particle and goes on ('Dela Cruz', 'Van Dijk'), outside the
    headline, after one capitalised word that opens a name: a particle stands between a given name and a surname,
    so the name the parser hangs on it is the given name ('Maricel' + 'Dela Cruz'). Not a particle that is an
    English word too ('Do', 'Los Angeles'), nor a word in a run of capitals ('Senate Clears Dela Rosa')."""
    first, doc = span[0].text, span.doc
    if len(span) < 2 or span.start < 1 or not first[:1].isupper() or first.lower() in {"do", "y", "d", "los", "las"}:
        return False
    before = doc[span.start - 2] if span.start > 1 else None
    return (first.lower() in word_set("name_particles.txt") and span.start_char >= headline_end(doc_text(doc))
            and not (before is not None and before.is_alpha and before.text[:1].isupper()))


# A given name romanised from Korean or Chinese, whose syllables a hyphen joins: 'Eun-ji', 'Seo-yeon', 'Xiao-ming'
ROMANISED_GIVEN_NAME = re.compile(r"[A-Z][a-z]{1,4}-[a-z]{2,5}")


def _in_a_name(token) -> bool:
    """A word the parser reads as a name or as part of the name after it ('yeon' in 'Seo-yeon Lee'), not of a noun
    ('era' in 'Marek-era laws', 'led' in 'Lee-led research')."""
    return token.pos_ == "PROPN" or token.head.pos_ == "PROPN"


def _given_name_word(word: str) -> bool:
    """A known given name, or one romanised with a hyphen ('Eun-ji')."""
    return is_given_name(word) or ROMANISED_GIVEN_NAME.fullmatch(word) is not None


def _is_descriptor(ent: Span) -> bool:
    """A name the model called a person that only describes another person's role: the "Ferry" of
    "Ferry captain Ahmed Haddad", a compound on a common noun that itself leads to a person's name."""
    doc = ent.doc
    if ent.end + 1 < len(doc) and doc[ent.end].pos_ == "NOUN" and doc[ent.end].ent_type_ != PERSON and (
            doc[ent.end].lemma_.lower() in word_set("person_roles.txt") and doc[ent.end + 1].ent_type_ == PERSON):
        return True  # the parser may hang the role word elsewhere; the words in a row still say it
    head = ent.root.head
    if ent.root.dep_ != "compound" or head.i < ent.end or head.pos_ != "NOUN":
        return False
    while head.dep_ == "compound" and head.head.i > head.i:
        head = head.head
        if head.ent_type_ == PERSON:
            return True
    return False


def raw_entities(doc: Doc, labels: Iterable[str] = DEFAULT_LABELS) -> list[Mention]:
    """The model's own spans, untouched: what spaCy says before any merging."""
    wanted = set(labels)
    return [Mention(e.text, e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in wanted]


# --- 2. people the model missed or mislabelled --------------------------------------------

PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "to", "into", "across"})
# more words that come before a place rather than a person, so a name with a particle after them is a city ('via
# Santiago de Compostela'); not 'of', which comes before people as often ('the death of Christophe de Margerie')
ROUTE_PREPOSITIONS = frozenset({"via", "around", "between", "through", "outside", "towards", "toward"})
NOT_PERSONAL_TITLES = frozenset({"former", "retired", "ret", "chief"})  # 'former Yugoslavia' names no person
# a family, or its members of one kind (`_names_a_family`); not 'partners' or 'heirs', who may be one person's
FAMILY_NOUNS = frozenset({"family", "families", "clan", "dynasty", "brothers", "sisters", "siblings", "sons",
                          "daughters", "parents", "children", "cousins", "twins", "nephews", "nieces", "uncles",
                          "aunts", "grandchildren", "grandsons", "granddaughters"})


def people_by_context(doc: Doc, mentions: list[Mention], tagged: Iterable[Mention] = ()) -> list[Mention]:
    """The mentions, with a name the model called an organisation, place or nationality relabelled a
    person where the words beside it say so: an honorific ('Ms Maliwal'), a personal title, role or
    family word right before it ('Crown Prince Naruhito', 'agency spokesman Sutopo', 'his son Hisahito'),
    or a role in apposition after it ('Oscar Lopez Rivera, a Puerto Rican nationalist'). A name is one
    person's throughout the text where such words stand beside any of its mentions, also one the model or
    `recovered_people` tagged a person (`tagged`): after 'singer Vella won', 'congratulated Vella' is hers."""
    people = {}
    for mention in mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and mention.label != PERSON and not _title_or_group(span, mention.label) and (
                _person_context(doc, span) or _given_name_and_surnames(mention)):
            people[mention] = _clean_span(span, PERSON)
    # one name, one sense in an article: where the words beside one mention make it a person, so are the others
    names = {m.text for m in people.values() if m is not None}
    for mention in tagged:  # also where that mention is one the model already called a person
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is not None and _person_context(doc, span):
            names.add(mention.text)
    return [people.get(m) or (Mention(m.text, m.start, m.end, PERSON) if m.text in names else m) for m in mentions]


def _person_context(doc: Doc, span: Span) -> bool:
    """True if a title, honorific or role beside the capitalised words of `span` makes them a person's name:
    right before it ('stage actress Ana Vidal'), as the head of an apposition after it, past the words that
    modify the head ('Ana Vidal, UNICEF emergency officer'), as the noun it stands in apposition to
    ('The president of Tarvik, Ana Vidal, said'), or as another name in the same list (`_listed_with_people`).
    A title's word in lower case that the parser makes an adjective of a noun after the name is none: 'major' in
    'both major U.S. parties' or 'a major Tarvian earthquake' is no Major's rank."""
    # particles in lower case only after a given name ('Sofía de la Cruz'): not 'Casa de Campo'
    given = is_given_name_as_written(span[0].text)
    if not 1 <= len(span) <= 4 or not all(t.text[:1].isupper() or t.i > span.start and (
            t.nbor(-1).text in HYPHENS or given and t.text in word_set("name_particles.txt"))
            for t in span if t.is_alpha):  # 'Eun-ji Park', 'Sofía de la Cruz'
        return False
    if len(span) > 1 and span[0].lower_.rstrip(".") in word_set("honorifics.txt"):
        return True
    if span.start:
        before = doc[span.start - 1]
        title = is_title(before.text) and not (before.is_lower and before.pos_ == "ADJ" and before.head.i >= span.end
                                               and not _second_word_of_a_title(before, span))
        if before.lower_.rstrip(".") not in NOT_PERSONAL_TITLES and (
                title or _is_person_noun(before) or _capitalised_role(before)):
            return True
    if span.end + 1 < len(doc) and doc[span.end].text == ",":
        appos = next((t for t in doc[span.end + 1: span.end + 8]
                      if t.dep_ == "appos" and span.start <= t.head.i < span.end), None)
        if appos is not None and (_is_person_noun(appos) or _titled_apposition(appos)):
            return True
    head = span.root.head
    if span.root.dep_ == "appos" and head.i < span.start and _is_person_noun(head):
        return True
    return _listed_with_people(span)


def _given_name_and_surnames(mention: Mention) -> bool:
    """True for three capitalised words the model called an organisation or a building that read as a person's
    full name: a known given name, then two more names or an initial ('Jean-Luc Okoro Mensah', 'Ana Ruiz
    Lenz', 'John Q. Public'), none of them the head of an organisation's or a place's name ('Doris Day
    Foundation', 'George Washington Bridge', 'Christian Democrats Party', 'Amelia Okoro International')."""
    words = mention.text.split()
    if mention.label not in {"ORG", "FAC"} or len(words) != 3 or not is_given_name(words[0].split("-")[0]):
        return False
    return all(w[:1].isupper() and w[1:2].islower() or re.fullmatch(r"[A-Z]\.", w) for w in words) and not any(
        w.lower().rstrip(".") in _organisation_heads() | NAMED_FOR_HEADS or is_title(w) for w in words)


def _titled_apposition(appos) -> bool:
    """True for a title written capitalised as the head of a definite apposition, as news writes a role after a
    name: 'Odel Marsk, the Tarvian Prime Minister,'; not 'former' or 'chief' (`NOT_PERSONAL_TITLES`)."""
    return (is_title(appos.text) and appos.lower_ not in NOT_PERSONAL_TITLES
            and any(c.dep_ == "det" and c.lower_ == "the" for c in appos.children))


def _title_or_group(span: Span, label: str = "") -> bool:
    """True for words that name no one person though a title or role word stands before them: words that end in
    a role noun, a title's words ('Deputy National Harbour Advisor', 'Chief Fisheries Advisor'), and a group the
    model tagged a nationality or party in the plural ('Fellow Tarvian Democrats')."""
    return span[-1].lower_ in word_set("person_roles.txt") or (label == "NORP" and span[-1].tag_ == "NNPS")


def _listed_with_people(span: Span) -> bool:
    """True if `span` is one name in a list of people: a list the model labelled mostly with people's
    names, two of them at least ('Ana Vidal, Tomas Rey and Ngozi Adebayo attended'), or one that a
    person noun introduces ('his sons Karel, Milo and Tomas', 'aldermen Ana Ruiz and Tomas Lenz'). A list
    names one kind of thing; 'Ana Ruiz and Congress' is no list of people, nor 'the villages of Orla,
    Tesk and Ana Ruiz' with one of them called a person."""
    members = [span.root, *span.root.conjuncts]
    head = min(members, key=lambda t: t.i)
    if len(members) < 2 or head.dep_ == "pobj" and head.head.lower_ in PLACE_PREPOSITIONS:
        return False  # 'digs at Varno, Tesk and Mira Ruiz', 'a couple from Ohio, Ana and Tomas Rey'
    labels = Counter(t.ent_type_ for t in members if t.ent_type_ and not span.start <= t.i < span.end)
    if labels[PERSON] >= 2 and labels[PERSON] >= labels.total() - labels[PERSON]:
        return True
    if labels[PERSON] == labels.total() == 1 and _paired_with_a_sure_person(span, members):
        return True
    first = head
    while first.i and _is_capitalised_propn(first.doc[first.i - 1]):
        first = first.doc[first.i - 1]
    i = first.i - 1
    if i > 0 and first.doc[i].text == ",":  # 'his sons, Karel, Milo and Tomas'
        i -= 1
    return i >= 0 and _is_person_noun(first.doc[i]) and first.doc[i].tag_ in {"NNS", "NNPS"}


def _paired_with_a_sure_person(span: Span, members: list) -> bool:
    """True if the one other name in the list is surely a person's, one the model called a person that opens
    with a known given name or follows a title ('Ana Vidal and Tomas Rey', 'President Okan and Tesk Maro'),
    and `span` reads as one person's name: no plural, nationality or group, known place, head of an
    organisation's name or article before it ('Ana Vidal and the Tarvik Harbour Board', 'President Okan and
    Congress', 'the head of the United Nations and Ana Vidal')."""
    doc = span.doc
    if any(t.tag_ == "NNPS" or t.lower_ in _organisation_heads() or t.ent_type_ == "NORP" for t in span) or (
            span.text in _place_names() or span.start and doc[span.start - 1].lower_ == "the"):
        return False
    for token in members:
        if token.ent_type_ != PERSON or span.start <= token.i < span.end:
            continue
        start = token.i
        while start and doc[start].ent_iob_ == "I":  # back to the first word of the name it is in
            start -= 1
        if is_given_name(doc[start].text) or start and is_title(doc[start - 1].text):
            return True
    return False


def _is_person_noun(token) -> bool:
    """A common noun for a person: a role, a family word, or a noun whose first sense in WordNet is a person."""
    lemma = token.lemma_.lower()
    return token.pos_ == "NOUN" and token.text[:1].islower() and (
        lemma in word_set("person_roles.txt") or lemma in word_set("kinship_nouns.txt")
        or lemma in word_set("person_nouns.txt"))


def _capitalised_role(token) -> bool:
    """True for a role or person noun written with a capital only because it opens the sentence ('Blogger
    Ana Vidal wrote') or follows a nationality ('Tarvian Pilot Odel Marsk'): the small model then tags
    it a proper noun, which `_is_person_noun` does not read."""
    lemma = token.lower_
    if not (token.text[:1].isupper() and token.text[1:2].islower()) or not (
            lemma in word_set("person_roles.txt") or lemma in word_set("person_nouns.txt")):
        return False
    return _marks_a_name(token) and (token.is_sent_start or token.i > 0 and token.doc[token.i - 1].ent_type_ == "NORP")


def _marks_a_name(token) -> bool:
    """True if the parser hangs a capitalised role word on a proper noun after it that is no modifier itself: the
    name the role marks ('Blogger Ana Vidal wrote'), not an adjective or a role of a noun further on ('Veteran
    Harbour Board pilot Ana Vidal', 'Sensitive Tarvian papers', 'Super Gull ex-captain Ana Vidal')."""
    if token.dep_ != "compound" or token.head.i < token.i or token.head.pos_ != "PROPN":
        return False
    last = token.head  # the last word of the proper nouns the role word opens
    while last.dep_ == "compound" and last.head.i > last.i and last.head.pos_ == "PROPN":
        last = last.head
    return not (last.dep_ in {"compound", "nmod", "amod"} and last.head.pos_ == "NOUN")


def _second_word_of_a_title(word: Token, span: Span) -> bool:
    """True for 'general' in 'director general Adeyemi's plan': the parser hangs it on the noun the name owns, but
    after a title or role word it is the second word of the name's title (not 'major Norvale-Tech's board')."""
    before = word.nbor(-1) if word.i else None
    return span[-1].dep_ == "poss" and before is not None and (is_title(before.text) or _is_person_noun(before))


def _names_a_family(doc: Doc, start: int, end: int) -> bool:
    """True for one name right before a word of `FAMILY_NOUNS`: 'the Vanderbilt family', 'the Kohail brothers',
    'a Kim family DNA sample' name a family, not one person of it. Not a possessive ('Kohail's brother, Sultan')
    nor a longer name; a hyphenated one counts as one ('the Whitfield-Osei family')."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not all(t.text in HYPHENS for t in list(span)[1::2]):
        return False
    return span.end < len(doc) and doc[span.end].lower_ in FAMILY_NOUNS


def _is_capitalised_propn(token) -> bool:
    return token.pos_ == "PROPN" and token.text[:1].isupper() and token.text[1:2].islower()


# abbreviated titles that are words or names of their own without the dot: 'Gov Ball', 'Rep Theatre', 'Gen Z'
WORDS_BUT_FOR_THE_DOT = frozenset({"gov", "sen", "rep", "gen", "ret", "col", "adm", "const", "brig", "rev"})


def _after_role(token) -> bool:
    """True after a person's role word or title: 'president Thabo Mbeki', 'opposition figure Ksenia Sobchak',
    also one written with a capital at a sentence's start or after a nationality (`_capitalised_role`), and an
    abbreviated title, with or without its dot ('Cllr Babatunde Ogunleye'; not one that is a word without it, 'the
    Gov Ball festival'), before a word that is no title ('Ms Justice Ana Lee' is a judge)."""
    if not token.i:
        return False
    before = token.doc[token.i - 1]
    if (before.text[:1].isupper() and is_abbreviated_title(before.text + ".") and not is_title(token.text)
            and (before.text.endswith(".") or before.lower_ not in WORDS_BUT_FOR_THE_DOT)):
        return True
    return before.text[:1].islower() and before.pos_ == "NOUN" and (
        before.lemma_.lower() in word_set("person_roles.txt") or is_title(before.text)) or _capitalised_role(before)


def _after_titled_place(token, surname) -> bool:
    """True for two capitalised words right after a title's 'of', 'from' or 'for' and the place or portfolio
    it names, of one or two words, with or without 'the', which the model often runs into one organisation or
    place with the name or leaves untagged: 'Senator from Norland Ana Ruiz said', 'Prime Minister of Tarvia
    Odel Marsk wrote', 'Minister of the Interior Arvo Dessel', 'Commissioner for Human Rights Navo Pellay'.
    Not the end of an organisation's name ('the president of Harvard Medical School', 'head of Tarvia Central
    Bank'), nor a plural ('minister for East African Affairs')."""
    if token.i < 3 or {token.lower_, surname.lower_} & _organisation_heads() or "NNPS" in {token.tag_, surname.tag_}:
        return False
    doc = token.doc
    i = token.i - 1
    words = 0
    while i > 0 and words < 2 and _is_capitalised_propn(doc[i]) and doc[i].lower_ not in _organisation_heads():
        i, words = i - 1, words + 1
    if not words:
        return False
    if doc[i].lower_ == "the":  # 'Minister of the Interior Ana Ruiz'
        i -= 1
    return i > 0 and doc[i].lower_ in {"of", "from", "for"} and is_title(doc[i - 1].text)


@functools.cache
def _organisation_heads() -> frozenset[str]:
    """Lower-case last words of the names of organisations and places: the nouns that refer back to an
    organisation (organisation_nouns.tsv), masthead words (outlet_words.txt) and other common heads
    (name_heads.txt)."""
    return _place_heads() | {w.lower() for w in _outlet_words()}


# Last words of the names of places and prizes named for a person, beside the heads of `_place_heads`:
# 'Amelia Okoro International' (not in name_heads.txt, where 'Minister of International Relations' would lose its
# minister)
NAMED_FOR_HEADS = frozenset({"international", "memorial"})


def _named_by_context(span: Span) -> bool:
    """True if the words beside two capitalised words the model left untagged make them a person's whole
    name, as `_person_context` reads a name the model labelled: 'Odel Marsk, the harbour master, said',
    'an attendee Odel Marsk said'. Not the end of a longer name, written or tagged ('Jon Erik Varno',
    'Ana R. Ruiz Lenz', 'North and South America'), nor a role or title before a surname ('Democrat Ruiz,
    a minister', 'Mr Ruiz')."""
    before = span.doc[span.start - 1] if span.start else None
    if span[0].ent_iob_ == "I" or before is not None and before.pos_ == "PROPN" and before.text[:1].isupper():
        return False
    first = span[0].lower_
    if first in word_set("person_nouns.txt") or first in word_set("person_roles.txt") or is_title(span[0].text):
        return False
    return _person_context(span.doc, span)


def _three_word_names(doc: Doc, mentions: list[Mention]) -> list[int]:
    """Where a full name of three capitalised proper nouns starts that the model left untagged, though it tags
    the second word as a person elsewhere, or the third after a known given name: news gives a person's whole
    name once ('Tomas Rey Okan', 'Ana Maria Lenz') and goes on with a surname the model knows ('Rey said',
    'Lenz wrote'); a place before a name ('Rio Vale Tomas Okan') has no given name first. The three
    words stand alone (no capitalised proper noun right before or after, a title before them aside) and none
    is a title, a place or an organisation's head word ('Harbour Authority Okan')."""
    known = {m.text.split()[-1] for m in mentions if m.label == PERSON}
    starts = []
    for token in doc[1:-2]:
        words = doc[token.i:token.i + 3]
        before, after = doc[token.i - 1], doc[token.i + 3] if token.i + 3 < len(doc) else None
        if not all(_is_capitalised_propn(w) and not w.ent_type_ for w in words) or not (
                words[1].text in known or (is_given_name(words[0].text) and strip_possessive(words[2].text) in known)):
            continue
        if (_is_capitalised_propn(before) and not is_title(before.text)) or (
                after is not None and _is_capitalised_propn(after)):
            continue
        if any(is_title(w.text) or w.text in _place_names() or w.lower_ in _organisation_heads() for w in words):
            continue
        starts.append(token.i)
    return starts


def _past_particles(doc: Doc, i: int) -> int:
    """The index of the first word at or after `i` that is no lower-case name particle, at most two of them
    ('de', 'van der'): where the surname of 'Maarten de Vries' or 'Pieter van der Linden' starts."""
    end = i
    while end < min(len(doc), i + 2) and doc[end].text in word_set("name_particles.txt", lower=False):
        end += 1
    return end


def _only_roles(span: Span) -> bool:
    """True for words that only describe the person whose name follows them, no name of their own: 'Driver' or
    'Nurse' left of 'Driver Emeka Okonkwo', which the model tagged an organisation, once the name is cut off."""
    words = [t for t in span if t.is_alpha]
    return bool(words) and all(is_title(t.text) or any(t.lower_ in word_set(nouns) for nouns in (
        "person_roles.txt", "person_nouns.txt", "kinship_nouns.txt")) for t in words)


def _one_name_after_role(token) -> bool:
    """True for one capitalised word the model left untagged right after a role word or title, with no
    other name after it: the one name a person goes by ('Brazil's coach Tavo said', 'Pilot Odel and his
    crew'). Not a title, a known place or the head of an organisation's name."""
    doc = token.doc
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (_is_capitalised_propn(token) and not token.ent_type_ and token.tag_ != "NNPS" and _after_role(token)
            and not is_title(token.text) and token.lower_ not in _organisation_heads()
            and strip_possessive(token.text) not in _place_names()
            and not (after is not None and (_is_capitalised_propn(after) or after.text in HYPHENS)))


def _regnal_name(token, number) -> bool:
    """True for a given name and a monarch's ordinal, 'Queen Sofia II', 'King Tomas IV': the ordinals of
    `name_suffixes.txt` that are Roman numerals, which the person's name keeps."""
    return number.text in _roman_ordinals() and is_given_name(token.text) and _is_capitalised_propn(token)


HYPHENS = frozenset({"-", "‐"})


def _over_hyphens(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """The tokens `first` to `last` of a name, run on over the capitalised names a hyphen joins to either end:
    'Anna Berg' in 'Anna Berg-Lund said' is Anna Berg-Lund, and 'Per Olsen' in 'Lars-Per Olsen' is Lars-Per
    Olsen. The tokenizer splits a hyphenated name into three tokens, and a pair of words read as a given name
    and a surname may take only one of them. Not a lower-case prefix or suffix ('anti-Berg', 'Berg-era')."""
    def name_word(i: int) -> bool:
        return 0 <= i < len(doc) and doc[i].is_alpha and _is_capitalised_propn(doc[i])

    def hyphen(i: int) -> bool:  # a hyphen with no space on either side
        return 0 < i < len(doc) and doc[i].text in HYPHENS and not doc[i - 1].whitespace_ and not doc[i].whitespace_

    while hyphen(last + 1) and name_word(last + 2):
        last += 2
    while hyphen(first - 1) and name_word(first - 2):
        first -= 2
    return first, last


@functools.cache
def _roman_ordinals() -> frozenset[str]:
    return frozenset(w for w in word_list("name_suffixes.txt") if set(w) <= set("IVXL"))


def recovered_people(doc: Doc, mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Find 'Given Surname' pairs the model did not label as a person: a known given name, any
    capitalised pair right after a role word or title, or one the words beside it make a person's
    (`_named_by_context`); a single untagged name right after a role word (`_one_name_after_role`); and an
    untagged name of three words holding a surname the model tags elsewhere (`_three_word_names`).

    Returns the new person mentions and the other mentions, with any
    non-person span that ended in such a name cut short before it
    ("the European Parliament Witold W." -> "European Parliament").
    """
    text = doc_text(doc)
    people = SpanIndex([(m.start, m.end, m) for m in mentions if m.label == PERSON]
                       + [(start, end, None) for start, end in byline_spans(text)])
    others = SpanIndex((m.start, m.end, m) for m in mentions if m.label != PERSON)
    found: list[Mention] = []
    dropped: set[Mention] = set()
    trimmed: list[Mention] = []
    in_three: set[int] = set()
    threes: list[Mention] = []
    for first in _three_word_names(doc, mentions):
        start, end = doc[first].idx, doc[first + 2].idx + len(strip_possessive(doc[first + 2].text))
        if not people.overlapping(start, end) and not others.overlapping(start, end):
            threes.append(Mention(text[start:end], start, end, PERSON))
            in_three |= {first, first + 1, first + 2}
    for token in doc[:-1]:
        if token.i in in_three:
            continue
        at = _past_particles(doc, token.i + 1)  # 'Maarten de Vries': the surname after its particles
        surname = doc[at] if at < len(doc) else doc[token.i + 1]
        after = doc[at + 1] if at + 1 < len(doc) else None
        if not (_is_capitalised_propn(token) and _is_capitalised_propn(surname) and (
                is_given_name(token.text) or _after_role(token) or _named_by_context(doc[token.i:at + 1])
                or _after_titled_place(token, surname))
                ) and not _regnal_name(token, surname):
            continue
        if is_title(surname.text) or _title_or_group(doc[token.i:at + 1]) or (
                after is not None and _is_capitalised_propn(after)):
            continue
        first, last = _over_hyphens(doc, token.i, at)
        start, end = doc[first].idx, doc[last].idx + len(strip_possessive(doc[last].text))
        if people.overlapping(start, end) or (found and found[-1].end > start):
            continue
        hosts = [m for _, _, m in others.overlapping(start, end)]
        if any(h.end > end + 1 for h in hosts):
            continue  # inside a longer name such as "Johns Hopkins University"
        if at > token.i + 1 and (text[start:end] in _place_names() or any(h.label != "ORG" for h in hosts)
                                 or first and doc[first - 1].lower_ in PLACE_PREPOSITIONS | ROUTE_PREPOSITIONS):
            continue  # 'Rio de Janeiro', 'via Santiago de Compostela', 'at Charles de Gaulle': a place
        for host in hosts:
            dropped.add(host)
            rest = doc.char_span(host.start, start, alignment_mode="contract")
            cut = _clean_span(rest, host.label) if rest is not None and len(rest) and not _only_roles(rest) else None
            if cut:
                trimmed.append(cut)
        found.append(Mention(text[start:end], start, end, PERSON))
    for token in doc[1:]:
        if _one_name_after_role(token) and not people.overlapping(token.idx, token.idx + len(token)) and not (
                others.overlapping(token.idx, token.idx + len(token))):
            word = strip_possessive(token.text)
            found.append(Mention(word, token.idx, token.idx + len(word), PERSON))
    found = sorted(found + threes, key=lambda m: m.start)
    kept = [m for m in mentions if m.label != PERSON and m not in dropped] + trimmed
    return found, sorted(kept, key=lambda m: m.start)


# --- 3. people --------------------------------------------------------------------------


@dataclass
class _PersonDraft:
    """A person being assembled: full-name mentions first, then bare surnames."""

    given: str
    surname: str
    mentions: list[Mention] = field(default_factory=list)

    def names(self) -> set[str]:
        return {m.text for m in self.mentions}


class _People:
    """The people drafted so far, found by the parts of their names.

    Every rule that gives a name to a drafted person needs the two to share a part: the surname's spelling
    family or a slip of it (`names.family_keys`, `names.slip_keys`), a half of a hyphenated surname, the given
    name (for a name of one word), or words of one of the person's names (`_written_parts`).
    `related(name)` returns the drafts that share any part with `name`, in the order they were drafted, and
    the rules choose among those as they would among all drafts. A text that names thousands of people then
    compares each name with the few people it could be, not with every person in the text.
    """

    def __init__(self, drafts: Iterable[_PersonDraft] = ()) -> None:
        self.drafts: list[_PersonDraft] = []
        self._by_part: defaultdict[tuple[str, str], dict[int, _PersonDraft]] = defaultdict(dict)
        self._numbers: dict[int, int] = {}  # id(draft) -> its place in `drafts`
        for draft in drafts:
            self.add(draft)

    def add(self, draft: _PersonDraft) -> None:
        number = self._numbers[id(draft)] = len(self.drafts)
        self.drafts.append(draft)
        for part in _surname_parts(draft.surname) | _given_parts(draft.given):
            self._by_part[part][number] = draft
        for name in draft.names():
            self._index_name(number, name)

    def add_mention(self, draft: _PersonDraft, mention: Mention) -> None:
        draft.mentions.append(mention)
        self._index_name(self._numbers[id(draft)], mention.text)

    def _index_name(self, number: int, name: str) -> None:
        for part in _written_parts(name):
            self._by_part[part][number] = self.drafts[number]

    def related(self, name: str) -> list[_PersonDraft]:
        """The drafts that share a part with `name` (a full name or one word), in the order they were drafted."""
        surname = first_and_last(name)[1]
        parts = _written_parts(name) | _surname_parts(surname) | {("middle", surname)}
        if len(name.split()) == 1:  # a full name meets a given name only in a draft's surname or a slip of it
            parts |= _given_parts(name)
        found: dict[int, _PersonDraft] = {}
        for part in parts:
            found.update(self._by_part.get(part, {}))
        return [found[number] for number in sorted(found)]


def _surname_parts(surname: str) -> set[tuple[str, str]]:
    return ({("family", key) for key in family_keys(surname)} | {("slip", key) for key in slip_keys(surname)}
            | {("half", half) for half in surname.split("-")})


def _given_parts(given: str) -> set[tuple[str, str]]:
    return {("given", given), ("given letters", ascii_letters(given))} if given else set()


def _written_parts(name: str) -> set[tuple[str, str]]:
    """The whole name, with and without hyphens; the first two words (`_begins_the_name`) and the last two in
    lower case (`_surname_with_particle`) of a longer name; the middle of three (`_first_surname_owner`)."""
    words = name.split()
    parts = {("name", name), ("hyphens", _hyphen_key(name))}
    if len(words) > 1:
        parts |= {("first two", " ".join(words[:2])), ("last two", " ".join(words[-2:]).lower())}
    return parts | ({("middle", words[1])} if len(words) == 3 else set())


def _matches_surname(draft: _PersonDraft, word: str) -> bool:
    return same_spelling_family(draft.surname, word)


def _surname_with_particle(draft: _PersonDraft, name: str) -> bool:
    """True if `name` is the surname of one of the draft's full names with the particle written before it,
    without the given name, or the other way round: 'Van Dorn' or 'van Dorn' for Ilse van Dorn, 'Bin Saleh' for
    Omar Ali bin Saleh. The full name writes the particle in lower case ('van', 'de', 'bin'); news capitalises
    it where the surname opens a sentence or stands without the given name."""
    def particle_form(short: list[str], full: list[str]) -> bool:
        return (1 < len(short) < len(full) and full[-len(short)][:1].islower()
                and [w.lower() for w in short] == [w.lower() for w in full[-len(short):]])
    return _shorter_form(draft, name, particle_form)


def _double_surname(draft: _PersonDraft, name: str) -> bool:
    """True if `name` is the two surnames that end one of the draft's longer names, without the given name:
    'Gómez Salinas' for Adriana Gómez Salinas, as Spanish names are shortened. Not when its first word is a known
    given name ('Maria Lenz' is not Ana Maria Lenz), nor when the longer name has a word no name has ('Vi i
    Vänsterpartiet Malmö' and 'FREEDOM FAST- Alok Dixit', which the model tagged a person)."""
    def surnames(short: list[str], full: list[str]) -> bool:
        return (len(short) == 2 and len(full) > 2 and short == full[-2:] and not is_given_name(short[0])
                and all(w[:1].isupper() and not w.endswith("-") or w in word_set("name_particles.txt") for w in full))

    return _shorter_form(draft, name, surnames)


def _shorter_form(draft: _PersonDraft, name: str, fits) -> bool:
    """True if `fits(short, full)` holds for the words of `name` and of one of the draft's names, whichever of
    the two is the shorter form of the other."""
    words = name.split()
    return any(fits(words, other.split()) or fits(other.split(), words) for other in draft.names())


def _same_name_but_hyphens(draft: _PersonDraft, name: str) -> bool:
    """'Kim Jong Un' and 'Kim Jong-Un': one name, written with and without a hyphen."""
    key = _hyphen_key(name)
    return any(_hyphen_key(other) == key for other in draft.names())


def _hyphen_key(name: str) -> str:
    return re.sub(r"[\s‐-]+", " ", name).lower()


def _same_given_name(draft: _PersonDraft, word: str) -> bool:
    """True if `word` is the draft's given name, written with or without its accents and special letters:
    'Pınar' or 'Pinar' alone for Pinar Okan ('Jose' for José, 'Lukasz' for Łukasz)."""
    return bool(draft.given) and (draft.given == word or ascii_letters(draft.given) == ascii_letters(word) != "")


def _begins_the_name(draft: _PersonDraft, name: str) -> bool:
    """True if `name`, two names or more, is the start of one of the draft's longer names, or the other way
    round: the model or the writer leaves off a second surname ('Ana Ruiz' for Ana Ruiz Lenz, 'Tomas Rey'
    for Tomas Rey Okan)."""
    def begins(short: list[str], full: list[str]) -> bool:
        return 1 < len(short) < len(full) and full[:len(short)] == short
    return _shorter_form(draft, name, begins)


def _misspelled_surname_owner(drafts: list[_PersonDraft], word: str) -> _PersonDraft | None:
    """The one person whose surname `word` misspells by a slip of the pen, if there is only one; never
    for a known place's name ('Paris' beside Anna Parris) nor a month's or a weekday's ('March' beside Peter
    Marsh, 'Monday' beside Ana Monda)."""
    if word in _place_names() or word in _CALENDAR_NAMES:
        return None
    fits = [d for d in drafts if one_slip_apart(d.surname, word)]
    return fits[0] if len(fits) == 1 else None


def _hyphen_half_owner(drafts: list[_PersonDraft], word: str) -> _PersonDraft | None:
    """The one person whose hyphenated surname has `word` as one of its halves, if there is only one: news
    that has named Ana Berg-Lund in full may go on with 'Berg' or 'Lund' alone, and with 'Rashid' for Nabil
    al-Rashid (the Arabic article). Callers ask only where no person's surname is `word` itself (Tomas Berg
    beside Ana Berg-Lund keeps 'Berg')."""
    fits = [d for d in drafts if "-" in d.surname and word in d.surname.split("-")]
    return fits[0] if len(fits) == 1 and word[:1].isupper() and len(word) > 2 else None


def _first_surname_owner(drafts: list[_PersonDraft], word: str) -> _PersonDraft | None:
    """The one person whose full name of three words has `word` in the middle, if there is only one and it
    is no known given name: Spanish and Portuguese names carry two surnames, and news goes on with the first
    alone ('Ruiz' for Ana Ruiz Lenz, 'Rey' for Tomas Rey Okan), while a middle
    given name is not a name to call someone by ('Ana Maria Lenz' is not 'Maria')."""
    if is_given_name(word):
        return None
    fits = [d for d in drafts if any(len(n.split()) == 3 and n.split()[1] == word for n in d.names())]
    return fits[0] if len(fits) == 1 else None


def _other_generation(draft: _PersonDraft, name: str) -> bool:
    """True if a full name and a drafted person's name end in different generational suffixes: Robert Haines Sr.
    and Robert Haines Jr. are father and son, though 'Robert Haines' may be either."""
    suffix = generational_suffix(name)
    return bool(suffix) and any(generational_suffix(n) not in {"", suffix} for n in draft.names())


def _introduced_first(drafts: list[_PersonDraft], at: int) -> _PersonDraft | None:
    """Of several people who share a surname, the one a bare surname at offset `at` means: the one the text
    named first, before it. News calls the person it is about by the surname alone and the others who share
    it by their full names ('Elijah Cummings ... his parents, Robert Cummings Sr. and Ruth Elma Cummings ...
    Cummings was elected'). None if none of them was named before."""
    before = [d for d in drafts if d.mentions[0].start < at]
    return min(before, key=lambda d: d.mentions[0].start, default=None)


def _shared_surnames(text: str, mentions: list[Mention]) -> list[Mention]:
    """The person mentions, with a given name alone that 'and' joins to a full name read as sharing its
    surname: 'Jana and Pavel Horak' names Jana Horak and Pavel Horak, as 'Ana and Tomas Rey' names two
    Reys. Only a known given name that is no person's surname in the text ('Ross and Nick Tarvo', with a
    Mr Ross) and is written nowhere else in it ('Mona and David Lenz', where Mona is a singer's whole name)."""
    surnames = {first_and_last(m.text)[1] for m in mentions if len(m.text.split()) > 1}
    by_start = {m.start: m for m in mentions}
    result = []
    for mention in mentions:
        after = text[mention.end:mention.end + 5]
        full = by_start.get(mention.end + 5) if after == " and " else None
        words = full.text.split() if full is not None else []
        if (full is not None and len(words) == 2 and is_given_name(words[0]) and is_given_name(mention.text)
                and mention.text not in surnames and len(re.findall(rf"\b{re.escape(mention.text)}\b", text)) == 1):
            mention = Mention(f"{mention.text} {words[1]}", mention.start, mention.end, mention.label, mention.title)
        result.append(mention)
    return result


def _one_name_in_two(text: str, mentions: list[Mention]) -> list[Mention]:
    """The person mentions, with two that only a space or particles part joined into one name: the model cuts a
    long name in two ('Ana Maria' + 'Ruiz Lenz' for Ana Maria Ruiz Lenz, 'Omar al-Hadi' + 'Ben Saleh', 'Pieter van'
    + 'Berg' for Pieter van den Berg). Only
    where the first is two names or more, or a known given name before a full name, and no word of either
    is a title ('Harbour Mayor Ana Ruiz')."""
    ordered = sorted(mentions, key=lambda m: m.start)
    result: list[Mention] = []
    for mention in ordered:
        last = result[-1] if result else None
        between = text[last.end:mention.start].split(" ") if last is not None else []  # 'Pieter van' den 'Berg'
        particles = between[1:-1]
        if (last is not None and len(between) > 1 and not between[0] and not between[-1]
                and (not particles or _particles_go_on(last, particles, mention))
                and _parts_of_one_name(last, Mention(" ".join(particles + [mention.text]), 0, 0, PERSON))):
            result[-1] = Mention(text[last.start:mention.end], last.start, mention.end, PERSON, last.title)
        else:
            result.append(mention)
    return result


def _particles_go_on(first: Mention, particles: list[str], second: Mention) -> bool:
    """True if the particles between two person mentions go on a name the first ends in a particle of its own
    ('Pieter van' den 'Berg'), or one particle that joins given names to a family name ('João Batista' dos
    'Santos'), before a surname of one word; not 'Ana Lee' do 'Ivo Kral', 'Ana Torres' y 'Marta Ruiz'."""
    last_word = first.text.split()[-1]
    if len(second.text.split()) != 1 or not all(p in word_set("name_particles.txt") for p in particles):
        return False
    return last_word in word_set("name_particles.txt") or len(particles) == 1 and particles[0] in JOINING_PARTICLES


# particles that join given names to a family name, and are no words of English or of a list ('y', 'e', 'do')
JOINING_PARTICLES = frozenset({"dos", "das", "de", "del", "della", "van", "von", "der", "den", "du"})


def _parts_of_one_name(first: Mention, second: Mention) -> bool:
    """True if two person mentions side by side read as one name (see `_one_name_in_two`)."""
    words = first.text.split() + second.text.split()

    def name_word(word: str) -> bool:
        return word[:1].isupper() or bool(re.match(r"[a-z]{1,3}-[A-Z]", word))

    # a particle may stand inside the name, not end it: 'Pieter van der' + 'Linden'
    if (not all(name_word(w) or w in word_set("name_particles.txt") for w in words[:-1])
            or not name_word(words[-1]) or any(is_title(w) for w in words)):
        return False
    romanised = ROMANISED_GIVEN_NAME.fullmatch(first.text) is not None and len(second.text.split()) == 1
    return len(first.text.split()) > 1 or (is_given_name(first.text) and len(second.text.split()) > 1) or romanised


def cluster_people(person_mentions: list[Mention], aliases: Aliases) -> list[_PersonDraft]:
    """Group person mentions: full names by (given name, surname), then bare names.

    A bare surname that fits more than one person goes to the one spelled exactly so,
    then to the one the text named first (`_introduced_first`).
    """
    people = _People()
    for mention in sorted(person_mentions, key=lambda m: m.start):
        given, surname = first_and_last(mention.text)
        if not given:
            continue
        related = people.related(mention.text)
        # two surnames alone name the one person whose full name ends so, never one of two siblings
        doubled = [d for d in related if _double_surname(d, mention.text)]
        # a full name written before is first the person's named so: 'Kim Jong Un' is not Kim Jong Nam's, though
        # the model cut one of Kim Jong Nam's mentions to 'Kim Jong', which begins both names
        for draft in sorted(related, key=lambda d: mention.text not in d.names()):
            if (
                (_matches_surname(draft, surname) and compatible_given_names(draft.given, given)
                 or _same_name_but_hyphens(draft, mention.text)
                 or _surname_with_particle(draft, mention.text) and (  # not Maarten de Vries for Jan-Willem's
                     {draft.given.lower(), given.lower()} & word_set("name_particles.txt")
                     or compatible_given_names(draft.given, given))
                 or doubled == [draft]
                 or _begins_the_name(draft, mention.text)
                 or draft.given == given and one_slip_apart(draft.surname, surname))
                and not aliases.forbids(draft.names(), {mention.text})
                and not _other_generation(draft, mention.text)
            ):
                people.add_mention(draft, mention)
                break
        else:
            people.add(_PersonDraft(given, surname, [mention]))

    for mention in sorted(person_mentions, key=lambda m: m.start):
        if first_and_last(mention.text)[0]:
            continue
        related = people.related(mention.text)
        candidates = [
            d for d in related
            if (_matches_surname(d, mention.text) or _same_given_name(d, mention.text))
            and not aliases.forbids(d.names(), {mention.text})
        ]
        if not candidates:  # 'Demriel' for the Demirel named before
            slip = (_misspelled_surname_owner(related, mention.text) or _hyphen_half_owner(related, mention.text)
                    or _first_surname_owner(related, mention.text))
            candidates = [slip] if slip and not aliases.forbids(slip.names(), {mention.text}) else []
        if len(candidates) > 1:
            candidates = [d for d in candidates if d.surname == mention.text] or candidates
            candidates = [_introduced_first(candidates, mention.start) or candidates[0]]
        if candidates:
            people.add_mention(candidates[0], mention)
        else:
            people.add(_PersonDraft("", mention.text, [mention]))
    return people.drafts


# --- 4. labels from evidence -------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    return frozenset(row[0] for row in table("places.tsv"))


@functools.lru_cache(maxsize=1)
def _bare_place_names() -> frozenset[str]:
    """What a place is called when a would-be person is only ever called that: any one-word spelling of a place
    (Kiev), and the name of several words a place goes by (Buenos Aires, Sierra Leone), but not another
    language's spelling of several words, which may be a person's name ('Kai Feng' for Kaifeng)."""
    return frozenset(spelling for spelling, name, kind in checked_table("places.tsv", 3)
                     if kind != "town" and (len(spelling.split()) == 1 or spelling == name))


@functools.lru_cache(maxsize=1)
def _town_names() -> frozenset[str]:
    """The names of smaller cities, listed by their own names only ('Glasgow', 'Matsuyama'): many are also
    people's names that the name lists miss."""
    return frozenset(row[0] for row in checked_table("places.tsv", 3) if row[2] == "town") - _bare_place_names()


def _is_bare_place(draft: _PersonDraft) -> bool:
    """A 'person' only ever called by a place's name, without a title (Kiev, Buenos Aires)."""
    return all(not m.title and m.text in _bare_place_names() for m in draft.mentions)


def _is_bare_town(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever called by a smaller city's name or a place's, that never acts as a person: no mention
    is a subject, nor has a title, role or apposition that makes it a person's ('Trains to Glasgow were
    cancelled'; not 'Matsuyama said', 'Judoka Adachi won', 'met Chiba, the trade negotiator')."""
    names = _bare_place_names() | _town_names()
    if not any(m.text in _town_names() for m in draft.mentions) or not all(
            not m.title and m.text in names for m in draft.mentions):
        return False
    return not _acts_as_person(doc, draft)


def _acts_as_person(doc: Doc, draft: _PersonDraft, verbs: frozenset[str] | None = None) -> bool:
    """True when a title, role or apposition beside a mention makes it a person's, or a mention is the subject of a
    verb (of one of `verbs`, when given)."""
    for mention in draft.mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or _person_context(doc, span):
            return True
        if span.root.dep_ in {"nsubj", "nsubjpass"} and (verbs is None or span.root.head.lemma_.lower() in verbs):
            return True
    return False


def _storm_names(text: str) -> frozenset[str]:
    """The names a text about the weather (data/weather_words.txt) writes after a storm word ('Hurricane Humberto',
    'Cyclone Idai'; data/storm_words.txt); after 'Storm' only a given name ('Storm Ingrid', not the actress 'Storm
    Reid'). None in a text with no weather in it ('Hurricane Higgins won the world title')."""
    if word_set("weather_words.txt").isdisjoint(re.findall(r"[a-z/]+", text.lower())):
        return frozenset()
    words = "|".join(word_set("storm_words.txt", lower=False))
    return frozenset(name for word, name in re.findall(rf"\b({words}) ([^\W\d_][\w'’-]*)", text)
                     if word != "Storm" or is_given_name(name))


def _names_a_storm(doc: Doc, draft: _PersonDraft, storms: frozenset[str]) -> bool:
    """A 'person' whose one name is a storm's (`_storm_names`: 'Hurricane Humberto ... Humberto hovered'). Not a
    person with another given name ('Humberto Prado'), nor one that speaks or that a title, role or apposition makes
    a person ('Storm Hunter ... Hunter said', 'the boxer Hurricane Carter')."""
    if draft.surname not in storms or draft.given and draft.given not in word_set("storm_words.txt", lower=False):
        return False
    return not _acts_as_person(doc, draft, _speech_verbs())


def _stands_alone(token) -> bool:
    """True if `token` is a word of its own, not part of a longer name ('Rashidi' in 'Rashidi Yekini
    1963-2012') or of a hyphenated word ('i-Nick', 'Boston-based')."""
    doc = token.doc
    before = doc[token.i - 1] if token.i else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if after is not None and not token.whitespace_ and after.text in {"-", "‐", "–"}:
        return False  # 'Boston-based'
    return (before is None or bool(before.whitespace_) or before.is_space or before.is_quote
            or before.text in {"(", "["}) and (after is None or not (after.text[:1].isupper() and after.is_alpha))


def _person_as_often(doc: Doc, draft: _PersonDraft, elsewhere: list[Mention]) -> bool:
    """True if the model calls a one-word name a person more often than anything else, or as often when
    the word is no known place and is never written as a place is, after 'in', 'at', 'from' or before a
    comma and a place: 'Tarvo' tagged a person once and a country once is the player ('Tarvo scored ...
    a cross by Tarvo'), while 'Norla' in 'the state of Norla, India' stays a place. `elsewhere`: the
    mentions with another label written exactly as the name."""
    if len(draft.mentions) != len(elsewhere):
        return len(draft.mentions) > len(elsewhere)
    return draft.surname not in _place_names() and not any(_written_as_place(doc, m) for m in elsewhere)


def _written_as_place(doc: Doc, mention: Mention) -> bool:
    """True for a name after a place preposition ('in Norla') or followed by a comma and a place ('Norla, India')."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    if span.start and doc[span.start - 1].lower_ in PLACE_PREPOSITIONS:
        return True
    return span.end + 1 < len(doc) and doc[span.end].text == "," and doc[span.end + 1].ent_type_ == "GPE"


def _absorb_surnames(doc: Doc, drafts: list[_PersonDraft], others: list[Mention]) -> list[Mention]:
    """Move other-labelled spans and unlabelled words that are a known person's surname, and
    other-labelled spans written exactly as a known person's full name; not a surname that names a
    family (`_names_a_family`: 'the Marsk brothers').

    Only people introduced by a full name qualify, so a lone word never
    attracts spans to itself; and no word of a byline or credit line is anyone's mention ('Reporting by Phuong
    Nguyen' after Nguyen Thi Lien Huong).
    """
    people = _People(drafts)
    whole = doc_text(doc)

    def owner(word: str, at: int, given: bool = False) -> _PersonDraft | None:
        named = [d for d in people.related(word) if d.given]
        fits = [d for d in named if _matches_surname(d, word)]
        if len(fits) > 1 or word in _place_names():  # 'Soleimani' is Qasem Soleimani's, not Shahid Soleymani's;
            fits = [d for d in fits if d.surname == word]  # 'Paris' is Paris, not Anna Parris
        if not fits and (given or word in word_set("surname_first.txt", lower=False)):
            fits = [d for d in named if d.given == word]  # 'Binyam' for Binyam Mohamed, 'Kim' for Kim Jong Un
        if not fits:
            # 'Saree' for Yahya Sarea; 'Lund' alone for Ana Berg-Lund, 'Ruiz' alone for Ana Ruiz Lenz
            return _misspelled_surname_owner(named, word) or (
                _hyphen_half_owner(named, word) or _first_surname_owner(named, word) if given else None)
        return fits[0] if len(fits) == 1 else _introduced_first(fits, at)

    def full_name_owner(text: str) -> _PersonDraft | None:
        # a full name the model once called a place, or a surname with its particle ('De Vries said')
        fits = [d for d in people.related(text) if d.given and (text in d.names() or _surname_with_particle(d, text))]
        return fits[0] if len(fits) == 1 else None

    # a one-word name the model calls a person more often than anything else ('Akihito'): its other labels are slips
    others_by_name: defaultdict[str, list[Mention]] = defaultdict(list)
    for mention in others:
        others_by_name[mention.text].append(mention)
    known_alone = {d.surname: d for d in drafts
                   if not d.given and _person_as_often(doc, d, others_by_name[d.surname])}
    kept = []
    draft: _PersonDraft | None
    for mention in others:
        if _names_a_family(doc, mention.start, mention.end):
            kept.append(mention)
            continue
        hyphenated = _hyphenated_surname(doc, mention, owner)
        if hyphenated is not None:  # 'Nwosu-Ferreira conceded': the model may tag the first half alone
            people.add_mention(*hyphenated)
            continue
        if mention.text in known_alone:
            draft = known_alone[mention.text]
        elif len(mention.text.split()) > 1:
            draft = full_name_owner(mention.text)
        else:  # a given name alone the model called a place ('Binyam had ...') is the person's
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            draft = owner(mention.text, mention.start,
                          given=span is not None and len(span) == 1 and _stands_alone(span[0]))
        if draft:
            people.add_mention(draft, Mention(mention.text, mention.start, mention.end, mention.label))
        else:
            kept.append(mention)

    covered = SpanIndex([(m.start, m.end, None) for d in drafts for m in d.mentions]
                        + [(m.start, m.end, None) for m in kept] + [(s, e, None) for s, e in byline_spans(whole)])
    after_hyphens = -1
    for token in doc:
        if token.i <= after_hyphens or covered.overlapping(token.idx, token.idx + len(token)):
            continue
        word = strip_possessive(token.text)
        last = _over_hyphens(doc, token.i, token.i)[1] if _is_capitalised_propn(token) else token.i
        joined = strip_possessive(doc[token.i:last + 1].text)
        if (last > token.i and (draft := owner(joined, token.idx)) is not None and draft.surname == joined
                and not _names_a_family(doc, token.idx, token.idx + len(joined))):
            # "Whitfield-Osei said": a hyphenated surname, which the tokenizer splits in three
            people.add_mention(draft, Mention(joined, token.idx, token.idx + len(joined), ""))
            after_hyphens = last
            continue
        if _is_capitalised_propn(token):
            alone = _stands_alone(token)
            draft = known_alone.get(word) if alone and word in known_alone else owner(word, token.idx, given=alone)
        elif token.pos_ == "NOUN" and token.text[:1].isupper() and token.text[1:2].islower():
            # "Radmall conceded ...": the small model may tag a known surname as a common noun at a
            # sentence's start; it counts only if it is spelled exactly as a known person's surname
            draft = owner(word, token.idx)
            draft = draft if draft is not None and draft.surname == word else None
        else:
            continue
        if draft and not _names_a_family(doc, token.idx, token.idx + len(token)):
            start = _particles_start(doc, token, draft)
            people.add_mention(draft, Mention(whole[start:token.idx + len(word)], start, token.idx + len(word), ""))
    return kept


def _hyphenated_surname(doc: Doc, mention: Mention, owner) -> tuple[_PersonDraft, Mention] | None:
    """A one-word mention that a hyphen joins to the rest of a known person's hyphenated surname ('Nwosu' in
    'Nwosu-Ferreira conceded', after Tiago Nwosu-Ferreira): that person, and the whole surname as the mention."""
    span = doc.char_span(mention.start, mention.end)
    if span is None or len(span) != 1:
        return None
    last = _over_hyphens(doc, span.start, span.start)[1]
    joined = strip_possessive(doc[span.start:last + 1].text)
    draft = owner(joined, mention.start) if last > span.start else None
    if draft is None or draft.surname != joined:
        return None
    return draft, Mention(joined, mention.start, mention.start + len(joined), "")


def _particles_start(doc: Doc, token: Token, draft: _PersonDraft) -> int:
    """Where a bare surname's mention starts: at the particles (name_particles.txt) the person's name writes before
    it, when the text writes them there too ('de la Fuente said' for Lucía de la Fuente, 'Van der Berg' opening a
    sentence), so that the mention holds the words a parse may make the subject of a verb; else at the surname."""
    for name in draft.names():
        words = name.split()
        particles = 0
        while particles < len(words) - 1 and words[-2 - particles].lower() in word_set("name_particles.txt"):
            particles += 1
        before = doc[token.i - particles:token.i] if 0 < particles <= token.i else None
        if (before is not None and words[-1] == token.text
                and [t.lower_ for t in before] == [w.lower() for w in words[-1 - particles:-1]]):
            return before[0].idx
    return token.idx


# --- 5. organisations and places ---------------------------------------------------------


def _group_key(text: str) -> str:
    key = re.sub(r"[^a-z0-9 ]", "", text.lower().replace(".", ""))
    return re.sub(r"\s+", " ", key).strip()


def cluster_others(mentions: list[Mention]) -> list[list[Mention]]:
    """Group non-person mentions by normalised name; a plural joins its singular."""
    groups: dict[str, list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        groups.setdefault(_group_key(mention.text), []).append(mention)
    for key in list(groups):
        if key.endswith("s") and key[:-1] in groups:
            groups[key[:-1]].extend(groups.pop(key))
    return [sorted(group, key=lambda m: m.start) for group in groups.values()]


def initials(name: str) -> str:
    """'HRCP' for 'Human Rights Commission of Pakistan': the first letter of each word but the small ones."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in word_set("title_small_words.txt")]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def spells(name: str, short: str) -> bool:
    """True if `short` abbreviates `name` of three words or more: the initials of its words but the small ones, in
    order, each of which may bring more letters from inside its own word ('Kenya Medical Research Institute' is
    'KEMRI', 'Association of Southeast Asian Nations' 'ASEAN'). Schwartz and Hearst (2003) match abbreviations
    letter by letter so. Two words would make a person's name the party after it ('Philip Dumpe (PDP)')."""
    words = [w.upper() for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in word_set("title_small_words.txt")]

    def fits(n: int, rest: str) -> bool:
        if n == len(words):
            return not rest
        if not rest or rest[0] != words[n][0]:
            return False
        tail = words[n][1:]
        for taken in range(len(rest)):  # the word's initial, then `taken` more letters in order from inside it
            if taken and not re.search(".*?".join(map(re.escape, rest[1:taken + 1])), tail):
                break
            if fits(n + 1, rest[taken + 1:]):
                return True
        return False
    return len(words) > 2 and fits(0, short.upper())


def defined_abbreviations(text: str) -> list[tuple[str, int, int, int]]:
    """(abbreviation, start and end of the name, end of the bracket) for each abbreviation the text defines
    in brackets right after a name: 'Reporters Without Borders (RWB)'. The name is the fewest words before
    the bracket whose initials spell the abbreviation, else the fewest that it `spells` with letters from inside
    them: 'Nigerian National Petroleum Company (NNPC)' is the whole name, not 'National Petroleum Company'."""
    found = []
    for bracket in re.finditer(r"\(([A-Z]{2,8})\)", text):
        low = max(0, bracket.start() - 120)
        before = text[low:bracket.start()].rstrip()
        words = list(re.finditer(r"[^\W\d_][\w'’.-]*", before))
        starts = []  # where a name may start: capitalised words with no stop between them and the bracket
        for first in reversed(words):
            if re.search(r"[,.;:!?()\n]", before[first.end():]):
                break
            if first.group()[0].isupper():
                starts.append(first.start())
        start = next((s for s in starts if initials(before[s:]) == bracket.group(1)), None)
        if start is None:
            start = next((s for s in starts if spells(before[s:], bracket.group(1))), None)
        if start is not None:
            found.append((bracket.group(1), low + start, low + len(before), bracket.end()))
    return found


def join_abbreviations(text: str, groups: list[list[Mention]]) -> list[list[Mention]]:
    """Join the group of an abbreviation to the name the text defines it with ('Reporters Without Borders
    (RWB)' makes every 'RWB' that organisation, named in full). Initials alone join nothing: 'AFP' may be
    Agence France-Presse in one text and the Australian Federal Police in another."""
    result = [list(group) for group in groups]
    for short, start, end, closing in defined_abbreviations(text):
        short_group = next((g for g in result if any(m.text == short for m in g)), None)
        if short_group is None:
            continue
        name = Mention(text[start:end], start, end, short_group[0].label)
        short_group[:] = [m for m in short_group if not end <= m.start < closing]  # the definition names it once
        # the group that holds the model's mention of the name, or the abbreviation's own if the model missed it
        owner = next((g for g in result if any(m.start < end and start < m.end for m in g)), short_group)
        joined = [m for m in owner if not (m.start < end and start < m.end)] + [name]
        if owner is not short_group:
            joined += short_group
            short_group.clear()
        owner[:] = joined
    return [sorted(group, key=lambda m: m.start) for group in result if group]


def join_initials(groups: list[list[Mention]]) -> list[list[Mention]]:
    """Join a group written only in capitals ('UN', 'U.N.') to the one other group of the text whose name they are
    the initials of ('United Nations'), when exactly one is: within one text 'AP' and 'Associated Press' are one
    agency, though 'AFP' may be Agence France-Presse in one text and the Australian Federal Police in another.
    `join_abbreviations` reads a definition in brackets; this reads the two forms used side by side."""
    result = [list(group) for group in groups]
    spelled: dict[str, set[int]] = defaultdict(set)  # initials -> the groups with a name they spell (not 'U.N.')
    for n, group in enumerate(result):
        for mention in group:
            if not mention.text.isupper():
                spelled[initials(mention.text)].add(n)
    for n, short in enumerate(result):
        forms = {m.text.replace(".", "") for m in short}
        form = forms.pop() if len(forms) == 1 else ""
        named = spelled.get(form, set()) - {n}
        if re.fullmatch(r"[A-Z]{2,6}", form) and len(named) == 1:
            result[named.pop()] += short
            short.clear()
    return [sorted(group, key=lambda m: m.start) for group in result if group]


# --- putting it together -----------------------------------------------------------------


def _canonical_name(mentions: Iterable[Mention]) -> str:
    """The longest name, the most often written of those, earliest on ties: the form a careful writer
    introduces ('Menzies Campbell' written three times over 'Menzies Cambell' written twice first)."""
    ordered = sorted(mentions, key=lambda m: m.start)
    written = Counter(m.text for m in ordered)
    return max(ordered, key=lambda m: (len(m.text.split()), written[m.text], -ordered.index(m))).text


@functools.lru_cache(maxsize=1)
def _outlet_words() -> frozenset[str]:
    return frozenset(word_list("outlet_words.txt"))


def _is_outlet(draft: _PersonDraft) -> bool:
    """A 'person' whose every mention ends in a publication word (the Ellery Gazette, Daily Courier)."""
    return all(len(m.text.split()) > 1 and m.text.split()[-1] in _outlet_words() for m in draft.mentions)


@functools.cache
def organisation_nouns() -> dict[str, tuple[str, frozenset[str]]]:
    """Each spelling of a noun that refers back to a named organisation ('the court', 'the centre') -> how the
    organisation is found ('named', 'named_exact', 'any' or 'outlet') and all the noun's spellings
    (organisation_nouns.tsv)."""
    found: dict[str, tuple[str, frozenset[str]]] = {}
    for nouns, how in checked_table("organisation_nouns.tsv", 2):
        spellings = frozenset(nouns.split("/"))
        found.update((spelling, (how, spellings)) for spelling in spellings)
    return found


NAME_PREPOSITIONS = frozenset({"of", "for", "on", "in", "to", "at", "against", "from"})


def name_headed_by(name: str, noun: str) -> bool:
    """True if the organisation's name is headed by the noun in one of its spellings, as a definite description that
    refers back to it needs: the word before the first preposition ('of', 'to', ...), else the last word ('Pacific
    Tsunami Warning Center' for 'the centre', 'Court of Session' for 'the court'; not 'Supreme Court Bar Association'
    nor 'Court Street Clinic')."""
    spellings = organisation_nouns().get(noun, ("", frozenset({noun})))[1]
    words = re.findall(r"[^\W\d_][\w'’.-]*", name.lower())
    cut = next((i for i, word in enumerate(words) if i and word in NAME_PREPOSITIONS), len(words))
    return cut > 0 and words[cut - 1] in spellings


@functools.cache
def _place_heads() -> frozenset[str]:
    """Lower-case head nouns of institutions' and places' names: organisation_nouns.tsv and name_heads.txt."""
    return frozenset(organisation_nouns()) | word_set("name_heads.txt")


def _is_named_place(draft: _PersonDraft) -> bool:
    """A 'person' whose every mention is two words or more ending in the head noun of an institution's or
    place's name (name_heads.txt, organisation_nouns.tsv): 'the Norland Baptist Church', 'Velmo County',
    'Tarvik University', 'the Harbour Labour Party'; a mention of one word only if a longer one holds it ('the
    Tarvia Senate ... the Senate said', 'Hougang Single Member Constituency ... Hougang'), which the model's
    'person' takes as a surname or given name alone, unless that word may be a surname ('Tendai Church ... Church
    said') or a longer name opens with a known given name ('Rosa Valley ... Valley said'). Not a known given name
    and a head that is also a surname ('Ana Hall', 'Ivo Park', 'Eun-ji Park')."""
    def place(text: str) -> bool:
        words = text.split()
        if len(words) < 2:
            return False
        head = words[-1].lower()
        if head not in _place_heads():
            return False
        return not (len(words) == 2 and head in word_set("surname_heads.txt") and _given_name_word(words[0]))
    full = [m.text.split() for m in draft.mentions if len(m.text.split()) > 1]
    # one word of a longer name ('Senate' of 'the Tarvia Senate'), but no surname ('Tendai Church ... Church said')
    # and none of a name that opens with a known given name ('Rosa Valley ... Valley said')
    parts = set() if any(_given_name_word(name[0]) for name in full) else {
        w for name in full for w in name if w.lower() not in word_set("surname_heads.txt")}
    return all(place(m.text) or m.text in parts for m in draft.mentions)


def _is_uncapitalised(draft: _PersonDraft) -> bool:
    """A 'person' every mention of which opens or ends with a lower-case word that is no name particle: English
    capitalises a person's name, so these are words the model misread, a hashtag, a handle, a stance, a phrase in
    another language or a name run on into the words after it ('pro-Norland', 'savethefjords', 'vi kan', 'Glas za
    njih znaci', 'Lanza shot'). Not 'de Klerk', 'al-Rashid', "Philip d'Anjou", nor a lower-case word inside a name
    ('Ngugi wa Thiong'o', 'Zia ul Haq', 'Hilma af Klint', which the particle list cannot all hold)."""
    def uncapitalised(word: str) -> bool:
        word = re.split(r"[^\w]", word)[0]
        return word[:1].islower() and word.lower() not in word_set("name_particles.txt")
    return all(m.text.split() and (uncapitalised(m.text.split()[0]) or uncapitalised(m.text.split()[-1]))
               for m in draft.mentions)


def _is_platform(draft: _PersonDraft) -> bool:
    """A 'person' whose every mention ends in the name of a social network or posting site, which news writes
    like a person's ('wrote on Twitter', 'Facebook removed the page', 'a post on Sina Weibo')."""
    sites = word_set("platform_names.txt", lower=False)
    return all(m.text.split()[-1] in sites for m in draft.mentions if m.text.split())


def _is_plural_group(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by one capitalised plural word ending in -s, the parser's plural proper or
    common noun: a people or a group ('the Velmans', 'Norlanders'), no one person."""
    def plural(m: Mention) -> bool:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and len(span) == 1 and span[0].tag_ in {"NNPS", "NNS"} and m.text.endswith("s")
    return all(plural(m) for m in draft.mentions)


def _has_mixed_word(draft: _PersonDraft) -> bool:
    """A 'person' every mention of which has a word mixing letters and digits: a product, a disease, a
    protocol, a star or a hashtag ('Zorvex-7', 'VX2 Mesh', 'Rally2030', 'HX-12b'), which no person's name is."""
    return all(re.search(r"[^\W\d_][\w-]*\d|\d[\w-]*[^\W\d_]", m.text) for m in draft.mentions)


def _is_bare_role(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by one capitalised word that is a role, title or person noun, and no known
    given name, with no name-marking words beside it: the office or the kind of person, not a name ('the
    Harbourmaster said', 'Steward, a title', 'Widow' opening a sentence). Not 'her nephew, Marshal'."""
    def role(m: Mention) -> bool:
        word = m.text.lower()
        if len(m.text.split()) != 1 or m.title or is_given_name(m.text) or not (
                word in word_set("person_nouns.txt") or word in word_set("person_roles.txt") or is_title(m.text)):
            return False
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        return span is not None and not _person_context(doc, span)
    return all(role(m) for m in draft.mentions)


def _is_hashtag(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' every mention of which is the word of a hashtag, right after its '#' ('#SaveTheFjords',
    '#VoteNo2030', '#Tarvik'): a campaign, a slogan or a place tagged in a post, which the model can take for a
    name. A person named elsewhere in plain words keeps the mentions in hashtags."""
    def tagged(m: Mention) -> bool:
        # the character before the mention, read from the tokens: Doc.text is rebuilt on every access
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        if span[0].idx < m.start:
            return span[0].text[m.start - span[0].idx - 1] == "#"
        return span.start > 0 and doc[span.start - 1].text_with_ws.endswith("#")
    return all(tagged(m) for m in draft.mentions)


def _with_the(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by one word that heads a noun phrase opened by 'the' ('the Harbourmaster
    said', 'the Velmans marched', 'the Courier reports'): English puts no article before a person's name, so
    this is a thing, a group, an office or a work. Not a name modifying a noun after it ('the Marsk era'),
    whose article is the noun's."""
    def after_the(m: Mention) -> bool:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) != 1 or m.title or not span.start:
            return False
        before = doc[span.start - 1]
        return before.lower_ == "the" and before.head.i == span.start and span[0].dep_ not in {
            "compound", "nmod", "amod"}
    return all(after_the(m) for m in draft.mentions)


def _is_common_word(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by one word that opens its sentence and that the text elsewhere writes in lower
    case ('Flotsam washed ashore.' beside 'the flotsam'): a common word with the sentence's capital, not a name."""
    def opening_word(m: Mention) -> bool:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) != 1 or m.title or not span[0].is_sent_start or not span[0].is_title:
            return False
        return span[0].lower_ in _lower_case_words(doc) or span[0].lemma_.lower() in _lower_case_words(doc)
    return all(opening_word(m) for m in draft.mentions)


def _is_headline_phrase(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named in the headline, by two words or more that the body writes in lower case as
    the same phrase ('Norland: Vandals Blamed For Arson Attack' beside 'an arson attack on Sunday'): a headline
    that capitalises every word makes a phrase of common words look like a name. Not a name whose words the body
    only writes apart ('Will Young to Play Kelvo Festival' beside 'will headline', 'young fans'), and a person
    the headline names again in the body joins those mentions."""
    key = ("course", "headline_end")
    cache: dict = doc.user_data
    if key not in cache:
        cache[key] = headline_end(doc_text(doc))
    end = cache[key]
    if any(m.end > end for m in draft.mentions):
        return False
    text = doc_text(doc)

    def common_phrase(m: Mention) -> bool:
        words = re.findall(r"[^\W\d_]+", text[m.start:m.end])
        phrase = r"\W+".join(re.escape(w.lower()) for w in words)
        return len(words) > 1 and re.compile(rf"\b{phrase}\b").search(text, end) is not None
    return all(common_phrase(m) for m in draft.mentions)


def _lower_case_words(doc: Doc) -> frozenset[str]:
    """The words, and their lemmas, that the text writes in lower case: read once per Doc and kept on it."""
    key = ("course", "lower_case_words")
    cache: dict = doc.user_data
    if key not in cache:
        cache[key] = frozenset(w for t in doc if t.is_lower for w in (t.text, t.lemma_))
    return cache[key]


PUBLICATION_ADJECTIVES = frozenset({"daily", "weekly"})


def _after_an_organisation_noun(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' every mention of which comes right after a lower-case noun that heads institutions' names (the
    nouns of `_place_heads` and outlet words, and 'daily' or 'weekly' the tagger calls an adjective): 'the news
    agency Tarvpress', 'the company Dorvel Brask', 'football club Velmo Rovers', 'the business weekly Kapital'; the
    noun says what the name is. Not that noun inside a role phrase ('the speaker of parliament Orvo Tesk'), nor a
    name opening with a known given name."""
    heads = _place_heads() | _outlet_words()
    def after_noun(m: Mention) -> bool:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not span.start or m.title:
            return False
        before = doc[span.start - 1]
        noun = before.pos_ == "NOUN" or before.lower_ in PUBLICATION_ADJECTIVES  # the tagger's 'the daily Norte'
        return (noun and before.is_lower and (before.lemma_ in heads or before.lower_ in heads)
                and not (before.dep_ == "pobj" and before.head.lower_ == "of")
                and not any(t.lower_ == "of" for t in doc[max(0, before.i - 3): before.i]))
    words = draft.mentions[0].text.split() if draft.mentions else []
    if words and is_given_name(words[0]):
        return False
    return all(after_noun(m) for m in draft.mentions)


def _is_joined_words(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by one word that writes two together, a capital inside it after three lower-case
    letters or more ('NorthLink', 'SeaGuardX', 'TarvoScience'): a brand, a company, a project or a pipeline, which
    news spells so and no person's name is. A name's own prefix keeps its capital ('MacKenzie', 'FitzGerald',
    'AbdulRahman'), as do the shorter ones ('McArthur', 'DeVita', 'LaToya')."""
    def joined(m: Mention) -> bool:
        if len(m.text.split()) != 1 or m.title:
            return False
        inner = re.match(r"([A-Z][a-z]+)([A-Z])", m.text)
        return (inner is not None and len(inner.group(1)) >= 3
                and inner.group(1).lower() not in word_set("name_prefixes.txt"))
    return all(joined(m) for m in draft.mentions)


def _is_defined_abbreviation(doc: Doc, draft: _PersonDraft) -> bool:
    """A 'person' only ever named by an abbreviation the text defines for a name that is no person's: 'KEMRI'
    after 'the Kenya Medical Research Institute (KEMRI)', which `join_abbreviations` then joins to it."""
    key = ("course", "abbreviations_of_no_person")  # read once per Doc and kept on it
    cache: dict = doc.user_data
    if key not in cache:
        people = SpanIndex((e.start_char, e.end_char, None) for e in doc.ents if e.label_ == PERSON)
        cache[key] = frozenset(short for short, start, end, _ in defined_abbreviations(doc_text(doc))
                               if not people.overlapping(start, end))
    return bool(draft.mentions) and all(m.text in cache[key] for m in draft.mentions)


def _in_dateline(text: str, mention: Mention) -> bool:
    """True for a mention inside the wire dateline that opens its paragraph ('CARLOW FALLS - A guard said ...')."""
    return dateline_end(text, mention.start) >= mention.end


def _is_no_person(doc: Doc, draft: _PersonDraft) -> bool:
    """True for a 'person' the model made of something else, which the clusters count as an organisation:
    an outlet, an institution or place, a misread lower-case word, a social network, a people or group, a code
    mixing letters and digits, an office, a hashtag, a thing with 'the', a common word opening a sentence,
    a name an institution noun introduces, common words a headline capitalised, or an abbreviation the text
    defines (one test each, above)."""
    return (_is_outlet(draft) or _is_named_place(draft) or _is_uncapitalised(draft) or _is_platform(draft)
            or _has_mixed_word(draft) or any(test(doc, draft) for test in (
                _is_plural_group, _is_bare_role, _is_hashtag, _with_the, _is_common_word, _after_an_organisation_noun,
                _is_joined_words, _is_headline_phrase, _is_defined_abbreviation)))


def _named_for_a_person(mention: Mention) -> bool:
    """True for a 'person' of three words or more whose last word heads an institution's or a place's name and is no
    surname, after a word that is no given name: the airport, hospital or prize named for someone ('Amelia Okoro
    International', 'the Rosa Lenz Memorial'), which would otherwise join that person ('Amelia Okoro'); 'Ana Maria
    Hall' and 'Mary Ellen Parish' stay people."""
    words = mention.text.split()
    return (mention.label == PERSON and len(words) >= 3 and words[-1].lower() in _place_heads() | NAMED_FOR_HEADS
            and words[-1].lower() not in word_set("surname_heads.txt") and not is_given_name(words[-2]))


def _maiden_name(text: str, mention: Mention, person_ends: set[int]) -> bool:
    """True for the surname a person was born with, after 'née' right after the person's name ('Margaret Okonkwo,
    née Adeyemi'): part of naming her once, not a second person, place or organisation. Not a company's former
    name ('X, née Twitter')."""
    window = text[max(0, mention.start - 12):mention.start]
    match = re.search(r"(,\s*)?\bn[ée]e\s+$", window)
    return match is not None and mention.start - len(window) + match.start() in person_ends


def _majority_label(mentions: list[Mention]) -> str:
    counts = Counter(m.label for m in mentions if m.label)
    return counts.most_common(1)[0][0] if counts else PERSON


def _apply_merges(clusters: list[EntityCluster], aliases: Aliases) -> list[EntityCluster]:
    for group in aliases.merge:
        members = [c for c in clusters if set(c.variants) & set(group) or c.name in group]
        if len(members) < 2:
            continue
        mentions = tuple(sorted((m for c in members for m in c.mentions), key=lambda m: m.start))
        name = next((n for n in group if n in {m.text for m in mentions}), group[0])
        label = PERSON if any(c.label == PERSON for c in members) else members[0].label
        clusters = [c for c in clusters if c not in members] + [EntityCluster(name, label, mentions)]
    return clusters


def cluster_entities(
    doc: Doc, labels: Iterable[str] = DEFAULT_LABELS, aliases: Aliases | None = None
) -> list[EntityCluster]:
    """Merge the model's entity mentions into one cluster per real entity.

    Clusters come most-mentioned first; each mention keeps its character
    offsets, so every merge decision can be checked in the text.
    """
    aliases = aliases or Aliases()
    labels = tuple(labels)
    mentions = [replace(m, label="ORG") if _named_for_a_person(m) else m
                for m in model_mentions(doc, set(labels) | {PERSON})]
    recovered, others = recovered_people(doc, mentions)
    others = people_by_context(doc, others, [m for m in mentions if m.label == PERSON] + recovered)
    text = doc_text(doc)
    person_ends = {m.end for m in mentions + others + recovered if m.label == PERSON}
    people = [m for m in mentions + others + recovered if m.label == PERSON
              and not _names_a_family(doc, m.start, m.end) and not _maiden_name(text, m, person_ends)]
    others = [m for m in others if m.label != PERSON and not _maiden_name(text, m, person_ends)]
    drafts = cluster_people(_shared_surnames(text, _one_name_in_two(text, people)), aliases)
    others = _absorb_surnames(doc, drafts, others)

    clusters = []
    storms = _storm_names(text)
    for draft in drafts:
        if _is_bare_place(draft) or _is_bare_town(doc, draft) or all(_in_dateline(text, m) for m in draft.mentions):
            others += [Mention(m.text, m.start, m.end, "GPE") for m in draft.mentions]
        elif _is_no_person(doc, draft):
            others += [Mention(m.text, m.start, m.end, "ORG") for m in draft.mentions]
        elif _names_a_storm(doc, draft, storms):
            continue  # a storm is no person, nor any other kind of name the tools count
        else:
            ordered = tuple(sorted(draft.mentions, key=lambda m: m.start))
            clusters.append(EntityCluster(without_nickname(_canonical_name(ordered)), PERSON, ordered))
    for group in join_initials(join_abbreviations(text, cluster_others(others))):
        clusters.append(EntityCluster(_canonical_name(group), _majority_label(group), tuple(group)))

    clusters = _apply_merges(clusters, aliases)
    clusters = [c for c in clusters if c.label in labels]
    return sorted(clusters, key=lambda c: (-c.count, c.mentions[0].start))

def clusters_of(doc: Doc) -> list[EntityCluster]:
    """`cluster_entities(doc)` with the default labels and no aliases, computed once per Doc
    and kept on it (in `doc.user_data`), so every analysis that needs the clusters shares them."""
    key = ("course", "clusters")  # a tuple key, as spaCy's own extensions use, cannot clash with a user's
    cache: dict = doc.user_data  # typed dict[str, Any] by spaCy, which itself stores tuple keys there
    if key not in cache:
        cache[key] = tuple(cluster_entities(doc))
    return list(cache[key])


def raw_model_clusters(mentions: list[Mention]) -> list[EntityCluster]:
    """The baseline: the model's spans grouped only by identical text and label, most frequent first."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in mentions:
        groups.setdefault((m.text, m.label), []).append(m)
    clusters = [EntityCluster(text, label, tuple(ms)) for (text, label), ms in groups.items()]
    return sorted(clusters, key=lambda c: (-c.count, c.mentions[0].start))


def counts_table(clusters: list[EntityCluster], raw: list[Mention]):
    """Merged counts beside what counting the model's raw spans would give.

    `raw_count` is the count of the cluster's most frequent spelling among
    the model's own spans with the cluster's label: the number a student gets
    by counting spaCy's output as it comes.
    """
    import pandas as pd

    raw_by_text = Counter((m.text, m.label) for m in raw)
    rows = []
    for cluster in clusters:
        spelling, raw_count = max(
            ((v, raw_by_text[(v, cluster.label)]) for v in cluster.variants), key=lambda pair: pair[1]
        )
        rows.append({
            "entity": cluster.name,
            "label": cluster.label,
            "merged_count": cluster.count,
            "raw_spelling": spelling,
            "raw_count": raw_count,
            "variants": ", ".join(cluster.variants),
        })
    return pd.DataFrame(rows, columns=["entity", "label", "merged_count", "raw_spelling", "raw_count", "variants"])
