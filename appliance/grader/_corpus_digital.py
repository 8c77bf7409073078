"""More training topics for the entailment model: AI and digital tools in care (format: ``_corpus_data``).

None of them is a scenario of the demo modules or of the blind evaluation set.
"""

from __future__ import annotations

from appliance.grader._corpus_data import Concept

DIGITAL_TOPICS: dict[str, list[Concept]] = {
    "auto-early-warning": [
        {
            "kp": [
                "Checks the automatically captured observations by counting them manually",
                "Does a manual set of obs instead of trusting the monitor's auto-filled values",
            ],
            "do": [
                "count the resp rate myself for a full minute",
                "repeat the obs manually",
                "recheck the values the monitor pushed into the record",
            ],
            "say": ["the monitor filled in a resp rate of 16 but I counted 28"],
            "deny": [
                "the monitor uploads the obs so they must be right",
                "I'll go with the auto-calculated score, it's quicker",
            ],
            "rf": "Accepts the auto-calculated early warning score without checking the patient",
        },
        {
            "kp": ["Recalculates the early warning score from the real observations and acts on it"],
            "do": [
                "rescore the NEWS2 with my own figures",
                "work out the score again and escalate at 7",
                "recalculate the score by hand",
            ],
            "deny": ["the system score is 2 so no escalation is needed"],
        },
        {
            "kp": ["Reports the wrong auto-captured value as a device incident"],
            "do": [
                "report the monitor fault on Datix",
                "tell medical engineering the sensor is wrong",
                "log it as a device incident",
            ],
            "deny": ["it's a one-off glitch, not worth reporting"],
        },
    ],
    "dose-calculator-units": [
        {
            "kp": [
                "Notices the dose calculator has mixed up milligrams and micrograms and does not give it",
                "Checks the units of the calculated dose",
            ],
            "do": [
                "check whether the dose is in mg or micrograms",
                "stop and question the calculator's units",
                "hold the dose until the units are checked",
            ],
            "say": ["1000 times the dose can't be right, the calculator used mg instead of mcg"],
            "deny": [
                "the calculator does the maths so I trust the figure",
                "the app is validated so the units will be fine",
            ],
            "rf": "Gives a calculated dose without checking its units because the calculator produced it",
        },
        {
            "kp": ["Works the dose out independently from the prescription and the BNF"],
            "do": [
                "calculate it myself from the BNFc",
                "do the sum on paper and compare",
                "get a second nurse to calculate it independently",
            ],
            "deny": ["no need to work it out, the calculator is always right"],
        },
        {
            "kp": ["Contacts pharmacy or the prescriber about the calculator error"],
            "do": [
                "ring the ward pharmacist",
                "ask the prescriber to check the dose",
                "tell pharmacy about the unit error in the app",
            ],
            "deny": ["I won't bother pharmacy with it"],
        },
    ],
    "dictation-letter": [
        {
            "kp": [
                "Reads the dictated letter against the notes before it is sent",
                "Checks the speech-to-text draft for errors",
            ],
            "do": [
                "read the transcript against the notes",
                "proofread the dictated discharge letter",
                "check every drug name in the draft",
            ],
            "say": ["the dictation turned hydralazine into hydroxyzine"],
            "deny": [
                "the speech recognition is accurate enough to send unchecked",
                "I'll sign it off without reading it, the software is good",
            ],
            "rf": "Signs off a transcribed letter without reading it",
        },
        {
            "kp": ["Corrects the wrong drug name and tells the GP or patient who received it"],
            "do": [
                "correct the drug name and send an amended letter",
                "phone the GP practice about the mistake",
                "let the patient know the letter was wrong",
            ],
            "deny": ["leave the letter as it is, the GP will work it out"],
        },
    ],
    "triage-chatbot": [
        {
            "kp": [
                "Overrides a symptom checker's self-care advice when the symptoms are red flags",
                "Escalates chest pain even though the chatbot said self-care",
            ],
            "do": [
                "tell him to call 999 despite what the app said",
                "bring him in to be seen now",
                "override the chatbot's advice and book an urgent review",
            ],
            "say": ["crushing chest pain with sweating needs an ambulance, whatever the app says"],
            "deny": [
                "the chatbot said self-care so I'll advise paracetamol",
                "the triage bot is usually right, he can wait for a routine appointment",
            ],
            "rf": "Follows a symptom checker's low-urgency advice despite red-flag symptoms",
        },
        {
            "kp": [
                "Asks the patient about the symptoms directly rather than relying on the chatbot transcript"
            ],
            "do": [
                "ask him myself where the pain is and how long",
                "speak to the patient directly",
                "take my own history",
            ],
            "deny": ["the chatbot transcript has everything I need"],
        },
        {
            "kp": ["Reports the unsafe triage outcome to the digital safety team"],
            "do": [
                "report the chatbot's advice as a safety incident",
                "tell the clinical safety officer about it",
            ],
            "deny": ["there's no point reporting it, it's just software"],
        },
    ],
    "skin-classifier": [
        {
            "kp": [
                "Refers a suspicious lesion even though the image classifier says benign",
                "Uses clinical judgement over the classifier's result",
            ],
            "do": [
                "refer the mole on the two-week pathway anyway",
                "get the dermatologist to look at it",
                "go with the change in size and bleeding, not the app",
            ],
            "say": ["it has grown and bled, so it needs seeing whatever the classifier says"],
            "deny": [
                "the app says benign so there's no need to refer",
                "the classifier is more accurate than me, I'll reassure her",
            ],
            "rf": "Reassures a patient about a changing lesion because the classifier said benign",
        },
        {
            "kp": ["Knows the classifier may be less accurate on darker skin because of its training data"],
            "say": [
                "the tool was trained mostly on pale skin so it misses more on dark skin",
                "its accuracy figures came from a different population",
            ],
            "deny": [
                "the AI works equally well on every skin type",
                "training data doesn't affect how it performs",
            ],
        },
    ],
    "wearable-alert": [
        {
            "kp": [
                "Confirms a smartwatch irregular rhythm alert with a proper ECG",
                "Does a 12-lead ECG and a manual pulse after the watch alert",
            ],
            "do": [
                "feel his pulse for a full minute",
                "do a 12-lead ECG to confirm it",
                "check it with a proper ECG before anything else",
            ],
            "say": ["a watch alert is a prompt to check, not a diagnosis"],
            "deny": [
                "the watch has diagnosed AF so we can start treatment",
                "the watch is probably wrong, I'll ignore it",
            ],
            "rf": "Treats a wearable's alert as a diagnosis without confirming it",
        },
        {
            "kp": ["Does not dismiss the patient's symptoms when the wearable reads normal"],
            "do": [
                "take his palpitations seriously even though the watch was normal",
                "assess her dizziness anyway",
            ],
            "say": ["the watch only samples now and then, it can miss episodes"],
            "deny": ["the watch says normal so the palpitations are anxiety"],
        },
    ],
    "ecg-machine-report": [
        {
            "kp": ["Reads the ECG themselves instead of relying on the machine's automated report"],
            "do": [
                "look at the trace myself",
                "get the doctor to read the ECG, not just the printout",
                "check the ST segments myself",
            ],
            "say": ["the printout says normal ECG but there's ST elevation in V2 to V4"],
            "deny": ["the machine says normal so I'll file it", "the automated report is good enough"],
            "rf": "Files an ECG as normal on the machine's report alone",
        },
        {
            "kp": ["Shows a possible STEMI to a senior doctor immediately"],
            "do": [
                "take the ECG straight to the reg",
                "call the cardiology team now",
                "put out a cardiac alert",
            ],
            "deny": ["the doctor can look at it on the ward round"],
        },
    ],
    "remote-oximetry": [
        {
            "kp": ["Calls the patient back when the home oximeter readings fall below the threshold"],
            "do": [
                "phone her straight away about the sats of 91",
                "arrange for her to be seen today",
                "tell her to come in",
            ],
            "say": ["home sats below 92 mean she needs assessing now"],
            "deny": [
                "the app didn't raise an alarm so I won't call",
                "I'll look at her readings again on Monday",
            ],
            "rf": "Waits for the remote monitoring app to alarm before acting on low readings",
        },
        {
            "kp": ["Checks the reading is real: the probe, warm hands, and how breathless the patient feels"],
            "do": [
                "ask if her hands were cold",
                "ask how breathless she feels",
                "get her to repeat it with the probe on properly",
            ],
            "deny": ["the number is the number, how she feels doesn't matter"],
        },
    ],
    "discharge-predictor": [
        {
            "kp": [
                "Assesses whether the patient is ready to go home instead of following the discharge prediction"
            ],
            "do": [
                "check he can manage the stairs and his meds",
                "do my own discharge assessment",
                "ask the physio whether he's safe to go",
            ],
            "say": ["the predictor says ready but he still can't walk to the toilet"],
            "deny": [
                "the model says ready for discharge so he goes today",
                "bed managers trust the predictor so I'll send him",
            ],
            "rf": "Discharges a patient because the prediction tool says so despite unmet needs",
        },
        {
            "kp": ["Raises the mismatch between the prediction and the patient's needs with the team"],
            "do": [
                "tell the consultant he isn't ready",
                "raise it at the board round",
                "explain to the bed manager why he stays",
            ],
            "deny": ["I'll keep quiet, it's not my decision"],
        },
    ],
    "ai-general-principles": [
        {
            "kp": ["Understands that the nurse stays accountable for decisions made with an AI tool"],
            "say": [
                "I'm still accountable even if the software suggested it",
                "the tool supports my decision, it doesn't make it",
                "responsibility stays with the registered nurse",
            ],
            "deny": [
                "if the AI is wrong it's the software company's fault, not mine",
                "the algorithm takes the responsibility",
            ],
            "rf": "Shifts responsibility for a clinical decision onto the AI tool",
        },
        {
            "kp": ["Explains to the patient that an AI tool was used and what it means"],
            "do": [
                "tell the patient a computer tool helped with this",
                "explain what the app does and doesn't know",
                "be open that we used decision support",
            ],
            "deny": ["patients don't need to know about the software"],
        },
    ],
}
