"""Pure helpers behind the widgets."""

from __future__ import annotations

from appliance.ui.widgets.prose import normalise_markdown
from appliance.ui.widgets.rsvp import phrases


def test_a_list_straight_after_a_sentence_becomes_a_list() -> None:
    text = "Lessons:\n- escalate early\n- document the override\n\nDone."
    assert normalise_markdown(text) == "Lessons:\n\n- escalate early\n- document the override\n\nDone."


def test_bullet_characters_become_markdown_items() -> None:
    assert normalise_markdown("Key:\n• one\n• two") == "Key:\n\n- one\n- two"


def test_rsvp_phrases_break_at_punctuation_and_keep_every_word() -> None:
    text = "HR 186, RR 72. She is mottled and floppy at cares"
    chunks = phrases(text, words_per_phrase=3)
    assert chunks[0] == "HR 186,"
    assert " ".join(chunks).split() == text.split()
    assert all(len(c.split()) <= 3 for c in chunks)
