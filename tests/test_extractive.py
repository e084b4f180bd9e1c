"""Extractive answers on a real index of a small document: short spans, and the refusals that
need no similarity threshold (a figure the text lacks, a name it never uses)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.chain import Assistant
from assistant.extractive import _SOURCE_LINE, ExtractiveAnswerer, role_unsaid, unknown_name, unmentioned_role
from assistant.lexical import LexicalIndex
from assistant.questions import NAMED_FIGURE, answer_type, asks_for_source, condense, required_kind
from assistant.sentences import Sentence
from assistant.spans import describes_in_full, find_span, has_answer_kind


def one(text: str) -> list[Sentence]:
    """``text`` as the only sentence of a document."""
    return [Sentence("t", "d", 0, 0, len(text), text)]


HARBOUR = (
    "The port of Lowmouth handled 4,200 ships last year, 12 percent more than the year before. "
    "Its harbour master said the new container crane cost $3.5 million and was paid for by the county. "
    "The port will also train more pilots to guide ships through the narrow channel. "
    "Fishing boats were moved to the eastern quay in March to make room for the ferries. "
    "Two tugboats now work the harbour around the clock."
)


@pytest.fixture
def harbour(assistant_over):
    return assistant_over({"lowmouth.txt": HARBOUR})


@pytest.mark.parametrize(("question", "kind"), [
    ("How many ships did the port handle?", "number"),
    ("How much did the crane cost?", "money"),
    ("What percentage more ships came in?", "percent"),
    ("When was the crane bought?", "date"),
    ("In what year did the ferries start?", "date"),
    ("When do pilots need to guide ships?", None),  # a condition, not a point in time
    # When something opens or ends may be a condition or a time from something else: "Doors open 30
    # minutes before each performance", "The offer ends when all seats are sold".
    ("When do the doors open?", None),
    ("When does the early-bird offer end?", None),
    ("Who runs the harbour, and when did he start?", None),  # compound: the kind is one part's
    ("Who is the harbour master?", None),  # names are not required: finding them is unreliable
    ("Why did the price of the crane rise?", None),  # mentions a price, asks for a cause
    ("Who paid the cost of the crane?", None),
    ("Which port has the highest percentage of ferries?", None),
    ("What was the total cost of the crane?", "money"),
    ("Roughly how many ships came in?", "number"),
    ("What is the total number of pilots?", "number"),
    ("What is the number to call for a pilot?", None),  # a phone number, not a count
])
def test_the_kinds_an_answer_cannot_do_without(question, kind):
    assert required_kind(question) == kind


@pytest.mark.parametrize(("question", "kind", "figure"), [
    ("What is the number of staff?", "number", False),  # a count: "120 staff"
    ("What is the number for reception?", "other", False),
    ("What does the number on the ticket mean?", "other", False),
    ("What is the office number?", "other", False),
    # A figure by the name of what it measures: the text says which of its figures that is ("in
    # front of a crowd of 4,218" after "beat Colnbrook 3-2") better than a short answer would.
    ("What were sales in July?", "other", True),
    ("What was the average attendance at home games?", "other", True),
    ("What's the population of Lowmouth?", "other", True),
    ("What is the sales team called?", "other", False),
    ("What was the recycling rate in April?", "percent", True),
])
def test_a_figure_asked_by_its_name(question, kind, figure):
    assert answer_type(question) == kind
    assert bool(NAMED_FIGURE.search(question)) == figure


SALES = (
    "Shop report\n\nThe shop opened in 2019 on the quay, and has 3 staff.\n"
    "Honey sales were 1,200 jars in June and 1,450 in August.\n"
)


def test_a_figure_asked_by_its_name_of_the_year_its_title_names_is_answered(assistant_over):
    review = "Riverside Festival 2023 Review\n\nTicket sales were £62,000, compared with £48,000 in 2022.\n"
    answer = assistant_over({"review.md": review}).ask("What were ticket sales in 2023?")
    assert not answer.abstained and "£62,000" in answer.text


@pytest.mark.parametrize(("question", "lead"), [
    ("What were sales in June?", "Honey sales were 1,200 jars in June"),
    ("What were sales in July?", None),  # the figures are June's and August's
    ("What is the number of staff?", "3 [1]"),
])
def test_a_count_asked_by_its_name_is_read_for_the_month_asked(assistant_over, question, lead):
    answer = assistant_over({"shop.txt": SALES}).ask(question)
    assert answer.abstained == (lead is None), answer.text
    if lead:
        assert answer.text.startswith(lead)


def test_a_question_for_a_figure_the_text_lacks_is_refused(harbour):
    answer = harbour.ask("How many pilots will the port train?")
    assert answer.abstained and not answer.citations and answer.abstain_reason == "no_answer_kind"
    assert answer.text == ("Not covered: the document does not answer this question "
                           "(the closest passages give no figure).")
    assert answer.retrieved[0].sentence.text.startswith("The port will also train more pilots")


def test_a_question_for_a_date_the_text_lacks_is_refused(harbour):
    assert harbour.ask("When will the new pilots start work?").abstained


def test_a_when_question_answered_by_a_condition_is_answered(assistant_over):
    faq = assistant_over({"faq.md": "# Theatre FAQ\n\nDoors open 30 minutes before each performance.\n"
                                     "The early-bird offer ends when all discounted seats are sold.\n"})
    assert faq.ask("When do the doors open?").text.startswith("Doors open 30 minutes before")
    assert faq.ask("When does the early-bird offer end?").text.startswith("The early-bird offer ends when")


def test_a_figure_that_is_there_is_given(harbour):
    answer = harbour.ask("How many ships did Lowmouth handle last year?")
    assert not answer.abstained
    assert answer.text.startswith("4,200 [1].")
    assert not harbour.ask("How much did the crane cost?").abstained
    assert not harbour.ask("How many tugboats work the harbour?").abstained  # "Two": a count in words


def test_a_name_the_documents_never_use_is_refused_and_named(harbour):
    answer = harbour.ask("How many ships did the port of Lowmouth send to Norway?")
    assert answer.abstained
    assert answer.text.endswith('(nothing in it is about "Norway").')


def test_a_count_asked_for_is_not_named_as_what_the_text_lacks(harbour):
    snapshot = harbour.store.snapshot()
    evidence = ExtractiveAnswerer(0.3).coverage("Which three captains won?", snapshot.sentences[:1], snapshot)
    assert evidence.missing == "captains"  # not "three", though no sentence says it either


def test_names_are_known_by_their_relatives(harbour):
    snapshot = harbour.store.snapshot()
    assert unknown_name("Did Lowmouth's port grow?", snapshot) == ""
    assert unknown_name("What did the Lowmouthian fishermen say?", snapshot) == ""  # same first letters
    assert unknown_name("Where do the Norwegian ferries dock?", snapshot) == "Norwegian"
    assert unknown_name("Why do IP lawyers care?", snapshot) == ""  # acronyms may be spelled otherwise
    assert unknown_name("Norway is far", snapshot) == ""  # the first word is capitalised anyway


def test_knows_matches_words_by_their_first_letters():
    index = LexicalIndex.from_texts(["China signed with African states.", "Ships came in.", "Zürich agreed."])
    assert index.knows("Chinese") and index.knows("Africa") and index.knows("ship")
    assert index.knows("Zurich") and index.knows("Zürich")  # accents aside
    assert not index.knows("Norway")


def test_money_after_a_space_and_counts_in_words_are_found():
    paid = Sentence("s1", "d", 0, 0, 44, "Cast members were paid $22,500 per episode.")
    assert find_span("How much were they paid?", [paid], "money") == (1, "$22,500")
    assert has_answer_kind("Only one overtime period is played.", "number", set())
    # A figure in digits is preferred to a count in words.
    both = Sentence("s2", "d", 0, 0, 58, "One of the ports handled 4,200 ships with two tugboats.")
    assert find_span("How many ships did it handle?", [both], "number") == (1, "4,200")


def test_a_refusal_says_whether_a_threshold_made_it(harbour):
    reasons = {q: harbour.ask(q).to_json().get("abstain_reason") for q in (
        "How many pilots will the port train?", "How many ships did the port send to Norway?",
        "How do I bake sourdough bread?", "How many ships did the port handle?")}
    assert reasons == {"How many pilots will the port train?": "no_answer_kind",
                       "How many ships did the port send to Norway?": "unknown_name",
                       "How do I bake sourdough bread?": "low_confidence",
                       "How many ships did the port handle?": None}


def test_who_said_wants_the_speaker_and_never_an_acronym():
    said = Sentence("s3", "d", 0, 0, 80, "Exports to the EU rose by 5 percent, said Ana Ruiz, deputy director of the port.")
    plain = Sentence("s4", "d", 0, 0, 45, "Courts in Spain closed 3,000 IPR cases in May.")
    assert find_span("Who said exports rose?", [said], "person") == (1, "Ana Ruiz, deputy director of the port")
    # A sentence that attributes nothing gives no speaker: better no span than a place or an acronym.
    assert find_span("Who said the courts closed cases?", [plain], "person") is None
    # Nor is a name that "in" points to ("in Spain") a person; "IPR" is no name at all.
    assert find_span("Who closed the cases?", [plain], "person") is None
    judged = Sentence("s7", "d", 0, 0, 52, "Judge Ana Ruiz closed the IPR cases in Spain in May.")
    assert find_span("Who closed the cases?", [judged], "person") == (1, "Ana Ruiz")


def test_a_near_tie_that_holds_the_figure_is_cited_instead_of_refusing(index_text):
    store = index_text("pilots.txt", "The port will also train more pilots. "
                       "Ferries to the islands leave every hour. "
                       "The port's pilot school will train 35 pilots in its first year.")
    bot = Assistant(store.settings, store=store)
    snapshot = store.snapshot()
    condensed = condense("How many pilots will the port train?", [])
    hits = {h.sentence.text[:12]: h for h in bot.retriever.search(condensed.question)}
    without, with_figure = hits["The port wil"], hits["The port's p"]
    # The sentence without a figure first (it has every word of the question), the other a near second.
    tied = [replace(without, score=1.0), replace(with_figure, score=0.95)]
    answer = bot.extractive.answer(condensed, tied, snapshot)
    assert not answer.abstained and answer.text.startswith("35 [1].")
    assert [c.sentence.text for c in answer.citations] == [with_figure.sentence.text]
    # Not near enough, nor the next sentence: refused, as with no such sentence at all.
    far = [replace(without, score=1.0), replace(with_figure, score=0.5)]
    assert bot.extractive.answer(condensed, far, snapshot).abstain_reason == "no_answer_kind"


def test_place_and_name_spans_read_as_answers():
    met = Sentence("s5", "d", 0, 0, 77, "Ana Ruiz spoke at a news conference organized by the Port Office in Lowmouth.")
    # "in Lowmouth" is where; "Ana Ruiz" is only nearer to the question's words.
    assert find_span("Where was the news conference held?", [met], "place") == (1, "Lowmouth")
    out = Sentence("s8", "d", 0, 0, 62, "Out of left field is American slang for something unexpected.")
    assert find_span("Where did the term out of left field come from?", [out], "place") == (1, "American")
    # The sentence's full stop is not part of the name.
    works = Sentence("s6", "d", 0, 0, 51, "Gan Lin is vice-minister of the Market Regulation Office.")
    assert find_span("Which office does Gan Lin work for?", [works], "organisation") == (1, "Market Regulation Office")


@pytest.mark.parametrize("question", ["What is the percentage increase in cases?", "By what percent did cases rise?",
                                      "What share of cases were settled?"])
def test_percentage_questions_are_recognised(question):
    assert required_kind(question) == "percent"


def test_a_year_or_a_phrase_is_not_a_count_but_an_old_year_is_a_date():
    assert not has_answer_kind("In 2020 the port will also train more pilots.", "number", set())
    assert not has_answer_kind("Training pilots is one of its main goals.", "number", set())
    assert has_answer_kind("In 2020, 35 pilots trained.", "number", set())
    for text in ("The battle was fought in 1066.", "It was printed in 868.", "The castle dates from the 12th century.",
                 "Caesar died in 44 BC."):
        assert has_answer_kind(text, "date", set()), text
    assert find_span("How much did it cost?", [Sentence("s9", "d", 0, 0, 28, "It cost US$5 million in all.")],
                     "money") == (1, "US$5 million")
    quarter = Sentence("s10", "d", 0, 0, 49, "About twenty five percent of voters stayed home.")
    assert find_span("What percentage stayed home?", [quarter], "percent") == (1, "About twenty five percent")
    # Not "About twenty": with no count in the sentence, its percentage is the nearest thing to one.
    assert find_span("How many voters stayed home?", [quarter], "number") == (1, "About twenty five percent")


def test_person_spans_from_letters_speakers_and_sentence_ends():

    assert find_span("Who sent the letter?", one("The letter came from Ann Lee."), "person") == (1, "Ann Lee")
    assert find_span("Who said courts were busy?", one("Yesterday Ann Lee, the minister, said courts were busy."),
                     "person") == (1, "Ann Lee, the minister")
    assert find_span("Who opened it?", one("The bridge was opened by Jin Hai."), "person") == (1, "Jin Hai")
    assert find_span("Where is the office?", one("The office is in Washington D.C."), "place") == (1, "Washington D.C.")


def test_title_case_questions_are_not_full_of_unknown_names(harbour):
    answer = harbour.ask("What Was The Total Cost Of The New Container Crane?")
    assert not answer.abstained and answer.text.startswith("$3.5 million [1].")


def test_decomposed_accents_are_the_same_word():
    index = LexicalIndex.from_texts(["Zu\u0308rich agreed."])  # "Zürich" written as u + combining diaeresis
    assert index.knows("Zurich") and index.knows("Zürich")


def test_a_name_that_looks_like_a_title_is_still_checked(harbour):
    # Capitals on names only (not on "the", "of"): this is not Title Case, and Norway is unknown.
    answer = harbour.ask("How many ships did the Port of Lowmouth send to Norway?")
    assert answer.abstain_reason == "unknown_name"


def test_a_name_is_unknown_only_when_all_its_words_are(harbour):
    snapshot = harbour.store.snapshot()
    # "Lowmouth" is in the text, so "Lowmouth Harbour Trust" may be what it calls the harbour.
    assert unknown_name("What did the Lowmouth Harbour Trust decide?", snapshot) == ""
    assert unknown_name("What did the Oslo Harbour Trust decide?", snapshot) == ""  # "Harbour" is known
    assert unknown_name("What did the Oslo Fjord Trust decide?", snapshot) == "Oslo Fjord Trust"


def test_day_first_dates_times_of_day_and_twice_are_answers():

    assert find_span("When was the policy approved?", one("The board approved it on 4 April 2024 at noon."),
                     "date") == (1, "4 April 2024 at noon")  # the day and its time, together
    hours = one("The library is open Monday to Friday from 9 a.m. to 8 p.m., and on Saturday from 10 a.m. to 4 p.m.")
    assert find_span("What time does the library close on Saturday?", hours, "date") == (1, "10 a.m. to 4 p.m.")
    assert find_span("How many times can I renew a book?", one("Each item can be renewed twice by phone."),
                     "number") == (1, "twice")


def test_titles_before_a_name_are_not_the_persons_name():
    assert find_span("Who will retire?", one("Chief Financial Officer Tomasz Nowak will retire at the end of the year."),
                     "person") == (1, "Tomasz Nowak")
    assert find_span("Who do questions go to?", one("Questions go to the head librarian, Ms. Rosa Klein."),
                     "person") == (1, "Rosa Klein")
    assert find_span("Who supervised it?", one("Her thesis was supervised by Lars Nyström."), "person") == (1, "Lars Nyström")


def test_a_question_that_says_which_figure_wants_that_one(assistant_over):
    assistant = assistant_over({"vans.txt": (
        "The company bought 60 electric vans this quarter. "
        "The electric vans are expected to cut fuel costs on urban routes by about 30%. "
        "A replacement cartridge costs €24.90. "
        "The company served 2,340 customers.")})
    # The figures of a price are not a count; a percentage may stand for one ("25% of voters").
    assert find_span("How many cartridges?", [Sentence("c", "d", 0, 0, 36, "A cartridge costs €24.90 in 2 shops.")],
                     "number") == (1, "2")
    refused = assistant.ask("What percentage of customers renewed their contracts?")
    assert refused.abstained and refused.abstain_reason == "no_answer_kind"
    assert not assistant.ask("By what percentage will the vans cut fuel costs?").abstained
    assert not assistant.ask("How many electric vans did the company buy?").abstained


def test_relative_times_units_and_list_steps():

    retire = one("Chief Financial Officer Tom Berg will retire at the end of the year after eleven years.")
    assert find_span("When will he retire?", retire, "date") == (1, "at the end of the year")
    assert has_answer_kind("The plant will open next year.", "date", set())
    # A measured figure keeps its unit; the number of a step in a list is not a figure.
    assert find_span("How fast does it filter water?", one("It filters up to 2.5 litres per minute."),
                     "number") == (1, "up to 2.5 litres per minute")
    assert find_span("How long should I run the tap?", one("6. Run the tap for five minutes."),
                     "number") == (1, "five minutes")
    # A month is not a person, nor "May" after "for" or "in"; "Theresa May" is.
    assert find_span("Who approved it?", one("The board approved it on November 15, 2024."), "person") is None
    assert find_span("Who is the treasurer?", one("- Clerk's salary for May: £812.40"), "person") is None
    assert find_span("Who organised the raffle?", one("Special thanks go to May for organising the raffle."),
                     "person") == (1, "May")
    assert find_span("Who wrote it?", one("It was written by Theresa May in 2019."), "person") == (1, "Theresa May")


def test_a_measure_is_not_answered_by_a_price(assistant_over):
    assistant = assistant_over({"filter.txt": "Replacement cartridges cost €24.90 each. The housing is made of white plastic."})
    assert required_kind("How much does the filter weigh?") == "number"
    refused = assistant.ask("How much does the filter weigh?")
    assert refused.abstained and refused.abstain_reason == "no_answer_kind"
    assert not assistant.ask("How much does a replacement cartridge cost?").abstained


def test_a_name_the_cited_document_never_uses_is_refused(assistant_over):
    assistant = assistant_over({
        "library.txt": "Ms. Rosa Klein answers questions about loans.\nThe library opens at 9 a.m. on weekdays.\n",
        "life.txt": "Anna Berg became a full professor in 1989.\nShe moved to Montreal in 1981.\n"})
    answer = assistant.ask("When did Rosa Klein move to Montreal?")
    assert answer.abstained and answer.abstain_reason == "unknown_name"
    assert answer.text.endswith('(the closest passages are not about "Rosa Klein").')
    # The best sentence about her gives no year, and the one that does is not about her.
    assert assistant.ask("When did Rosa Klein become a full professor?").abstained
    assert not assistant.ask("When did Anna Berg become a full professor?").abstained


SHARE_OFFER = (
    "BROOKFIELD COMMUNITY ENERGY LTD\nShare Offer 2025: Hollins Farm Solar\n\n"
    "This document invites you to buy shares to help fund a new solar array at Hollins Farm. Investing in shares "
    "carries risk.\n\nThe project\n\nThe Hollins Farm array will be a 1.8 MW ground-mounted solar farm on 3.6 "
    "hectares of low-grade grazing land. It is expected to generate approx. 1,750 MWh a year, enough for about 600 "
    "homes. Building work will start in spring 2026.\n")


def test_a_figure_ranked_just_below_is_read_from_the_sentence_it_goes_on_from(assistant_over):
    # The title ranks first and gives no count; the sentence with the count goes on ("It is ...")
    # from the one ranked second, which is about the solar farm: it answers, though it shares no
    # word with the title. (It was refused as giving no figure.)
    answer = assistant_over({"offer.txt": SHARE_OFFER}).ask("How many households could the new solar farm supply?")
    assert answer.text.startswith("About 600 [1]") and "600 homes" in answer.citations[0].sentence.text


def test_a_sentence_going_on_from_one_about_something_else_is_no_near_answer(index_text):
    # A review's case: the battery store ranks first; the solar farm's sentence and the one going on
    # from it ("It is expected to supply about 600 homes") are about the farm, not the store.
    from assistant.retriever import Retrieved
    from assistant.settings import Settings

    store = index_text("energy.txt", "The battery store at Mill Lane will hold 4 MWh.\n\nThe solar farm at Hollins will cover "
                       "3.6 hectares of grazing land. It is expected to supply about 600 homes.\n")
    snapshot = store.snapshot()
    battery, farm, homes = snapshot.sentences
    hits = [Retrieved(battery, 0.60, 0.5, 1.0), Retrieved(farm, 0.58, 0.5, 0.5), Retrieved(homes, 0.57, 0.5, 0.0)]
    answerer = ExtractiveAnswerer(Settings.from_env(env={}).abstain_threshold)
    assert answerer._near_holder("How many households will the battery store power?", "number", hits, snapshot) is None


CLUB = ("Present: Margaret Pellow (Chair), Dev Sharma (Vice-Chair) and Julia Rowse (Secretary).\n"
        "The club's accounts for 2024 were signed off by the auditor, Gwen Polkinghorne.\n")


@pytest.mark.parametrize(("question", "refused"), [
    ("Who is the club treasurer?", True),  # the minutes name a chair, a secretary, an auditor: no treasurer
    ("Who is the parish council's treasurer?", True),
    ("Who's the treasurer?", True),
    ("Who is the chair of the club?", False),
    ("Who is the current secretary?", False),
    ("Who was the auditor of the 2024 accounts?", False),
])
def test_a_role_the_documents_never_name_has_no_holder(assistant_over, question, refused):
    answer = assistant_over({"minutes.txt": CLUB}).ask(question)
    assert answer.abstained == refused, answer.text
    if refused:
        assert answer.text.endswith('(the closest passages are not about "treasurer").')


REMOTE_POLICY = ("Remote working policy\n\n"
          "1.1 \"We\" and \"Havenfield\" mean Havenfield Storage Ltd, registered in England.\n"
          "2.1 The Chief Financial Officer is Tomasz Nowak, who approves every home-office allowance.\n"
          "4.2 A lost laptop must be reported to the IT service desk within 24 hours.\n"
          "5.1 This policy is owned by the Head of People, Daniel Osei, and is reviewed every two years.\n")


@pytest.mark.parametrize(("question", "refused"), [
    # The policy names its Head of People and the IT service desk, but no Head of IT.
    ("Who is the Head of IT?", "Head of IT"),
    # "Havenfield Storage Ltd" is defined, but the sentence says nothing of a director.
    ("Who is the managing director of Havenfield Storage Ltd?", "director"),
    ("Who is the CFO?", ""),  # "Chief Financial Officer" says it
])
def test_a_role_the_cited_sentence_does_not_use_is_not_answered_by_it(assistant_over, question, refused):
    answer = assistant_over({"policy.txt": REMOTE_POLICY}).ask(question)
    assert answer.abstained == bool(refused), answer.text
    if refused:
        assert answer.abstain_reason == "unknown_name"
        assert answer.text.endswith(f'(the closest passages are not about "{refused}").')
    else:
        assert answer.text.startswith("Tomasz Nowak [1].")


def test_a_role_of_something_else_is_no_answer_where_the_question_says_where(assistant_over):
    # docs-dev13 m29: "at Northmere Water" after "head of recruitment" hid what the role is of.
    advert = assistant_over({"advert.txt": "Senior Hydrology Analyst, Northmere Water\n\nYou will report to Dr Priya "
                                           "Halvorsen, Head of Catchment Modelling.\n"})
    refused = advert.ask("Who is the head of recruitment at Northmere Water?")
    assert refused.abstained and refused.text.endswith('(the closest passages are not about "head of recruitment").')
    assert advert.ask("Who is the head of catchment modelling at Northmere Water?").text.startswith("Priya Halvorsen")


def test_a_labelled_line_s_role_is_of_what_its_record_is_about(assistant_over):
    # docs-dev16 s33: the case officer of a decision notice's record of the application; refused
    # because "application" is not in the line. But a record's first line is not the role's words.
    notice = ("ASHCOMBE DISTRICT COUNCIL\nNOTICE OF DECISION\n\nApplication number: 25/01873/FUL\n"
              "Applicant: Daniel Okonkwo\nCase officer: Priya Raman\nDecision: Granted\n\n"
              "The council grants permission for the extension.\n")
    assistant = assistant_over({"notice.txt": notice})
    assert assistant.ask("Who is the case officer for the application?").text.startswith("Priya Raman [1]")
    refused = assistant.ask("Who is the case officer for the appeal?")
    assert refused.abstained and refused.text.endswith('(the closest passages are not about "case officer for appeal").')


def test_a_role_is_said_by_one_sentence_of_what_it_is_of(assistant_over):
    staff = ("Staff directory\n\nThe Head of People is Sandra Okafor.\nThe Finance Director signs off budgets.\n"
             "Head of Year 6: Mr Ravi Patel\nTim Cook, Apple's chief executive, opened the store.\n")
    snapshot = assistant_over({"staff.txt": staff}).store.snapshot()
    by_start = {s.text.split()[1]: s for s in snapshot.sentences}
    both = [by_start["Head"], by_start["Finance"]]
    assert role_unsaid("Who is the Head of Finance?", both, snapshot) == "Head of Finance"  # not pooled
    assert role_unsaid("Who is the Head of Year Six?", [by_start["of"]], snapshot) == ""  # "Six" is "6"
    cook = [s for s in snapshot.sentences if s.text.startswith("Tim Cook")]
    assert role_unsaid("Who is the CEO of Apple?", cook, snapshot) == ""  # an acronym they never spell out


def test_every_word_of_a_role_is_said_and_an_owner_is_who_owns(assistant_over):
    parish = ("Parish notes\n\nThe Managing Director of Fernley Homes, Sandra Hale, spoke first.\n"
              "The playground is owned by the parish council.\n")
    assistant = assistant_over({"parish.txt": parish})
    snapshot = assistant.store.snapshot()
    hale = [s for s in snapshot.sentences if "Sandra Hale" in s.text]
    assert role_unsaid("Who is the marketing director?", hale, snapshot) == "marketing director"
    assert role_unsaid("Who is the managing director?", hale, snapshot) == ""
    assert unmentioned_role("Who is the owner of the playground?", {"parish.txt"}, snapshot) == ""  # "owned by"


def test_a_role_said_in_the_sentence_or_above_it_is_said(assistant_over):
    snapshot = assistant_over({"policy.txt": REMOTE_POLICY}).store.snapshot()
    owner = next(s for s in snapshot.sentences if s.text.startswith("5.1"))
    assert role_unsaid("Who is the Head of People?", [owner], snapshot) == ""
    assert role_unsaid("Who is the head of IT?", [owner], snapshot) == "head of IT"
    assert role_unsaid("Who is the current owner?", [owner], snapshot) == ""  # "owned by": the owner
    assert role_unsaid("Who is the treasurer?", [owner], snapshot) == "treasurer"


def test_weights_prices_and_percent_words_in_passing(assistant_over):
    assistant = assistant_over({"post.txt": (
        "The new weighbridge cost €12,000. "
        "Weighing a letter at the counter costs €2.50. "
        "The standard parcel weighs 20 pounds. "
        "Forty-two staff accepted the pay cut in March.")})
    assert assistant.ask("How much did the weighbridge cost?").text.startswith("€12,000 [1].")
    assert assistant.ask("How much does it cost to weigh a letter?").text.startswith("€2.50 [1].")
    assert assistant.ask("How much does the standard parcel weigh?").text.startswith("20 pounds [1].")
    # "10 percent" describes the cut; the question asks how many staff.
    assert not assistant.ask("How many staff accepted the 10 percent pay cut?").abstained


def test_a_lower_case_month_word_and_organisations_keep_their_names():

    assert find_span("How many people may attend?", one("A maximum of 20 may attend each session."),
                     "number") == (1, "20")
    assert find_span("Who regulates the bank?", one("The bank is overseen by the Financial Conduct Authority."),
                     "organisation") == (1, "Financial Conduct Authority")


def test_one_word_names_and_days_are_not_refused_for_the_cited_document(assistant_over):
    assistant = assistant_over({
        "about.txt": "Northbank Trust was founded in 1901 and meets on Sundays.\n",
        "fees.txt": "The overdraft fee is €5 a month.\nThe help desk is open on weekends.\n"})
    assert not assistant.ask("What is the overdraft fee at Northbank?").abstained
    assert not assistant.ask("Is the help desk open on Sunday?").abstained


def test_a_second_citation_comes_from_the_first_ones_document(assistant_over):
    bot = assistant_over({"a.txt": "The museum opened its west wing in 1998.\nThe café serves lunch daily.\n",
                          "b.txt": "The gallery shop sells prints of the west wing.\n"})
    answer = bot.ask("When did the west wing open, and what does the shop sell?")
    assert len({c.sentence.doc for c in answer.citations}) <= 1


def test_the_figure_nearest_the_questions_words_wins_however_it_is_written():
    sentence = one("The company shipped goods for 2,340 active customers, of whom 410 were new this quarter.")
    assert find_span("How many new customers did the company gain?", sentence, "number") == (1, "410")
    assert find_span("How many active customers did it ship goods for?", sentence, "number") == (1, "2,340")


def test_a_list_items_first_word_is_not_a_name():
    text = "- The flaw was reported on 14 June 2024 by Dr. Amira Haddad, a security researcher."
    assert find_span("Who found it?", one(text), "person", {"d": text}) == (1, "Amira Haddad")


def test_a_firm_with_an_ampersand_is_one_name():
    text = "The director recommended awarding the contract to Carver & Doyle Construction for $3.9 million."
    assert find_span("Which firm got the contract?", one(text), "organisation", {"d": text}) == (
        1, "Carver & Doyle Construction")


def test_a_weight_or_length_question_wants_a_figure_in_its_unit():
    spare = "The kit comes with one spare cartridge."
    assert not has_answer_kind(spare, "number", set(), question="How much does the filter weigh?")
    heavy = "The filter comes with one spare cartridge and weighs 2.5 kg."
    assert find_span("How much does the filter weigh?", one(heavy), "number") == (1, "2.5 kg")
    assert not has_answer_kind("The tower has 12 lifts.", "number", set(), question="How tall is the tower?")
    assert has_answer_kind("The tower is 310 metres high.", "number", set(), question="How tall is the tower?")
    # "How far back" asks for a time.
    assert has_answer_kind("It shows the last 90 days.", "number", set(), question="How far back does it go?")


def test_a_count_is_not_answered_by_a_measure():
    kept = "Books can be kept for 21 days."
    assert not has_answer_kind(kept, "number", set(), question="How many books does the library own?")
    assert find_span("How many books does the library own?", one(kept), "number") is None
    assert find_span("How many days can I keep a book?", one(kept), "number") == (1, "21 days")


@pytest.mark.parametrize(("question", "kind"), [
    ("What is Priya Raman's salary?", "money"),
    ("What was McGill University's budget in 1995?", "money"),
    ("What is the adult admission price?", "money"),
    ("What was the revenue growth?", None),
    ("What is the fee structure?", None),
])
def test_a_question_for_a_salary_or_a_budget_wants_an_amount(question, kind):
    assert required_kind(question) == kind


def test_cents_are_money():
    fee = "The late fee is 25 cents per day for books."
    assert find_span("What is the late fee for books?", one(fee), "money") == (1, "25 cents per day")


def test_who_is_a_named_person_is_answered_by_what_the_text_calls_them():
    said = ("Courts concluded 320,000 cases, said Jin Hai, deputy director for general affairs at the "
            "General Administration of Customs.")
    assert find_span("Who is Jin Hai?", one(said), "person") == (
        1, "deputy director for general affairs at the General Administration of Customs")
    assert has_answer_kind(said, "person", set(), question="Who is Jin Hai?")
    assert find_span("What is Jin Hai's job title?", one(said), answer_type("What is Jin Hai's job title?")) == (
        1, "deputy director for general affairs at the General Administration of Customs")
    held = "Gan Lin, vice-minister of the State Administration for Market Regulation, gave the figures."
    assert find_span("What position does Gan Lin hold?", one(held), answer_type("What position does Gan Lin hold?")) == (
        1, "vice-minister of the State Administration for Market Regulation")
    # Only of a named person: a company's position in its market is no job title, nor is a
    # country's (a stance).
    assert answer_type("What position does the company hold in the market?") == "other"
    assert answer_type("What position does Britain hold?") == "other"
    # Another name in the sentence is no answer to who he is.
    met = "Jin made the comments at a news conference organized by the State Council Information Office."
    assert find_span("Who is Jin Hai?", one(met), "person") is None
    assert not has_answer_kind(met, "person", set(), question="Who is Jin Hai?")


@pytest.mark.parametrize(("question", "text", "kind", "expected"), [
    # A name opening a sentence or a list item keeps its first word when the text never writes it
    # in lower case; "Yesterday" and "Courts" are openers, not names.
    ("Who built the new pool?", "- Halden Civil Works built the new pool in 2022.", "person", "Halden Civil Works"),
    ("Who won the contract?", "Smith & Sons won the contract.", "person", "Smith & Sons"),
    ("Who said courts were busy?", "Yesterday Ann Lee, the minister, said courts were busy.", "person",
     "Ann Lee, the minister"),
    # Acronyms that spell a stop word are names all the same.
    ("Which department should questions go to?", "Questions go to the IT department.", "organisation", "IT"),
    # "May" may be someone, but it is no firm.
    ("Which firm will close the bridge?", "The bridge will close on Monday and reopen in May.", "organisation", None),
])
def test_names_at_openings_acronyms_and_months(question, text, kind, expected):
    found = find_span(question, one(text), kind, {"d": text})
    assert (found[1] if found else None) == expected


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("How many minutes does a full charge take?", "A full charge takes 4 hours.", "4 hours"),
    ("How many days of leave can I take?", "You can take up to 18 weeks of leave.", "up to 18 weeks"),
    ("How many degrees should the oven be?", "Bake at 180°C for 20 minutes.", "180°C"),
    ("How heavy is the complete bike?", "The complete bike weighs 11.2 kilos.", "11.2 kilos"),
    ("How far is the unit from the station?", "The unit is a 10-minute walk from the station.", "10-minute"),
])
def test_a_measure_may_be_given_in_another_unit_of_it(question, text, expected):
    assert find_span(question, one(text), answer_type(question), {"d": text}) == (1, expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("Operating profit was £3.1m, up from £2.4m.", "£3.1m"),
    ("Profit was €1.2bn.", "€1.2bn"),
    ("The gym made £120k last year.", "£120k"),
    ("A parking permit costs 85p a day.", "85p a day"),
    ("There is no fee for changing your dates.", "no fee"),
])
def test_short_scales_pence_and_no_fee_are_amounts(text, expected):
    assert find_span("What was the profit or the fee?", one(text), "money", {"d": text}) == (1, expected)


@pytest.mark.parametrize(("question", "text", "expected"), [
    # What a price is for is part of it: "£40" alone does not say how much a week costs.
    ("How much does parking cost?", "Parking costs £40 a day at the main site.", "£40 a day"),
    ("How much is the parking fee?", "The parking fee is £4.50 per hour.", "£4.50 per hour"),
    ("How much do the rooms cost?", "Rooms cost $120 per night, breakfast included.", "$120 per night"),
    ("How much is the ferry for a car?", "A car costs €85 each way on the ferry.", "€85 each way"),
    ("What is the salary?", "The salary is £32,000 a year plus benefits.", "£32,000 a year"),
    ("How much is the late fee?", "The late fee is 25 cents per day for books.", "25 cents per day"),
    ("How much did the crane cost?", "The crane cost $3.5 million a year ago.", "$3.5 million"),  # "a year ago" is when
    ("How much does the cover cost?", "The cover costs £2.95 per four weeks for each £1,000 of value.",
     "£2.95 per four weeks"),
    ("How much is a block of lessons?", "Lessons run in 10-week blocks and cost £62 per block.", "£62 per block"),
])
def test_a_price_keeps_what_it_is_for(question, text, expected):
    assert find_span(question, one(text), "money", {"d": text}) == (1, expected)


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("How long can guests stay?", "Guests may stay for up to 45 consecutive days in any year.", "up to 45 consecutive days"),
    ("How long is the warranty?", "The warranty lasts two full years from purchase.", "two full years"),
    ("How long do refunds take?", "Refunds take up to 10 working days.", "up to 10 working days"),
])
def test_a_measure_keeps_the_word_before_its_unit(question, text, expected):
    assert find_span(question, one(text), answer_type(question), {"d": text}) == (1, expected)


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("How much RAM does it need for each user?", 'Each user costs about 2 MB of RAM; see limiter.allow("user-42").',
     "about 2 MB"),
    ("How much disk space does the cache take?", "The cache of 500 entries takes up to 1.5 GB.", "up to 1.5 GB"),
    ("How many entries does the cache hold?", "The cache of 500 entries takes up to 1.5 GB.", "500"),
])
def test_a_size_in_bytes_answers_how_much_memory(question, text, expected):
    assert find_span(question, one(text), answer_type(question), {"d": text}) == (1, expected)


def test_a_money_word_that_is_not_the_thing_asked_for_wants_no_amount():
    assert required_kind("What is the rent review date?") is None
    assert required_kind("What is the salary band of the store manager?") is None
    assert required_kind("What is the joining fee?") == "money"
    # ... and "waived" answers it, though it holds no figure.
    assert has_answer_kind("The joining fee is waived for the first year.", "money", set(),
                           question="What is the joining fee?")


def test_a_name_is_not_the_question_s_own_words():
    firm = "Hollis & Crane Home Appliances Ltd is recalling two models of its Kestrel air fryer."
    manager = "- Product Safety Manager Priya Nandakumar said the company was acting out of caution."
    sentences = [Sentence("a", "d", 0, 0, len(firm), firm), Sentence("b", "d", 1, 0, len(manager), manager)]
    assert find_span("Who is the Product Safety Manager at Hollis & Crane?", sentences, "person",
                     {"d": f"{firm}\n{manager}"}) == (2, "Priya Nandakumar")


@pytest.mark.parametrize(("question", "asks"), [
    ("Who ran this story?", True),
    ("Who wrote the article?", True),
    ("What is the source?", True),
    ("Where does this story come from?", True),
    ("Which newspaper published this?", True),
    ("Where is it from?", False),
    ("Who ran the marathon?", False),
    ("Who wrote the report on IPR protection?", False),
])
def test_questions_about_where_the_document_comes_from(question, asks):
    assert asks_for_source(question) is asks


def test_a_source_line_answers_who_ran_the_story_however_little_its_words_match(assistant_over):
    answer = assistant_over({"story.txt": HARBOUR + "\nSource: Lowmouth Gazette"}).ask("Who ran this story?")
    assert not answer.abstained
    assert answer.text.startswith("Lowmouth Gazette [1].")
    assert [c.sentence.text for c in answer.citations] == ["Source: Lowmouth Gazette"]


def test_without_a_source_line_who_ran_the_story_is_refused(harbour):
    assert harbour.ask("Who ran this story?").abstained


BYLINED = (
    "By Jane Doe\n"
    "The Halden bridge will close for repairs in March. "
    "The report on its condition was written by Professor Alan Grey of Halden University. "
    "By December the first new span will be finished."
)


def test_a_byline_answers_only_where_the_text_does_not(assistant_over):
    bot = assistant_over({"bridge.txt": BYLINED})
    assert bot.ask("Who wrote the report?").text.startswith("Alan Grey of Halden University [")
    byline = bot.ask("Who ran this story?")
    assert byline.text.startswith("Jane Doe [") and byline.notice == "Answered from the document's source line."


@pytest.mark.parametrize(("line", "name"), [
    ("Source: China Daily", "China Daily"),
    ("(Source: Reuters)", "Reuters"),
    ("By Dr. Jane Doe, Staff Reporter", "Dr. Jane Doe, Staff Reporter"),
    ("By December the first wall will be finished.", None),
    ("By Friday all staff must register.", None),
])
def test_bylines_are_short_names(line, name):
    found = _SOURCE_LINE.match(line)
    assert (found and (found.group("source") or found.group("name"))) == name


@pytest.mark.parametrize(("question", "texts", "expected"), [
    # The full name in any sentence before a surname another person shares.
    ("Who is Mary Smith?", ["Tom Smith, senior planning officer, handles advice.",
                            "Mary Smith, head of appeals, handles appeals."], "head of appeals"),
    ("Who is Priya Shah?", ["The office manager, Priya Shah, approves leave requests."], "office manager"),
    # A clause, a list or "according to" says nothing of who someone is.
    ("Who is Mary Smith?", ["Mary Smith, who joined in 2021, handles appeals."], None),
    ("Who is Omar Haddad?", ["Lena Berg, Omar Haddad, and Ivo Petrov work in the enforcement team."], None),
    ("Who is Okafor?", ["According to Okafor, the office decides 90 percent of cases."], None),
])
def test_who_is_answers_only_with_a_description(question, texts, expected):
    sentences = [Sentence(str(i), "d", i, 0, len(t), t) for i, t in enumerate(texts)]
    found = find_span(question, sentences, "person", {"d": " ".join(texts)})
    assert (found[1] if found else None) == expected


def test_who_is_without_an_apposition_keeps_its_confidence():
    # The sentence names her, so it holds what there is to say: no penalty for a missing apposition.
    assert has_answer_kind("The cake was developed by Marta Ruiz at the Old Mill Bakery.", "person", set(),
                           question="Who is Marta Ruiz?")


@pytest.mark.parametrize(("question", "text", "kind", "expected"), [
    ("Which company owns Halden Bank?", "The bank has been owned by Halden Group since 2010.", "organisation",
     "Halden Group"),
    ("Which court decided the case?", "In the end the Court of Appeal decided it.", "organisation", "Court of Appeal"),
    ("Who handles refunds?", "- Contact Sam Patel for refunds.", "person", "Sam Patel"),
    ("Who missed the final?", "Unfortunately Tom Reyes missed the final.", "person", "Tom Reyes"),
    ("How many floors will it have?", "It will be 42 metres tall and will have 11 floors.", "number", "11"),
])
def test_names_and_counts_the_question_words_do_not_cut(question, text, kind, expected):
    assert find_span(question, one(text), kind, {"d": text}) == (1, expected)


@pytest.mark.parametrize("text", ["Feel free to ask the staff about class prices.", "The hub is a smoke-free building."])
def test_feel_free_and_smoke_free_are_no_price(text):
    assert not has_answer_kind(text, "money", set(), question="What is the price of the classes?")


@pytest.mark.parametrize(("question", "kind"), [
    ("What is the annual rent now?", "money"),
    ("What is Anna Berg's salary a year?", "money"),
    ("What is the salary band of the store manager?", None),
])
def test_money_questions_that_go_on_after_the_money_word(question, kind):
    assert required_kind(question) == kind


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("How many depots does the company have?", "The company employs 1,240 people across nine depots.", "nine"),
    ("How deep is the pool?", "The pool is 25 metres long and 1.8 metres deep.", "1.8 metres"),
    ("How long is the pool?", "The pool is 25 metres long and 1.8 metres deep.", "25 metres"),
])
def test_the_figure_followed_by_what_is_asked_wins(question, text, expected):
    assert find_span(question, one(text), "number", {"d": text}) == (1, expected)


def test_a_question_for_several_things_cites_the_sentences_that_go_on_with_the_list(assistant_over):
    customs = assistant_over({"customs.txt": (
        "To fight crossborder violations, Chinese customs will share more information with their foreign counterparts. "
        "They will also increase the number of personnel exchanges with them. "
        "Customs officials of the EU and Japan have responded positively to the proposals. "
        "The harbour opened a new ferry terminal in May.")})
    steps = customs.ask("What two steps will Chinese customs take to work with their foreign counterparts?")
    assert [c.sentence.ordinal for c in steps.citations] == [0, 1]
    one = customs.ask("What will Chinese customs share with their foreign counterparts?")
    assert [c.sentence.ordinal for c in one.citations] == [0]


RELEASES = (
    "Tidewatch 0.9.3 was released on 2 May 2025 and adds an alert command. "
    "The pool had 48,000 visits in 2023 and 51,000 in 2024. "
    "The old pier was used during the war (1939 -- 45) and rebuilt in the 1950s."
)


@pytest.fixture
def releases(assistant_over):
    return assistant_over({"releases.txt": RELEASES})


@pytest.mark.parametrize("question", [
    "When was version 0.9.2 of Tidewatch released?",  # 0.9.3 is another release
    "How many visits did the pool have in 2021?",  # 2023 and 2024 are other years
    "How many visits did the pool have in 2030?",  # not inside "2023 and 2024" either
])
def test_a_year_or_version_the_text_never_writes_is_refused(releases, question):
    answer = releases.ask(question)
    assert answer.abstained and answer.abstain_reason == "unknown_name"
    assert "the closest passages are not about" in answer.text


@pytest.mark.parametrize(("question", "lead"), [
    ("When was version 0.9.3 of Tidewatch released?", "2 May 2025"),
    ("How many visits did the pool have in 2024?", "51,000"),
    ("What was the old pier used for in 1942?", None),  # inside "1939 -- 45"
    ("When was the pier rebuilt, in 1953?", None),  # inside "the 1950s"
    ("How many visits did the pool have in the 2020s?", None),  # a decade pins nothing
])
def test_a_year_or_version_the_text_writes_or_spans_is_answered(releases, question, lead):
    answer = releases.ask(question)
    assert not answer.abstained
    if lead:
        assert answer.text.startswith(lead)


POOL = (
    "The Marsh Lane pool opened in 2019 after two years of building. "
    "The pool had 51,000 visits in 2024. "
    "Its café sold 12,000 coffees."
)


@pytest.mark.parametrize(("question", "lead"), [
    ("How many visits did the pool have in 2019?", None),  # the figure is 2024's; 2019 is written elsewhere
    ("How many visits did the pool have in 2024?", "51,000"),
    ("How many coffees did the café sell in 2019?", "12,000"),  # its sentence names no year
])
def test_a_figure_asked_of_a_year_is_not_another_year_s(assistant_over, question, lead):
    answer = assistant_over({"pool.txt": POOL}).ask(question)
    assert answer.abstained == (lead is None)
    if lead:
        assert answer.text.startswith(lead)
    else:
        assert answer.text.endswith('(the closest passages are not about "2019").')


LIDO = (
    "The lido was opened on 26 May 1934 by the Mayor, Mrs Edith Sowerby. "
    "The Courier reported that 3,200 people came on the first day. "
    "Admission was 4d for adults. "
    "The pool closed in 1989 and lay empty for years. "
    "The restored lido reopened on 14 June 2014 with a heated pool. "
    "{after}"
)


@pytest.mark.parametrize(("after", "lead"), [
    ("The café was rebuilt.", None),  # the count is of the first day in 1934
    ("On the first day, 2,100 people came.", "2,100"),  # written just after the year
    # later in the year's paragraph, no other year between
    ("The pool is heated to 25 degrees. A café was added. A flume was built. On the first day, 2,100 people came.",
     "2,100"),
])
def test_a_figure_cited_beside_the_year_asked_is_not_of_it(assistant_over, after, lead):
    answer = assistant_over({"lido.txt": LIDO.format(after=after)}).ask("How many people came to the reopening in 2014?")
    assert answer.abstained == (lead is None)
    assert answer.text.startswith(lead) if lead else answer.text.endswith('(the closest passages are not about "2014").')



def test_a_name_cited_beside_the_year_asked_is_not_of_it(assistant_over):
    answer = assistant_over({"lido.txt": LIDO.format(after="")}).ask("Who was the mayor when the lido reopened in 2014?")
    assert answer.abstained and answer.text.endswith('(the closest passages are not about "2014").'), answer.text


POLICE = (
    "Police report\n"
    "PCSO Carne reported 6 crimes in the parish during May, compared with 11 in April.\n"
    "The speed camera van visited the village twice in June.\n"
)
# Another document of the library names March and February: the index knows the words.
NEWSLETTER = "The bus shelter was repaired in March, and the hall roof in February."


@pytest.mark.parametrize(("question", "lead"), [
    # The minutes write May, April and June, never March: their figures are not March's.
    ("How many crimes were reported in the parish in March?", None),
    ("How many crimes were reported between February and March?", None),
    ("How many crimes were reported in the parish in May?", "6"),
    ("How many crimes were reported in April?", "11"),  # the figure beside the month asked
    ("How many times did the speed camera van visit in June?", "Twice"),
    ("May I ask how many crimes were reported?", "6"),  # "May" opening a question is no month
])
def test_a_figure_asked_of_a_month_its_document_never_writes_is_refused(assistant_over, question, lead):
    answer = assistant_over({"minutes.txt": POLICE, "newsletter.txt": NEWSLETTER}).ask(question)
    assert answer.abstained == (lead is None), answer.text
    if lead:
        assert answer.text.startswith(lead)
    else:
        assert answer.abstain_reason == "unknown_name"
        assert 'the closest passages are not about "' in answer.text


MINUTES = (
    "Parish council minutes\n\n"
    "PCSO Carne reported 6 crimes in the parish during May, compared with 11 in April.\n"
    "The council will next meet on 4 March.\n\n"
    "## June\n\n"
    "Crimes reported: 9, against 6 in May.\n"
)


@pytest.mark.parametrize(("question", "lead"), [
    # The minutes write March, but not with the count: the 6 crimes are May's.
    ("How many crimes were reported in the parish in March?", None),
    ("How many crimes were reported in the parish in May?", "6"),
    ("How many crimes were reported in June?", "9"),  # the month is the heading's
])
def test_a_figure_asked_of_a_month_is_not_another_month_s(assistant_over, question, lead):
    answer = assistant_over({"minutes.md": MINUTES}).ask(question)
    assert answer.abstained == (lead is None), answer.text
    if lead:
        assert answer.text.startswith(lead)
    else:
        assert answer.text.endswith('(the closest passages are not about "March").')


@pytest.mark.parametrize(("text", "question", "lead"), [
    # The month is the sentence before's ...
    ("Footfall was strong in June. The Saturday market attracted 2,150 visitors a week, compared with 1,900 in "
     "April.", "How many visitors a week did the Saturday market get in June?", "2,150"),
    # ... or a heading's above the nearest one; "Jane" is no January.
    ("# Town report\n\n## March\n\n### Community safety\n\nPCSO Jane Carter reported 14 crimes in the town "
     "centre, down from 19 in February.\n", "How many crimes did PCSO Jane Carter report in March?", "14"),
    # A month of a date is no period: the deadline says nothing of which month the fee is for.
    ("Entry costs £6.50 per event, payable by 25 April. The championships are on 10 May.",
     "How much does it cost to enter in May?", "£6.50"),
    # A span of months from one day to another holds the months between.
    ("From 1 July to 30 September, the Promenade car park charges £1.50 per hour.",
     "How much does the Promenade car park charge in August?", "£1.50 per hour"),
])
def test_a_month_written_near_the_figure_or_around_it_is_written(assistant_over, text, question, lead):
    # The other document writes every month asked, so that only the cited sentence's months decide.
    answer = assistant_over({"notes.md": text, "newsletter.txt": NEWSLETTER + " June, May and August were dry."}).ask(
        question)
    assert not answer.abstained, answer.text
    assert answer.text.startswith(lead), answer.text


@pytest.mark.parametrize(("text", "question", "lead"), [
    # A month inside a span of months, or written short, is written.
    ("Summer swimming (June to August): a single swim costs £5.50 for adults.",
     "How much is a single swim for an adult in July?", "£5.50"),
    ("The shop sold 1,200 jars of honey in Mar 2025, up from 950 in February.",
     "How many jars of honey did the shop sell in March?", "1,200"),
])
def test_a_month_written_short_or_inside_a_span_of_months_is_written(assistant_over, text, question, lead):
    answer = assistant_over({"notes.txt": text, "newsletter.txt": NEWSLETTER + " The fair is in July."}).ask(question)
    assert not answer.abstained, answer.text
    assert answer.text.startswith(lead)


def test_a_clause_number_is_no_figure(assistant_over):
    terms = ("7. Planning\n"
             "7.3 The Chair reported that the appeal against the refusal of the solar farm at Carn Brea Down "
             "was dismissed by the Planning Inspectorate.\n")
    answer = assistant_over({"minutes.txt": terms}).ask("How many councillors voted against the solar farm?")
    assert answer.abstained and answer.abstain_reason == "no_answer_kind", answer.text  # not "7.3"
    assert has_answer_kind("2.4 If a payment is more than 7 days late, we charge a fee.", "number", set())
    # A figure with its unit opening a line is no clause's number.
    assert find_span("How much storage is included?", one("1.5 TB of storage is included with every plan."),
                     "number") == (1, "1.5 TB")
    assert find_span("How many days late?", one("2.4 If a payment is more than 7 days late, we charge £15."),
                     "number") == (1, "more than 7 days")


QUARTERS = (
    "Northwind reported revenue of $48.7 million for the third quarter of 2024. "
    "Sales in the first half of the year were flat. "
    "On-time delivery improved to 96.4%, from 93.8% in the second quarter. "
    "Harbour Freight reported revenue of $12.1 million for the three months to June."
)


@pytest.mark.parametrize(("question", "refused"), [
    # The sentence about revenue names the third quarter; the text names the second for another figure.
    ("What was Northwind's revenue in the second quarter of 2024?", True),
    ("What was Northwind's revenue in Q2?", True),
    ("How did sales do in the second half?", True),  # only the first half is named
    ("What was Northwind's revenue in the third quarter?", False),
    ("What was Northwind's revenue in Q3 2024?", False),
    ("How did sales do in H1?", False),
    ("What was on-time delivery in the second quarter?", False),
])
def test_a_quarter_or_half_the_text_names_others_of_and_never_it_is_refused(assistant_over, question, refused):
    answer = assistant_over({"quarters.txt": QUARTERS}).ask(question)
    assert answer.abstained == refused
    if refused:
        assert answer.abstain_reason == "unknown_name" and "the closest passages are not about" in answer.text


def test_a_quarter_is_not_refused_where_the_text_names_no_part_of_the_year(assistant_over):
    answer = assistant_over({"freight.txt": QUARTERS.split(". ")[3]}).ask(
        "What was Harbour Freight's revenue in the second quarter?")
    assert not answer.abstained and answer.text.startswith("$12.1 million")


@pytest.mark.parametrize(("question", "text", "kind", "span"), [
    ("How many visits did the pool have in 2024?", "The pool had 48,000 visits in 2023 and 51,000 in 2024.", "number", "51,000"),
    ("How many visits did the pool have in 2023?", "The pool had 48,000 visits in 2023 and 51,000 in 2024.", "number", "48,000"),
    ("What was revenue in 2023?", "In 2024, revenue rose to $4.1 million from $3.2 million in 2023.", "money", "$3.2 million"),
    ("What was revenue in 2024?", "In 2024, revenue rose to $4.1 million from $3.2 million in 2023.", "money", "$4.1 million"),
])
def test_the_figure_beside_the_year_asked_is_the_answer(question, text, kind, span):
    assert find_span(question, one(text), kind) == (1, span)


JIN = (
    "China will expand international cooperation in enforcing intellectual property rights, a customs official said. "
    "Cooperative customs mechanisms have been established in more than 130 countries, said Jin Hai, deputy director "
    "for general affairs at the General Administration of Customs. "
    "Jin made the comments at a news conference in Beijing."
)


def test_the_sentence_the_short_answer_is_read_from_ranks_first(assistant_over):
    answer = assistant_over({"jin.txt": JIN}).ask("What is Jin Hai's job title?")
    assert answer.text.startswith("Deputy director for general affairs at the General Administration of Customs [")
    read_from = int(answer.text.split("[", 1)[1].split("]", 1)[0])
    # Retrieval ranks "Jin made the comments ..." first (it is short and about Jin); the sentence that
    # holds the title is the evidence, and the answer's ranking says so.
    assert answer.retrieved[0].sentence == answer.citations[read_from - 1].sentence
    assert answer.retrieved[0].sentence.text.startswith("Cooperative customs mechanisms")


@pytest.mark.parametrize(("question", "text", "lead"), [
    ("How much is a half plot?", "A full plot costs £45 per year and a half plot costs £25 per year.", "£25 per year"),
    ("How much is a full plot?", "A full plot costs £45 per year and a half plot costs £25 per year.", "£45 per year"),
    # Not between the nouns of one subject: no figure comes before its "and the".
    ("How much do members of the choir pay?",
     "Members of the choir and the orchestra pay £15 per term; non-members pay £20 per term.", "£15 per term"),
    ("How much do lessons for beginners cost?",
     "Lessons for beginners and the intermediate group cost £60 per term; advanced lessons cost £75.", "£60 per term"),
])
def test_and_before_a_new_subject_ends_a_clause(question, text, lead):
    assert find_span(question, one(text), "money") == (1, lead)


@pytest.mark.parametrize(("question", "lead"), [
    ("How much is reimbursed for broadband?", "not reimbursed"),
    ("How much of the deposit is refunded?", "non-refundable"),
    ("How much is the deposit?", None),  # "not refunded" says nothing of how much it is
    ("How much is covered for a broken handle?", None),  # nothing said of handles
])
def test_what_is_not_paid_is_paid_nothing_when_asked_with_its_verb(question, lead):
    text = "Broadband costs are not reimbursed. The deposit is non-refundable. Dishwasher damage is not covered."
    assert find_span(question, one(text), "money") == ((1, lead) if lead else None)


def test_a_question_for_an_amount_not_paid_is_answered_not_refused(assistant_over):
    policy = ("3. Equipment\n3.1 The company will provide a laptop and a monitor for home use.\n"
              "3.2 Employees can claim up to £150 towards a desk chair, once every three years.\n"
              "3.3 Broadband costs are not reimbursed.\n")
    answer = assistant_over({"policy.txt": policy}).ask("How much is reimbursed for broadband?")
    assert answer.text.startswith("Not reimbursed [1].") and answer.citations[0].sentence.text.startswith("3.3")


def test_who_is_asked_by_full_name_is_answered_by_the_sentence_that_says_what_he_is(assistant):
    # "Jin made the comments ..." shares more of the question's three words and ranks first.
    answer = assistant.ask("Who is Jin Hai?")
    assert answer.text.startswith("Deputy director for general affairs at the General Administration of Customs [1].")
    assert [c.sentence.text.startswith("Cooperative customs mechanisms") for c in answer.citations] == [True]
    # A surname alone is no full name: "..., Jin said" may follow any clause.
    assert not describes_in_full("Who is Jin?", "They will also increase exchanges of customs officers, Jin said.")


@pytest.mark.parametrize(("question", "lead"), [
    ("How much did the value of those cases grow?", "50.1 percent"),
    ("What was the total value of those cases?", "151 million yuan"),
    ("How much did Harlow's revenue rise?", "$4 million"),  # no percentage: the amount it rose by
])
def test_how_much_something_grew_is_answered_by_the_change(assistant_over, question, lead):
    assistant = assistant_over({"growth.txt": (
        "Last year, authorities punished violators in more than 6,000 cases, with a total value of 151 million "
        "yuan, an increase of 50.1 percent over the previous year. "
        "Harlow's revenue rose by $4 million to $48 million.")})
    answer = assistant.ask(question)
    assert answer.text.startswith(lead), answer.text


PACT = "The pact was signed by France, Germany and Italy in 2020."


@pytest.mark.parametrize(("question", "text", "expected"), [
    ("Which countries signed the pact?", PACT, "France, Germany and Italy"),
    ("Who were the founders?", "The firm was founded by Ana Ruiz, Tom Berg and Li Wei in 2015.", "Ana Ruiz, Tom Berg and Li Wei"),
    # One asked for, one given: the first of the list.
    ("Which country signed the pact first?", PACT, "France"),
    # A place list after "in", and names joined by commas alone, which are no list.
    ("Which cities will host matches?", "Matches will be held in London, Manchester and Glasgow.",
     "London, Manchester and Glasgow"),
    ("Which countries signed the pact?", "The pact was signed by France, Germany said on Monday.", "France"),
    ("Who were the founders?", "The firm was founded by Ana Ruiz, Companies House records show.", "Ana Ruiz"),
    # The sentence's full stop after an acronym is not the acronym's.
    ("Which countries take part?", "China will conduct joint operations with other countries, including Russia and the US.",
     "Russia and the US"),
])
def test_a_question_for_several_names_is_answered_by_the_whole_list(question, text, expected):
    assert find_span(question, one(text), answer_type(question)) == (1, expected)


POLICY = ("Leave policy\n\nEffective from: 1 April 2025\n\n"
          "5.1 Mothers receive 26 weeks' maternity leave at full pay.\n"
          "5.2 Partners receive two weeks' paternity leave at full pay, taken within 8 weeks of the birth.\n"
          "5.3 Requests for parental leave made in June or July are answered within 10 days.\n")


def test_a_month_said_before_the_question_is_no_month_asked(assistant_over):
    assistant = assistant_over({"policy.txt": POLICY})
    # "October" is when the baby is due, not what is asked: it was refused as an unknown name.
    answer = assistant.ask("My partner is due in October. How much paternity leave do I get?")
    assert not answer.abstained, answer.text
    assert answer.citations[0].sentence.text.startswith("5.2 Partners")
    # Asked in the question itself, a month the text never names still counts.
    assert assistant.ask("How much paternity leave was taken in October?").abstained


VOLUNTEERS = ("Seagrass project\n\n"
              "We've had 1,150 registered volunteers since the project began, from schoolchildren to retired divers.\n"
              "The harbour authority has replaced 26 of the old chain moorings with eco-moorings.\n"
              "Of our 40 divers, 12 are qualified instructors.\n"
              "Contact: Penlow Marine Trust, Harbour Road, Penlow PL4 9TX.\n")


@pytest.mark.parametrize(("question", "refused"), [
    # A count of all the volunteers does not say how many of them are retired teachers.
    ("How many of the volunteers are retired teachers?", True),
    ("How many of the registered volunteers came from abroad?", True),
    ("How many of the divers are qualified instructors?", False),
    # A verb that ends the question is said in other words: "swapped out" for "replaced".
    ("How many of the old moorings have been swapped out?", False),
])
def test_a_count_of_part_of_a_group_names_that_part(assistant_over, question, refused):
    answer = assistant_over({"project.txt": VOLUNTEERS}).ask(question)
    assert answer.abstained == refused, answer.text


def test_a_sentence_without_a_phone_number_gives_none(assistant_over):
    assistant = assistant_over({"project.txt": VOLUNTEERS})
    # The address line has digits ("PL4 9TX") but no phone number.
    answer = assistant.ask("What's the phone number of the Penlow Marine Trust?")
    assert answer.abstained and answer.abstain_reason == "no_answer_kind", answer.text


def test_the_question_starts_at_a_question_word_not_after_an_abbreviation(assistant_over):
    assistant = assistant_over({"talks.txt": "Dr. Green gave 14 lectures in March and 9 lectures in April.\n"})
    # "Dr." ends no statement: October is asked, and the text has no October figure.
    assert assistant.ask("In October, how many lectures did Dr. Green give?").abstained


PROGRAMME = ("Wrenfield Arts Festival\n\n"
             "SATURDAY 14 JUNE\n"
             "9am to 1pm  Makers' market with 40 stalls. Market Square. FREE\n"
             "8pm  Ceilidh with the Ramsgill Ceilidh Band. The Corn Exchange. £14 adult.\n\n"
             "SUNDAY 15 JUNE\n"
             "11am  Family film: \"The Lighthouse Cat\". The Corn Exchange. £4 for everyone.\n")


def test_a_day_asked_of_a_programme_that_lists_it_under_another_day(assistant_over):
    assistant = assistant_over({"programme.txt": PROGRAMME})
    # The market is on Saturday: its time is no answer for Sunday.
    sunday = assistant.ask("What time does the makers' market open on Sunday?")
    assert sunday.abstained and sunday.text.endswith('(the closest passages are not about "Sunday").')
    assert not assistant.ask("What time does the makers' market open on Saturday?").abstained
    # Asked yes or no, the Saturday line is the answer.
    assert not assistant.ask("Is there a ceilidh on Sunday?").abstained



def test_a_day_asked_is_answered_by_the_sentence_that_goes_on_to_it(assistant_over):
    # docs-dev13 m82: the route's sentence ranks first and is about Monday to Saturday; the sentences
    # after it, in its paragraph, go on to Sundays. Another paragraph's Sunday is not the route's.
    bot = assistant_over({"bus.txt": "The number 47 bus runs from Langstrath back to Aldbeck every two hours, "
                                     "Monday to Saturday. The first bus leaves Langstrath at 8.10 am and the last "
                                     "at 5.40 pm. On Sundays there are only two buses, at 10.25 am and 3.25 pm.\n\n"
                                     "The village shop opens at 9 am. On Sundays the cafe opens at noon.\n",
                          "other.txt": "The number 12 bus runs from Kettley to Aldbeck every hour, Monday to "
                                       "Saturday.\n\nThe Kettley museum is free on Sundays.\n"})
    sunday = bot.ask("How often does the 47 bus from Langstrath run on Sundays?")
    assert [c.sentence.text for c in sunday.citations] == ["On Sundays there are only two buses, at 10.25 am and "
                                                            "3.25 pm."]
    refused = bot.ask("How often does the 12 bus from Kettley run on Sundays?")
    assert refused.abstained and refused.text.endswith('(the closest passages are not about "Sundays").')
    # From a review: a sentence after it about something else (the gym beside the pool) is no answer.
    pool = assistant_over({"pool.txt": "The leisure centre pool is open for public swimming from 7 am to 9 pm, Monday "
                                       "to Friday. Lessons are held in the evenings. On Saturdays the gym runs spin "
                                       "classes at 8 am and 10 am.\n"})
    assert pool.ask("When is the pool open for public swimming on Saturdays?").abstained


AGENDA = ("# DataCamp 2025: Agenda\n\n"
          "## Day 1 — Wednesday 10 September\n\n"
          "| Time | Session | Speaker | Room |\n| --- | --- | --- | --- |\n"
          "| 14:30 | Cleaning messy address data | Gareth Pryce | Room 2B |\n\n"
          "## Day 2 — Thursday 11 September\n\n"
          "| Time | Session | Speaker | Room |\n| --- | --- | --- | --- |\n"
          "| 10:00 | Forecasting with small data | Ann Lee | Room 2A |\n")


def test_a_numbered_day_heading_names_its_day(assistant_over):
    assistant = assistant_over({"agenda.md": AGENDA})
    # "Day 1 — Wednesday": the 14:30 talk in Room 2B is Wednesday's, no answer for Thursday.
    thursday = assistant.ask("Who is speaking in Room 2B at 14:30 on the Thursday?")
    assert thursday.abstained and thursday.text.endswith('(the closest passages are not about "Thursday").')
    assert assistant.ask("Who is speaking in Room 2B at 14:30 on the Wednesday?").text.startswith("Gareth Pryce")


LIBRARY = ("Borrowing\n\n"
           "Books and audiobooks can be kept for 21 days. "
           "DVDs and magazines must be returned within 7 days. "
           "The late fee is 25 cents per day for books and $1 per day for DVDs. "
           "The library is closed on Sundays.\n")


@pytest.mark.parametrize(("history", "question", "lead"), [
    # The follow-up asks the last question again, of something else: its short answer is of the
    # same kind, a figure.
    ("What is the late fee for books?", "And for DVDs?", "$1 per day"),
    ("How long can I keep a book?", "And a DVD?", "7 days"),
    # A question of its own asks for its own kind; a yes-or-no question for no figure.
    ("How long can I keep a book?", "And are DVDs allowed?", None),
])
def test_a_follow_up_asking_the_last_question_again_gets_its_kind_of_answer(assistant_over, history, question, lead):
    assistant = assistant_over({"library.md": LIBRARY})
    first = assistant.ask(history)
    answer = assistant.ask(question, [{"role": "user", "content": history}, {"role": "assistant", "content": first.text}])
    assert not answer.abstained, answer.text
    short = answer.text.split("\n\n")[0]
    if lead:
        assert short.startswith(f"{lead} ["), answer.text
    else:
        assert "\n\n" not in answer.text, answer.text  # the sentences alone


@pytest.mark.parametrize(("question", "previous", "kind"), [
    ("And for DVDs?", "What is the late fee for books?", "money"),
    ("What about a pack of two?", "How much does a cartridge cost?", "money"),
    ("and what about Sundays?", "When can I call the helpline?", "date"),
    ("And if I've only been here a year?", "How many days of leave do I get?", "number"),
    ("And what did he find?", "How many plants were tested?", None),  # a question of its own
    ("How often does it meet?", "When was the board set up?", None),
    ("And for DVDs?", "Is there a late fee for books?", None),  # a yes or a no is no kind of answer
    ("What about the EU and Japan?", "Which countries signed?", None),  # names the places itself
])
def test_which_follow_ups_ask_the_last_question_again(question, previous, kind):
    history = [{"role": "user", "content": previous}, {"role": "assistant", "content": "..."}]
    assert condense(question, history).kind == kind


@pytest.mark.parametrize(("question", "lead"), [
    ("Which day is football club?", "On Wednesdays [1]."),  # a day every week is a day all the same
    ("What day does the chess club meet?", "On Mondays to Thursdays [1]."),
])
def test_a_day_of_every_week_answers_which_day(assistant_over, question, lead):
    clubs = ("Clubs\n\nFootball club with Mr. Jones runs on Wednesdays until 4.30 p.m.\n"
             "The chess club meets on Mondays to Thursdays in the library.\n")
    answer = assistant_over({"clubs.md": clubs}).ask(question)
    assert answer.text.split("\n\n")[0] == lead, answer.text


SURGERY = ("Riverside Surgery\n\n"
           "Dr. Patel works on Mondays, Wednesdays and Fridays.\n"
           "The number 14 bus stops outside the surgery.\n")


@pytest.mark.parametrize(("question", "refused"), [
    # Spain is where the asker is going, not what is asked about.
    ("We're going to Spain in June. Which days does Dr. Patel work?", False),
    # ... but a name the question points back to ("it") is what is asked about.
    ("I live in Thornleigh. Does the 14 bus still come through it?", True),
    ("Does the 14 bus come through Thornleigh?", True),
])
def test_a_name_said_only_before_the_question_is_not_asked_about(assistant_over, question, refused):
    answer = assistant_over({"surgery.md": SURGERY}).ask(question)
    assert answer.abstained == refused, answer.text
    if refused:
        assert answer.abstain_reason == "unknown_name" and '"Thornleigh"' in answer.text


def test_a_time_after_a_role_is_no_part_of_the_role(assistant_over):
    # "cello soloist tonight" was the role asked, which no sentence says: the question was refused.
    bot = assistant_over({"programme.txt": "Spring concert\n\nSoloist: Tomasz Wierzbicki, cello\n"
                                           "Conductor: Helena Marsh\nTickets cost £18.\n"})
    assert bot.ask("Who is the cello soloist tonight?").text.startswith("Tomasz Wierzbicki [1]")
    assert bot.ask("Who is the treasurer this year?").abstained
    # A refusal quotes at most 40 characters of the word it names.
    refused = bot.ask("z" * 3000)
    assert refused.abstained and refused.text.endswith('is about "' + "z" * 39 + '…").')


def test_a_year_that_names_another_edition_is_no_answer(assistant_over):
    bot = assistant_over({"programme.txt": "Soloist\n\nTomasz Wierzbicki was born in Krakow in 1996. "
                                           "He won second prize at the 2022 Lutoslawski International Cello Competition.\n"})
    assert bot.ask("What prize did Tomasz Wierzbicki win at the 2022 Lutoslawski competition?").citations
    refused = bot.ask("What prize did Tomasz Wierzbicki win at the 2019 Lutoslawski competition?")
    assert refused.abstained and refused.abstain_reason == "unknown_name" and '"2019"' in refused.text
    # The year asked, written anywhere seen with the sentence, keeps it: in its heading, or in it.
    club = assistant_over({"club.md": "# Club review\n\n## 2023 season\n\nWe won 14 matches, four more than in "
                                      "the 2022 season.\n",
                           "fest.txt": "The festival drew 12,000 visitors in 2023, against 9,000 at the 2022 "
                                       "festival.\n"})
    assert club.ask("How many matches did we win in the 2023 season?").text.startswith("14 [1]")
    assert club.ask("How many visitors came to the 2023 festival?").text.startswith("12,000 [1]")


def test_one_of_a_numbered_series_is_no_answer_for_another(assistant_over):
    # docs-dev13 m56: Year 2's dams were given for Year 1, which a sentence cited beside it names.
    bot = assistant_over({"summary.txt": "Annual Summary, Year 2\n\nIn Year 2 we installed 1,430 peat dams across "
                                         "the three sites. Volunteers planted 61,000 plugs of sphagnum moss, more "
                                         "than twice the 28,000 planted in Year 1.\n",
                          "budget.txt": "Band B households will pay an extra £72.64 a year.\n",
                          "trip.txt": "Years 5 and 6 pupils leave school at 8:30 am.\n"})
    refused = bot.ask("How many peat dams did the project install in Year 1?")
    assert refused.abstained and refused.abstain_reason == "unknown_name" and '"Year 1"' in refused.text
    assert bot.ask("How many peat dams did the project install in Year 2?").text.startswith("1,430 [1]")
    assert bot.ask("How much extra will a Band C household pay a year?").abstained  # docs-dev12 k69
    assert "£72.64" in bot.ask("How much extra will a Band B household pay a year?").text
    # A list or a range of a series writes each of them.
    assert "8:30 am" in bot.ask("When do Year 6 pupils leave school?").text
    # From a review: a series written as a bound, or a range wider than fifty, covers the number asked.
    school = assistant_over({"sixth.txt": "Students need five GCSEs at grade 4 or above, including English.\n\n"
                                          "Refunds are given up to week 4 of term.\n\nUnits 1 to 80 close to visitors "
                                          "at 8pm.\n"})
    assert not school.ask("Is a grade 5 in English enough for sixth form?").abstained
    assert not school.ask("Can I get a refund in week 2?").abstained
    assert "8pm" in school.ask("When is Unit 70 closed to visitors?").text


def test_a_figure_of_a_neighbouring_item_is_no_answer_for_the_one_named(assistant_over):
    # docs-dev9 d58: the group's meals were given for "the Kingsgate pantry", which the report lists
    # among its pantries with their opening years only.
    sites = "| Site | Opened | Volunteers |\n|---|---|---|\n| Millbrook | 2016 | 40 |\n| Kingsgate | 2019 | 12 |\n"
    bot = assistant_over({"foodshare.md": f"# Riverside Foodshare\n\nWe distributed 212,400 meals last year.\n\n"
                                          f"## Our sites\n\n{sites}"})
    refused = bot.ask("How many meals did the Kingsgate pantry give out?")
    assert refused.abstained and refused.abstain_reason == "unknown_name" and '"Kingsgate"' in refused.text
    assert bot.ask("How many volunteers does Kingsgate have?").text.startswith("12 [1]")
    listed = assistant_over({"foodshare.txt": "We distributed 212,400 meals last year.\n\nWe run three pantries: "
                                              "Millbrook (opened 2016), Kingsgate (opened 2019) and Eastwick.\n"})
    assert listed.ask("How many meals did the Kingsgate pantry give out?").abstained
    # A document's subject, named once and then "the company", is named in no list: the figure is its.
    story = assistant_over({"update.txt": "Acme Robotics reported revenue of $5.2 million for the quarter. The "
                                          "company opened a second factory in Leeds in March.\n\nThe company now "
                                          "employs 480 people. Its order book stands at $14 million.\n"})
    assert story.ask("What is Acme's order book worth?").text.startswith("$14 million [1]")
    # Named by the sentence before one that points back, it is about it.
    told = assistant_over({"pantries.txt": "Kingsgate opened in 2019 in the old library. It gave out 5,000 meals "
                                           "last year, most of them to families.\n\nThe Millbrook pantry gave out "
                                           "8,200 meals last year.\n"})
    assert told.ask("How many meals did Kingsgate give out?").text.startswith("5,000 [")
    assert told.ask("How many meals did Millbrook give out?").text.startswith("8,200 [1]")
    # A contract names its parties once, then says "the Contractor" (docs-dev7 cl-01).
    contract = assistant_over({"contract.txt": 'This Agreement is made on 14 January 2025 between Sparkline Cleaning '
                                               'Ltd, of 22 Tanner Row, York ("the Contractor"), and Meridian Ltd ("the '
                                               'Client").\n\n4.1 The Client will pay a monthly fee of £1,850 plus VAT.\n'})
    assert contract.ask("How much are we paying Sparkline every month?").text.startswith("£1,850")


def test_a_table_row_that_does_not_name_what_is_asked_is_no_answer(assistant_over):
    # docs-dev11 h09: "Aqua Fit on Thursdays" was answered with the Thursday row's Spin class.
    timetable = ("WEEKLY CLASS TIMETABLE\n\nDay         Time      Class                  Instructor\n"
                 "Monday      19:15     Aqua Fit               Hannah Bolitho\n"
                 "Thursday    18:30     Spin Endurance         Kerry Pascoe\n"
                 "Saturday    10:00     Aqua Fit               Hannah Bolitho\n")
    bot = assistant_over({"timetable.txt": timetable})
    refused = bot.ask("What time is Aqua Fit on Thursdays?")
    assert refused.abstained and '"Aqua Fit"' in refused.text
    assert bot.ask("What time is Aqua Fit on Mondays?").text.startswith("19:15 [1]")
    assert bot.ask("Who teaches Spin Endurance?").text.startswith("Kerry Pascoe [1]")


def test_a_sentence_nearly_as_close_that_holds_the_kind_asked_is_the_answer(assistant_over):
    # docs-dev6 FERN-202: "The building manager is responsible for ..." ranked first and names no one;
    # the sentence that names him was refused with it.
    bot = assistant_over({"rules.md": "# Fernhill Court: house rules\n\n## Contacts\n\nThe building manager is "
                                      "responsible for the rules below.\n\nIf you have a question about any of "
                                      "them, contact the building manager, Mr Kwame Asante, whose office is on the "
                                      "ground floor beside the main entrance.\n\n## Bins\n\nBins are collected on "
                                      "Thursdays.\n"})
    assert bot.ask("Who is the building manager?").text.startswith("Kwame Asante [1]")
    assert bot.ask("Who is the caretaker?").abstained


def test_a_role_that_ends_as_the_role_asked_is_no_holder_of_it(assistant_over):
    # docs-dev10 e41: "the Chief Fire Warden" was given as the third floor's Floor Warden.
    bot = assistant_over({"fire.md": "# Fire procedure for Harcourt House\n\n## Roles\n\n- **Chief Fire Warden**: "
                                     "Priya Raman. Takes charge at the assembly point.\n\n## Floor Warden checks\n\n"
                                     "Floor Wardens must check toilets and meeting rooms on their floor. Each Floor "
                                     "Warden reports \"floor clear\" to the Chief Fire Warden within 10 minutes of "
                                     "the alarm.\n"})
    refused = bot.ask("Who is the Floor Warden for the third floor of Harcourt House?")
    assert refused.abstained and refused.abstain_reason == "no_answer_kind", refused.text
    assert bot.ask("Who is the Chief Fire Warden?").text.startswith("Priya Raman [1]")


CHANGELOG = ("# Tallyboard Changelog\n\nAll notable changes to Tallyboard are listed here. Dates are release dates."
             "\n\n## 3.4.0 (2025-10-27)\n\n### Added\n- Recurring cards: a card can now repeat daily, weekly or monthly."
             "\n\n## 3.3.0 (2025-07-30)\n\n### Added\n- Dark mode.\n\n## 3.0.0 (2024-11-04)\n\nThis is a major "
             "release with breaking changes.\n\n- Version 2.9.4 was the last release of the 2.x series.\n")


def test_a_version_asked_is_answered_by_its_own_heading_ranked_nearly_as_high(assistant_over):
    # docs-dev12 k30: "This is a major release" under "## 3.0.0" ranked first and was refused as
    # about another version, though "## 3.4.0 (2025-10-27)" ranked close behind.
    bot = assistant_over({"CHANGELOG.md": CHANGELOG})
    assert bot.ask("When was Tallyboard 3.4.0 released?").text.startswith("2025-10-27 [1]")
    assert bot.ask("When was 3.0.0 released?").text.startswith("2024-11-04 [1]")
    refused = bot.ask("When was 3.5.0 released?")
    assert refused.abstained and '"3.5.0"' in refused.text


def test_a_heading_is_held_by_the_headings_above_its_level_only(assistant_over):
    # "## 3.0.0 (2024-11-04)" is no part of "## 3.3.0"'s section: its date was given for 3.3.0.
    bot = assistant_over({"CHANGELOG.md": CHANGELOG})
    answer = bot.ask("When was version 3.3.0 released?")
    assert answer.abstained or answer.text.startswith("2025-07-30"), answer.text


REVIEW_ANNUAL = ("# Annual Review\n\nLast year was a good year. Today, Brightwell Foods sells 300 products in 40 stores. "
                 "The grocer employs 2,100 staff.\n")
REVIEW_TIMETABLE = ("# Leisure Centre Timetable\n\n## Weekend classes\n\n| Class | Day | Time | Instructor |\n"
                    "|---|---|---|---|\n| Aqua Fit | Saturday | 09:00 | Sue Palmer |\n| Spin Endurance | Saturday | "
                    "10:30 | Raj Mehta |\n\n## Weekday classes\n\nAqua Fit also runs twice a week in the main pool, with "
                    "these sessions:\n\n| Day | Time | Instructor |\n|---|---|---|\n| Monday | 18:30 | Sue Palmer |\n"
                    "| Thursday | 07:15 | Tom Reid |\n")
REVIEW_PANTRIES = ("# Community Food Network Report\n\nWe run three community pantries: Millbrook (opened 2016), "
                   "Kingsgate (opened 2019) and Eastwick Central.\n\nTogether the pantries gave out 212,400 meals last "
                   "year.\n\nKingsgate is our busiest site. Last year it gave out 96,000 meals and registered 1,450 new "
                   "families.\n\nMillbrook is staffed by 40 volunteers.\n")
REVIEW_STREETS = ("# Annual update\n\nKingsgate opened in 2019 in a former bank on the high street.\n\nThe pantry gave "
                  "out 96,000 meals last year, up from 81,000.\n\nOur van also visits King Street, Park Road and Mill "
                  "Lane, where it serves 340 families.\n")
REVIEW_RESULTS = ("# Northgate Trust results\n\nThe trust was set up in 2023 to run the town's leisure centres.\n\n"
                  "## 2024 results\n\nRevenue in 2024 was £5.2 million, up from the year before.\n\nRevenue per visitor "
                  "grew by 12% as more members joined.\n\nRevenue from the cafés is now £400,000 a year.\n")


@pytest.mark.parametrize(("text", "question", "lead"), [
    # A code review's counterexamples to the neighbouring-item and role rules, answered before them.
    (REVIEW_ANNUAL, "How many staff does Brightwell Foods employ?", "2,100"),  # "Today, " lists nothing
    (REVIEW_TIMETABLE, "What time is Aqua Fit on Thursday?", "07:15"),  # the line that leads into the table
    (REVIEW_TIMETABLE, "Who teaches Aqua Fit on Thursday?", "Tom Reid"),
    (REVIEW_PANTRIES, "How many new families did Kingsgate register?", "1,450"),  # "it", mid-sentence
    (REVIEW_STREETS, "How many meals did Kingsgate give out?", "96,000"),  # "King Street" is no Kingsgate
    ("The caterer for the staff canteen is Fresh Catering.\n", "Who is the caterer?", "Fresh Catering"),
    ("The building is managed by Harlow Property Management.\n", "Who is the property manager?",
     "Harlow Property Management"),
    (REVIEW_RESULTS, "What was revenue in 2023?", None),  # a figure of no year is no 2023 figure
    (REVIEW_PANTRIES, "How many volunteers does Kingsgate have?", None),  # Millbrook's 40 were given
])
def test_the_rules_for_what_an_answer_is_about_keep_what_they_should(assistant_over, text, question, lead):
    answer = assistant_over({"doc.md": text}).ask(question)
    if lead is None:
        assert answer.abstained, answer.text
    else:
        assert answer.text.startswith(f"{lead} ["), answer.text



REVIEW_VENUE = '# Venue hire at Ashcombe House\n\nOur three rooms – the Grand Hall, the Garden Room and the Library – can be hired from £150 a day.\n\nThe Grand Hall seats 200 guests for dinner. Hire costs £1,200 a day, including tables and chairs. A sound system can be added for £150.\n\nThe Garden Room opens onto the terrace and seats 60. Hire costs £450 a day. A deposit of £100 is needed to book.\n\nThe Library is ideal for meetings of up to 16 people. Day hire is £150, with tea and coffee included.\n\nCatering is by Fresh Table, from £28 per head.\n'
REVIEW_PARISH = "# Parish Newsletter – Spring\n\nThe Spring Fair, the Duck Race and the Quiz Night will raise money for the church roof, which needs £40,000.\n\nThe Spring Fair returns on Saturday 10 May on the village green. Entry is £2 for adults. Last year it raised £3,100.\n\nThe Quiz Night is on Friday 23 May in the village hall. Teams of up to six can enter. Tickets are £8 each, including supper.\n\nThe Duck Race will be run on the river at 3pm on 26 May. Ducks can be bought for £1 each from the shop.\n\nThe location of the summer barbecue has not yet been decided.\nLast summer's barbecue was held at Church Farm by kind permission of the Hills.\n"
REVIEW_RELEASES = '# Changelog\n\nVersion 4.2.0 was released on 3 February 2025. It adds a dark mode and fixes 12 bugs.\nVersion 4.1.0, released on 5 December 2024, introduced CSV export.\nVersion 4.0.0 came out on 1 October 2024 and dropped support for Python 3.8.\nThe 3.x series is no longer maintained; its last release, 3.9.2, shipped on 20 August 2024.\n\n## Upgrading\n\nUpgrading from 3.9 to 4.0 requires running the migration script, which takes about 5 minutes for 10,000 records.\nVersion 4.1.0 requires Python 3.10 or later.\n'


@pytest.mark.parametrize(("text", "question", "lead"), [
    # A second code review's counterexamples, answered (or refused) before this session's rules.
    ("The club's solicitors are Harper Lane Solicitors of 12 High Street.\n", "Who are the club's solicitors?",
     "Harper Lane Solicitors"),  # a firm named for its trade holds the role
    (REVIEW_VENUE, "What deposit is needed for the Garden Room?", "£100"),  # named earlier in its paragraph
    (REVIEW_VENUE, "How much does it cost to hire the Garden Room?", "£450 a day"),
    (REVIEW_PARISH, "How much are tickets for the Quiz Night?", "£8 each"),
    (REVIEW_RELEASES, "When was version 3.8 released?", None),  # "Python 3.8" is no release of it
    (REVIEW_PARISH, "Where is the summer barbecue?", ""),  # not decided: no place, and not last year's
])
def test_the_rules_for_what_an_answer_is_about_keep_what_they_should_too(assistant_over, text, question, lead):
    answer = assistant_over({"doc.md": text}).ask(question)
    if lead is None:
        assert answer.abstained, answer.text
    elif lead == "":
        assert "Church Farm" not in answer.text, answer.text
    else:
        assert answer.text.startswith(f"{lead} ["), answer.text
