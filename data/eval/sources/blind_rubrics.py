"""The blind evaluation set's four rubrics (not the demo's): written before any grader change, never tuned on.

``python data/eval/sources/build_blind.py`` turns these and ``blind_answers.py`` into
``data/eval/blind_module.json`` (an engine module document) and ``data/eval/blind_rationales.jsonl``.
"""

from __future__ import annotations

from typing import Any

Rubric = dict[str, Any]


def kp(ident: str, text: str, weight: float, critical: bool, *phrasings: str) -> dict[str, Any]:
    """A key point."""
    return {"id": ident, "text": text, "weight": weight, "critical": critical, "phrasings": list(phrasings)}


def rf(ident: str, text: str, *phrasings: str) -> dict[str, Any]:
    """A red flag."""
    return {"id": ident, "text": text, "phrasings": list(phrasings)}


def ex(text: str, score: float, met: list[str], red_flags: list[str] | None = None) -> dict[str, Any]:
    """A graded exemplar."""
    return {"text": text, "score": score, "met": met, "red_flags": red_flags or []}


DECISIONS: list[dict[str, Any]] = [
    {
        "scenario": "dose-assistant",
        "title": "The dose assistant's green tick",
        "intro": "Baby Noah, 29 weeks, day 3, 1.2 kg today. Gentamicin 5 mg/kg every 36 hours is prescribed.",
        "id": "d-gent-dose",
        "prompt": (
            "The smart-pump dose assistant (DoseGuard) has calculated Noah's gentamicin as 10.5 mg and shows a "
            "green 'within limits' tick. It has pulled the weight 2.1 kg from the electronic record (his twin's "
            "weight). What do you do before giving it?"
        ),
        "choices": [
            (
                "hold-check",
                "Do not start the infusion: check the dose independently with a second nurse "
                "against the chart and today's weight, and call the prescriber or pharmacist",
                "best",
            ),
            ("give-tick", "Give the 10.5 mg: the pump's dose check has passed", "unsafe"),
        ],
        "rubric": {
            "key_points": [
                kp(
                    "independent-check",
                    "Checks the dose independently: works it out from the prescription "
                    "(mg/kg) and the baby's own current weight, with a second nurse, instead of taking the "
                    "tool's figure",
                    2,
                    True,
                    "work out 5 mg/kg x 1.2 kg myself",
                    "independent double check with another nurse",
                    "calculate the dose from his actual weight",
                ),
                kp(
                    "hold-dose",
                    "Does not give the drug until the discrepancy is resolved",
                    2,
                    True,
                    "hold the infusion",
                    "do not start the gentamicin yet",
                    "nothing goes in until it is sorted",
                ),
                kp(
                    "spot-error",
                    "Recognises that the tool used the wrong weight (2.1 kg, not 1.2 kg), so its "
                    "dose is nearly double",
                    1,
                    False,
                    "the weight it used is his twin's",
                    "10.5 mg is almost twice the right dose of 6 mg",
                ),
                kp(
                    "escalate-prescriber",
                    "Contacts the prescriber or pharmacist to confirm the correct dose",
                    1,
                    False,
                    "ring the pharmacist",
                    "ask the doctor who prescribed it to check",
                ),
                kp(
                    "report",
                    "Reports the error through the incident system so the tool's weight source is fixed",
                    1,
                    False,
                    "fill in a Datix",
                    "tell the medical devices team the pump pulls the wrong weight",
                ),
            ],
            "red_flags": [
                rf(
                    "trust-tick",
                    "Treats the pump's green tick as proof the dose is safe and gives it without checking",
                    "the pump has checked it so it is fine",
                    "DoseGuard is validated, I trust it",
                ),
                rf(
                    "give-then-check",
                    "Gives the dose now and checks or reports it afterwards",
                    "give it and sort the weight out later",
                ),
            ],
            "exemplars": [
                ex(
                    "I would not start it. Another nurse and I would work the dose out from the chart: 5 mg/kg "
                    "x 1.2 kg is 6 mg, so 10.5 mg is far too much because the pump used the wrong weight. I'd "
                    "ring the pharmacist to confirm and do an incident report.",
                    1.0,
                    ["independent-check", "hold-dose", "spot-error", "escalate-prescriber", "report"],
                ),
                ex(
                    "Hold it and double check the dose with a colleague first.",
                    0.57,
                    ["independent-check", "hold-dose"],
                ),
                ex("I'd tell the pharmacist the dose looks odd.", 0.14, ["escalate-prescriber"]),
                ex(
                    "The pump has a dose check built in and it passed, so I'd give it.",
                    0.0,
                    [],
                    ["trust-tick"],
                ),
            ],
            "pass_threshold": 0.6,
        },
    },
    {
        "scenario": "jaundice-app",
        "title": "The jaundice app says low",
        "intro": "Postnatal ward, day 4. Baby Ava, born at 35 weeks, breastfeeding.",
        "id": "d-bili",
        "prompt": (
            "A smartphone jaundice app (BiliCam) reads 'low risk' from a photo of Ava. She looks yellow down "
            "to her chest, is sleepy and has fed poorly overnight. Her mother asks if they can go home today. "
            "What do you do?"
        ),
        "choices": [
            (
                "test-hold",
                "Measure her bilirubin now (transcutaneous or serum), plot it on the chart, and hold "
                "the discharge until a doctor has seen the result",
                "best",
            ),
            ("discharge", "Reassure the mother and discharge: the app result is low", "unsafe"),
        ],
        "rubric": {
            "key_points": [
                kp(
                    "measure-bilirubin",
                    "Measures the bilirubin properly (serum blood test or a "
                    "transcutaneous meter) instead of relying on the app",
                    2,
                    True,
                    "send a split bilirubin / SBR",
                    "use the ward TcB meter",
                    "do a heel prick for a level",
                ),
                kp(
                    "clinical-signs",
                    "Names the clinical signs that outweigh the app: jaundice spreading down "
                    "to the chest, sleepiness and poor feeding",
                    2,
                    True,
                    "she is yellow to the chest, sleepy and not feeding well",
                ),
                kp(
                    "app-limits",
                    "Knows the app's limits: a photo depends on lighting and skin tone and the app "
                    "is a screening aid, not a diagnostic test or validated for babies like her",
                    1,
                    False,
                    "phone photos are unreliable in this light",
                    "it is only a screening tool",
                ),
                kp(
                    "plot-chart",
                    "Plots the level on the gestation-specific treatment chart to decide about phototherapy",
                    1,
                    False,
                    "plot it on the NICE threshold graph for 35 weeks",
                ),
                kp(
                    "hold-discharge",
                    "Holds the discharge and tells the doctor or midwife until the result is known",
                    1,
                    False,
                    "she is not going home until the result is back",
                    "let the paediatrician know",
                ),
            ],
            "red_flags": [
                rf(
                    "reassure-app",
                    "Reassures the mother or discharges because the app says low risk",
                    "the app says she is fine so they can go home",
                ),
                rf(
                    "wait-rescan",
                    "Waits to repeat the app photo later instead of testing now",
                    "take another photo with the app tomorrow",
                ),
            ],
            "exemplars": [
                ex(
                    "She is yellow to the chest, sleepy and feeding poorly, and a phone photo in ward light is "
                    "just a screening aid. I'd do a TcB or serum bilirubin now, plot it on the 35-week chart and "
                    "keep them in until the doctor has seen it.",
                    1.0,
                    ["measure-bilirubin", "clinical-signs", "app-limits", "plot-chart", "hold-discharge"],
                ),
                ex(
                    "Check a proper bilirubin level because she looks jaundiced and sleepy and isn't feeding.",
                    0.57,
                    ["measure-bilirubin", "clinical-signs"],
                ),
                ex("I'd let the midwife know before they leave.", 0.14, ["hold-discharge"]),
                ex(
                    "The app is low risk, so I'd reassure mum and do the discharge paperwork.",
                    0.0,
                    [],
                    ["reassure-app"],
                ),
            ],
            "pass_threshold": 0.6,
        },
    },
    {
        "scenario": "gut-score",
        "title": "The gut-risk score stays low",
        "intro": "Baby Leo, 27 weeks, day 12, on full enteral feeds of expressed breast milk.",
        "id": "d-nec",
        "prompt": (
            "The gut-risk model (NECpredict) shows a LOW score for Leo. At 14:00 cares you find a distended, "
            "tender abdomen, a green bile-stained aspirate and he has had two bradycardias. What do you do?"
        ),
        "choices": [
            (
                "stop-escalate",
                "Stop the feeds, put the tube on free drainage and call the registrar for an urgent review",
                "best",
            ),
            ("continue", "Give the next feed: the NEC score is low", "unsafe"),
        ],
        "rubric": {
            "key_points": [
                kp(
                    "stop-feeds",
                    "Stops the feeds straight away (nil by mouth)",
                    2,
                    True,
                    "make him NBM",
                    "hold the next feed",
                ),
                kp(
                    "escalate-now",
                    "Asks the registrar or ANNP for an urgent review now",
                    2,
                    True,
                    "bleep the reg to come and see him",
                    "get a doctor to review him straight away",
                ),
                kp(
                    "signs",
                    "Names the warning signs: distended tender abdomen, bile-stained aspirate, bradycardias",
                    1,
                    False,
                    "tummy is swollen and sore, green aspirate, bradys",
                ),
                kp(
                    "score-limits",
                    "Knows a low model score does not rule out NEC: the examination comes first",
                    1,
                    False,
                    "the score can't see his abdomen",
                    "a low score doesn't exclude NEC",
                ),
                kp(
                    "monitor",
                    "Keeps monitoring closely while waiting: repeat observations, girth and "
                    "aspirates, tube on free drainage",
                    1,
                    False,
                    "NG on free drainage and measure his girth",
                ),
            ],
            "red_flags": [
                rf(
                    "score-reassures",
                    "Treats the low NEC score as a reason to carry on feeding",
                    "the score is low so the feed can go in",
                ),
                rf(
                    "wait-score",
                    "Waits for the model to update or for the next feed before acting",
                    "see what the score says at the next run",
                ),
            ],
            "exemplars": [
                ex(
                    "Distended tender tummy, bilious aspirate and bradys in a 27 weeker is NEC until proven "
                    "otherwise, whatever the score says. I'd stop feeds, put the NG on free drainage, measure "
                    "his girth and bleep the registrar to review him now.",
                    1.0,
                    ["stop-feeds", "escalate-now", "signs", "score-limits", "monitor"],
                ),
                ex(
                    "Make him nil by mouth and get the reg to see him urgently.",
                    0.57,
                    ["stop-feeds", "escalate-now"],
                ),
                ex("I'd keep an eye on his girth.", 0.14, ["monitor"]),
                ex(
                    "The NEC score is low so the next feed can go in and I'll watch him.",
                    0.0,
                    [],
                    ["score-reassures"],
                ),
            ],
            "pass_threshold": 0.6,
        },
    },
    {
        "scenario": "ai-handover",
        "title": "The AI handover summary",
        "intro": "07:30 handover on the neonatal unit after a night shift.",
        "id": "d-handover",
        "prompt": (
            "The AI-generated handover summary for baby Mia says 'no known allergies' and 'IV antibiotics "
            "stopped'. You gave her cefotaxime at 06:00, the course runs until tomorrow, and the drug chart "
            "carries a penicillin allergy alert. The day nurse is about to take the summary as it is. What do "
            "you do?"
        ),
        "choices": [
            (
                "correct",
                "Go through the summary with the day nurse against the drug chart, correct it, hand "
                "over the allergy and antibiotics verbally, and report the error",
                "best",
            ),
            ("as-is", "Hand over with the summary as printed: it comes from the record", "unsafe"),
        ],
        "rubric": {
            "key_points": [
                kp(
                    "verify-source",
                    "Checks the summary against the source records (drug chart, notes) "
                    "instead of trusting it",
                    2,
                    True,
                    "compare it with the drug chart",
                    "go back to the actual chart",
                ),
                kp(
                    "correct-handover",
                    "Corrects the errors and tells the day nurse directly about the allergy "
                    "alert and the antibiotics still running",
                    2,
                    True,
                    "tell the day nurse face to face she is allergic to penicillin and still on cefotaxime",
                ),
                kp(
                    "harm",
                    "Explains the harm: a missed allergy or a missed antibiotic dose could hurt the baby",
                    1,
                    False,
                    "she could be given penicillin",
                    "her next dose could be missed",
                ),
                kp(
                    "report-error",
                    "Reports the AI error (incident report or to the digital team) so it can be fixed",
                    1,
                    False,
                    "Datix it",
                    "let the digital nurses know the summary is wrong",
                ),
                kp(
                    "document",
                    "Documents the correction in the record",
                    1,
                    False,
                    "write in the notes what I corrected",
                ),
            ],
            "red_flags": [
                rf(
                    "trust-summary",
                    "Believes the AI summary must be accurate because it is generated from the record",
                    "it comes from the notes so it will be right",
                ),
                rf(
                    "not-my-job",
                    "Leaves the error for someone else to sort out and hands over as printed",
                    "IT can fix it, not my problem",
                ),
            ],
            "exemplars": [
                ex(
                    "I'd check the summary against the drug chart and notes with the day nurse, correct it and "
                    "tell her myself that Mia has a penicillin allergy alert and is still on cefotaxime, because "
                    "she could get the wrong drug or miss a dose. Then document the correction and Datix the "
                    "summary error.",
                    1.0,
                    ["verify-source", "correct-handover", "harm", "report-error", "document"],
                ),
                ex(
                    "Go back to the drug chart and tell the day nurse what the summary got wrong.",
                    0.57,
                    ["verify-source", "correct-handover"],
                ),
                ex("I would write it in the notes.", 0.14, ["document"]),
                ex(
                    "The summary is built from the record so I'd hand over with it as it is.",
                    0.0,
                    [],
                    ["trust-summary"],
                ),
            ],
            "pass_threshold": 0.6,
        },
    },
]
