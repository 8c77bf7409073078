"""Starting points for a new scenario: a blank canvas and three valid templates with placeholder rubrics.

Every template has the same teaching shape: a situation with an AI tool's output, a decision (best,
acceptable and unsafe choices) graded by a rubric, a fail-state with its recovery, and debriefed ends. The
placeholder text says what to replace; the scenarios validate clean as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.engine import (
    AIOutput,
    Choice,
    ChoiceRating,
    ContentNode,
    DecisionNode,
    Edge,
    EndNode,
    FailStateNode,
    HarmSeverity,
    Outcome,
    RecoveryNode,
    Rubric,
    Scenario,
)
from appliance.engine.rubrics import Exemplar, KeyPoint, RedFlag


@dataclass(frozen=True)
class Template:
    """A named starting point."""

    id: str
    title: str
    description: str
    scenario: Scenario


def blank(title: str = "New scenario") -> Scenario:
    """A blank canvas: one content node to start from."""
    start = ContentNode(id="start", title="Start", body="Describe the situation.", position=(0.0, 0.0))
    return Scenario(id="scenario-1", title=title, start="start", nodes=(start,))


def _shape(
    sid: str,
    title: str,
    situation: str,
    tool: str,
    output: str,
    prompt: str,
    choices: tuple[str, str, str],
    key_points: tuple[str, str],
    red_flag: str,
    harm: str,
) -> Scenario:
    best, ok, unsafe = choices
    rubric = Rubric(
        key_points=(
            KeyPoint(id="kp-1", text=key_points[0], critical=True, weight=2.0),
            KeyPoint(id="kp-2", text=key_points[1]),
        ),
        red_flags=(RedFlag(id="rf-1", text=red_flag),),
        exemplars=(
            Exemplar(text=f"{key_points[0]} {key_points[1]}", score=0.9, met=("kp-1", "kp-2")),
            Exemplar(text=red_flag, score=0.1, red_flags=("rf-1",)),
        ),
    )
    nodes = (
        ContentNode(
            id="situation",
            title="The situation",
            body=situation,
            ai_output=AIOutput(tool=tool, text=output),
            position=(0.0, 0.0),
        ),
        DecisionNode(
            id="decide",
            title="Your decision",
            prompt=prompt,
            choices=(
                Choice(
                    id="best", label=best, rating=ChoiceRating.BEST, feedback="Replace: why this is best."
                ),
                Choice(
                    id="ok", label=ok, rating=ChoiceRating.ACCEPTABLE, feedback="Replace: what it misses."
                ),
                Choice(id="unsafe", label=unsafe, rating=ChoiceRating.UNSAFE, feedback="Replace: the risk."),
            ),
            rubric=rubric,
            position=(0.0, 160.0),
        ),
        FailStateNode(
            id="harm",
            title="What went wrong",
            consequence=harm,
            severity=HarmSeverity.SEVERE,
            position=(320.0, 320.0),
        ),
        RecoveryNode(
            id="recover",
            title="Recovery",
            body="Replace: how the team notices and puts it right.",
            position=(320.0, 480.0),
        ),
        EndNode(
            id="end-safe",
            title="Safe outcome",
            outcome=Outcome.SUCCESS,
            debrief="Replace: what the safe path shows.",
            position=(-320.0, 320.0),
        ),
        EndNode(
            id="end-partial",
            title="Partly safe",
            outcome=Outcome.PARTIAL,
            debrief="Replace: what to do sooner next time.",
            position=(0.0, 640.0),
        ),
    )
    edges = (
        Edge(source="situation", target="decide"),
        Edge(source="decide", choice="best", target="end-safe"),
        Edge(source="decide", choice="ok", target="end-partial"),
        Edge(source="decide", choice="unsafe", target="harm"),
        Edge(source="harm", target="recover"),
        Edge(source="recover", target="end-partial"),
    )
    return Scenario(id=sid, title=title, start="situation", nodes=nodes, edges=edges)


TEMPLATES: tuple[Template, ...] = (
    Template(
        "ai-alert-conflict",
        "AI alert conflicts with bedside assessment",
        "An AI early-warning score says all is well; your own assessment says otherwise.",
        _shape(
            "ai-alert-conflict",
            "AI alert conflicts with bedside assessment",
            "Replace: the patient, the observations and what worries you at the bedside.",
            "Early-warning score",
            "Replace: the tool's low-risk score and when it was calculated.",
            "The score says low risk but your assessment worries you. What do you do?",
            ("Escalate now with an SBAR", "Repeat the observations in an hour", "Trust the score and wait"),
            ("A low score does not overrule a worrying bedside assessment.", "Escalate promptly with SBAR."),
            "The AI score is low so the patient is fine.",
            "Replace: the deterioration that was missed while waiting.",
        ),
    ),
    Template(
        "ai-documentation-check",
        "AI documentation suggestion to verify",
        "An AI assistant drafts a note or a care-plan change that must be checked before it is signed.",
        _shape(
            "ai-documentation-check",
            "AI documentation suggestion to verify",
            "Replace: what the assistant was asked to draft, and for whom.",
            "Documentation assistant",
            "Replace: the drafted note, with one detail that does not match the chart.",
            "The draft is ready to sign. What do you do?",
            ("Check it against the chart and correct it", "Sign it and review it later", "Sign it as it is"),
            (
                "Verify each AI-drafted detail against the source record.",
                "You are accountable for what you sign.",
            ),
            "The assistant is accurate, so checking is not needed.",
            "Replace: the harm from the wrong detail in the signed record.",
        ),
    ),
    Template(
        "privacy-in-prompt",
        "Privacy of patient data in a prompt",
        "A colleague wants to paste identifiable patient details into a general AI chatbot.",
        _shape(
            "privacy-in-prompt",
            "Privacy of patient data in a prompt",
            "Replace: who wants to use which tool, and with which patient details.",
            "General chatbot",
            "Replace: the prompt the colleague has typed, with the identifiers in it.",
            "Your colleague is about to send the prompt. What do you do?",
            (
                "Stop and use only approved tools without identifiers",
                "Remove the name and send it",
                "Send it",
            ),
            (
                "Identifiable patient data must not go into unapproved tools.",
                "Use the approved route instead.",
            ),
            "It is fine because the chatbot is popular.",
            "Replace: the privacy breach and who must be told.",
        ),
    ),
)


def template(template_id: str) -> Template:
    """Return a template by id.

    :raises KeyError: no such template.
    """
    for found in TEMPLATES:
        if found.id == template_id:
            return found
    raise KeyError(template_id)
