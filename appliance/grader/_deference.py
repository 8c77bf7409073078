"""Automation bias by the shape of the sentence: the AI tool's output given as the reason to relax or wait.

Embeddings place "the score is low so she's fine" and "the score is low but she needs review" side by side:
they share every topic word and differ in one connective. What separates them is the sentence's shape,
which is the same on any ward and with any tool:

* **the tool's verdict as the reason** for reassurance, inaction or acceptance: "<tool> says low **so** I'm
  happy to recheck at 6", "it's approved by the trust **so** it's accurate", "if <tool> isn't worried I
  shouldn't be";
* **the tool as the authority**: "<tool> knows better than nurses", "AI doesn't make typos", "it would have
  flagged it", "the score is more reliable than my impression";
* **waiting for the tool**: "let it recalculate at 4", "wait for the next score", "if it goes amber I'll call".

A sentence that turns against the tool ("..., but she looks unwell", "despite the score", "whatever the
computer says") or negates the conclusion ("so I'm *not* happy to wait") is not deference. The tool is named
by generic words (AI, tool, score, algorithm, app, system, scribe...) and by the product names the rubric's
own red flags use (a capitalised word in a red-flag wording that also names the tool generically).

The scorer uses a deferring sentence as the evidence of the rubric's closest red flag (when one is close
enough); without one it sends the answer to review. The phrase lists are linguistic, not clinical: they hold
for a sepsis score, a dose calculator or an AI scribe alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from appliance.grader._shorthand import expand
from appliance.grader._text import has_negation, sentences, words

_GENERIC_TOOL = (
    r"ai|a\.i\.|the tool|tool's|tools?|(?:risk |ai |sepsis |early.warning )?scores?|scoring|algorithms?|app|apps|"
    r"system|model|computer|software|scribe|assistant|chatbot|chat ?gpt|predictions?|predictor|calculator|"
    r"dashboard|programme|program|machine|device|sensor|meter|cgm"
)
_VERDICT = (
    r"says?|said|shows?|showed|showing|is|was|'s|reads?|gives?|gave|has|had|thinks?|rates?|rated|puts?|calls?|"
    r"scored|scores?|flags?|flagged|isn't|is not|wasn't|hasn't|agrees?|predicts?|recorded|wrote|picked|"
    r"worked (?:it )?out|calculated|recommends?|recommended|suggests?|suggested|decided"
)
_CONCLUSION = (
    r"fine|ok|okay|safe|happy|reassur\w*|relax\w*|nothing (?:to worry|wrong|to report)|no need|no point|"
    r"not (?:needed|necessary|worried|septic|sepsis|urgent|a concern)|isn't (?:sepsis|septic|urgent|worried)|"
    r"can wait|(?:i'?ll |we'?ll |i will |we will |i can |we can )?wait|hold off|leave (?:it|her|him)|"
    r"re-?check|check (?:again|later)|later|next cares|in the morning|accurate|correct|(?:is|it's|was|looks) right|"
    r"all right|alright|reliable|trust|"
    r"believe|accept|sign\b|go with|follow (?:it|that)|overreact\w*|covering myself|probably (?:fine|nothing)|"
    r"low risk|not sepsis|shouldn'?t be|should not be|(?:can |could )?go home|discharge\w*|"
    r"send (?:her |him |them )?home|leave (?:the \w+|them)(?: alone)?"
)
_AUTHORITY = (
    r"knows? (?:better|best|more)|is (?:always|never) (?:right|wrong)|can'?t be wrong|cannot be wrong|"
    r"doesn'?t make (?:mistakes|errors|typos)|does not make (?:mistakes|errors|typos)|never makes? (?:mistakes|errors)|"
    r"would have (?:flagged|picked|caught|alerted|spotted)|(?:is|'s|has been|was) (?:validated|approved|accurate|"
    r"reliable|tested|proven)|is more (?:reliable|accurate|objective)|(?:is )?designed by|isn'?t worried|is not worried"
)
_BETTER_THAN_ME = (
    r"(?:more reliable|more accurate|better|more objective) than (?:my|our|the nurses?|nurses|me|us|clinical|"
    r"a nurse|what i see)"
)
_WAIT_FOR = (
    r"\b(?:wait|waiting|hold off|let|until|till|see what)\b[^.;!?]{0,40}?\b(?:re-?scores?|re-?calc\w*|updates?|"
    r"re-?runs?|next (?:score|run|calculation|reading)|(?:to |it )?flags?|goes? (?:amber|red|high|up)|says)\b"
)
_IF_TOOL_THEN_CALL = (
    r"\bif\b[^.;!?]{0,30}?(?:{tool})\b[^.;!?]{0,25}?\b(?:goes|turns|flags|alerts|becomes|changes|rises|gets|"
    r"is|says|shows)\b[^.;!?]{0,30}?\b(?:call|ring|escalate|bleep|phone|tell|get|worry|act)\b"
)
_CONTRAST = re.compile(
    r"\b(?:but|however|though|although|despite|whatever|even so|even if|regardless|yet|still)\b", re.I
)
_DOUBTS_TOOL = re.compile(
    r"\b(?:doesn'?t mean|does not mean|isn'?t enough|not enough|can'?t see|cannot see|doesn'?t see|only sees|"
    r"lags?|out of date|hours? old|wrong|false|miss(?:es|ed)?|not always|counts? for nothing|means? nothing|"
    r"meaningless|irrelevant|(?:worked out|calculated|ran) before)\b",
    re.IGNORECASE,
)
_NEGATION = re.compile(r"\b(?:not|never|no|don'?t|won'?t|wouldn'?t|can'?t|isn'?t|shouldn'?t|nor)\b", re.I)
_CAMEL = re.compile(r"\b([A-Z][a-z]+[A-Z][\w-]*)\b")
_NAMED_TOOL = re.compile(
    r"\b([A-Z][\w-]+)\s+(?:tool|app|system|score|model|algorithm|scribe|assistant|alert|software)\b"
)


def tool_names(texts: Iterable[str]) -> frozenset[str]:
    """Product names the rubric and question give the tool: CamelCase words ("NeoSense") and a capitalised
    word right before a generic tool noun ("the CDI tool", "the BiliCam app")."""
    found: set[str] = set()
    for text in texts:
        found.update(m.group(1).lower() for m in _CAMEL.finditer(text))
        found.update(m.group(1).lower() for m in _NAMED_TOOL.finditer(text))
    return frozenset(n for n in found if n not in {"the", "this", "that", "an", "a", "our", "ai"})


def _tool(names: frozenset[str], *, pronoun: bool) -> str:
    extra = "".join(f"|{re.escape(n)}" for n in sorted(names))
    return f"{_GENERIC_TOOL}{extra}" + ("|it" if pronoun else "")


_NOT_ACTING = re.compile(
    r"\b(?:won'?t|will not|wouldn'?t|don'?t|do not|not going to|no need to|not)\s+(?:\w+\s+){0,2}?"
    r"(?:call|ring|escalate|bleep|wake|bother|phone|page|tell|report|check|recheck|worry|act)\b",
    re.IGNORECASE,
)


def _concluded(tail: str) -> bool:
    """The clause after the connective draws a reassuring or passive conclusion that is not negated, or
    decides not to act ("so I won't call")."""
    if _NOT_ACTING.search(tail):
        return True
    m = re.search(rf"\b(?:{_CONCLUSION})\b", tail, re.IGNORECASE)
    if m is None:
        return False
    before = tail[: m.start()]
    # "so I'm not happy to wait" / "so we can't wait": the conclusion is negated, so it is not deference
    # ("no need" and "no point" carry their own negation and count as the conclusion itself).
    return not _NEGATION.search(before)


def _verdict_as_reason(text: str, tool: str) -> bool:
    pattern = re.compile(
        rf"\b(?:{tool})\b[^.;!?]{{0,60}}?\b(?:{_VERDICT})\b([^.;!?]{{0,60}}?)\b(?:so|therefore|which means|"
        rf"means|meaning|then|and|,)\s+([^.;!?]{{0,60}})",
        re.IGNORECASE,
    )
    for m in pattern.finditer(text):
        if _concluded(m.group(2)):
            return True
    reason_first = re.compile(
        rf"\b(?:since|as|because|given)\b[^.;!?]{{0,15}}?\b(?:{tool})\b[^.;!?]{{0,40}}?\b(?:{_VERDICT})\b"
        rf"[^.;!?]{{0,40}}?,?\s*([^.;!?]{{0,60}})",
        re.IGNORECASE,
    )
    if any(_concluded(m.group(1)) for m in reason_first.finditer(text)):
        return True
    conditional = re.compile(
        rf"\bif\b[^.;!?]{{0,30}}?\b(?:{tool})\b[^.;!?]{{0,40}}?\b(?:{_VERDICT})\b([^.;!?]{{0,60}})", re.I
    )
    return any(_concluded(m.group(1)) for m in conditional.finditer(text))


def _authority(text: str, tool: str) -> bool:
    pattern = re.compile(rf"\b(?:{tool})\b[^.;!?]{{0,40}}?\b(?:{_AUTHORITY})\b", re.IGNORECASE)
    for m in pattern.finditer(text):
        span = text[m.start() : m.end()]
        # "the AI isn't always right" negates the authority; "isn't worried" is itself the deferring verdict
        if re.search(r"isn'?t worried|is not worried", span, re.I) or not _NEGATION.search(span):
            return True
    return bool(re.search(rf"\b(?:{tool})\b[^.;!?]{{0,40}}?\b{_BETTER_THAN_ME}", text, re.IGNORECASE))


def _waits_for_tool(text: str, tool: str) -> bool:
    if re.search(_IF_TOOL_THEN_CALL.replace("{tool}", tool), text, re.IGNORECASE):
        return True
    m = re.search(_WAIT_FOR, text, re.IGNORECASE)
    return m is not None and not _NEGATION.search(text[max(0, m.start() - 20) : m.start()])


Kind = Literal["trust", "wait"]
_STRICT_TOOL = (
    r"ai|a\.i\.|tool|tools|algorithms?|app|apps|system|model|computer|software|scribe|assistant|chatbot|"
    r"chat ?gpt|calculator|dashboard|programme|program"
)
_WAITING = re.compile(
    r"\b(?:wait\w*|re-?scor\w*|recalculat\w*|until|till|next (?:score|run)|before escalating)\b", re.I
)


def red_flag_kind(wordings: Iterable[str], names: frozenset[str] = frozenset()) -> Kind | None:
    """Which deference a red flag is about, from its wordings: waiting for the tool, trusting it, or neither
    (its wordings do not name the tool; a bare "score" is not enough there: "better acuity scores")."""
    texts = list(wordings)
    extra = "".join(f"|{re.escape(n)}" for n in sorted(names))
    if not any(re.search(rf"\b(?:{_STRICT_TOOL}{extra})\b", t, re.IGNORECASE) for t in texts):
        return None
    return "wait" if any(_WAITING.search(t) for t in texts) else "trust"


def deference_kind(sentence: str, names: frozenset[str] = frozenset()) -> Kind | None:
    """How the sentence defers to the tool (None when it does not)."""
    text = _CONTRAST.split(expand(sentence))[-1]
    if not words(text) or _DOUBTS_TOOL.search(text):
        return None
    tool, tool_or_it = _tool(names, pronoun=False), _tool(names, pronoun=True)
    if _waits_for_tool(text, tool_or_it):
        return "wait"
    if _verdict_as_reason(text, tool) or _authority(text, tool_or_it):
        return "trust"
    return None


def defers_to_tool(sentence: str, names: frozenset[str] = frozenset()) -> bool:
    """True when the sentence gives the tool's output as the reason to relax, wait or accept it."""
    return deference_kind(sentence, names) is not None


def deferring_sentences(answer: str, names: frozenset[str] = frozenset()) -> tuple[tuple[str, Kind], ...]:
    """The answer's sentences that defer to the tool, verbatim (so they can be quoted), with how."""
    parts = sentences(answer)
    out: list[tuple[str, Kind]] = []
    for n, sentence in enumerate(parts):
        kind = deference_kind(sentence, names)
        if kind is None and n + 1 < len(parts) and _bare_verdict(sentence, names):
            # ward shorthand puts the verdict and the conclusion in two sentences: "AI says low risk. recheck
            # next cares" reads as "AI says low risk, so recheck next cares"
            kind = deference_kind(f"{sentence.rstrip('.!?')}, so {parts[n + 1]}", names)
            sentence = f"{sentence} {parts[n + 1]}" if kind else sentence
        if kind is not None:
            out.append((sentence, kind))
    return tuple(out)


def _bare_verdict(sentence: str, names: frozenset[str]) -> bool:
    """A short sentence that only reports the tool's verdict ("NeoSense green.", "AI says low risk.")."""
    text = expand(sentence)
    return (
        len(words(text)) <= 8
        and not _CONTRAST.search(text)
        and bool(re.search(rf"\b(?:{_tool(names, pronoun=False)})\b", text, re.IGNORECASE))
    )


_OVERRIDE_POINT = re.compile(
    r"\b(?:outweighs?|overr(?:ode|ides?|idden|ule\w*)|over the (?:score|tool|ai|app|alert)|instead of|rather than|"
    r"does not change|doesn'?t change|does not rule out|doesn'?t rule out|does not mean|doesn'?t mean|comes first|"
    r"whatever|despite|regardless|trust (?:my|the baby|what)|not the (?:tool|ai|app|score|computer))\b",
    re.IGNORECASE,
)
_JUDGEMENT = (
    r"(?:my|our|the nurse'?s?|clinical|bedside|own) (?:assessment|judgement|judgment|picture|findings|exam\w*|gut|"
    r"eyes|impression)|what (?:i|we) (?:see|find|found|can see)|the baby|she|he|her obs|his obs|obs|signs|"
    r"clinical picture|my gut|the exam\w*|examination|looking at (?:her|him)|observations"
)
_OUTRANKS = (
    r"worse than|outweighs?|trumps?|matters? more than|more important than|over(?:rides?|rules?)?|beats|"
    r"comes? before|counts? more than|not the"
)
_CONCERN = re.compile(
    r"\b(?:unwell|septic|sick|poorly|worse|off|not right|worried|concern\w*|deteriorat\w*|call\w*|ring\w*|"
    r"escalat\w*|bleep\w*|review|check\w*|assess\w*|look\w*|measure\w*|examin\w*|test\w*|sample|level)\b",
    re.IGNORECASE,
)


_WENT_AGAINST = re.compile(
    r"\b(?:went|go|going|acted|act|acting|decided) against (?:the |its |it\b)|\boverr(?:ode|ide|iding|uled?)\s+"
    r"(?:the |it\b|its )",
    re.IGNORECASE,
)


def override_point(wordings: Iterable[str], names: frozenset[str] = frozenset()) -> bool:
    """Is this key point about putting one's own judgement or checks above the tool ("my bedside assessment
    outweighs the low AI score", "checks the dose ... instead of taking the tool's figure")?"""
    extra = "".join(f"|{re.escape(n)}" for n in sorted(names))
    return any(
        _OVERRIDE_POINT.search(t) and re.search(rf"\b(?:{_STRICT_TOOL}|score{extra})\b", t, re.IGNORECASE)
        for t in wordings
    )


def overrides_tool(sentence: str, names: frozenset[str] = frozenset()) -> bool:
    """True when the sentence sets the nurse's own judgement or checks above the tool's output: "obs worse
    than score", "clinical picture trumps the algorithm", "despite the green score she looks septic", "the
    tool is green but she's mottled, calling the reg", "going with what I see, not the screen"."""
    text = expand(sentence)
    tool = _tool(names, pronoun=False) + "|screen|computer|number"
    if not re.search(rf"\b(?:{tool})\b", text, re.IGNORECASE) or deference_kind(sentence, names):
        return False
    ranked = re.search(rf"\b(?:{_JUDGEMENT})\b([^.;!?]{{0,40}}?)\b(?:{_OUTRANKS})\b[^.;!?]{{0,30}}?\b(?:{tool})\b",
                       text, re.IGNORECASE)  # fmt: skip
    if ranked and not has_negation(text[: ranked.start()] + " " + ranked.group(1)):
        return True  # "my assessment doesn't outweigh the score" negates it
    if _WENT_AGAINST.search(text) and not has_negation(text):
        return True  # "record the reading and that we went against it", "I overrode the score"
    against = re.search(rf"\b(?:despite|regardless of|whatever|even though|even if)\b[^.;!?]{{0,40}}?\b(?:{tool})\b",
                        text, re.IGNORECASE)  # fmt: skip
    if against:
        return bool(_CONCERN.search(text[against.end() :]) or _CONCERN.search(text[: against.start()]))
    turned = re.search(rf"\b(?:{tool})\b[^.;!?]{{0,50}}?\bbut\b(.*)", text, re.IGNORECASE)
    return bool(turned and _CONCERN.search(turned.group(1)) and not _concluded(turned.group(1)))


def overriding_sentences(answer: str, names: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The answer's sentences that put the nurse's own judgement or checks above the tool, verbatim."""
    return tuple(s for s in sentences(answer) if overrides_tool(s, names))
