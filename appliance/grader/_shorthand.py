"""Ward shorthand spelled out for the models: "bleep reg for r/v" is embedded as "bleep registrar for review".

Only what the models read is expanded; evidence quotes stay in the learner's own words. The table is standard
UK ward and neonatal shorthand, not drawn from any evaluation set.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TABLE = {
    "reg": "registrar", "regs": "registrars", "sho": "junior doctor", "cons": "consultant",
    "annp": "advanced neonatal nurse practitioner", "nnp": "neonatal nurse practitioner",
    "nic": "nurse in charge", "rn": "nurse", "dr": "doctor", "drs": "doctors", "paeds": "paediatrician",
    "pharm": "pharmacist", "r/v": "review", "rv": "review", "obs": "observations", "nbm": "nil by mouth",
    "abx": "antibiotics", "h/o": "handover", "d/c": "discharge", "hr": "heart rate", "rr": "respiratory rate",
    "bp": "blood pressure", "sats": "oxygen saturations", "desats": "desaturations", "desat": "desaturation",
    "brady": "bradycardia", "bradys": "bradycardias", "tachy": "tachycardic", "crt": "capillary refill time",
    "pt": "patient", "pts": "patients", "ng": "nasogastric", "ngt": "nasogastric tube", "asp": "aspirate",
    "abdo": "abdomen", "bm": "blood glucose", "bms": "blood glucose checks", "iv": "intravenous",
    "ir1": "incident report", "datix": "incident report", "wt": "weight", "kardex": "drug chart",
    "sbr": "serum bilirubin", "tcb": "transcutaneous bilirubin", "tmrw": "tomorrow", "o/n": "overnight",
    "w/": "with", "w": "with", "til": "until", "till": "until", "2nd": "second", "ix": "investigations",
    "mx": "management", "hx": "history", "dx": "diagnosis", "tx": "treatment", "fbc": "full blood count",
    "lp": "lumbar puncture", "picc": "central line", "uvc": "central line", "tpn": "parenteral nutrition",
    "ebm": "expressed breast milk", "ivi": "intravenous infusion", "esc": "escalate", "asap": "as soon as possible",
    "dont": "don't", "cant": "can't", "wont": "won't", "isnt": "isn't", "doesnt": "doesn't", "im": "I'm",
}  # fmt: skip
_TOKEN = re.compile(
    r"(?<![\w/])(" + "|".join(re.escape(k) for k in sorted(_TABLE, key=len, reverse=True)) + r")(?![\w/])",
    re.I,
)
_SYMBOLS = (
    (re.compile(r"\s*->\s*"), " then "),
    (re.compile(r"\s\+\s"), " and "),
    (re.compile(r"(?<=\s)\?(?=\w)"), "possible "),
)


@lru_cache(maxsize=1 << 14)
def expand(text: str) -> str:
    """Return ``text`` with ward shorthand spelled out (whole tokens only, case-insensitive)."""
    out = _TOKEN.sub(lambda m: _TABLE[m.group(1).lower()], text)
    for pattern, replacement in _SYMBOLS:
        out = pattern.sub(replacement, out)
    return out
