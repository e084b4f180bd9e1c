"""Bands of age or time ("aged 6 to 11 years", "More than 2 years' service") and a question's figure."""

from __future__ import annotations

import math

import pytest

from assistant.bands import Band, amount_fits, asked_ages, asked_amounts, band_spans, bands, fits


@pytest.mark.parametrize(("question", "asked"), [
    ("how many days holiday do I get after 3 years?", [(3.0, "y")]),
    ("And for my three-year-old?", [(3.0, "y")]),
    ("What's the dose for a 70-year-old?", [(70.0, "y")]),
    ("My son is 7. How much should he take?", [(7.0, "y")]),
    ("I've been here 18 months. Do I get sick pay?", [(1.5, "m")]),
    ("And if I've only been here a year?", [(1.0, "y")]),
    ("What do I get after a month?", [(1 / 12, "m")]),
    ("How many days a year do I get?", []),  # a rate, not a length of service
    ("What happened in 2019?", []),
    ("How many people came?", []),
    ("Which gate is 12?", []),
])
def test_the_age_or_time_a_question_gives(question, asked):
    assert [(pytest.approx(years), unit) for years, unit in asked_ages(question)] == asked


@pytest.mark.parametrize(("text", "expected"), [
    ("- 2 to 5 years' service: 27 days", [Band(2, 5)]),
    ("- Six months to 2 years' service: 4 weeks at full pay", [Band(0.5, 2, frozenset({"m", "y"}))]),
    ("Classes for children aged 4-6 and 7-10.", [Band(4, 6), Band(7, 10)]),
    ("| Children aged 6 to 11 years | Half a tablet |", [Band(6, 11)]),
    ("| Adults and children aged 12 and over | One tablet |", [Band(12, math.inf)]),
    # No figure without a unit or "aged" is a band: opening hours, counts, a price for hours.
    ("Open 9 to 5 daily.", []),
    ("More than 40 people came.", []),
    ("It costs £5 for 2 to 3 hours.", []),
    ("Call between 9 and 5 weekdays.", []),
    ("Free delivery on orders over 50, every day.", []),
    ("Groups of more than 10: call us.", []),
])
def test_the_bands_a_text_gives(text, expected):
    assert bands(text) == expected


def test_open_ended_bands_are_strict():
    [under] = bands("Junior swim (under 16): £3.10")
    assert under.holds(15) and not under.holds(16)
    [over] = bands("Concessions apply to over-65s and students.")
    assert over.holds(70) and not over.holds(65)
    [more] = bands("- More than 2 years' service: 10 weeks at full pay")
    assert more.holds(4) and not more.holds(2)


def test_a_question_fits_a_band_or_not():
    question = "How much sick pay do I get if I've been here 4 years?"
    asked = asked_ages(question)
    assert fits(asked, "- More than 2 years' service: 10 weeks at full pay") is True
    assert fits(asked, "- Six months to 2 years' service: 4 weeks at full pay") is False
    assert fits(asked, "4.5 Company sick pay includes statutory sick pay.") is None  # no band to judge
    assert fits(asked_ages("How much sick pay do I get?"), "- More than 2 years' service: 10 weeks") is None
    # "at least" and "up to" hold their own figure.
    assert fits(asked_ages("Can I apply after 26 weeks?"), "You can apply after at least 26 weeks of service.") is True
    # Only in the unit of the band: a 12-month membership is no age of "Under 18s".
    assert fits(asked_ages("How much is a 12 month membership?"), "Under 18s: an annual membership costs £20") is None
    text = "- 2 to 5 years' service: 27 days"
    assert [text[a:b] for a, b in band_spans(text, asked_ages(question))] == ["2 to 5 years"]
    # A figure in another unit is an answer, not a band: "up to 20 days" after 2 years.
    assert band_spans("Staff get up to 20 days of full sick pay.", asked_ages("How many days after 2 years?")) == []


POLICY = ("Leave policy\n\n2. ANNUAL LEAVE\n\n"
          "2.1 Annual leave depends on length of service:\n"
          "- Less than 2 years' service: 25 days\n"
          "- 2 to 5 years' service: 27 days\n"
          "- More than 5 years' service: 29 days\n\n"
          "3. FACILITIES\n\n"
          "3.1 The gym is open to staff and their families.\n"
          "- Sauna and steam room (over-16s only)\n"
          "- Junior gym sessions for ages 11 to 15, every Saturday\n")


def test_the_line_whose_band_holds_the_figure_answers(assistant_over):
    assistant = assistant_over({"policy.txt": POLICY})
    answer = assistant.ask("How many days holiday do I get after 3 years?")
    # Before, the three lines read alike and "Less than 2 years'" or another could come first, and
    # the short answer was a band's figure ("5 years").
    assert answer.citations[0].sentence.text == "- 2 to 5 years' service: 27 days"
    assert answer.text.startswith("27 days [1]")
    # A yes-or-no question is answered by the band that leaves the figure out.
    ranked = [h.sentence.text for h in assistant.ask("Can my 14-year-old use the sauna?").retrieved]
    assert ranked[0] == "- Sauna and steam room (over-16s only)"


@pytest.mark.parametrize(("question", "row"), [
    ("How many days can staff with more than 5 years of service carry over?", "| More than 5 years | 30 days | 5 days |"),
    ("What if I have worked here for under 2 years?", "| Less than 2 years | 25 days | 3 days |"),
    ("How much leave after 5 years?", "| 2 to 5 years | 27 days | 5 days |"),
])
def test_more_than_a_band_edge_is_past_it(question, row):
    rows = ["| Less than 2 years | 25 days | 3 days |", "| 2 to 5 years | 27 days | 5 days |",
            "| More than 5 years | 30 days | 5 days |"]
    asked = asked_ages(question)
    assert [r for r in rows if fits(asked, r)] == [row]


SAVINGS = ("Online Easy Saver\n\n"
           "Balance              AER      Gross p.a. (monthly interest)\n"
           "£1 to £24,999        3.40%    3.35%\n"
           "£25,000 to £99,999   3.60%    3.54%\n"
           "£100,000 and over    3.75%    3.69%\n\n"
           "The rate applies to the whole balance, so a balance of £30,000 earns 3.60% AER on every pound. "
           "If we do not hear from you, the balance moves to our Maturity account, which pays 2.10% AER.\n")


def test_an_amount_asked_picks_the_band_of_money_that_holds_it(assistant_over):
    # docs-dev16 s17: the three tiers read alike, and a sentence about balances ranked above them.
    asked = asked_amounts("What is the AER on the Online Easy Saver for a balance of £50,000?")
    assert asked == [(50000.0, "£")]
    assert [amount_fits(asked, t) for t in ("£1 to £24,999   3.40%", "£25,000 to £99,999   3.60%",
                                            "£100,000 and over   3.75%", "a balance of £30,000 earns 3.60%")] == [
        False, True, False, None]
    assert asked_amounts("How much is delivery on orders under £60?") == []  # a band, not an amount
    for question, row in (("What is the AER for a balance of £150,000?", "£100,000 and over"),
                          ("What is the AER for a balance of £10,000?", "£1 to £24,999")):
        ranked = [h.sentence.text for h in assistant_over({"savings.txt": SAVINGS}).ask(question).retrieved]
        tiers = [text for text in ranked if text.startswith("£")]
        assert tiers[0].startswith(row) and ranked.index(tiers[0]) <= 1
    # The band that keys a row says which row, not how much (docs-dev16 s25 answered "£1 to £24,999").
    answer = assistant_over({"savings.txt": SAVINGS}).ask("How much would £1,000 be worth after a year?")
    assert not answer.text.startswith("£1 to £24,999 ["), answer.text  # the row is cited, no short answer
