from assistant.documents import Document
from assistant.sentences import segment, sentence_id

from .conftest import REPORT


def texts(text: str) -> list[str]:
    return [s.text for s in segment(Document.from_text("t.txt", text))]


def test_offsets_are_exact_on_the_report():
    document = Document.from_text("r.txt", REPORT.read_text(encoding="utf-8"))
    sentences = segment(document)
    assert len(sentences) == 16
    for s in sentences:
        assert document.text[s.start:s.end] == s.text
        assert s.text == s.text.strip()
    assert [s.ordinal for s in sentences] == list(range(16))


def test_two_sentences_on_one_line_are_split():
    got = texts("China will act, including Russia and the US. Customs officials of the EU responded, he said.")
    assert got == ["China will act, including Russia and the US.", "Customs officials of the EU responded, he said."]


def test_decimals_figures_and_currency_do_not_split():
    got = texts("Cases rose 41.6 percent to 215,000. The value was 151 million yuan ($22 million), up 50.1%.")
    assert got == ["Cases rose 41.6 percent to 215,000.", "The value was 151 million yuan ($22 million), up 50.1%."]


def test_quoted_speech_keeps_its_quotes():
    got = texts('"We have been encouraging exchanges," Jin said. "We also want more."')
    assert got == ['"We have been encouraging exchanges," Jin said.', '"We also want more."']


def test_abbreviations():
    got = texts("Mr. Smith met Dr. Jones at 5 p.m. in the U.S. capital. They talked.")
    assert got[-1] == "They talked."
    assert got[0].startswith("Mr. Smith met Dr. Jones")


def test_short_forms_pysbd_does_not_know_end_no_sentence_that_goes_on():
    # pysbd cut "approx." and "Max." off what followed: a citation read "... giving approx" and a
    # table row lost its label.
    assert texts("A total of 64 volunteers took part, giving approx. 2,900 hours of work. The dig ended.") == [
        "A total of 64 volunteers took part, giving approx. 2,900 hours of work.", "The dig ended."]
    assert texts("A floor survived over approx. a third of the area.") == ["A floor survived over approx. a third of the area."]
    assert texts("Max. flow temperature    70 °C") == ["Max. flow temperature    70 °C"]
    # Before a capital the short form may end the sentence, as it may when it is a word's own end.
    assert texts("The room holds 40 people max. The hall holds more.") == [
        "The room holds 40 people max.", "The hall holds more."]
    assert texts("We sell shoes at the store in Tampa. 5 of them are red.")[0] == "We sell shoes at the store in Tampa."
    # A unit's short form after a figure ends its sentence before a figure, "£" or "(" (a review's cases).
    for text in ("The tour takes about 2 hrs. 3 coaches run each day.", "Parking is free for the first 30 mins. "
                 "£12 is charged after that.", "The hall seats 200 max. 150 more can stand.",
                 "Turn the dial to max. (The boiler then fires.)"):
        assert len(texts(text)) == 2, text
    assert texts("The flat is 54 sq. m and has two rooms.") == ["The flat is 54 sq. m and has two rooms."]


def test_headings_and_short_lines_stay_separate():
    got = texts("# Annual report\n\nSummary\nCourts concluded 320,000 cases.\n- item one\nSource: China Daily")
    assert got == ["# Annual report", "Summary", "Courts concluded 320,000 cases.", "- item one", "Source: China Daily"]


def test_crlf_and_unicode_offsets():
    text = "Première phrase.\r\nZweiter Satz – mit Strich.\r\n"
    document = Document.from_text("u.txt", text)
    for s in segment(document):
        assert text[s.start:s.end] == s.text


def test_ids_are_stable_and_depend_on_content():
    a = segment(Document.from_text("a.txt", "One. Two."))
    b = segment(Document.from_text("renamed.txt", "One. Two."))
    c = segment(Document.from_text("a.txt", "One. Two!"))
    assert [s.id for s in a] == [s.id for s in b]
    assert a[0].id != c[0].id  # the content hash changed, so every id changes
    assert a[0].id == sentence_id(Document.from_text("x", "One. Two.").sha256, 0, 4)


def test_a_markdown_heading_line_is_one_sentence_however_it_is_punctuated():
    # pysbd alone splits "## 2. Finance report" after "2.": neither half would read as a heading.
    assert texts("## 2. Finance report\nRevenue rose. Costs fell.") == ["## 2. Finance report", "Revenue rose.", "Costs fell."]


def test_closing_markup_stays_with_its_sentence():
    # pysbd cut "**" off a bold sentence, leaving "**" as a sentence of its own (and "** Next one.").
    assert texts("**Read all of this leaflet carefully.**\n- Keep this leaflet.") == [
        "**Read all of this leaflet carefully.**", "- Keep this leaflet."]
    assert texts("**Bold sentence.** Next one.") == ["**Bold sentence.**", "Next one."]
    assert texts("*Italic one.* Then plain.") == ["*Italic one.*", "Then plain."]
    assert texts('He said "Go home." Then he left.') == ['He said "Go home."', "Then he left."]


def test_a_list_marker_after_a_sentence_is_not_closing_markup():
    assert texts("The options are: * red. * blue.") == ["The options are: * red.", "* blue."]


def test_a_byte_order_mark_is_character_0_of_the_text_but_of_no_sentence():
    # It led the first sentence of every answer that cited it, and hid a Markdown title's "#".
    from assistant.sections import is_heading

    text = "\ufeff# Kiosk\n\nThe kiosk opens at 8 am.\n"
    sentences = segment(Document.from_text("kiosk.md", text))
    assert [(s.start, s.text) for s in sentences] == [(1, "# Kiosk"), (10, "The kiosk opens at 8 am.")]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert is_heading(text, sentences[0])


def test_a_run_with_no_sentence_end_is_cut_into_pieces_at_a_clause():
    # A document written as one 605 KB line made every question about it run for minutes.
    from assistant.sentences import MAX_SENTENCE_CHARS

    text = "The depot holds " + ", ".join(f"crate {n} weighing {n % 40 + 1} kg" for n in range(400)) + "."
    sentences = segment(Document.from_text("depot.txt", text))
    assert len(sentences) > 1 and all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert all(s.text.endswith(",") for s in sentences[:-1])  # at a clause break, not inside "crate 12"
    assert "".join(text[s.start:s.end] + " " for s in sentences).strip() == text  # nothing lost between them



def test_a_long_line_of_sentences_is_split_as_if_it_were_short():
    # pysbd's time grows with the square of what it reads: a 500 KB line took six minutes to index.
    # It reads a long line in blocks, each cut after a sentence's end, so every sentence is whole.
    from assistant.sentences import SEGMENTER_BLOCK

    said = [f"Dr. Okafor counted {n} curlews at site {n % 7} on the {n % 28 + 1}th, up 1.{n % 10} percent."
            for n in range(400)]
    line = " ".join(said)
    assert len(line) > 2 * SEGMENTER_BLOCK
    assert texts(line) == said
def test_an_html_comment_is_no_sentence_but_stays_in_the_one_around_it():
    # A reader of the Markdown never sees it: "<!-- the secret price is £999. -->" was cited as a price.
    text = ("Intro line.\n<!-- hidden: the secret price is £999. -->\n<!--\nA hidden note.\n-->\n"
            "Visible text <!-- aside --> goes on.\n")
    sentences = segment(Document.from_text("page.md", text))
    assert [s.text for s in sentences] == ["Intro line.", "Visible text <!-- aside --> goes on."]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_long_line_is_cut_at_no_title_nor_inside_a_cjk_sentence():
    # From a review: "Prof." before a block's end is no sentence's end, and a CJK text without
    # spaces is cut after its full stops ("。"), not inside a sentence.
    from assistant.sentences import SEGMENTER_BLOCK

    said = [f"The survey of site {n} was led by Prof. Smith under Art. 5 of the Dept. of Ecology." for n in range(300)]
    assert all(s.startswith("The survey") for s in texts(" ".join(said)))
    cjk = "市中心的停车收费将从四月起上调。" * (2 * SEGMENTER_BLOCK // 16)
    assert all(s.endswith("。") for s in texts(cjk))
