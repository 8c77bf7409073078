"""Entailment-corpus topics on care on any ward: medicines, infection, skin, consent, safeguarding, emergencies.

Same format as ``_corpus_data``. None of them is a scenario of the demo modules or of the blind evaluation set.
"""

from __future__ import annotations

from appliance.grader._corpus_data import Concept

CARE_TOPICS: dict[str, list[Concept]] = {
    "pharmacy-cd": [
        {
            "kp": ["Reports a controlled drug stock discrepancy to the nurse in charge and pharmacy at once"],
            "do": [
                "tell the nurse in charge about the missing ampoules",
                "report the CD discrepancy to pharmacy today",
                "do an incident report for the wrong CD count",
            ],
            "say": ["the CD book says ten and there are eight in the cupboard"],
            "deny": [
                "I'll just correct the count in the book",
                "it's probably a miscount, no need to report it",
            ],
            "rf": "Alters the controlled drug register to hide a discrepancy",
        },
        {
            "kp": ["Has a second registered nurse witness and sign every controlled drug given"],
            "do": ["get a second nurse to check and sign the morphine", "have a witness for the CD check"],
            "deny": [
                "sign the CD book for both of us to save time",
                "give the oramorph without a second checker",
            ],
        },
    ],
    "infection-cdiff": [
        {
            "kp": ["Isolates a patient with suspected infectious diarrhoea in a side room straight away"],
            "do": [
                "move her to a side room",
                "isolate him now with enteric precautions",
                "put up the isolation sign and shut the door",
            ],
            "say": ["loose stools with a fever could be C. diff, so she should be barrier nursed"],
            "deny": [
                "leave her in the bay until the result comes back",
                "isolation isn't needed for a bit of diarrhoea",
            ],
            "rf": "Keeps a patient with suspected C. difficile in an open bay",
        },
        {
            "kp": ["Washes hands with soap and water rather than alcohol gel"],
            "do": ["wash my hands with soap and water", "use soap and water, not the gel"],
            "say": ["alcohol gel doesn't kill C. diff spores"],
            "deny": ["alcohol gel is enough", "gel works as well as washing for spores"],
        },
        {
            "kp": ["Sends a stool sample and records the stool chart"],
            "do": ["send a stool sample", "fill in the Bristol stool chart", "get a specimen off to the lab"],
            "deny": ["no need for a sample, it's probably the antibiotics"],
        },
    ],
    "infection-needlestick": [
        {
            "kp": ["Encourages the wound to bleed and washes it under running water"],
            "do": ["make it bleed and wash it under the tap", "run it under water and squeeze gently"],
            "deny": ["just put a plaster on and carry on", "suck the wound"],
        },
        {
            "kp": ["Reports the needlestick injury at once to occupational health or ED"],
            "do": [
                "go to occupational health today",
                "report it to the nurse in charge and fill in an incident form",
                "ring the needlestick hotline",
            ],
            "say": ["post-exposure prophylaxis works best within hours"],
            "deny": ["I won't report it, the patient looked healthy", "I'll mention it next week"],
            "rf": "Does not report a needlestick injury",
        },
    ],
    "pressure-ulcer": [
        {
            "kp": ["Inspects the skin over pressure areas and grades any damage"],
            "do": [
                "check his heels and sacrum",
                "look at all the pressure areas",
                "do a skin check and Waterlow score",
            ],
            "say": ["there's a non-blanching red area on his sacrum"],
            "deny": ["his skin was fine yesterday so I won't check today"],
        },
        {
            "kp": ["Repositions the patient regularly and uses a pressure-relieving mattress"],
            "do": [
                "turn him every two hours",
                "order an air mattress",
                "put him on a repose mattress and a turning chart",
            ],
            "deny": ["he's comfortable on his back so I'll leave him", "turning isn't needed overnight"],
            "rf": "Leaves a high-risk patient in one position for many hours",
        },
        {
            "kp": ["Reports a pressure ulcer through the incident system and refers to tissue viability"],
            "do": [
                "Datix the category 2 ulcer",
                "refer to the tissue viability nurse",
                "complete an incident form for the sore",
            ],
            "deny": ["it's only grade 2 so there's no need to report it"],
        },
    ],
    "consent-capacity": [
        {
            "kp": [
                "Checks the patient has capacity to make the decision",
                "Assesses whether she understands, retains and weighs the information",
            ],
            "do": [
                "assess her capacity for this decision",
                "check she can understand and weigh up the risks",
                "ask her to explain back what the procedure involves",
            ],
            "say": ["capacity is decision specific, so I need to check it for this one"],
            "deny": [
                "she's elderly so she can't consent",
                "he has dementia so he lacks capacity for everything",
            ],
        },
        {
            "kp": ["Respects a capacitous patient's refusal and tells the team"],
            "do": [
                "respect his decision and let the doctor know",
                "document her refusal and inform the surgeon",
            ],
            "say": ["an adult with capacity can refuse treatment even if we disagree"],
            "deny": ["give it anyway, it's for his own good", "I'll persuade her until she signs"],
            "rf": "Gives treatment to a patient with capacity who has refused it",
        },
    ],
    "safeguarding-child": [
        {
            "kp": [
                "Raises a safeguarding concern about an unexplained injury in a non-mobile baby",
                "Refers to the safeguarding team the same day",
            ],
            "do": [
                "tell the safeguarding lead today",
                "make a referral to children's social care",
                "raise a safeguarding concern with the paediatrician",
            ],
            "say": ["bruising in a baby who isn't crawling yet is a red flag for non-accidental injury"],
            "deny": [
                "the parents seem nice so there's nothing to report",
                "bruises happen, I won't make a fuss",
            ],
            "rf": "Accepts an implausible explanation for bruising in a non-mobile infant",
        },
        {
            "kp": ["Documents exactly what was seen and said, in the family's words"],
            "do": [
                "write down the parents' explanation word for word",
                "body map the bruises",
                "record what I saw with times",
            ],
            "deny": ["I'll write that the bruise looks accidental"],
        },
    ],
    "med-reconciliation": [
        {
            "kp": [
                "Checks the admission medicines list against a second source such as the GP record",
                "Completes medicines reconciliation on admission",
            ],
            "do": [
                "compare his list with the GP summary",
                "check the drugs with the patient and the SCR",
                "ask pharmacy to do a med rec",
            ],
            "say": ["the GP record shows he takes bisoprolol, which wasn't on the drug chart"],
            "deny": [
                "the list from the care home will be right, no need to check",
                "we'll sort his meds out at discharge",
            ],
            "rf": "Prescribes from a single unverified medicines list",
        },
        {
            "kp": ["Flags a missing or changed medicine to the prescriber"],
            "do": [
                "tell the doctor his insulin is missing from the chart",
                "ask the FY1 to review the omitted anticoagulant",
            ],
            "deny": ["it's only one missed drug, I'll leave it"],
        },
    ],
    "anaphylaxis": [
        {
            "kp": ["Gives intramuscular adrenaline without delay for anaphylaxis"],
            "do": [
                "give IM adrenaline 500 micrograms into the thigh",
                "give the adrenaline from the anaphylaxis box now",
                "give adrenaline IM straight away",
            ],
            "say": ["adrenaline is the first drug in anaphylaxis, not antihistamine"],
            "deny": [
                "give chlorphenamine and see if it settles",
                "hold the adrenaline until the doctor arrives",
            ],
            "rf": "Delays adrenaline in anaphylaxis to give an antihistamine first",
        },
        {
            "kp": ["Stops the suspected trigger and calls for help"],
            "do": ["stop the antibiotic infusion", "pull the crash buzzer", "call 2222 and stop the drug"],
            "deny": ["let the rest of the antibiotic run in"],
        },
        {
            "kp": ["Lies the patient flat with legs raised unless breathing is worse that way"],
            "do": ["lie her flat and raise her legs", "get him flat with his legs up"],
            "deny": ["sit him up and walk him to the bed"],
        },
    ],
    "stroke": [
        {
            "kp": ["Recognises the signs of stroke: face drooping, arm weakness, slurred speech"],
            "say": [
                "her face is drooping and she can't lift her right arm",
                "slurred speech and facial droop, FAST positive",
                "new arm weakness and he can't get his words out",
            ],
            "deny": ["she's just tired, her speech is always like that"],
        },
        {
            "kp": ["Records the time the symptoms started and calls the stroke team immediately"],
            "do": [
                "find out when she was last seen well",
                "fast bleep the stroke team",
                "put out a stroke call now",
            ],
            "say": ["thrombolysis depends on the time of onset"],
            "deny": [
                "we can refer her to the stroke team in the morning",
                "wait to see whether the weakness wears off",
            ],
            "rf": "Waits to see whether stroke symptoms resolve before calling for help",
        },
        {
            "kp": ["Keeps the patient nil by mouth until the swallow screen is done"],
            "do": [
                "keep her nil by mouth",
                "do a swallow screen before any drinks",
                "hold her tablets until her swallow is checked",
            ],
            "deny": ["give her a cup of tea while she waits", "she can take her tablets with water now"],
        },
    ],
    "anticoagulant-bleed": [
        {
            "kp": ["Holds the next dose of warfarin when the INR is too high and tells the prescriber"],
            "do": [
                "hold tonight's warfarin",
                "tell the doctor the INR is 7",
                "omit the dose and get it reviewed",
            ],
            "say": ["an INR of 7 is a serious bleeding risk"],
            "deny": [
                "give the usual dose, it's on the chart",
                "an INR of 7 isn't worth bothering anyone about",
            ],
            "rf": "Gives anticoagulant as charted despite a dangerously high INR",
        },
        {
            "kp": ["Checks the patient for signs of bleeding"],
            "do": [
                "look for bruising and blood in the urine",
                "check his gums and stools for bleeding",
                "ask about any nosebleeds",
            ],
            "deny": ["he looks well so there's no need to check for bleeding"],
        },
    ],
}
