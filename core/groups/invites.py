"""Invite codes: the key to a private group, typed back in any case and with stray spaces.

A code is 15 characters from the link codes' alphabet (capitals and digits without look-alikes:
no 0/O, 1/I/L), about 74 bits, as hard to guess as the 12 mixed-case characters of
`token_urlsafe(9)` (72 bits) it replaces. Codes are stored in their normalised form (capitals),
so a lookup is one comparison on the unique column. Codes made before (mixed case, with `-` and
`_`) were turned to capitals by migration 0034 and still open their group, typed in any case;
their `-` and `_` are part of them and kept.
"""

from __future__ import annotations

import secrets

from core.users.links import ALPHABET

INVITE_LENGTH = 15


def new_invite_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(INVITE_LENGTH))


def normalise_invite(text: str) -> str:
    """What people type back: any case, with spaces anywhere (a copied line break too)."""
    return "".join(text.split()).upper()
