"""The chain end to end on the real index: answers, spans, follow-ups, abstentions, bad input."""

import pytest

from assistant.chain import check_question
from assistant.errors import InputError


def test_answers_with_span_and_exact_citation(assistant):
    answer = assistant.ask("How many IPR cases did Chinese courts conclude last year?")
    assert not answer.abstained
    assert answer.text.startswith("Nearly 320,000 [1].")
    cited = answer.citations[0]
    document = assistant.store.snapshot().texts[cited.sentence.doc]
    assert cited.sentence.text.startswith("Courts across China concluded nearly 320,000 IPR cases")
    assert document[cited.sentence.start:cited.sentence.end] == cited.sentence.text and cited.verified


def test_follow_up_uses_the_conversation(assistant):
    history = [{"role": "user", "content": "How many IPR cases did Chinese courts conclude last year?"},
               {"role": "assistant", "content": "Nearly 320,000 [1]."}]
    answer = assistant.ask("And how big an increase was that?", history)
    assert not answer.abstained
    assert answer.text.startswith("41.6 percent [1].")


@pytest.mark.parametrize("question", ["What is the capital of France?", "How do I bake sourdough bread at home?"])
def test_off_topic_questions_are_refused(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations
    assert answer.text.startswith("Not covered: the document does not answer this question")
    assert answer.retrieved  # the closest sentences are still there to judge the refusal


def test_json_shape_matches_the_design(assistant):
    data = assistant.ask("Who is the deputy director for general affairs at the General Administration of Customs?").to_json(id="q1")
    assert list(data)[:7] == ["id", "question", "answer", "abstained", "citations", "retrieved", "confidence"]
    assert data["citations"][0].keys() >= {"n", "doc", "sentence_id", "start", "end", "text"}
    assert data["retrieved"][0].keys() >= {"doc", "sentence_id", "start", "end", "text", "score"}
    assert "Jin Hai" in data["answer"]
    assert isinstance(data["latency_ms"], float)


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_empty_question_is_an_input_error(assistant, question):
    with pytest.raises(InputError, match="the question is empty"):
        assistant.ask(question)


@pytest.mark.parametrize("question", ["???", "🦁🐼💷?", "-- !"])
def test_a_question_without_words_is_an_input_error(assistant, question):
    with pytest.raises(InputError, match="the question has no words; type a question"):
        assistant.ask(question)
    assert assistant.ask("德语翻译每个字多少钱？").abstained  # letters of any script are words: refused, not rejected


def test_very_long_question_is_truncated_with_a_notice(assistant):
    question = "How many IPR cases did Chinese courts conclude last year? " + "padding " * 12_500
    answer = assistant.ask(question)
    assert len(question) > 100_000
    assert answer.notice == "The question was 100,057 characters; only its first 993 and last 999 were used."
    assert answer.text.startswith("Nearly 320,000 [1].")


def test_a_long_message_keeps_the_question_it_ends_with(assistant):
    # Context pasted first, the question last: the middle of the message is what is cut.
    message = "I was reading about this yesterday and thinking about it a lot. " * 40 + "How many suspects were arrested?"
    answer = assistant.ask(message)
    assert answer.text.startswith("More than 5,600 [1].") and len(message) > 2_000
    kept, _ = check_question("first words " + "word " * 500 + "last words", 100)
    assert kept == "first words word word word word word word word … word word word word word word word last words"


def test_a_question_that_is_not_text_is_an_input_error(assistant):
    with pytest.raises(InputError, match="the question must be text, not int"):
        assistant.ask(123)  # type: ignore[arg-type]


def test_bad_history_is_an_input_error(assistant):
    with pytest.raises(InputError, match="history turn 1"):
        assistant.ask("And then?", [{"role": "robot", "content": "x"}])


# -- generative answers (--llm) -------------------------------------------------------------------

def _with_llm(assistant, **settings):
    from assistant.chain import Assistant

    return Assistant(assistant.settings.with_(**settings), store=assistant.store)


def test_generative_answer_through_the_chain(assistant):
    from assistant.chain import Assistant
    from tests.test_generative import COURTS, SourceReadingModel

    bot = Assistant(assistant.settings, store=assistant.store, chat_model=SourceReadingModel())
    answer = bot.ask("How many IPR cases did Chinese courts conclude last year?")
    assert answer.mode == "llm" and [c.sentence.text for c in answer.citations] == [COURTS]
    assert answer.citations[0].verified and answer.claims[0].supported and answer.latency_ms > 0
    *tokens, final = bot.stream("How many IPR cases did Chinese courts conclude last year?")
    assert tokens and all(isinstance(t, str) for t in tokens)
    assert final.text == answer.text and final.latency_ms > 0


def test_generative_follow_up_through_the_chain(assistant):
    from assistant.chain import Assistant
    from tests.test_generative import COURTS, HISTORY, SourceReadingModel

    bot = Assistant(assistant.settings, store=assistant.store, chat_model=SourceReadingModel())
    answer = bot.ask("By how much did that increase?", HISTORY)
    assert answer.mode == "llm" and [c.sentence.text for c in answer.citations] == [COURTS]


def test_unreachable_backend_answers_extractively_and_says_why(assistant):
    bot = _with_llm(assistant, llm="ollama:llama3.2", ollama_url="http://127.0.0.1:9")
    answer = bot.ask("How many IPR cases did Chinese courts conclude last year?")
    assert answer.mode == "extractive" and answer.text.startswith("Nearly 320,000 [1].")
    assert answer.notice == ("cannot reach Ollama at http://127.0.0.1:9; start it with `ollama serve` or use "
                             "--llm extractive. Answered extractively.")
    [final] = bot.stream("How many IPR cases did Chinese courts conclude last year?")
    assert final.notice == answer.notice


def test_unknown_backend_is_an_input_error(assistant):
    with pytest.raises(InputError, match=r"^unknown --llm 'gpt'"):
        _with_llm(assistant, llm="gpt")
