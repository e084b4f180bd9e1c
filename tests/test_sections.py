"""Headings and FAQ questions: context for the sentences under them, never an answer themselves."""

from __future__ import annotations

from assistant.documents import Document
from assistant.sections import (
    LIST_ITEMS,
    LIST_SENTENCES,
    bare_texts,
    document_title,
    embedding_texts,
    is_heading,
    list_after,
    long_lead,
    section_headings,
)
from assistant.sentences import Sentence, segment

FAQ = (
    "Riverside Library FAQ\n"
    "\n"
    "How long can I keep an item?\n"
    "Books can be kept for 21 days.\n"
    "Films must be returned within 7 days.\n"
    "\n"
    "What happens if I return something late?\n"
    "The late fee is 20 cents per day.\n"
    "\n"
    "## Opening hours\n"
    "The library opens at 9 a.m. on weekdays.\n"
)


def _sentences(text: str) -> list[Sentence]:
    out, start = [], 0
    for n, line in enumerate(text.split("\n")):
        if line:
            out.append(Sentence(f"s{n}", "faq.txt", len(out), start, start + len(line), line))
        start += len(line) + 1
    return out


def test_a_question_or_markdown_heading_on_its_own_line_leads_its_section():
    sentences = _sentences(FAQ)
    assert [is_heading(FAQ, s) for s in sentences] == [False, True, False, False, True, False, True, False]
    headings = section_headings(FAQ, sentences, document_title(FAQ, sentences))
    assert headings[3] == "How long can I keep an item?"
    assert headings[5] == "What happens if I return something late?"
    assert headings[7] == "Opening hours"
    assert headings[0] == "" and headings[1] is None  # the title, and a heading itself
    texts = embedding_texts(FAQ, sentences)
    assert texts[3] == "Riverside Library FAQ: How long can I keep an item?: Films must be returned within 7 days."


def test_a_question_inside_a_paragraph_is_not_a_heading():
    text = "Why does it matter? Because fees add up."
    first = Sentence("a", "d", 0, 0, 19, "Why does it matter?")
    assert not is_heading(text, first)


def test_an_faq_answer_is_found_through_its_question_and_the_question_is_never_cited(assistant_over):
    assistant = assistant_over({"faq.txt": FAQ})
    answer = assistant.ask("How long can I keep a film?")
    assert not answer.abstained
    assert answer.citations[0].sentence.text == "Films must be returned within 7 days."
    for question in ("How long can I keep a film?", "What happens if I return a book late?"):
        assert not any(h.sentence.text.endswith("?") for h in assistant.ask(question).retrieved)


def test_heading_lines_with_spaces_crlf_and_a_leading_faq_question():
    text = "How do I join?  \r\n  Anyone over 12 can join.\r\n#1 in the county for loans.\r\n## Fees \r\nA card is free.\r\n"
    sentences = []
    for n, line in enumerate(text.split("\r\n")):
        stripped = line.strip()
        if stripped:
            start = text.index(stripped)
            sentences.append(Sentence(f"s{n}", "faq.txt", len(sentences), start, start + len(stripped), stripped))
    assert [is_heading(text, s) for s in sentences] == [True, False, False, True, False]  # "#1" is no heading
    # A first line that is a question leads its section (it is not a title: titles do not ask).
    assert document_title(text, sentences) == ""
    assert section_headings(text, sentences, "") == [None, "How do I join?", "How do I join?", None, "Fees"]


JUDGMENT = (
    "Summary of Judgment: Carrow v Meridale\n"
    "\n"
    "Background\n"
    "Carrow supplied roof trusses to Meridale for a warehouse in Derby in 2023.\n"
    "\n"
    "Section 3: Excesses\n"
    "The standard excess is £150.\n"
    "Source: County Court at Leeds\n"
    "\n"
    "Closed on Mondays\n"
    "Open 9 to 5.\n"
    "\n"
    "The decision\n"
    "The judge found for Carrow and awarded £286,450 with interest at the statutory rate.\n"
)


def test_plain_text_headings_lead_their_section_but_labels_and_short_notices_do_not():
    sentences = [s for s in _sentences(JUDGMENT)]
    headings = [s.text for s in sentences if is_heading(JUDGMENT, s)]
    # A short line after a blank line, with no punctuation or figure, above a longer sentence; or a
    # numbered section. Not "Source: ..." (a label that states something), nor "Closed on Mondays"
    # above a line no longer than a notice's.
    assert headings == ["Background", "Section 3: Excesses", "The decision"]
    leads = section_headings(JUDGMENT, sentences, document_title(JUDGMENT, sentences))
    assert leads[sentences.index(next(s for s in sentences if s.text.startswith("The judge")))] == "The decision"


def test_a_plain_heading_is_read_from_the_lines_around_it_whatever_lies_farther_off():
    # Only the lines next to a heading are read (reading the whole text before and after each
    # sentence made a 2 MB file of short lines take minutes): blank lines holding spaces or a CRLF's
    # "\r", several of them, a long text before, and a heading near the end still count. Spaces at
    # the end of a line are a Markdown line break inside a paragraph: such a line is no heading.
    before = "Filler sentence number one goes here and says nothing much.\n" * 2000
    text = (before + "The last paragraph before the heading ends here.\n \t\r\n\n  \nBackground\n"
            "Carrow supplied roof trusses to Meridale for a warehouse in Derby in 2023.\n\nThe decision\n"
            "The judge found for Carrow and awarded damages with interest at the statutory rate.\n\n"
            "Free for members  \nSpaces fill up quickly on match days, so arrive early if you can.")
    sentences = [s for s in segment(Document(name="j.txt", text=text, sha256="0" * 64)) if len(s.text) < 40]
    assert [(s.text, is_heading(text, s)) for s in sentences] == [
        ("Background", True), ("The decision", True), ("Free for members", False)]
    numbered = "Intro line of the notice.\n" * 500 + "\n3. MILESTONES\n3.1 The hall reopens in October after works.\n"
    heading = next(s for s in segment(Document(name="m.txt", text=numbered, sha256="0" * 64)) if s.text == "3. MILESTONES")
    assert is_heading(numbered, heading)


def test_a_plain_heading_is_never_cited(assistant_over):
    answer = assistant_over({"judgment.txt": JUDGMENT}).ask("What was the decision?")
    assert not answer.abstained
    assert all(c.sentence.text != "The decision" for c in answer.citations)
    assert all(h.sentence.text != "The decision" for h in answer.retrieved)


MINUTES = (
    "ASHCOMBE PARISH COUNCIL\n"
    "\n"
    "6. Finance\n"
    "6.1 The following payments were approved.\n"
    "6.3 The internal auditor has signed off the 2024/25 accounts without any issues.\n"
    "7. PLANNING\n"
    "7.1 No objection was raised to the extension at 4 Mill Lane.\n"
    "\n"
    "Steps\n"
    "1. Run the tap for five minutes.\n"
    "2. Fill the kettle\n"
    "3. Boil the water and let it cool before drinking it.\n"
)


NOT_HEADINGS = (
    "Find us at\n"
    "14 Station Road\n"
    "The centre is open Monday to Friday, from nine in the morning until six.\n"
    "\n"
    "Pool rules\n"
    "1. NO DIVING\n"
    "2. NO RUNNING\n"
    "3. NO GLASS\n"
    "2. No declarations of interest were made.\n"
    "3. Finance\n"
    "3.1 The accounts for May were approved.\n"
)


def test_an_address_a_list_of_rules_are_no_headings_but_a_section_numbered_below_is():
    sentences = _sentences(NOT_HEADINGS)
    headings = [s.text for s in sentences if is_heading(NOT_HEADINGS, s)]
    # "14 Station Road" has no section number; the rules are numbered as their neighbours are;
    # "3. Finance" follows a numbered sentence, but "3.1" below it says it heads a section.
    assert headings == ["3. Finance"]


def test_a_numbered_heading_leads_its_section_by_its_words_but_a_numbered_step_is_no_heading():
    sentences = _sentences(MINUTES)
    headings = [s.text for s in sentences if is_heading(MINUTES, s)]
    # "6. Finance" above a longer line, "7. PLANNING" in capitals, with or without a blank line above;
    # not the steps of a list, ending with a full stop or no longer than the line after them.
    assert headings == ["6. Finance", "7. PLANNING", "Steps"]
    leads = dict(zip((s.text for s in sentences),
                     section_headings(MINUTES, sentences, document_title(MINUTES, sentences))))
    assert leads["6.3 The internal auditor has signed off the 2024/25 accounts without any issues."] == "Finance"
    assert leads["7.1 No objection was raised to the extension at 4 Mill Lane."] == "PLANNING"
    assert leads["2. Fill the kettle"] == "Steps"


LEAFLET = (
    "# Alveron 5 mg tablets\n"
    "\n"
    "**Driving and using machines**\n"
    "Alveron may make some people feel sleepy. Do not drive until you know how it affects you.\n"
    "\n"
    "**Do not take more than one tablet a day.**\n"
)


def test_a_line_in_bold_is_a_heading_but_a_bold_sentence_is_not():
    sentences = [s for s in _sentences(LEAFLET)]
    by_text = {s.text: is_heading(LEAFLET, s) for s in sentences}
    assert by_text["**Driving and using machines**"] is True
    assert by_text["**Do not take more than one tablet a day.**"] is False


RELEASES = (
    "# Pagewright release notes\n"
    "\n"
    "## 4.0.0 — 2025-03-04\n"
    "This is a major release with one breaking change.\n"
    "\n"
    "## 3.9.0 — 2024-11-12\n"
    "The legacy theme flag is deprecated and will be removed in the next major release.\n"
    "\n"
    "## Upgrading\n"
    "Back up your site folder first.\n"
)


def test_a_dated_heading_leads_its_section_and_can_be_cited(assistant_over):
    # The heading is where a changelog says when a release came out: before, "When did 4.0.0
    # come out?" was refused (no date in the sentences under it) or answered with another's.
    assistant = assistant_over({"releases.md": RELEASES})
    answer = assistant.ask("When did Pagewright 4.0.0 come out?")
    assert not answer.abstained
    assert answer.text.startswith("2025-03-04 [")
    assert any(c.sentence.text == "## 4.0.0 — 2025-03-04" for c in answer.citations)
    # An undated heading is still never cited, nor a dated one for what happened then: it says when.
    assert not any(h.sentence.text == "## Upgrading" for h in assistant.ask("How do I upgrade?").retrieved)
    changed = assistant.ask("What changed in the 4.0.0 release?")
    assert not any(h.sentence.text.startswith("## ") for h in changed.retrieved)
    # A line under a dated heading happened on its date: the heading is cited with it.
    deprecated = assistant.ask("When was the legacy theme flag deprecated?")
    assert deprecated.text.startswith("2024-11-12 [1]"), deprecated.text
    assert [c.sentence.text for c in deprecated.citations] == ["## 3.9.0 — 2024-11-12",
                                                                 "The legacy theme flag is deprecated and will be "
                                                                 "removed in the next major release."]


def test_a_bold_statement_is_not_a_heading():
    # Leaflets put facts and warnings in bold: a bold line with a figure or of more than a few
    # words states something (review of session 13: "**Entry: £5 for adults**" could not be cited).
    text = "**Entry: £5 for adults, children free**\n**Do not drink alcohol while taking this medicine**\nText.\n"
    sentences = _sentences(text)
    assert [is_heading(text, s) for s in sentences] == [False, False, False]


_TRIAL = ("# Brisk Walking and Blood Pressure in Adults Aged 50 to 70: a Randomised Controlled Trial\n\n"
          "## Methods\n\nWe recruited 312 adults aged 50 to 70 with stage 1 hypertension from six general practices.\n"
          "Participants were randomly assigned to a walking programme or to usual care.\n\n"
          "## Results\n\nSystolic blood pressure fell by 7.4 mmHg in the walking group and by 2.1 mmHg with usual care.\n\n"
          "## Funding\n\nThe trial was funded by the Eastbrook Heart Foundation.\n"
          "The funder had no role in the analysis.\n")


def sentences_of(text: str) -> list[Sentence]:
    return segment(Document.from_text("walking.md", text))


def test_a_sentence_under_a_long_lead_is_embedded_bare_too():
    sentences = sentences_of(_TRIAL)
    bare = dict(zip((s.text for s in sentences), bare_texts(_TRIAL, sentences)))
    funded = "The trial was funded by the Eastbrook Heart Foundation."
    assert bare[funded] == funded
    assert bare["## Funding"] is None  # a heading is no answer: it needs no second reading
    # Under a short lead, one reading does.
    short = "# Walking trial\n\n## Funding\n\nThe trial was funded by the Eastbrook Heart Foundation.\n"
    assert bare_texts(short, sentences_of(short)) == [None, None, None]
    assert long_lead("Walking trial", "Funding", funded) is False


def test_a_long_title_does_not_drown_the_sentence_that_answers(assistant_over):
    # Read after the 15-word title, the funding sentence scores cosine 0.03 with the question (0.67 alone),
    # and the question was refused as below the threshold.
    answer = assistant_over({"walking.md": _TRIAL}).ask("Who funded the trial?")
    assert not answer.abstained
    assert answer.citations[0].sentence.text == "The trial was funded by the Eastbrook Heart Foundation."
    assert answer.text.startswith("Eastbrook Heart Foundation [1]")


_RESET = ("### Resetting the camera\n\nTo return all shooting settings to their factory defaults:\n\n"
          "1. Press MENU.\n2. Open the Setup tab. It is the last tab.\n3. Press OK.\n\n"
          "This reset does not change the date.\n")


def _items(text: str, lead: str) -> list[str]:
    sentences = sentences_of(text)
    return [s.text for s in list_after(next(s for s in sentences if s.text == lead), sentences, text).sentences]


def test_a_line_ending_in_a_colon_leads_into_the_list_below_it():
    lead = "To return all shooting settings to their factory defaults:"
    # An item's second sentence on its line is part of it; the paragraph after the list is not.
    assert _items(_RESET, lead) == ["1. Press MENU.", "2. Open the Setup tab.", "It is the last tab.", "3. Press OK."]
    bullets = "The policy does not cover:\n- wear and tear;\n- pets.\nClaims are made online.\n"
    assert _items(bullets, "The policy does not cover:") == ["- wear and tear;", "- pets."]
    # No list follows: a paragraph, a list after two blank lines, or no colon at all.
    assert _items("A turn has three steps:\nRoll the die.\n- Move.\n", "A turn has three steps:") == []
    assert _items("Bring the following:\n\n\n\n- a torch.\n", "Bring the following:") == []
    assert _items("Bring these things.\n- a torch.\n", "Bring these things.") == []
    long = "Pack:\n" + "".join(f"- item {n}.\n" for n in range(LIST_ITEMS + 3))
    assert len(_items(long, "Pack:")) == LIST_ITEMS
    sentences = sentences_of(long)
    assert list_after(sentences[0], sentences, long).left_out == 3  # said, not dropped silently
    # Whole items only: steps of three sentences each stop before one that would run past the limit.
    steps = "If the alarm sounds:\n" + "".join(f"{n}. Stop work. Leave by stair {n}. Do not use the lifts.\n"
                                                for n in range(1, 8))
    kept = _items(steps, "If the alarm sounds:")
    assert len(kept) == 3 * (LIST_SENTENCES // 3) and kept[-1] == "Do not use the lifts."


def test_a_how_to_question_is_answered_by_the_steps_its_lead_in_introduces(assistant_over):
    bot = assistant_over({"camera.md": _RESET})
    answer = bot.ask("How do I put the shooting settings back to factory defaults?")
    assert [c.sentence.text for c in answer.citations] == [
        "To return all shooting settings to their factory defaults:", "1. Press MENU.", "2. Open the Setup tab.",
        "It is the last tab.", "3. Press OK."]
    assert "\n2. Open the Setup tab [3]." in answer.text  # one step to a line, as written
    # A list longer than is cited says that it goes on. (Its lead-in, made of the question's words,
    # was penalised as a heading that echoes the question, and one item answered.)
    items = ["wear and tear", "damage caused by pets", "loss of money left in a car", "frozen food", "gradual leaks",
             "mechanical breakdown", "damage by moths or vermin", "theft by lodgers", "sports equipment while in use",
             "contact lenses", "loss caused by a pandemic or by war"]
    policy = ("# Home contents policy\n\n## What is not covered\n\nThe policy does not cover:\n"
              + "".join(f"- {item};\n" for item in items) + "\n## Claims\n\nMake a claim online within 30 days.\n")
    listed = assistant_over({"policy.md": policy}).ask("What does the policy not cover?")
    assert [c.sentence.text for c in listed.citations[:2]] == ["The policy does not cover:", "- wear and tear;"]
    assert listed.notice == f"The list goes on: {len(items) - LIST_ITEMS} more items in policy.md."
    # A question asking for a figure is answered from the lead-in alone.
    counted = assistant_over({"rules.txt": "A turn has three steps, always in this order:\n1. Roll.\n2. Move.\n"})
    assert [c.sentence.text for c in counted.ask("How many steps does a turn have?").citations] == [
        "A turn has three steps, always in this order:"]
