"""Cities people type for their time zone that no IANA name carries (IANA names one city per
zone: Asia/Kolkata, not Mumbai), each with its zone. Keys are lower case, words by spaces.

Only places whose zone is beyond doubt are here: a city that shares its name with another in a
different zone (Portland, Oregon and Maine) is left to the suggestions.
"""

from __future__ import annotations

from typing import Final

CITIES: Final[dict[str, str]] = {
    # India
    "mumbai": "Asia/Kolkata",
    "bombay": "Asia/Kolkata",
    "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata",
    "madras": "Asia/Kolkata",
    "hyderabad": "Asia/Kolkata",
    "pune": "Asia/Kolkata",
    "ahmedabad": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    # China and around
    "beijing": "Asia/Shanghai",
    "peking": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "hangzhou": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "japan": "Asia/Tokyo",
    "busan": "Asia/Seoul",
    "hanoi": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
    "abu dhabi": "Asia/Dubai",
    "islamabad": "Asia/Karachi",
    "lahore": "Asia/Karachi",
    # United States
    "san francisco": "America/Los_Angeles",
    "sf": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "san diego": "America/Los_Angeles",
    "san jose": "America/Los_Angeles",
    "las vegas": "America/Los_Angeles",
    "la": "America/Los_Angeles",
    "l.a.": "America/Los_Angeles",
    "washington": "America/New_York",
    "washington dc": "America/New_York",
    "washington d.c.": "America/New_York",
    "boston": "America/New_York",
    "philadelphia": "America/New_York",
    "miami": "America/New_York",
    "atlanta": "America/New_York",
    "nyc": "America/New_York",
    "dallas": "America/Chicago",
    "houston": "America/Chicago",
    "austin": "America/Chicago",
    "minneapolis": "America/Chicago",
    "salt lake city": "America/Denver",
    # Elsewhere in the Americas
    "ottawa": "America/Toronto",
    "montreal": "America/Toronto",
    "quebec": "America/Toronto",
    "calgary": "America/Edmonton",
    "rio de janeiro": "America/Sao_Paulo",
    "rio": "America/Sao_Paulo",
    "brasilia": "America/Sao_Paulo",
    # Europe
    "munich": "Europe/Berlin",
    "frankfurt": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin",
    "milan": "Europe/Rome",
    "florence": "Europe/Rome",
    "barcelona": "Europe/Madrid",
    "geneva": "Europe/Zurich",
    "manchester": "Europe/London",
    "edinburgh": "Europe/London",
    "st petersburg": "Europe/Moscow",
    "saint petersburg": "Europe/Moscow",
    "krakow": "Europe/Warsaw",
    "porto": "Europe/Lisbon",
    # Africa and Oceania
    "cape town": "Africa/Johannesburg",
    "wellington": "Pacific/Auckland",
    "canberra": "Australia/Sydney",
}
