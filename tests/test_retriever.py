"""Hybrid retrieval's question-reading priors, on a real index of a small document."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.questions import answer_type, condense, preamble
from assistant.retriever import _ASKS_ABOUT_THAT, HybridRetriever
from assistant.spans import has_answer_kind

TOWN = (
    "Riverton's council met on Monday to agree its plans for the coming year. "
    "The council will build a new public library beside the market square. "
    "It will also repair the old stone bridge over the river before the winter. "
    "The mayor said the money comes from a regional grant and local taxes. "
    "Attendance at the meeting was higher than last year because the library had been debated for months. "
    "Separately, the town's football club won its league on Saturday."
)


@pytest.fixture
def town(index_text):
    return HybridRetriever(store=index_text("riverton.txt", TOWN), k=6)


def _first(retriever: HybridRetriever, question: str, history: list[dict[str, str]] | None = None,
           **weights: float) -> str:
    """The first sentence found for a question, as the chain searches it (with the conversation)."""
    condensed = condense(question, history or [])
    if condensed.context:
        retriever = retriever.with_context(condensed.context, condensed.said)
    if weights:
        retriever = retriever.model_copy(update={"weights": replace(retriever.weights, **weights)})
    return retriever.search(condensed.question)[0].sentence.text


HISTORY = [{"role": "user", "content": "What will the council build?"},
           {"role": "assistant", "content": "A new public library beside the market square [1]."}]


def test_asking_for_more_moves_on_to_the_next_sentence(town):
    assert _first(town, "What else will they do?", HISTORY).startswith("It will also repair")
    # Without the discourse prior the sentence already given wins again: the prior is what moves on.
    assert _first(town, "What else will they do?", HISTORY, next_sentence=0.0, novelty=0.0).startswith(
        "The council will build")


CUSTOMS = (
    "Customs officials from more than 130 countries have signed cooperation agreements with China. "
    "To fight crossborder IP violations, Chinese customs will improve information sharing with other countries. "
    "They will also increase personnel exchanges to train customs officers. "
    "Customs officers plan to do more to fight IP violations with other countries. "
    "The officials spoke at a news conference in Beijing."
)


def test_anything_else_is_first_what_the_text_says_it_goes_on_with(index_text, monkeypatch):
    retriever = HybridRetriever(store=index_text("customs.txt", CUSTOMS), k=6)
    history = [{"role": "user", "content": "What will Chinese customs do to fight crossborder IP violations?"},
               {"role": "assistant", "content": "Improve information sharing with other countries [1]."}]
    assert _first(retriever, "Anything else they plan to do?", history).startswith("They will also increase")
    # "They will also" is what wins it: the sentence that shares the question's words ("plan to do")
    # would otherwise.
    monkeypatch.setattr("assistant.retriever.goes_on", lambda text: False)
    assert _first(retriever, "Anything else they plan to do?", history).startswith("Customs officers plan")


def test_a_follow_up_about_the_same_thing_stays_on_it(town):
    # No request for something new: the sentence the last answer came from keeps its place.
    assert _first(town, "Where exactly will it be?", HISTORY).startswith("The council will build")
    assert _first(town, "What about its location?", HISTORY).startswith("The council will build")


def test_why_questions_want_a_reason():
    assert answer_type("Why was the meeting so full?") == "reason"
    assert answer_type("And how come it rose?") == "reason"
    assert answer_type("What led to the increase?") == "reason"
    assert answer_type("Who said why?") == "person"
    assert has_answer_kind("Turnout rose because of the debate.", "reason", set())
    assert not has_answer_kind("Turnout rose sharply this year.", "reason", set())


def test_a_why_question_prefers_the_sentences_that_give_a_cause(town):
    question = "Why was the meeting busier than before?"
    plain = town.model_copy(update={"weights": replace(town.weights, kind=0.0)})
    with_cue = {h.sentence.text: h.score for h in town.search(question)}
    without = {h.sentence.text: h.score for h in plain.search(question)}
    gained = {text for text in with_cue if with_cue[text] > without[text] + 1e-9}
    assert gained == {s for s in with_cue if "because" in s}
    assert _first(town, question).startswith("Attendance at the meeting")


def test_a_heading_that_only_repeats_the_question_is_not_the_answer(index_text):
    store = index_text("war.txt", "Television coverage\n\nThe Vietnam War.\n\nNetworks showed nightly footage of "
                       "the fighting from 1965, and it reached homes within days.")
    retriever = HybridRetriever(store=store, k=3)
    question = "When was the Vietnam War broadcast on TV?"
    assert retriever.search(question)[0].sentence.text.startswith("Networks showed")
    flat = retriever.model_copy(update={"weights": replace(retriever.weights, echo=0.0)})
    assert flat.search(question)[0].sentence.text == "The Vietnam War."


def test_a_full_sentence_that_repeats_the_question_still_answers_it(index_text):
    store = index_text("courts.txt", "Courts concluded 320,000 cases in 2019. Judges said the courts were busier "
                       "than ever. Appeals took longer than before.")
    retriever = HybridRetriever(store=store, k=3)
    assert _first(retriever, "Did courts conclude 320,000 cases in 2019?").startswith("Courts concluded 320,000")


def test_a_short_line_that_states_something_is_no_echo_of_the_question(index_text):
    # "There is no dishwasher." is made of the question's words but denies what it asks: it was
    # penalised as a heading and ranked below sentences about the kitchen's other appliances.
    store = index_text("flat.md", "## Description\n\nThe kitchen was refitted in 2023 and includes a gas hob, "
                       "electric oven and fridge-freezer. There is no dishwasher. Pets are allowed.\n\n## Pets\n")
    retriever = HybridRetriever(store=store, k=3)
    assert _first(retriever, "Does the kitchen have a dishwasher?") == "There is no dishwasher."
    assert _first(retriever, "Are pets allowed?") == "Pets are allowed."
    # A contents line has a verb too, but ends as no sentence does: it is still an echo.
    terms = index_text("terms.txt", "Contents\n- Who can apply\n- Is parking included\n\nWho can apply\nAnyone over "
                       "18 with a valid UK address can book a stay.\n\nIs parking included\nParking costs £5 a night "
                       "and must be booked ahead.\n")
    contents = HybridRetriever(store=terms, k=3)
    assert _first(contents, "Who can apply?").startswith("Anyone over 18")


def test_a_sentence_in_two_documents_is_ranked_once(index_files):
    shared = "The bridge was dismantled in 1967 and rebuilt in Arizona."
    store = index_files({"a.txt": f"{shared} It took three years.", "b.txt": f"{shared} It cost $2.5 million."})
    hits = HybridRetriever(store=store, k=4).search("Where was the bridge rebuilt?")
    texts = [h.sentence.text for h in hits]
    assert texts.count(shared) == 1 and len(texts) == 3


TRUST = ("The Lantern Trust supports young carers across Cumbria. "
         "Our chief executive is Dr Lucy Pemberton, who joined the Trust in 2019. "
         "The chair of trustees, Gwen Hartley, stepped down in January after nine years. "
         "She was succeeded by Marcus Oyelaran, a former head teacher from Penrith. "
         "We opened two new drop-in centres this year. "
         "They are in Barrow-in-Furness and Kendal, and both are open on weekday afternoons.")


@pytest.mark.parametrize(("question", "answer"), [
    ("Who succeeded Gwen Hartley as chair?", "She was succeeded by"),
    ("Who took over from Gwen Hartley?", "She was succeeded by"),
])
def test_a_sentence_that_points_back_is_read_after_the_one_before(index_text, question, answer):
    trust = HybridRetriever(store=index_text("trust.txt", TRUST), k=4)
    top_two = [h.sentence.text for h in trust.search(question)[:2]]
    assert any(t.startswith(answer) for t in top_two)
    # Read alone, "She was succeeded by ..." is about nobody: it falls out of the first two. (A sentence
    # read after one that alone matches better gains nothing: test_a_follow_up_about_the_same_thing_stays_on_it.)
    alone = trust.model_copy(update={"weights": replace(trust.weights, points_back=1.0)})
    assert not any(h.sentence.text.startswith(answer) for h in alone.search(question)[:2])


PARKS = (
    "The council will plant 2,000 trees along the ring road next spring, a spokesperson said on Tuesday. "
    "Mayor Helen Ortiz said the city's parks and green spaces are among the best kept in the region. "
    "\"We want every child to live within ten minutes of a park or a green space,\" Ortiz said. "
    "The tree planting is paid for by a national grant. "
    "Separately, the library will extend its opening hours."
)
# The short answer an extractive turn gives: the last question's words point at the mayor, the
# answer's at the statement it was read from.
PARKS_HISTORY = [{"role": "user", "content": "What is the city doing about its parks and green spaces?"},
                 {"role": "assistant", "content": "2,000 trees [1]."}]


def test_who_said_that_is_answered_by_the_last_answers_own_sentence(index_text):
    retriever = HybridRetriever(store=index_text("parks.txt", PARKS), k=5)
    assert condense("Who said that?", PARKS_HISTORY).said == "2,000 trees ."
    assert _first(retriever, "Who said that?", PARKS_HISTORY).startswith("The council will plant 2,000 trees")
    # Both are needed: the answer's words to find the sentence it rests on (the context alone finds the
    # mayor's), and the bonus for "that" to rank that sentence first.
    assert _first(retriever, "Who said that?", PARKS_HISTORY, said=0.0).startswith("Mayor Helen Ortiz")
    assert _first(retriever, "Who said that?", PARKS_HISTORY, about_that=0.0).startswith("Mayor Helen Ortiz")


@pytest.mark.parametrize("question", ["Who said that?", "Who said so, and when?", "When was this announced?",
                                      "Who announced it?"])
def test_questions_about_the_last_answers_statement(question):
    assert _ASKS_ABOUT_THAT.search(question)


@pytest.mark.parametrize("question", ["What does the harbour master say it will allow?",
                                      "Is it reported that passenger numbers fell?",
                                      "What did they say it would cost?"])
def test_it_or_that_opening_a_new_clause_is_not_about_the_last_answer(question):
    assert not _ASKS_ABOUT_THAT.search(question)


def test_after_a_refusal_there_is_no_sentence_to_rest_on():
    refused = [{"role": "user", "content": "How many salmon were landed?"},
               {"role": "assistant", "content": "Not covered: the document does not answer this question."}]
    condensed = condense("Who said that?", refused)
    assert condensed.follow_up and condensed.said == ""



PROGRAMME = ("Wrenfield Book Festival\n\n"
             "Festival director: Jonah Pettifer\n"
             "Box office: Wrenfield Library, Church Street\n\n"
             "The festival runs over four days in June, with talks, workshops and a closing concert. "
             "We hope to run the poetry workshop at the autumn festival instead. "
             "Volunteers run the festival bookshop in the library.")


def test_a_labelled_line_answers_what_its_label_names(index_text):
    # A short "Label: value" line embeds far from a long question; its label says what it answers.
    retriever = HybridRetriever(store=index_text("festival.md", PROGRAMME), k=5)
    flat = retriever.model_copy(update={"weights": replace(retriever.weights, label=0.0)})
    question = "Who runs the festival?"
    assert _first(flat, question) != "Festival director: Jonah Pettifer"
    assert _first(retriever, question) == "Festival director: Jonah Pettifer"


def test_a_label_gains_only_when_its_value_holds_the_kind_asked(index_text):
    retriever = HybridRetriever(store=index_text("festival.md", PROGRAMME), k=5)
    flat = retriever.model_copy(update={"weights": replace(retriever.weights, label=0.0)})

    def gain(question: str, line: str) -> float:
        return ({h.sentence.text: h.score for h in retriever.search(question)}[line]
                - {h.sentence.text: h.score for h in flat.search(question)}[line])

    assert gain("Who is the festival director?", "Festival director: Jonah Pettifer") > 0
    # A name is no date, and "How many" is not what the box office line gives.
    assert gain("When does the festival director arrive?", "Festival director: Jonah Pettifer") == pytest.approx(0)
    assert gain("How many box office staff are there?", "Box office: Wrenfield Library, Church Street") == pytest.approx(0)


def test_a_line_that_says_the_contrary_of_the_question_ranks_lower(index_text):
    store = index_text("library.txt", "Opening times\n\nThe last bus to the library leaves the station at 17:40. "
                       "The first bus to the library leaves the station at 08:10.")
    retriever = HybridRetriever(store=store, k=3)
    question = "When does the first bus to the library leave?"
    assert _first(retriever, question).startswith("The first bus")
    flat = retriever.model_copy(update={"weights": replace(retriever.weights, contrary=0.0)})
    with_contrary = {h.sentence.text[:8]: h.score for h in retriever.search(question)}
    without = {h.sentence.text[:8]: h.score for h in flat.search(question)}
    assert with_contrary["The last"] < without["The last"]
    assert with_contrary["The firs"] == pytest.approx(without["The firs"])


HANDBOOK = ("Module handbook\n\n"
            "| Component | Weight | Length | Deadline |\n"
            "| --- | --- | --- | --- |\n"
            "| Essay | 50% | 3,000 words | 12:00 noon, Friday 16 January 2026 |\n"
            "| Exam | 50% | 2 hours | Week 12 |\n\n"
            "Marks are returned within 15 working days.\n")
CARDS = ("Tidewatch rules\n\n"
         "Draw cargo cards until you have 5 in your hand. "
         "At the end of each round, you have to hand in your cards to the dealer. "
         "Play passes to the left.\n")


def test_a_follow_up_stays_with_the_document_of_the_last_answer(assistant_over):
    assistant = assistant_over({"handbook.md": HANDBOOK, "rules.txt": CARDS})
    history = [{"role": "user", "content": "How much is the essay worth?"},
               {"role": "assistant", "content": "50% of the module mark; it's 3,000 words."}]
    question = "When do I have to hand it in?"
    # "hand" is the card game's word; the essay's row, which gave its weight, gives its deadline too.
    answer = assistant.ask(question, history)
    assert answer.retrieved[0].sentence.text.startswith("| Essay |"), answer.text
    assert "16 January 2026" in answer.text.split("\n\n")[0]
    flat = assistant.retriever.model_copy(update={"weights": replace(assistant.retriever.weights, other_document=0.0,
                                                                      holds_more=0.0)})
    assistant.retriever = flat
    assert assistant.ask(question, history).retrieved[0].sentence.doc == "rules.txt"


AGENDA = ("# DataCamp: Agenda\n\n"
          "A quiet room is available on the first floor (Room 1C) throughout both days.\n\n"
          "| Time | Session | Speaker | Room |\n| --- | --- | --- | --- |\n"
          "| 14:30 | Causal inference for product teams | Dr Kwame Mensah | Room 2A |\n"
          "| 14:30 | Cleaning messy address data | Gareth Pryce | Room 2B |\n")


def test_a_follow_up_naming_a_column_of_the_last_answer_s_row_is_answered_by_that_row(assistant_over):
    assistant = assistant_over({"agenda.md": AGENDA})
    history = [{"role": "user", "content": "What is Dr Kwame Mensah talking about?"},
               {"role": "assistant", "content": "Causal inference for product teams [1]."}]
    answer = assistant.ask("Which room is that in?", history)
    assert answer.text.startswith("Room 2A [1]") and answer.retrieved[0].sentence.text.startswith("| 14:30 | Causal")
    row = {h.sentence.text[:12]: h.score for h in answer.retrieved}["| 14:30 | Ca"]
    assistant.retriever = assistant.retriever.model_copy(
        update={"weights": replace(assistant.retriever.weights, holds_more=0.0)})
    flat = {h.sentence.text[:12]: h.score for h in assistant.ask("Which room is that in?", history).retrieved}
    assert row > flat["| 14:30 | Ca"]  # the bonus for the row whose "Room" cell the answer did not say


CODES = ("Error codes\n\n"
         "If E3 appears again on the display, call Customer Service.\n"
         "E4: leak detected in the base. Turn off the water supply and unplug the machine.\n"
         "E5: door not closed properly.\n")


def test_a_line_for_the_code_asked_ranks_above_one_for_another_code(index_text):
    retriever = HybridRetriever(store=index_text("manual.md", CODES), k=3)
    question = "What does E4 mean on my dishwasher display?"
    assert _first(retriever, question).startswith("E4:")
    flat = retriever.model_copy(update={"weights": replace(retriever.weights, code=0.0)})
    scores = {h.sentence.text[:2]: h.score for h in retriever.search(question)}
    flat_scores = {h.sentence.text[:2]: h.score for h in flat.search(question)}
    assert scores["E4"] > flat_scores["E4"] and scores["If"] < flat_scores["If"]
    assert scores["E5"] < flat_scores["E5"]


def test_a_follow_up_that_names_its_own_topic_may_move_to_another_document(assistant_over):
    assistant = assistant_over({"leisure.md": "Prices\n\nAn adult swim costs £5.20 on weekdays and £6.00 at weekends. "
                                              "A family ticket costs £16.50.\n",
                                "bus.md": "Fares\n\nA single fare costs £2.00 and a day ticket costs £5.50.\n"})
    history = [{"role": "user", "content": "How much is an adult swim?"},
               {"role": "assistant", "content": "£5.20 [1]. An adult swim costs £5.20 on weekdays and £6.00 at weekends [1]."}]
    # Nothing points back to the swim: the bus fare is asked in its own words.
    answer = assistant.ask("And how much is a single bus fare?", history)
    assert answer.text.startswith("£2.00 [1]"), answer.text


MACHINE = ("Water filter\n\n"
           "The water filter removes chlorine and keeps scale down. "
           "Replacement filters are delivered within five working days of your order. "
           "You can use the machine without a filter, but then descale it every month. "
           "Never run the machine with an empty water tank.\n")


@pytest.mark.parametrize("question", [
    "My replacement filter won't be delivered for five days. Can I use the machine without one?",
    "The filter I ordered is late. What happens if I make coffee without a filter?",
])
def test_what_a_message_asks_weighs_more_than_what_it_says_first(index_text, monkeypatch, question):
    retriever = HybridRetriever(store=index_text("machine.md", MACHINE), k=4)
    assert _first(retriever, question).startswith("You can use the machine without a filter")
    # Searched as one text, the words of what is said first ("delivered", "five days") win.
    monkeypatch.setattr("assistant.retriever.preamble", lambda message: ("", message))
    assert _first(retriever, question).startswith("Replacement filters are delivered")


@pytest.mark.parametrize(("message", "expected"), [
    ("I'm 70. Is there a cheaper rate for pensioners?", ("I'm 70.", "Is there a cheaper rate for pensioners?")),
    ("Is the workshop still on? I've already paid.", ("I've already paid.", "Is the workshop still on?")),
    ("Which university does Dr. Yuki Tanaka work at?", ("", "Which university does Dr. Yuki Tanaka work at?")),
    ("How much is it? And when is it due?", ("", "How much is it? And when is it due?")),
    ("Fees. How much is it?", ("", "How much is it?")),  # a word alone says nothing
    ("Hi. My wife is expecting in October. How much leave do I get",  # asked without "?"
     ("My wife is expecting in October.", "How much leave do I get")),
    ("May was busy. It rained.", ("", "May was busy. It rained.")),
])
def test_a_message_is_read_as_what_it_says_and_what_it_asks(message, expected):
    assert preamble(message) == expected


def test_a_follow_up_naming_another_band_leaves_the_last_answers_row(assistant_over):
    # The last answer's row holds a figure it did not say ("10"), which drew "And if I've only been
    # here a year?" back to it once that bonus was doubled for "When do I have to hand it in?".
    policy = ("LEAVE POLICY\n\n2.1 Full-time employees receive the entitlement shown in the table below.\n\n"
              "| Years of continuous service | Annual leave (days) | Extra days |\n|---|---|---|\n"
              "| Less than 2 years | 25 | None |\n| 2 to 4 years | 26 | None |\n"
              "| 5 to 9 years | 28 | One wellbeing day |\n"
              "| 10 years or more | 30 | One wellbeing day and one volunteering day |\n")
    bot = assistant_over({"policy.txt": policy})
    history = [{"role": "user", "content": "How much annual leave do I get after 10 years?"},
               {"role": "assistant", "content": "30 days a year plus bank holidays, and you also get one wellbeing "
                                                "day and one volunteering day."}]
    answer = bot.ask("And if I've only been here a year?", history)
    assert answer.citations[0].sentence.text.startswith("| Less than 2 years |"), answer.text


def test_a_follow_up_finds_the_row_that_wrote_the_figure_with_its_currency(assistant_over):
    # "£32 per bag." rests on the row that writes "£32", not on the sentence that writes "32 kg":
    # BM25 reads both as "32", and "And if I buy it at the airport?" was answered from a lost bag.
    policy = ("# Skyvale Airways Baggage Allowance Policy\n\n## Checked baggage allowance by fare\n\n"
              "| Fare | Checked bags included | Weight per bag | Extra bag (online) | Extra bag (airport) |\n"
              "| --- | --- | --- | --- | --- |\n| Basic | 0 | 23 kg | £32 | £55 |\n| Classic | 1 | 23 kg | £32 | £55 |\n"
              "| Flex | 2 | 23 kg | £28 | £50 |\n| Business | 2 | 32 kg | £40 | £65 |\n\n"
              "Extra bags bought online must be added at least 3 hours before departure.\n\n## Excess weight\n\n"
              "Bags weighing between 23 kg and 32 kg are accepted for an overweight charge of £45 per bag, per "
              "flight. No single bag may weigh more than 32 kg; heavier items must be sent as cargo.\n\n"
              "## Delayed bags\n\nIf your bag does not arrive, report it at the Skyvale desk in the arrivals hall "
              "before you leave the airport.\n")
    bot = assistant_over({"baggage.md": policy})
    history = [{"role": "user", "content": "How much is an extra checked bag on a Skyvale Classic fare if I buy it "
                                           "online?"},
               {"role": "assistant", "content": "£32 per bag."}]
    answer = bot.ask("And if I buy it at the airport?", history)
    assert answer.text.startswith("£55 [1]"), answer.text


SMILE_PLANS = ("# Dental charges\n\n## Smile Plans\n\nPrivate patients can join one of our two Smile Plans, paid "
               "monthly by Direct Debit.\n\n**Essential plan**: £16.50 a month\n- 2 routine examinations a year\n"
               "- 2 hygienist visits (30 minutes) a year\n- 10% off all other private treatment\n\n"
               "**Complete plan**: £24.90 a month\n- 2 routine examinations a year\n"
               "- 4 hygienist visits (30 minutes) a year\n- 20% off all other private treatment\n\n"
               "**Family plan**: £45 a month for up to four people\n- 2 routine examinations a year each\n"
               "- 3 hygienist visits (30 minutes) a year each\n- 15% off all other private treatment\n")


def test_a_follow_up_about_the_last_answers_line_reads_the_list_under_it(assistant_over):
    # The two plans' lists read alike but for their figures: "it" is the plan the last answer priced.
    bot = assistant_over({"charges.md": SMILE_PLANS})
    for plan, price, visits in (("Essential", "£16.50 a month", "2"), ("Complete", "£24.90 a month", "4")):
        history = [{"role": "user", "content": f"How much is the {plan} plan?"},
                   {"role": "assistant", "content": f"{price} [1]."}]
        answer = bot.ask("How many hygienist visits does it include?", history)
        assert answer.text.startswith(f"{visits} [1]"), (plan, answer.text)
    # A follow-up that names its own plan leaves the last answer's list (a reviewer's case).
    answer = bot.ask("And how many hygienist visits come with the Family plan?", history)
    assert answer.text.startswith("3 ["), answer.text


def test_a_follow_up_on_a_list_item_gets_no_bonus_for_the_items_after_it():
    # An item's next items are its siblings, about other things: only a line that is no item leads a list.
    from assistant.sections import is_list_item

    assert is_list_item("- 2 hygienist visits (30 minutes) a year")
    assert is_list_item("3. Reheat the pie for 20 minutes.")
    assert not is_list_item("**Essential plan**: £16.50 a month")
