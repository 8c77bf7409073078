"""Entailment-corpus topics on other wards: maternity, paediatrics, ED, theatres, community, mental health.

Same format as ``_corpus_data``. None of them is a scenario of the demo modules or of the blind evaluation set.
"""

from __future__ import annotations

from appliance.grader._corpus_data import Concept

WARD_TOPICS: dict[str, list[Concept]] = {
    "maternity-pph": [
        {
            "kp": [
                "Calls for help at once for a postpartum haemorrhage",
                "Pulls the emergency bell and gets the obstetric team",
            ],
            "do": [
                "pull the emergency buzzer",
                "call the obstetric reg and the midwife in charge",
                "put out an obstetric emergency call",
                "shout for help and get the labour ward team in",
            ],
            "say": ["she's losing a lot of blood after delivery so this is an emergency call"],
            "deny": [
                "the bleeding is probably normal lochia so I'll check again in an hour",
                "I'll manage it on my own without bothering the team",
            ],
            "rf": "Waits to see whether a heavy postpartum bleed settles by itself",
        },
        {
            "kp": ["Rubs up the uterus and gives the uterotonic drug as prescribed"],
            "do": [
                "rub up a contraction",
                "massage the fundus",
                "give the syntocinon as per the PPH protocol",
                "give the oxytocin that's prescribed",
            ],
            "say": ["a boggy uterus needs fundal massage and oxytocin"],
            "deny": ["the uterus feels fine so there's no need to massage it"],
        },
        {
            "kp": ["Estimates the blood loss by weighing the pads and records it"],
            "do": [
                "weigh the pads and sheets",
                "measure the blood loss",
                "keep a running total of the EBL on the chart",
            ],
            "deny": ["I'll just guess the loss, weighing pads takes too long"],
        },
    ],
    "maternity-ctg": [
        {
            "kp": ["Gets an obstetric review of a pathological CTG urgently"],
            "do": [
                "ask the obstetric reg to review the CTG now",
                "get a senior to look at the trace straight away",
                "escalate the decels to the labour ward coordinator",
            ],
            "say": ["late decelerations with reduced variability need a doctor to see the trace now"],
            "deny": [
                "the trace will probably pick up so I'll leave it for another half hour",
                "decels are common, no need to escalate",
            ],
            "rf": "Leaves a pathological fetal heart trace without an obstetric review",
        },
        {
            "kp": ["Repositions the woman and stops the oxytocin infusion"],
            "do": [
                "turn her onto her left side",
                "stop the syntocinon drip",
                "switch off the oxytocin and reposition her",
            ],
            "deny": ["keep the syntocinon running at the same rate"],
        },
    ],
    "paeds-bronchiolitis": [
        {
            "kp": ["Assesses the work of breathing: recession, nasal flaring, grunting, respiratory rate"],
            "do": [
                "count the resp rate for a full minute",
                "look for recession and nasal flaring",
                "check for head bobbing and grunting",
            ],
            "say": ["he has subcostal recession and a rate of 70", "tracheal tug and flaring, RR 68"],
            "deny": ["his breathing looks fine from the door so I won't examine him"],
        },
        {
            "kp": ["Checks that the infant is feeding enough and measures the intake"],
            "do": [
                "record his feeds and wet nappies",
                "measure how much milk he is taking",
                "do a fluid balance chart",
            ],
            "say": ["he's only taking half his usual feeds and has had two wet nappies today"],
            "deny": ["feeding isn't important in bronchiolitis", "I won't bother counting nappies"],
        },
        {
            "kp": ["Escalates an infant with apnoeas or rising oxygen needs to the paediatric team"],
            "do": [
                "tell the paeds reg about the apnoeas",
                "call the doctor because his oxygen requirement is going up",
                "get an urgent paediatric review",
            ],
            "deny": ["a few pauses in breathing are normal for a baby with a cold"],
            "rf": "Treats apnoeas in an infant with bronchiolitis as normal",
        },
    ],
    "ed-chest-pain": [
        {
            "kp": [
                "Does a 12-lead ECG within ten minutes of arrival",
                "Gets an ECG done immediately for chest pain",
            ],
            "do": [
                "do a 12-lead ECG straight away",
                "get an ECG within 10 minutes",
                "put him on the ECG machine now and show it to the doctor",
            ],
            "say": ["chest pain needs an ECG in the first ten minutes"],
            "deny": ["he's young so the ECG can wait until he's seen", "no ECG needed, it sounds muscular"],
            "rf": "Delays the ECG for a patient with chest pain because they seem low risk",
        },
        {
            "kp": ["Moves the patient to a monitored bed and tells the ED doctor"],
            "do": [
                "move him into resus",
                "put him on a cardiac monitor",
                "tell the ED consultant about the ST changes",
            ],
            "deny": ["leave him in the waiting room until a cubicle is free"],
        },
    ],
    "ed-head-injury": [
        {
            "kp": ["Does neurological observations and GCS at the set intervals"],
            "do": ["do half-hourly neuro obs", "record his GCS and pupils", "check GCS every 30 minutes"],
            "say": ["GCS 14 with a sluggish left pupil"],
            "deny": [
                "he's talking so neuro obs aren't needed",
                "I'll skip the GCS overnight so he can sleep",
            ],
        },
        {
            "kp": ["Escalates a drop in GCS or a new pupil change immediately"],
            "do": [
                "call the doctor straight away about the drop in GCS",
                "escalate the unequal pupils now",
                "fast bleep the ED reg",
            ],
            "deny": [
                "a one point drop in GCS is nothing to worry about",
                "I'll wait for the next set of obs",
            ],
            "rf": "Ignores a falling GCS after a head injury",
        },
        {
            "kp": ["Checks whether the patient takes anticoagulants"],
            "do": ["ask if he's on warfarin or a DOAC", "check his drug history for blood thinners"],
            "say": ["he's on apixaban, so the bleed risk is higher"],
            "deny": ["his medicines don't matter for a head injury"],
        },
    ],
    "theatres-checklist": [
        {
            "kp": [
                "Completes the WHO surgical safety checklist with the whole team",
                "Does the sign in and time out before the first incision",
            ],
            "do": [
                "run the WHO checklist",
                "do the team time out before knife to skin",
                "stop the team and do the sign in",
            ],
            "say": ["everyone confirmed the patient, site and procedure at the time out"],
            "deny": [
                "the surgeon is in a hurry so we'll skip the time out",
                "the checklist is just paperwork",
            ],
            "rf": "Skips the surgical safety checklist because the list is running late",
        },
        {
            "kp": ["Does the swab and instrument count and reports a discrepancy before closing"],
            "do": [
                "count the swabs and instruments with the scrub nurse",
                "tell the surgeon the count is one swab short",
                "stop closure until the missing swab is found",
            ],
            "deny": [
                "the count is probably just miscounted, let them close",
                "one missing swab isn't worth delaying closure",
            ],
            "rf": "Lets the wound be closed with a swab count that does not match",
        },
        {
            "kp": ["Confirms the surgical site is marked and matches the consent form"],
            "do": ["check the site marking against the consent", "confirm the arrow is on the correct leg"],
            "deny": ["no need to look at the marking, the list says left"],
        },
    ],
    "community-visit": [
        {
            "kp": [
                "Assesses a housebound patient found newly confused for a cause such as infection or dehydration"
            ],
            "do": [
                "check her temperature and obs",
                "dip her urine and ask about fluids",
                "look for signs of infection and dehydration",
            ],
            "say": ["new confusion in an older person is delirium until proven otherwise"],
            "deny": [
                "she's just old and a bit muddled, that's normal",
                "confusion is expected at her age so I'll leave it",
            ],
            "rf": "Puts new confusion down to old age without looking for a cause",
        },
        {
            "kp": ["Arranges a same-day GP or urgent community team review"],
            "do": [
                "ring the GP for a same-day visit",
                "refer to the rapid response team today",
                "call 111 for an urgent review",
            ],
            "deny": ["I'll mention it at next week's visit"],
        },
        {
            "kp": ["Checks that the patient is safe at home and has someone with her"],
            "do": [
                "call her daughter to stay with her",
                "make sure she's not left alone tonight",
                "arrange a carer visit this evening",
            ],
            "deny": ["she lives alone but she'll be fine overnight"],
        },
    ],
    "mental-health-risk": [
        {
            "kp": [
                "Asks directly about suicidal thoughts and plans",
                "Does a risk assessment when a patient talks of ending their life",
            ],
            "do": [
                "ask him directly whether he has thought about ending his life",
                "ask if he has a plan",
                "complete a risk assessment",
            ],
            "say": ["asking about suicide does not put the idea in his head"],
            "deny": [
                "I won't ask about suicide in case it gives him ideas",
                "he's joking so there's no need to ask",
            ],
            "rf": "Avoids asking about suicidal thoughts",
        },
        {
            "kp": ["Keeps the patient safe: stays with them, removes means and increases observation"],
            "do": [
                "put him on one-to-one observation",
                "remove the ligature risks from his room",
                "stay with him until the team arrives",
            ],
            "deny": ["leave him on hourly checks as usual", "he can go for a walk off the ward alone"],
            "rf": "Leaves a patient at high risk of self-harm unobserved",
        },
        {
            "kp": ["Tells the psychiatric liaison or the doctor about the risk the same day"],
            "do": [
                "refer to the psych liaison team today",
                "tell the duty doctor about his plan now",
                "escalate to the crisis team",
            ],
            "deny": ["it can wait for his outpatient appointment next month"],
        },
    ],
}
