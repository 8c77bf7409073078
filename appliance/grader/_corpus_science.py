"""More training topics for the entailment model: school science short answers (format: ``_corpus_data``).

A key point here is a reference answer; ``say`` holds pupils' ways of stating it and ``deny`` their
misconceptions and contradictions.
"""

from __future__ import annotations

from appliance.grader._corpus_data import Concept

SCIENCE_TOPICS: dict[str, list[Concept]] = {
    "science-circuits": [
        {
            "kp": [
                "The bulb is still in a closed path with the battery",
                "Bulb A lights because it is in a complete circuit",
            ],
            "say": [
                "A is still connected in a loop with the battery",
                "there is a closed path from the battery through bulb A",
                "bulb A still has a complete circuit so it stays on",
            ],
            "deny": [
                "bulb A is not in a closed path any more",
                "the path through A is broken so it goes out",
            ],
        },
        {
            "kp": ["A damaged bulb creates a gap, so the circuit is open"],
            "say": [
                "the broken filament leaves a gap in the circuit",
                "the burnt out bulb opens the circuit",
                "there is a gap where the bulb is damaged",
            ],
            "deny": [
                "a damaged bulb still lets the current through",
                "the circuit stays closed when the bulb breaks",
            ],
        },
        {
            "kp": ["In a series circuit, if one bulb goes out the others go out too"],
            "say": [
                "they are in series so removing one bulb stops the others",
                "one path only, so a break turns every bulb off",
            ],
            "deny": ["in series the other bulbs keep shining when one breaks"],
        },
        {
            "kp": ["In a parallel circuit each bulb has its own path to the battery"],
            "say": [
                "the bulbs are on separate branches",
                "each bulb is in its own loop with the battery, so one can fail and the other stays lit",
            ],
            "deny": ["parallel bulbs share one single path"],
        },
    ],
    "science-voltage": [
        {
            "kp": [
                "There is a voltage difference between the two terminals",
                "A voltage reading means the terminals are separated by a gap or a component",
            ],
            "say": [
                "the meter reads 1.5 V because there's a difference in electrical state",
                "the terminals are not connected, so there is a voltage across them",
                "the gap separates the positive terminal from terminal 1",
            ],
            "deny": [
                "there is no voltage because the terminals are in the same state",
                "the voltage is zero across the gap",
            ],
        },
        {
            "kp": ["The voltage is zero when the terminals are connected by a wire with no gap"],
            "say": [
                "they are joined by wire so they are in the same electrical state",
                "no gap between them, so the reading is 0 V",
            ],
            "deny": ["a plain wire between them gives a big voltage"],
        },
    ],
    "science-forces": [
        {
            "kp": ["Balanced forces mean the object stays still or moves at a constant speed"],
            "say": [
                "the forces cancel out so the speed doesn't change",
                "equal and opposite forces keep it moving steadily",
                "the resultant force is zero so it won't speed up",
            ],
            "deny": [
                "balanced forces always make an object stop",
                "it speeds up even though the forces are balanced",
            ],
        },
        {
            "kp": ["Friction acts against the motion and slows the object down"],
            "say": [
                "friction pushes the opposite way to the movement",
                "the rough surface causes friction that slows the cart",
            ],
            "deny": ["friction makes things go faster", "friction acts in the same direction as the motion"],
        },
        {
            "kp": ["Gravity pulls objects towards the Earth, so an unsupported object falls"],
            "say": [
                "the ball falls because gravity pulls it down",
                "weight is the force of gravity on its mass",
            ],
            "deny": [
                "heavier objects float because gravity is weaker on them",
                "there is no gravity acting on a thrown ball",
            ],
        },
    ],
    "science-particles": [
        {
            "kp": ["In a solid the particles are close together and vibrate in fixed positions"],
            "say": [
                "solid particles are tightly packed and only vibrate",
                "the particles in ice can't move past each other",
            ],
            "deny": ["particles in a solid move freely around", "solid particles are far apart"],
        },
        {
            "kp": ["Heating gives the particles more energy so they move faster and the substance melts"],
            "say": [
                "the particles gain energy and break out of their fixed positions",
                "when it's heated the particles vibrate more until it turns to liquid",
            ],
            "deny": ["heating makes the particles slow down", "the particles themselves melt"],
        },
        {
            "kp": ["Condensation is water vapour cooling and turning back into liquid"],
            "say": [
                "the vapour hits the cold window and becomes droplets",
                "the gas cools and condenses into water",
            ],
            "deny": [
                "the water comes through the glass from outside",
                "condensation is water turning into gas",
            ],
        },
    ],
    "science-photosynthesis": [
        {
            "kp": ["Light intensity limits the rate of photosynthesis"],
            "say": [
                "more light makes the pondweed give off more bubbles",
                "the rate goes up as the lamp gets closer",
            ],
            "deny": ["light has no effect on how fast plants photosynthesise"],
        },
        {
            "kp": ["Photosynthesis produces oxygen and glucose from carbon dioxide and water"],
            "say": [
                "the bubbles are oxygen made by the plant",
                "the plant takes in CO2 and water and makes sugar and oxygen",
            ],
            "deny": ["plants breathe in oxygen to make food", "photosynthesis gives off carbon dioxide"],
        },
        {
            "kp": ["Chlorophyll in the chloroplasts absorbs the light"],
            "say": [
                "the green pigment traps the light energy",
                "chloroplasts contain chlorophyll which absorbs sunlight",
            ],
            "deny": ["the roots absorb the light"],
        },
    ],
    "science-ecology": [
        {
            "kp": ["If the predator is removed, the prey population increases at first"],
            "say": [
                "with no foxes the rabbits have fewer deaths so their numbers go up",
                "fewer owls means more mice survive",
            ],
            "deny": [
                "the rabbits die out when the foxes go",
                "removing the predator has no effect on the prey",
            ],
        },
        {
            "kp": ["Decomposers break down dead material and return nutrients to the soil"],
            "say": [
                "fungi and bacteria rot the leaves and recycle the nutrients",
                "microorganisms break down dead things so plants can reuse the minerals",
            ],
            "deny": [
                "dead leaves just disappear without anything breaking them down",
                "decomposers make new nutrients from nothing",
            ],
        },
        {
            "kp": ["Energy is passed along a food chain, and some is lost at each step"],
            "say": [
                "the arrows show energy going from the grass to the rabbit",
                "only part of the energy reaches the next level because some is lost as heat",
            ],
            "deny": [
                "all the energy passes to the next animal",
                "energy goes from the fox back to the grass",
            ],
        },
    ],
    "science-reactions": [
        {
            "kp": ["Iron rusts only when both water and oxygen are present"],
            "say": [
                "the nail needs air and water to rust",
                "in the tube with no water the nail stayed shiny",
                "rusting needs oxygen and moisture",
            ],
            "deny": ["iron rusts in dry air", "water alone without air makes it rust just as fast"],
        },
        {
            "kp": ["An acid and an alkali neutralise each other to make a salt and water"],
            "say": [
                "the acid cancels out the alkali and the pH goes to 7",
                "neutralisation makes a salt and water",
            ],
            "deny": ["mixing an acid and an alkali makes a stronger acid"],
        },
        {
            "kp": ["A chemical change makes a new substance and is hard to reverse"],
            "say": [
                "burning makes new substances like ash and carbon dioxide",
                "bubbles of gas show a new substance has formed",
            ],
            "deny": ["melting chocolate is a chemical change", "no new substance is made when wood burns"],
        },
    ],
    "science-earth": [
        {
            "kp": ["Seasons happen because the Earth's axis is tilted"],
            "say": [
                "the tilt means our half leans towards the sun in summer",
                "the Earth is tilted so the sunlight is more direct in summer",
            ],
            "deny": [
                "it's summer because the Earth is closer to the sun",
                "seasons happen because the sun gets hotter",
            ],
        },
        {
            "kp": ["Sedimentary rock forms from layers of sediment pressed together over a long time"],
            "say": [
                "layers of sand are squashed and cemented into sandstone",
                "sediment builds up and compacts into rock",
            ],
            "deny": ["sedimentary rock forms when lava cools"],
        },
        {
            "kp": ["In the water cycle, water evaporates, condenses into clouds and falls as rain"],
            "say": [
                "the sun evaporates sea water, it cools into clouds and rains",
                "vapour rises, condenses and comes down as precipitation",
            ],
            "deny": ["clouds are made of smoke", "rain comes from the clouds melting"],
        },
    ],
    "science-light-sound": [
        {
            "kp": ["Light travels in straight lines, so an opaque object makes a shadow"],
            "say": [
                "the light can't bend round the box so there's a shadow",
                "the object blocks the straight rays of light",
            ],
            "deny": ["shadows are made by light coming out of the object"],
        },
        {
            "kp": ["Sound needs a medium to travel through and cannot travel through a vacuum"],
            "say": ["there's no air in space so no sound", "sound is vibrations passed through particles"],
            "deny": ["sound travels through a vacuum", "you can hear the bell with all the air pumped out"],
        },
        {
            "kp": ["A higher pitch comes from faster vibrations"],
            "say": [
                "a shorter string vibrates faster and sounds higher",
                "more vibrations per second gives a higher note",
            ],
            "deny": ["louder sounds always have a higher pitch"],
        },
    ],
    "science-body": [
        {
            "kp": ["Enzymes break large food molecules into smaller ones that can be absorbed"],
            "say": [
                "amylase breaks starch down into sugar",
                "enzymes digest big molecules so they pass into the blood",
            ],
            "deny": ["enzymes are used up and make food bigger"],
        },
        {
            "kp": ["Exercise makes the heart beat faster to deliver more oxygen to the muscles"],
            "say": [
                "the muscles need more oxygen so the heart rate goes up",
                "the pulse rises to pump more blood to the muscles",
            ],
            "deny": ["the heart slows down during exercise", "muscles need less oxygen when they work"],
        },
    ],
}
