"""Personal names as strings: titles, possessives, and spelling variants.

Transliteration gives one Russian name several English spellings
(Kozhin / Kogine, Seleznyov / Seleznjov, Kovalenko / Kovalenkko).
Plain fuzzy matching cannot tell these from different names that look alike:
Clinton ~ Clifton scores higher than Kozhin ~ Kogine on Jaro-Winkler.
So names are compared by *spelling keys*: each spelling is rewritten with the
rules that map the romanisation systems onto each other, and two spellings
match only if they share a key. The rules never touch letters that separate
real names (Clinton / Clifton, Peterson / Petersen stay apart).
A misspelling is a weaker match (`one_slip_apart`): one letter off is taken for a slip of
the pen only where no name in the article matches exactly.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from course.core.lexicons import checked_table, word_list, word_set

POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# a nickname in quotation marks between a person's names: 'Earvin "Magic" Johnson'
NICKNAME = re.compile(r"(?<=\S) [\"“‘][^\"“”‘’]{1,40}[\"”’](?= \S)")

# Spellings that differ only by romanisation system, in the order applied.
_SAME_SOUND = [
    (r"shch|sch", "sh"), (r"tch", "ch"), (r"zh", "z"), (r"kh", "h"),
    (r"x", "ks"), (r"w", "v"), (r"ph", "f"), (r"ck", "k"), (r"ou", "u"),
]
# Letters read differently by different systems: j is Dutch/German "y" or French "zh";
# g before e or i is French "zh" (Kogine) but also plain g (Sergei).
_AMBIGUOUS = [
    (re.compile(r"j"), ("y", "z")),
    (re.compile(r"(?<=.)g(?=[ei])"), ("g", "z")),
]
_FINAL = [
    (r"yo", "e"),          # ё: Ponomaryov / Ponomarev
    (r"^ye", "e"),         # Yevgeny / Evgeny, Yeltsin / Eltsin
    (r"(?<=.)y(?=[aeiou])", ""),  # Alekseyev / Alekseev
    (r"y", "i"),           # Volkoy / Volkoi, Dmitry / Dmitri
    (r"(.)\1+", r"\1"),    # Zelenskyy / Zelensky
    (r"(?<=...)e$", ""),   # French final e: Kogine / Kozhin
]

MIN_VARIANT_LENGTH = 5


# Letters that Unicode does not decompose into a base letter and a mark, so that removing accents would
# drop them: the Polish barred l ('Łukasz'), the Turkish dotless i ('Pınar'), the Nordic slashed o, ...
# Each is written so where an English text has no such letter ('Lukasz', 'Pinar', 'Soren').
_UNDECOMPOSED = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                               "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "æ": "ae", "Æ": "Ae",
                               "œ": "oe", "Œ": "Oe", "ß": "ss"})


def without_accents(text: str) -> str:
    """`text` with its letters' accents removed and every other character kept (Gdańsk -> Gdansk, Łódź -> Lodz,
    Pınar -> Pinar)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # called for every pair of names an article's people are compared by
def ascii_letters(text: str) -> str:
    """Lower-case ASCII letters of `text`, accents removed (Gdańsk -> gdansk, Łódź -> lodz, Pınar -> pinar)."""
    return re.sub(r"[^a-z]", "", without_accents(text).lower())


@functools.lru_cache(maxsize=65536)
def spelling_keys(name: str) -> frozenset[str]:
    """Every key `name` can have under the romanisation rules above."""
    base = ascii_letters(name)
    for pattern, replacement in _SAME_SOUND:
        base = re.sub(pattern, replacement, base)
    readings = {base}
    for regex, choices in _AMBIGUOUS:
        readings = {regex.sub(choice, reading) for reading in readings for choice in choices}
    keys = set()
    for reading in readings:
        for pattern, replacement in _FINAL:
            reading = re.sub(pattern, replacement, reading)
        keys.add(reading)
    return frozenset(keys)


def same_spelling_family(a: str, b: str) -> bool:
    """True if `a` and `b` are spellings of the same name.

    Identical names always match. Different spellings match only when both
    have at least five letters and share a spelling key, so short names and
    look-alikes are never merged.
    """
    la, lb = ascii_letters(a), ascii_letters(b)
    if la == lb:
        return True
    if min(len(la), len(lb)) < MIN_VARIANT_LENGTH:
        return False
    return bool(spelling_keys(a) & spelling_keys(b))


def family_keys(name: str) -> frozenset[str]:
    """Keys that two names of one spelling family (`same_spelling_family`) always share: the name's letters,
    and each of its spelling keys where it has five letters or more. Callers look names up by these keys and
    check each name found with `same_spelling_family`."""
    letters = ascii_letters(name)
    return frozenset({letters} | (spelling_keys(name) if len(letters) >= MIN_VARIANT_LENGTH else set()))


def slip_keys(name: str) -> frozenset[str]:
    """Keys that two names one slip apart (`one_slip_apart`) always share: the name's letters, whole and with
    each one letter left out. A letter added, dropped or changed, or two swapped, leaves both names the same
    letters once that letter is left out of both ('campbell' and 'cambell' share 'cambell'). Empty for a name
    too short to be misspelled."""
    letters = ascii_letters(name)
    if len(letters) < MIN_VARIANT_LENGTH:
        return frozenset()
    return frozenset({letters} | {letters[:i] + letters[i + 1:] for i in range(len(letters))})


def one_slip_apart(a: str, b: str) -> bool:
    """True if `a` and `b`, both of at least five letters, differ by one slip of the pen: a letter
    added, dropped or changed, or two neighbouring letters swapped (Campbell / Cambell, Demirel / Demriel,
    Sarea / Saree). An article that names one person twice spells the name two ways far more often than
    it names two people whose names differ by one letter; callers use this only where no person's
    name matches exactly (Damerau 1964, "A technique for computer detection and correction of
    spelling errors": one such slip accounts for over 80% of misspellings)."""
    la, lb = ascii_letters(a), ascii_letters(b)
    if la == lb or min(len(la), len(lb)) < MIN_VARIANT_LENGTH or abs(len(la) - len(lb)) > 1:
        return False
    if len(la) > len(lb):
        la, lb = lb, la
    if lb == la + "a":
        return False  # Ivanov / Ivanova, Karpov / Karpova: a Slavic surname's feminine form, another person
    first = next((i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y), len(la))
    if len(la) < len(lb):  # one letter added
        return la[first:] == lb[first + 1:]
    changed = la[first + 1:] == lb[first + 1:]
    swapped = la[first:first + 2] == lb[first:first + 2][::-1] and la[first + 2:] == lb[first + 2:]
    return changed or swapped


def strip_possessive(text: str) -> str:
    """'Orlov's' -> 'Orlov'; "the Wagners'" -> 'the Wagners'."""
    return POSSESSIVE.sub("", text.strip()).strip()


def without_nickname(name: str) -> str:
    """'Earvin "Magic" Johnson' -> 'Earvin Johnson': the name a person is listed under."""
    return NICKNAME.sub("", name)


@functools.lru_cache(maxsize=1)
def _titles() -> tuple[tuple[str, ...], ...]:
    """Title phrases as word tuples, longest first."""
    entries = word_list("titles.txt") + word_list("title_abbreviations.txt")
    phrases = {tuple(entry.lower().replace(".", "").split()) for entry in entries}
    return tuple(sorted(phrases, key=len, reverse=True))


def split_title(text: str) -> tuple[str, str]:
    """Split leading titles from a name: 'Lt. Gen. Ivan Sokolov' -> ('Lt. Gen.', 'Ivan Sokolov').

    A name is never reduced to nothing: 'President' alone stays a name.
    """
    words = text.split()
    plain = [w.lower().rstrip(".") for w in words]
    used = 0
    while used < len(words):
        match = next((t for t in _titles() if tuple(plain[used:used + len(t)]) == t), None)
        if match is None or used + len(match) >= len(words):
            break
        used += len(match)
    return " ".join(words[:used]), " ".join(words[used:])


def is_title(word: str) -> bool:
    word = word.lower().rstrip(".")
    return word in word_set("titles.txt") or word in word_set("title_abbreviations.txt")


def is_abbreviated_title(word: str) -> bool:
    """'Det.', 'Lt.', 'Cllr.': a title written short, with its dot (data/title_abbreviations.txt)."""
    return word.endswith(".") and word.lower().rstrip(".") in word_set("title_abbreviations.txt")


def is_given_name(word: str) -> bool:
    return word in word_set("given_names.txt", lower=False)


def is_given_name_as_written(word: str) -> bool:
    """`is_given_name`, or a given name with its accents as the gender lists write it ('Sofía', 'João')."""
    return is_given_name(word) or word in given_name_genders()


@functools.cache
def given_name_genders() -> dict[str, str]:
    """Given name -> 'm' or 'f', for the names Faker's lists give one gender only (data/given_name_genders.tsv)."""
    return {name: gender for name, gender in checked_table("given_name_genders.tsv", 2)}


def first_and_last(name: str) -> tuple[str, str]:
    """('Pavel', 'Orlov') for 'Pavel Orlov'; ('', 'Orlov') for 'Orlov'; a generational suffix is
    no surname: ('Martin', 'King') for 'Martin Luther King Jr.'."""
    words = name.split()
    while len(words) > 1 and words[-1].rstrip(".,") in word_set("name_suffixes.txt", lower=False):
        words = words[:-1]
    return (words[0], words[-1]) if len(words) > 1 else ("", words[0] if words else "")


def generational_suffix(name: str) -> str:
    """The generational suffix a full name ends with ('Sr' for 'Robert Haines Sr.', 'III'), else ''."""
    words = name.split()
    last = words[-1].rstrip(".,") if len(words) > 2 else ""
    return last if last in word_set("name_suffixes.txt", lower=False) else ""


def compatible_given_names(a: str, b: str) -> bool:
    """Given names that may belong to one person: equal, spelling variants, or an initial."""
    if not a or not b:
        return True
    if a.rstrip(".") == b[:1] or b.rstrip(".") == a[:1]:
        return len(a.rstrip(".")) == 1 or len(b.rstrip(".")) == 1
    return same_spelling_family(a, b)
