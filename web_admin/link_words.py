"""A link code refused through POST /api/v1/me/link, in the API's terms: the code comes from the
bot in a private chat and is sent here again, not with the chat's "/link CODE"; each reason has
its own problem code. Reasons the chat words without a command keep the chat's words. A code
typed again after it joined its account into this one is said to be used (link_code_used), as
it is to anyone else, not already_linked: that is for an unused code made by another account
of this same profile."""

from __future__ import annotations

from bot.handlers.link import CODE_USED, refusal_text
from core.users.links import CODE_LENGTH, Refusal, Refused
from web_admin.error_codes import Err

LINK = "POST /api/v1/me/link"
NEW_CODE = "Ask the bot for a new one in a private chat with the account to join this one."

CODES: dict[Refusal, Err] = {
    Refusal.PAUSED: Err.LINK_CODE_THROTTLED,
    Refusal.UNKNOWN: Err.LINK_CODE_UNKNOWN,
    Refusal.MALFORMED: Err.LINK_CODE_MALFORMED,
    Refusal.EXPIRED: Err.LINK_CODE_EXPIRED,
    Refusal.USED: Err.LINK_CODE_USED,
    Refusal.OWN_CODE: Err.LINK_CODE_OWN,
    Refusal.WEB_ACCOUNTS: Err.LINK_CODE_WEB_ACCOUNT,
    Refusal.ALREADY_LINKED: Err.ALREADY_LINKED,
    Refusal.NOT_CLAIMED: Err.LINK_CODE_UNKNOWN,  # a chat button's; never asked of the API
}


def link_code_of(refused: Refused) -> Err:
    if refused.reason is Refusal.UNKNOWN and refused.tries_left == 0:
        return Err.LINK_CODE_THROTTLED
    if refused.reason is Refusal.ALREADY_LINKED and refused.used:
        return Err.LINK_CODE_USED  # typed again after it joined: spent, as for anyone else
    return CODES[refused.reason]


def link_refusal(refused: Refused) -> str:
    match refused.reason:
        case Refusal.MALFORMED:
            return (
                f"That isn't a link code: a link code has {CODE_LENGTH} letters and digits "
                "(never 0, O, 1, I or L), as the bot showed it in your private chat. Check it "
                f"and send it to {LINK} again; this one did not count as a wrong code."
            )
        case Refusal.OWN_CODE:
            return (
                "That code was made by this account, for the bot: send it to the bot from the "
                "chat account you want to join this one."
            )
        case Refusal.WEB_ACCOUNTS:
            return (
                "That code was made by another web account. Two web accounts can't be joined: "
                "each signs in with its own email, and one would stop working. A link code joins "
                "a chat account with a web account: ask the bot for one in a private chat with the "
                "account to join this one."
            )
        case Refusal.ALREADY_LINKED if refused.used:
            return f"{CODE_USED}: its account is part of this profile now. Nothing to do."
        case _:
            return refusal_text(refused, "web", NEW_CODE)  # expired, used: the chat's words
