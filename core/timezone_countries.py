"""Countries people type for their time zone (`Germany`, `UK`, `United States`): each with the
zones tzdata's zone.tab lists for it, those zonenow.tab names for a clock first (Sao_Paulo for
eastern Brazil, Sydney for south-east Australia), then the rest, each in zone.tab's order.

Names come from tzdata's iso3166.tab ("Britain (UK)" is `britain` and `uk`, "Korea (South)"
`south korea`), with a few everyday names it lacks ("Korea" is South Korea, as people say it)
and the adjectives people call a country's clock by ("korean time", "german time";
core/timezones.py reads the "time" after them). A name several places share ("Congo", two
countries; "Samoa", a country and American Samoa, a day apart; "Georgia", a country and a US
state) is none of them: `shared_places` gives each place's zones, to ask which.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files
from typing import Final

# Everyday names for countries that iso3166.tab writes another way, by country code.
_EVERYDAY: Final[dict[str, str]] = {
    "usa": "US",
    "uk": "GB",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "united kingdom": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "czechia": "CZ",
    "uae": "AE",
    "emirates": "AE",
    "burma": "MM",
    "swaziland": "SZ",
    "ivory coast": "CI",
    "korea": "KR",  # as people say it (KST is 'Korea time'); North Korea keeps the same clock
}

# What people call a country's clock by ('korean time', 'german time'), by country code.
_ADJECTIVES: Final[dict[str, str]] = {
    "american": "US",
    "argentine": "AR",
    "argentinian": "AR",
    "australian": "AU",
    "austrian": "AT",
    "bangladeshi": "BD",
    "belgian": "BE",
    "brazilian": "BR",
    "bulgarian": "BG",
    "canadian": "CA",
    "chilean": "CL",
    "chinese": "CN",
    "colombian": "CO",
    "croatian": "HR",
    "czech": "CZ",
    "danish": "DK",
    "dutch": "NL",
    "egyptian": "EG",
    "emirati": "AE",
    "english": "GB",
    "ethiopian": "ET",
    "filipino": "PH",
    "finnish": "FI",
    "french": "FR",
    "german": "DE",
    "ghanaian": "GH",
    "greek": "GR",
    "hungarian": "HU",
    "icelandic": "IS",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "irish": "IE",
    "israeli": "IL",
    "italian": "IT",
    "japanese": "JP",
    "kenyan": "KE",
    "korean": "KR",
    "south korean": "KR",
    "north korean": "KP",
    "malaysian": "MY",
    "mexican": "MX",
    "moroccan": "MA",
    "nepali": "NP",
    "nepalese": "NP",
    "nigerian": "NG",
    "norwegian": "NO",
    "pakistani": "PK",
    "peruvian": "PE",
    "philippine": "PH",
    "polish": "PL",
    "portuguese": "PT",
    "romanian": "RO",
    "russian": "RU",
    "saudi": "SA",
    "scottish": "GB",
    "serbian": "RS",
    "singaporean": "SG",
    "south african": "ZA",
    "spanish": "ES",
    "sri lankan": "LK",
    "swedish": "SE",
    "swiss": "CH",
    "taiwanese": "TW",
    "thai": "TH",
    "turkish": "TR",
    "ukrainian": "UA",
    "vietnamese": "VN",
    "welsh": "GB",
}


# Country names that are also somewhere else people live: those places' zones (the US state
# of Georgia keeps New York's clock).
_ELSEWHERE: Final[dict[str, tuple[str, ...]]] = {"georgia": ("America/New_York",)}


def _table(name: str) -> str:
    """One of tzdata's tables ('' when missing: zonenow.tab is from tzdata 2023d on)."""
    try:
        return files("tzdata").joinpath("zoneinfo").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):  # pragma: no cover - tzdata is a dependency
        return ""


def _plain(text: str) -> str:
    """Lower case, accents dropped, words by single spaces ('Curaçao' -> 'curacao')."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _names(country: str) -> set[str]:
    """The keys one iso3166.tab name is typed as: 'Korea (South)' -> korea (south), south
    korea; 'Britain (UK)' -> britain (uk), britain, uk; '&' also as 'and'."""
    plain = _plain(country)
    keys = {plain}
    if "(" in plain and plain.endswith(")"):
        base, _, inner = plain[:-1].partition("(")
        base, inner = base.strip(), inner.strip()
        keys |= {base, f"{inner} {base}"}
        if country.split("(", 1)[1].rstrip(")").isupper():  # an acronym: (UK)
            keys.add(inner)
    return keys | {k.replace(" & ", " and ") for k in keys}


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    """Country code -> its zones from zone.tab, a clock's most populous place first."""
    table, now = _table("zone.tab"), _table("zonenow.tab")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith("#"):
            zones.setdefault(fields[0], []).append(fields[2])
    clocks = {f[2] for line in now.splitlines() if len(f := line.split("\t")) >= 3}
    for places in zones.values():
        places.sort(key=lambda name: name not in clocks)  # stable: the file's order otherwise
    return {code: tuple(places) for code, places in zones.items()}


@cache
def _owners() -> dict[str, list[str]]:
    """Country key -> the codes of the countries iso3166.tab names so, in its order."""
    owners: dict[str, list[str]] = {}
    for line in _table("iso3166.tab").splitlines():
        fields = line.split("\t")
        if len(fields) == 2 and not line.startswith("#"):
            for key in _names(fields[1]):
                owners.setdefault(key, []).append(fields[0])
    return owners


@cache
def _countries() -> dict[str, tuple[str, ...]]:
    """Country key -> its zones, a clock's most populous place first."""
    keyed = {
        key: codes[0]
        for key, codes in _owners().items()
        if len(codes) == 1 and key not in _ELSEWHERE
    }
    keyed.update(_EVERYDAY)
    keyed.update(_ADJECTIVES)
    zones = _zones_by_country()
    return {key: zones[code] for key, code in keyed.items() if code in zones}


@cache
def _shared() -> dict[str, tuple[tuple[str, ...], ...]]:
    """A name several places share -> each place's zones: the countries iso3166.tab names so
    (unless everyday speech means one: 'Korea', 'UK'), then the places elsewhere."""
    zones = _zones_by_country()
    shared = {
        key: tuple(zones[code] for code in codes if code in zones)
        for key, codes in _owners().items()
        if len(codes) > 1 and key not in _EVERYDAY
    }
    for key, elsewhere in _ELSEWHERE.items():
        shared[key] = (*(zones[c] for c in _owners().get(key, ()) if c in zones), elsewhere)
    return shared


def shared_places(text: str) -> tuple[tuple[str, ...], ...]:
    """Each place's zones when the text names several places ('Congo'), or none."""
    return _shared().get(_plain(text.replace("_", " ")), ())


def country_zones(text: str) -> tuple[str, ...]:
    """The zones of the country the text names (most of the country first), or none."""
    return _countries().get(_plain(text.replace("_", " ")), ())
