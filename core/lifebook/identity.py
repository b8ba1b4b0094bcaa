"""An identity statement as the person meant it: one sentence starting "I am…" when it can be
said so cleanly, else their words as written.

"a reader" and "someone who reads" follow "I am" as they are; "reads every day" or "read every
day" (a habit said as a verb) become "I am someone who reads every day"; "I read every day",
"I'm a writer" and "am patient" already are sentences about oneself. Words that fit none of
these ("Family first", "morning person") are kept as typed rather than made into broken grammar
("I am reads every day" used to be saved).
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words after which "I am" reads as a sentence: articles, "someone", "not", possessives, ...
_NOUN_STARTERS = _words(
    "a an the someone somebody one not no more less my your his her their our in on at part "
    "becoming being proud"
)
_ADJECTIVES = _words(
    "calm kind strong fit brave bold patient honest humble free open wise fast good great better "
    "gentle sober alive awake alert fine whole enough driven safe polite tough quiet steady ready "
    "able well healthy happy wealthy lucky sporty friendly lively early busy present"
)
_ADJECTIVE_ENDINGS = ("ful", "ous", "ive", "able", "ible", "ent", "ant", "ic", "less", "ed", "al")
# Common verbs of habits, in their base form: "read every day" is "someone who reads every day".
_VERBS = _words(
    "read run walk move write eat drink sleep wake go get exercise train meditate practice "
    "practise study learn cook show keep make take do have finish start stretch floss journal "
    "pray save spend work lift swim cycle bike play listen call help give choose put stay stop "
    "skip miss plan track prepare breathe think speak say smile love care treat follow focus "
    "create build paint draw sing dance hike climb jog code invest live try limit avoid protect "
    "respect value reflect volunteer visit text leave turn drive ride commit show stick quit "
    "choose protect put nourish hydrate rest"
)
_MODALS = _words("can can't cannot will won't would should must may might could")
_ADVERBS = _words("always never often usually rarely sometimes regularly still also")
_NEGATIONS = {"don't": "doesn't", "dont": "doesn't", "do": "does"}
_JOINS = frozenset({"and", "or", "then"})
_ING_NOUNS = _words(
    "morning evening nothing something anything everything thing king ring spring string"
)
_WORD = re.compile(r"[a-z']+")


def identity_statement(statement: str) -> str:
    """'reads every day' -> 'I am someone who reads every day'; see the module's docstring."""
    clean = " ".join(statement.split())
    words = clean.split(" ")
    first = _bare(words[0])
    if first == "i" or first in ("i'm", "i’m", "im"):
        if first == "im":
            return clean  # "Im" may be a name; kept as written
        return "I" + clean[1:]  # "i am a runner" -> "I am a runner"
    if first == "am" and len(words) > 1 and _bare(words[1]) != "i":  # not "Am I enough?"
        return f"I {_lower_first(clean)}"
    if _follows_i_am(first):
        return f"I am {_lower_first(clean)}"
    third = _as_third_person(words)
    if third is not None:
        return f"I am someone who {third}"
    return clean


def _bare(word: str) -> str:
    return word.lower().strip(",.;:!?").replace("’", "'")


def _lower_first(text: str) -> str:
    """'A reader' -> 'a reader'; 'CEO of my life' stays (an acronym or a name keeps its case)."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not first[1:2].isupper():
        return text[:1].lower() + text[1:]
    return text


def _follows_i_am(word: str) -> bool:
    """Whether the statement can follow "I am" as it is: "a reader", "calm", "becoming fit"."""
    if word in _NOUN_STARTERS or word in _ADJECTIVES:
        return True
    if word in _VERBS or not _WORD.fullmatch(word):
        return False
    if word.endswith("ing") and len(word) > 4 and word not in _ING_NOUNS:
        return True  # "learning to cook", "getting fitter"
    return len(word) > 4 and word.endswith(_ADJECTIVE_ENDINGS)  # "grateful", "consistent"


def _as_third_person(words: list[str]) -> str | None:
    """'read every day' -> 'reads every day'; 'never miss twice' -> 'never misses twice';
    'reads every day' stays; None when the words do not start with a verb."""
    out = [_lower_first(words[0]), *words[1:]]
    at = 0
    if _bare(out[0]) in _ADVERBS and len(out) > 1:
        at = 1
    word = _bare(out[at])
    if word in _NEGATIONS and len(out) > at + 1:
        if word == "do" and _bare(out[at + 1]) != "not":
            return None
        out[at] = _NEGATIONS[word]
        return " ".join(out)
    if word in _MODALS and len(out) > at + 1:
        return " ".join(out)
    if word in _VERBS:
        out[at] = _third(out[at])
        for n in range(at + 1, len(out) - 1):  # "read and run": both verbs
            if _bare(out[n]) in _JOINS and _bare(out[n + 1]) in _VERBS:
                out[n + 1] = _third(out[n + 1])
        return " ".join(out)
    if word.endswith("s") and word[:-1] in _VERBS | {"doe", "ha"}:
        return " ".join(out)  # already said of someone: "reads every day", "does", "has"
    if word.endswith("es") and word[:-2] in _VERBS:
        return " ".join(out)  # "goes", "finishes"
    if word.endswith("ies") and word[:-3] + "y" in _VERBS:
        return " ".join(out)  # "studies"
    return None


def _third(verb: str) -> str:
    """The verb as said of someone: read -> reads, go -> goes, study -> studies, have -> has."""
    word = verb.lower()
    if word == "have":
        return "has"
    if word.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"
