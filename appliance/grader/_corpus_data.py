"""Hand-written training material for the key-point entailment model (the project writes and ships it).

Each concept is one idea a rubric might ask for, on clinical topics that are *not* the demo's or the blind
evaluation set's scenarios (plus a few general science ones, so the model is not only ward vocabulary):

* ``kp``: rubric-style wordings of the key point (the premise the model reads first);
* ``do``: verb phrases that carry it out, in plain words, paraphrase and ward shorthand (templated into
  statements, negations, hedges and deferrals by ``_corpus.py``);
* ``say``: full statements of it that are not verb phrases (facts, reasons);
* ``deny``: statements that contradict it or state the intention to do the unsafe opposite;
* ``rf``: a red-flag wording whose evidence is exactly the ``deny`` statements (optional).

Topics are grouped so that another concept of the same topic is a hard "neutral" example: it shares the
topic's words but does not state this point.
"""

from __future__ import annotations

from typing import Any

Concept = dict[str, Any]

TOPICS: dict[str, list[Concept]] = {
    "hypoglycaemia": [
        {
            "kp": [
                "Checks the blood glucose now with a proper sample",
                "Confirms the low glucose with a lab or blood gas sample instead of trusting the meter",
            ],
            "do": [
                "recheck the blood sugar with a heel prick now",
                "send a lab glucose",
                "check a BM on the gas machine",
                "confirm the glucose on a blood gas",
            ],
            "say": ["a meter reading that low has to be confirmed on a proper sample"],
            "deny": [
                "the meter reading is good enough, there is no need to recheck",
                "the CGM says it's fine so I won't test her",
            ],
            "rf": "Trusts the glucose sensor and does not check the baby's blood glucose",
        },
        {
            "kp": ["Treats the low glucose promptly (feed, buccal dextrose gel or IV dextrose per protocol)"],
            "do": [
                "give buccal glucose gel and a feed",
                "start the dextrose bolus as per the hypo protocol",
                "give 40% gel and offer a breastfeed",
                "give a feed straight away",
            ],
            "say": ["she needs glucose straight away, not after the next check"],
            "deny": ["leave it until the next feed is due", "I'll wait and see if it comes up by itself"],
            "rf": "Delays treating a low blood glucose",
        },
        {
            "kp": ["Names the signs of hypoglycaemia: jittery, floppy, poor feeding, pale or sweaty"],
            "say": [
                "she is jittery and floppy and not feeding",
                "jittery, pale, sweaty and won't suck",
                "tremors, poor tone, off her feeds",
            ],
            "deny": ["she has no signs at all, she's pink and feeding well"],
        },
    ],
    "extravasation": [
        {
            "kp": ["Stops the infusion at once", "Switches off the pump and disconnects the line"],
            "do": [
                "stop the infusion",
                "turn the pump off straight away",
                "pause the drip and disconnect it",
                "stop the TPN running into that cannula",
            ],
            "deny": [
                "keep the infusion running until the bag is finished",
                "turn the rate down and carry on",
            ],
            "rf": "Keeps an infusion running into a swollen, blanched site",
        },
        {
            "kp": ["Escalates the extravasation to the doctor or plastics team urgently"],
            "do": [
                "call the SHO to review the site now",
                "bleep the reg about the extravasation",
                "get plastics advice urgently",
                "ask a doctor to see the hand straight away",
            ],
            "deny": [
                "I'll mention it at the ward round tomorrow",
                "no need to tell the doctors, it will settle",
            ],
            "rf": "Waits until the ward round to report an extravasation injury",
        },
        {
            "kp": ["Marks and photographs the area and documents it"],
            "do": [
                "mark the edge of the swelling and take a photo for the notes",
                "document the site with a picture",
                "draw round the area and write it up",
            ],
            "deny": ["there is no point recording it"],
        },
    ],
    "oxygen-target": [
        {
            "kp": [
                "Keeps the saturations in the prescribed target range, not higher",
                "Weans the oxygen to the target saturation range",
            ],
            "do": [
                "wean the oxygen to keep sats 91-95%",
                "turn the FiO2 down to the target range",
                "titrate the oxygen to the prescribed sats",
                "keep sats within the limits on the chart",
            ],
            "say": ["too much oxygen damages a premature baby's eyes and lungs"],
            "deny": [
                "sats of 100% are the safest for her",
                "I'll leave her in high oxygen to be on the safe side",
            ],
            "rf": "Believes higher oxygen saturations are always safer for a preterm baby",
        },
        {
            "kp": ["Checks the baby, not just the monitor, when the AI oxygen controller changes the FiO2"],
            "do": [
                "look at the baby's colour and chest movement myself",
                "check the probe and the baby before trusting the reading",
                "assess her work of breathing at the cot",
            ],
            "deny": [
                "the closed-loop controller handles it, so I don't need to look",
                "the machine adjusts it so there is nothing for me to check",
            ],
            "rf": "Leaves the automated oxygen controller to manage the baby without checking her",
        },
    ],
    "id-band": [
        {
            "kp": [
                "Checks the baby's identity band against the prescription or request before acting",
                "Confirms positive patient identification with two identifiers",
            ],
            "do": [
                "check the name band against the chart",
                "confirm the hospital number and date of birth on the band",
                "do a two-identifier ID check",
                "check the wristband matches the form",
            ],
            "deny": ["I know which baby it is, no need to check the band", "the cot card is enough"],
            "rf": "Skips the identity check because they know the baby",
        },
        {
            "kp": ["Does not proceed while the identity is in doubt"],
            "do": [
                "stop until the ID is confirmed",
                "hold the transfusion until the band is replaced",
                "not give anything until we know it's the right baby",
            ],
            "deny": ["go ahead anyway, it's probably the right baby", "I'll carry on and fix the band later"],
            "rf": "Proceeds with treatment while the baby's identity is uncertain",
        },
    ],
    "milk": [
        {
            "kp": ["Checks expressed breast milk against the baby's name band with a second person"],
            "do": [
                "double check the milk label against the band with a colleague",
                "scan the milk label and the band",
                "two-person check of the EBM bottle",
            ],
            "deny": ["the bottle was in her slot so it must be hers"],
            "rf": "Assumes milk is the right baby's because of where it was stored",
        },
        {
            "kp": ["Reports a milk given to the wrong baby as an incident and tells the parents"],
            "do": [
                "complete an incident report and be open with both families",
                "Datix the wrong-milk event and tell the parents",
                "report it and follow duty of candour",
            ],
            "deny": ["keep it quiet, no harm done", "not tell the parents because it would upset them"],
            "rf": "Hides a wrong-milk error from the parents",
        },
    ],
    "thermal": [
        {
            "kp": ["Names hypothermia: a temperature below 36.5 C in a newborn needs warming"],
            "say": ["35.9 is too cold for a newborn", "her temp is low at 36.0", "she's hypothermic"],
            "deny": ["36.0 is a normal temperature for a baby"],
        },
        {
            "kp": ["Warms the baby actively: skin to skin, hat, warmed incubator"],
            "do": [
                "put her skin to skin with mum with a hat on",
                "turn the incubator up and recheck in 30 minutes",
                "warm her up with a hat and blankets",
                "get her into a heated cot",
            ],
            "deny": ["leave her as she is and recheck at the next cares"],
            "rf": "Leaves a cold baby without warming until the next check",
        },
    ],
    "adult-deterioration": [
        {
            "kp": [
                "Escalates to the doctor or outreach team now because the patient is deteriorating",
                "Calls for an urgent medical review",
            ],
            "do": [
                "call the outreach team now",
                "fast bleep the medical registrar",
                "put out a MET call",
                "get the doctor to review him immediately",
                "escalate to the nurse in charge and the F2 now",
            ],
            "deny": [
                "wait for the next set of obs before calling anyone",
                "leave it for the night team to pick up",
                "I won't escalate until the score reaches 7",
            ],
            "rf": "Waits for the early warning score to rise before escalating",
        },
        {
            "kp": [
                "Trusts their own clinical concern over a low early warning score",
                "Knows a normal score does not mean the patient is safe",
            ],
            "say": [
                "a low score doesn't mean he's safe",
                "my concern counts even when the score is normal",
                "the NEWS doesn't capture how confused he is",
            ],
            "deny": [
                "the score is low so he's fine",
                "the early warning score says he's stable, so I'm not worried",
                "if the algorithm isn't alerting there's nothing wrong",
            ],
            "rf": "Treats a low early warning score as reassurance",
        },
        {
            "kp": ["Names the signs of deterioration: new confusion, fast breathing, low blood pressure"],
            "say": [
                "he is newly confused with a resp rate of 28 and BP 88/50",
                "RR up, BP down, confused",
                "breathing fast, drowsy and hypotensive",
            ],
            "deny": ["his obs are all within normal limits"],
        },
    ],
    "xray-triage": [
        {
            "kp": ["Reviews the image or report personally rather than relying on the AI triage label"],
            "do": [
                "look at the film myself",
                "read the radiologist's report rather than the AI flag",
                "review the x-ray with a senior",
            ],
            "deny": [
                "the AI triage says normal so I won't look at it",
                "no need to look at the scan, the software cleared it",
            ],
            "rf": "Accepts the AI triage result without looking at the image",
        },
        {
            "kp": ["Knows the AI can miss findings outside what it was trained on"],
            "say": [
                "the algorithm was only trained to find pneumothorax, not everything else",
                "it can miss things it wasn't trained on",
                "AI triage has false negatives",
            ],
            "deny": ["the AI never misses anything", "the software is more accurate than any radiologist"],
            "rf": "Believes the AI tool cannot miss a finding",
        },
    ],
    "falls": [
        {
            "kp": ["Puts falls precautions in place even though the AI falls score is low"],
            "do": [
                "put the bed low and the call bell in reach",
                "start a falls care plan",
                "get a falls sensor mat",
                "keep him in a bay near the nurses' station",
            ],
            "deny": [
                "the falls score is low so no precautions are needed",
                "skip the falls plan as the tool says low risk",
            ],
            "rf": "Relies on the falls risk score instead of assessing the patient",
        },
        {
            "kp": ["Reassesses the patient after a change such as new sedation or confusion"],
            "do": [
                "redo the falls assessment after the sedation",
                "reassess her now that she's confused",
                "review the risk again after the new medication",
            ],
            "deny": ["the admission assessment still stands, no need to redo it"],
        },
    ],
    "insulin": [
        {
            "kp": ["Checks the insulin infusion rate against the prescription and the latest glucose"],
            "do": [
                "check the pump rate against the sliding scale",
                "compare the rate with the chart and the last BM",
                "verify the insulin rate with a second nurse",
            ],
            "deny": ["the smart pump sets it, so there's no need to check"],
            "rf": "Lets the smart pump set insulin without checking against the prescription",
        },
        {
            "kp": ["Stops or reduces insulin and treats when the glucose is low"],
            "do": [
                "stop the insulin and give glucose",
                "turn the insulin off while she is hypo",
                "pause the infusion and follow the hypo protocol",
            ],
            "deny": ["carry on the insulin as prescribed even though she is hypo"],
        },
    ],
    "transfusion": [
        {
            "kp": ["Performs the bedside check of blood against the patient's identity and prescription"],
            "do": [
                "do the bedside check with a second nurse",
                "check the unit, the compatibility label and the wristband together",
                "confirm blood group and ID at the bedside",
            ],
            "deny": ["the lab has matched it so I'll just hang it"],
            "rf": "Starts a transfusion without the bedside identity check",
        },
        {
            "kp": ["Stops the transfusion and calls for help when a reaction is suspected"],
            "do": [
                "stop the blood and call the doctor",
                "stop the transfusion, keep the line open and get help",
                "halt the unit at the first sign of a reaction",
            ],
            "deny": ["slow it down and finish the unit", "carry on, a rash is common"],
            "rf": "Continues a transfusion during a suspected reaction",
        },
    ],
    "neonatal-pain": [
        {
            "kp": ["Uses a validated pain score and the baby's behaviour, not only the monitor"],
            "do": [
                "score her pain with the PIPP",
                "look at her face, cry and tone for pain",
                "use the pain tool and watch her behaviour",
            ],
            "deny": ["her heart rate is normal so she can't be in pain"],
            "rf": "Assumes a baby is not in pain because the monitor is normal",
        },
        {
            "kp": ["Gives comfort measures and analgesia for procedures"],
            "do": [
                "give sucrose and containment before the heel prick",
                "offer breastfeeding during the procedure",
                "use swaddling and sucrose",
            ],
            "deny": ["babies don't remember pain so there's no need"],
        },
    ],
    "seizure": [
        {
            "kp": ["Recognises a possible seizure and calls for an urgent review"],
            "do": [
                "call the reg because these look like seizures",
                "get a doctor now for the cycling movements",
                "fast bleep the team for possible fits",
            ],
            "deny": ["it's just jitteriness so I won't call anyone", "wait and see whether it happens again"],
            "rf": "Waits to see if a possible seizure happens again before escalating",
        },
        {
            "kp": ["Records the episode: time, length, what it looked like, observations"],
            "do": [
                "note the time and length of each episode",
                "film it for the doctors and record the obs",
                "write down exactly what the movements looked like",
            ],
            "deny": ["no need to write anything down if it stops"],
        },
    ],
    "parent-translation": [
        {
            "kp": ["Uses a professional interpreter for consent or important conversations"],
            "do": [
                "book a professional interpreter",
                "use the telephone interpreting service",
                "get an approved interpreter for the consent",
            ],
            "deny": ["the translation app is good enough for consent", "her older son can translate"],
            "rf": "Relies on a translation app or a family member for consent",
        },
        {
            "kp": ["Checks the parents have understood, in their own words"],
            "do": ["ask the parents to explain it back", "use teach-back to check they understood"],
            "deny": ["they nodded, so they understood"],
        },
    ],
    "privacy-email": [
        {
            "kp": ["Does not send identifiable patient information to a personal or unapproved account"],
            "do": [
                "keep patient details off personal email",
                "use only the approved secure system",
                "not send the list to my own phone",
            ],
            "deny": [
                "email the patient list to my gmail to finish at home",
                "paste the notes into the free AI website",
            ],
            "rf": "Sends identifiable patient data to an unapproved service",
        },
        {
            "kp": ["Reports a data breach through the information governance process"],
            "do": [
                "report it to information governance",
                "log a data protection incident",
                "tell the IG lead today",
            ],
            "deny": ["it was deleted so there's nothing to report"],
            "rf": "Does not report a data breach because no harm was done",
        },
    ],
    "ai-documentation": [
        {
            "kp": [
                "Reads and corrects an AI-drafted note before signing it, because the signer is accountable"
            ],
            "do": [
                "read every line of the draft before I sign",
                "correct the AI note before signing it",
                "check the generated letter against the notes",
            ],
            "say": ["I'm accountable for anything I sign, not the software"],
            "deny": ["sign it now and fix it later", "the AI wrote it so it's not my responsibility"],
            "rf": "Signs an AI-drafted note without reading it",
        },
        {
            "kp": ["Records that an AI recommendation was overridden and why"],
            "do": [
                "document that I overrode the tool and why",
                "write the score and my reason for going against it",
                "record the override in the notes",
            ],
            "deny": ["leave the AI score out of the notes"],
        },
    ],
    "resus": [
        {
            "kp": ["Calls for help early: pulls the emergency buzzer and starts resuscitation"],
            "do": [
                "pull the emergency buzzer",
                "call 2222 and start inflation breaths",
                "shout for help and start mask ventilation",
            ],
            "deny": ["wait for the monitor to confirm before calling for help"],
            "rf": "Waits for the monitor before starting resuscitation",
        },
        {
            "kp": ["Checks the resuscitaire and equipment at the start of the shift"],
            "do": [
                "check the resus trolley at the start of the shift",
                "test the suction and the bag and mask",
                "do the daily resuscitaire check",
            ],
            "deny": ["skip the trolley check, it was fine yesterday"],
        },
    ],
    "science-energy": [
        {
            "kp": ["Energy is transferred from the battery to the bulb through the circuit"],
            "say": [
                "the battery gives energy that the bulb turns into light",
                "electrical energy goes from the cell through the wires to the lamp",
            ],
            "deny": [
                "the bulb makes its own energy without the battery",
                "no energy moves from the battery to the bulb",
            ],
        },
        {
            "kp": ["A complete closed path is needed for current to flow"],
            "say": [
                "the circuit has to be closed for the bulb to light",
                "current only flows in a complete loop",
                "there must be no gap in the circuit",
            ],
            "deny": ["current flows even with a gap in the wire", "the bulb lights with an open switch"],
        },
    ],
    "science-matter": [
        {
            "kp": ["Evaporation turns liquid water into water vapour when it is heated"],
            "say": [
                "heat makes the water turn into gas",
                "the water evaporates into vapour",
                "warming the puddle turns the liquid to gas",
            ],
            "deny": [
                "the water disappears because it soaks into nothing",
                "heating stops water from evaporating",
            ],
        },
        {
            "kp": ["Mass is conserved when a substance dissolves"],
            "say": [
                "the salt is still there so the mass stays the same",
                "dissolving doesn't change the total mass",
            ],
            "deny": [
                "the salt weighs nothing once it has dissolved",
                "the mass goes down when sugar dissolves",
            ],
        },
        {
            "kp": ["Magnets attract iron and steel but not aluminium or copper"],
            "say": [
                "the magnet picks up the iron nail but not the copper coin",
                "only iron-containing metals stick to a magnet",
            ],
            "deny": ["magnets attract all metals", "aluminium sticks to the magnet as well"],
        },
    ],
    "science-living": [
        {
            "kp": ["Plants make their food by photosynthesis using light energy"],
            "say": [
                "the plant uses sunlight to make sugar",
                "leaves turn light, water and carbon dioxide into food",
            ],
            "deny": ["plants get all their food from the soil", "plants don't need light to make food"],
        },
        {
            "kp": ["The heart pumps blood around the body to carry oxygen"],
            "say": [
                "blood is pushed round by the heart taking oxygen to the cells",
                "the heart moves oxygenated blood to the body",
            ],
            "deny": ["the lungs pump the blood", "blood doesn't carry oxygen"],
        },
    ],
}

BACKGROUND: list[str] = [
    "Babies born early have immature immune systems.",
    "The unit has twenty cots and four nurses on nights.",
    "The pump was serviced last month.",
    "Hypoglycaemia is common in babies of diabetic mothers.",
    "The AI tool was introduced on the ward this year.",
    "Parents can visit at any time on the neonatal unit.",
    "The drug round starts at 08:00.",
    "Oxygen is a drug and is prescribed.",
    "I have worked on this ward for two years.",
    "The computer system was slow tonight.",
    "Batteries come in different sizes.",
    "Water boils at 100 degrees at sea level.",
    "The baby's mother is 24 and this is her first child.",
    "The early warning score is calculated every four hours.",
    "It is important to be a good team player.",
    "Night shifts are tiring.",
    "The ward manager is on leave this week.",
    "Infection control matters on every unit.",
]
