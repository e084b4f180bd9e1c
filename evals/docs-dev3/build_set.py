#!/usr/bin/env python3
"""Build docs-dev3.jsonl from the items below, copying every gold sentence from corpus/.

Each gold is given as (fragment, mode): the fragment must occur on exactly one line of the
document. mode "line" copies the whole line (without a leading "- " bullet marker); mode "sent"
copies the sentence of that line that contains the fragment (a leading speaker label such as
"DR OKAFOR: " is not part of the sentence). The script stops if anything is ambiguous or missing.

    cd /work/main && python3 evals/docs-dev3/build_set.py
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
DOCS = {n: open(os.path.join(CORPUS, n), encoding="utf-8").read() for n in sorted(os.listdir(CORPUS))}

IV, MED, REL, FEST, HR = ("interview_transcript.txt", "medicine_leaflet.md", "release_notes.md",
                          "festival_programme.txt", "hr_leave_policy.txt")


def gold(doc, fragment, mode):
    lines = [line for line in DOCS[doc].splitlines() if fragment in line]
    if len(lines) != 1:
        sys.exit(f"{doc}: fragment {fragment!r} on {len(lines)} lines")
    line = lines[0]
    body = line[2:] if line.startswith("- ") else line
    if mode == "line":
        return body
    body = re.sub(r"^[A-Z][A-Z ]+: ", "", body)  # speaker label
    sents = [s for s in re.split(r"(?<=[.!?])\s+(?=\S)", body) if fragment in s]
    if len(sents) != 1:
        sys.exit(f"{doc}: fragment {fragment!r} in {len(sents)} sentences")
    return sents[0]


S, L = "sent", "line"

# (kind, doc, question, reference, [(fragment, mode), ...], source, history)
ITEMS = [
    # ---- interview_transcript.txt (13) ----
    ("factoid", IV, "When was the seagrass episode broadcast?",
     "Tuesday 8 April 2025, at 7pm.",
     [("Broadcast: Tuesday", L)], "header label line", None),
    ("paraphrase", IV, "What caused the seagrass in Carrick Bay to die back?",
     "Mostly a wasting disease in the 1930s, then decades of boat moorings dragging chains across the seabed.",
     [("Mostly a wasting disease", S)], "guest answer; 'die back' vs 'wasting disease ... dragging chains'", None),
    ("factoid", IV, "How many seeds go in each bag?",
     "About 150 seeds per hessian bag.",
     [("Each bag holds about 150", S)], "guest answer, method", None),
    ("factoid", IV, "What percentage of the planted seagrass survived?",
     "About 68 per cent of the planted area still had established shoots after two years.",
     [("After two years, about 68 per cent", S)], "guest answer, survival figure", None),
    ("factoid", IV, "who leads the divers?",
     "Tomasz Wieczorek, who has logged more than 300 dives in the bay.",
     [("Our dive team is led by", S)], "guest answer, volunteers", None),
    ("followup", IV, "And how much of that came from crowdfunding?",
     "£18,400, raised by a crowdfunding appeal.",
     [("Most of that came from the Marrowby Trust", S)], "guest answer, funding; needs the history for 'that'",
     [{"role": "user", "content": "How much did the first phase of the seagrass project cost?"},
      {"role": "assistant", "content": "£310,000 over four years, most of it from the Marrowby Trust."}]),
    ("paraphrase", IV, "Does seagrass really soak up more CO2 than a jungle would?",
     "Yes: a healthy meadow stores carbon up to 35 times faster than the same area of tropical rainforest.",
     [("But a healthy meadow stores carbon", S)], "guest answer; 'CO2', 'jungle' vs 'carbon', 'tropical rainforest'", None),
    ("multi_sentence", IV, "How have seahorse numbers changed since the project started?",
     "From three short-snouted seahorses in the whole bay in 2021 to 41 last summer.",
     [("In 2021 our divers recorded three", S), ("Last summer they recorded 41.", S)],
     "guest answer, wildlife; two consecutive sentences", None),
    ("factoid", IV, "How many of the old moorings have been swapped out?",
     "26 of the old chain moorings have been replaced with eco-moorings.",
     [("The harbour authority has replaced 26", S)], "guest answer, moorings", None),
    ("multi_sentence", IV, "What's the plan for phase two and when does it kick off?",
     "It starts this September, aiming for ten hectares of planted meadow by the end of 2028 and a seed bank other bays can borrow from.",
     [("The second phase starts this September.", S), ("We're aiming for ten hectares", S)],
     "guest answer, next steps; start date and target in two sentences", None),
    ("unanswerable_near_miss", IV, "How much will the second phase of the Carrick Bay project cost?", None, None,
     "near miss: only the first phase's cost (£310,000) is given; the second phase has a start date and target but no cost", None),
    ("unanswerable_near_miss", IV, "How many of the volunteers are qualified divers?", None, None,
     "near miss: 1,150 registered volunteers and the dive team leader are mentioned, but not how many volunteers dive", None),
    ("unanswerable_near_miss", IV, "How much does it cost to join a seed collection day?", None, None,
     "near miss: seed collection days (Saturdays in August and September, no experience needed) are described, but no fee is given", None),

    # ---- medicine_leaflet.md (14) ----
    ("paraphrase", MED, "Is this any good for a pollen allergy?",
     "Yes: it relieves hay fever symptoms such as sneezing, a runny or itchy nose and itchy, watery eyes.",
     [("Alveron is used to relieve the symptoms of hay fever", S)], "section 1 prose; 'pollen allergy' vs 'hay fever (seasonal allergic rhinitis)'", None),
    ("factoid", MED, "Can I take it with ibuprofen?",
     "Yes, Alveron can be taken with paracetamol or ibuprofen.",
     [("You can take Alveron with paracetamol or ibuprofen.", S)], "section 2, other medicines; yes/no", None),
    ("followup", MED, "what about grapefruit juice?",
     "No, do not take Alveron with grapefruit juice.",
     [("Do not take Alveron with grapefruit juice.", S)], "section 2, food and drink; needs the history",
     [{"role": "user", "content": "Can I have a drink while I'm on Alveron?"},
      {"role": "assistant", "content": "Best not: the leaflet says to avoid alcohol while taking it, as it may make drowsiness worse."}]),
    ("paraphrase", MED, "Is it OK to get behind the wheel after taking one?",
     "Not until you know how the medicine affects you (it can make some people sleepy).",
     [("Do not drive or use machines", S)], "section 2, driving; 'get behind the wheel' vs 'drive'", None),
    ("factoid", MED, "How much should my 8 year old take?",
     "Half a tablet (2.5 mg) once a day, no more than 2.5 mg in 24 hours.",
     [("| Children aged 6 to 11 years", L)], "section 3, dosage table row", None),
    ("followup", MED, "And for my three-year-old?",
     "Children aged 2 to 5 should not take the tablets; use Alveron 0.5 mg/ml oral solution instead.",
     [("| Children aged 2 to 5 years", L)], "section 3, dosage table row; needs the history",
     [{"role": "user", "content": "What's the adult dose of Alveron?"},
      {"role": "assistant", "content": "One 5 mg tablet once a day, with no more than 5 mg in 24 hours; the same applies to children aged 12 and over."}]),
    ("factoid", MED, "What are the signs of taking too much Alveron?",
     "Severe drowsiness, restlessness and a fast heartbeat.",
     [("Signs of overdose include", S)], "section 3, overdose", None),
    ("multi_sentence", MED, "I forgot this morning's tablet, should I take two tonight?",
     "No. Take the missed dose as soon as you remember unless the next dose is due in less than 12 hours, and never take a double dose to make up for a forgotten tablet.",
     [("If you forget a dose, take it as soon as you remember", S), ("Do not take a double dose", S)],
     "section 3, missed dose; two sentences", None),
    ("unanswerable_near_miss", MED, "How common are seizures on Alveron?", None, None,
     "near miss: a fit (seizure) is listed as a reason to stop and see a doctor at once, but no frequency is given for it", None),
    ("factoid", MED, "Is dry mouth a common side effect?",
     "Yes, dry mouth is common (may affect up to 1 in 10 people).",
     [("**Common (may affect up to 1 in 10 people):**", L)], "section 4, side-effect frequency line; yes/no", None),
    ("paraphrase", MED, "Can I keep it in the kitchen cupboard next to the oven?",
     "Not if it gets warm there: do not store above 25°C.",
     [("Do not store above 25°C.", S)], "section 5, storage bullet; 'next to the oven' vs 'above 25°C'", None),
    ("factoid", MED, "What do the tablets look like?",
     "White, oval tablets marked \"AV5\" on one side.",
     [("Alveron tablets are white, oval", S)], "section 6, pack description", None),
    ("unanswerable_near_miss", MED, "What's the dose of the oral solution for a four-year-old?", None, None,
     "near miss: the table says children aged 2 to 5 should use the 0.5 mg/ml oral solution and points to its own leaflet; no dose is given here", None),
    ("unanswerable_near_miss", MED, "What's the phone number for Brindle Pharma?", None, None,
     "near miss: the marketing authorisation holder's name and postal address are given, but no phone number", None),

    # ---- release_notes.md (14) ----
    ("factoid", REL, "When did Pagewright 4.0.0 come out?",
     "4 March 2025 (2025-03-04).",
     [("## 4.0.0 — 2025-03-04", L)], "version heading line", None),
    ("factoid", REL, "What's the config file called now?",
     "`site.toml`; it was renamed from `pagewright.toml` in 4.0.0.",
     [("The configuration file has been renamed", S)], "4.0.0 breaking change bullet", None),
    ("factoid", REL, "Is there a dark mode yet?",
     "Yes, 4.0.0 added dark mode for the default theme, Inkwell.",
     [("Dark mode for the default theme", L)], "4.0.0 Added bullet; yes/no", None),
    ("paraphrase", REL, "Where does the local preview run now, still on 8000?",
     "No, the development server now listens on port 8400.",
     [("The development server now listens on port 8400", S)], "4.0.0 Changed bullet; 'local preview' vs 'development server'", None),
    ("factoid", REL, "What's the minimum Python version for Pagewright 4?",
     "Python 3.10 or later.",
     [("Python 3.10 or later", L)], "4.0.0 minimum supported versions bullet", None),
    ("followup", REL, "and which macOS version does it need?",
     "macOS 12 (Monterey) or later.",
     [("Windows 10, macOS 12 (Monterey)", L)], "4.0.0 minimum supported versions bullet; needs the history",
     [{"role": "user", "content": "Do I need Node.js for Pagewright 4.0?"},
      {"role": "assistant", "content": "Only for the search index, which needs Node.js 20 LTS."}]),
    ("multi_sentence", REL, "how do I upgrade from 3.x and what does the migrate step actually do?",
     "Back up the site folder, run `pip install --upgrade \"pagewright>=4.0,<5\"` and then `pagewright migrate`, which renames the configuration file and updates theme declarations automatically.",
     [("Back up your site folder, then run", S), ("The migrate command renames", S)],
     "4.0.0 upgrading paragraph; command and explanation in two sentences", None),
    ("paraphrase", REL, "Pictures with an & in their caption text mess up my page. Has that been fixed?",
     "Yes, in 3.9.2: image captions containing an ampersand no longer break the page layout.",
     [("Image captions containing an ampersand", L)], "3.9.2 Fixed bullet; '&', 'mess up my page' vs 'ampersand', 'break the page layout'", None),
    ("factoid", REL, "Who found the path traversal bug?",
     "Ilse Vandermeer reported it (fixed in 3.9.1).",
     [("Thanks to Ilse Vandermeer", S)], "3.9.1 Security bullet, middle sentence", None),
    ("multi_sentence", REL, "What was deprecated in 3.9.0?",
     "The `--legacy-theme` flag (to be removed in 4.0) and the `{{ site.updated }}` template variable (in favour of `{{ page.modified }}`).",
     [("The `--legacy-theme` flag is deprecated", S), ("The `{{ site.updated }}` template variable", L)],
     "3.9.0 Deprecated bullets", None),
    ("followup", REL, "Did anything change with fonts in that release?",
     "Yes, the default theme's body font changed from Georgia to Source Serif.",
     [("The default theme's body font changed", L)], "3.8.0 Changed bullet; needs the history",
     [{"role": "user", "content": "When was automatic sitemap generation added?"},
      {"role": "assistant", "content": "In version 3.8.0, released on 30 August 2024."}]),
    ("factoid", REL, "How long will 3.x keep getting security fixes?",
     "Until 4 March 2026.",
     [("The 3.x series will therefore receive security fixes", S)], "support policy paragraph", None),
    ("unanswerable_near_miss", REL, "When was version 3.7 released?", None, None,
     "near miss: the notes go back only to 3.8.0; 3.7 is not listed", None),
    ("unanswerable_near_miss", REL, "Who was the release manager for 3.9?", None, None,
     "near miss: only the release manager for 4.0 (Ruth Adebayo-Kinsella) is named", None),

    # ---- festival_programme.txt (14) ----
    ("factoid", FEST, "Who runs the festival?",
     "Jonah Pettifer, the festival director.",
     [("Festival director:", L)], "label line", None),
    ("factoid", FEST, "What's the box office number?",
     "01632 960 418 (the box office is at Wrenfield Library, Church Street).",
     [("Box office: Wrenfield Library", L)], "label line", None),
    ("paraphrase", FEST, "Is there one ticket that gets me into everything, and what does it cost?",
     "Yes, a festival pass: £60 adult, £45 concession.",
     [("A festival pass covering all ticketed events", L)], "ticket prices line; 'gets me into everything' vs 'festival pass covering all ticketed events'", None),
    ("factoid", FEST, "how much is a kid's ticket for the play on friday?",
     "£7 (adult £15, concession £12).",
     [("19:30  \"The Ferryman's Daughter\"", L)], "Friday programme line, 24-hour time", None),
    ("factoid", FEST, "What time is Harriet Quayle's talk?",
     "Half past two (2.30pm) on Saturday 14 June, at Wrenfield Library.",
     [("Half past two  Author talk", L)], "Saturday programme line, time in words", None),
    ("followup", FEST, "how late is the bar open?",
     "Until 11.30pm.",
     [("Bar open until 11.30pm.", S)], "Saturday programme line, last sentence; needs the history",
     [{"role": "user", "content": "what's on saturday night?"},
      {"role": "assistant", "content": "A ceilidh with the Ramsgill Ceilidh Band and a caller at 8pm in the Corn Exchange (£14 adult, £10 concession, £6 child)."}]),
    ("factoid", FEST, "When's the last event of the festival?",
     "The closing concert with the Fennick Jazz Trio at 18:00 (6pm) on Sunday 15 June, in St Aldhelm's Church.",
     [("18:00  Closing concert", L)], "Sunday programme line, 24-hour time", None),
    ("multi_sentence", FEST, "Is the printmaking workshop still on? I've already paid.",
     "No, Saturday's 4.00pm printmaking workshop is cancelled because the tutor is unwell; everyone who booked gets a full refund within 14 days without needing to contact the festival.",
     [("printmaking workshop has been cancelled", S), ("Everyone who booked will receive a full refund", S)],
     "cancellation notice; cancellation and refund in two sentences", None),
    ("paraphrase", FEST, "Can my mum get up to the Tannery in her wheelchair?",
     "Probably not: the Old Tannery is on the first floor and has no lift.",
     [("The Old Tannery is on the first floor", L)], "accessibility line; 'get up ... in her wheelchair' vs 'first floor and has no lift'", None),
    ("followup", FEST, "so where's the nearest accessible loo?",
     "In the library, 150 metres away.",
     [("St Aldhelm's Church has a ramp", L)], "accessibility line; needs the history",
     [{"role": "user", "content": "Is St Aldhelm's Church wheelchair accessible?"},
      {"role": "assistant", "content": "Partly: it has a ramp at the north door, but there's no accessible toilet."}]),
    ("paraphrase", FEST, "Will any of the shows have sign language?",
     "Yes, Friday's performance of \"The Ferryman's Daughter\" will be BSL interpreted.",
     [("will be BSL interpreted", L)], "accessibility line; 'sign language' vs 'BSL interpreted'", None),
    ("factoid", FEST, "What time's the last train to Castlebridge on Saturday?",
     "23:10 (on weekdays it is 22:47).",
     [("The last train to Castlebridge", S)], "getting here paragraph", None),
    ("unanswerable_near_miss", FEST, "What time does the makers' market open on Sunday?", None, None,
     "near miss: the makers' market is on Saturday (9am to 1pm); nothing is given for a Sunday market", None),
    ("unanswerable_near_miss", FEST, "Who's the caller at the ceilidh?", None, None,
     "near miss: the ceilidh has 'a caller' but the caller is not named (only the Ramsgill Ceilidh Band)", None),

    # ---- hr_leave_policy.txt (13) ----
    ("factoid", HR, "Who owns the leave policy?",
     "Natasha Brightwell, Head of People.",
     [("Policy owner:", L)], "header label line", None),
    ("factoid", HR, "Does the leave policy cover contractors?",
     "No. It does not apply to agency workers, contractors or consultants, whose leave is governed by their own agreements.",
     [("1.2 It does not apply", L)], "clause 1.2; yes/no", None),
    ("factoid", HR, "how many days holiday do I get after 3 years?",
     "27 days (2 to 5 years' service), plus the eight UK bank holidays.",
     [("2 to 5 years' service: 27 days", L)], "clause 2.2 entitlement bullet", None),
    ("paraphrase", HR, "How far ahead do I have to ask for time off?",
     "At least twice the length of the leave requested, e.g. ten working days' notice for five days off.",
     [("2.5 You must give notice", S)], "clause 2.5; 'how far ahead', 'ask for time off' vs 'notice', 'leave requested'", None),
    ("followup", HR, "by when do I have to use them?",
     "By 31 March; any carried-over days not taken by then are lost.",
     [("3.2 Carried-over days", L)], "clause 3.2; needs the history",
     [{"role": "user", "content": "Can I carry over holiday I haven't used?"},
      {"role": "assistant", "content": "Yes, up to five days of unused annual leave can be carried into the next leave year."}]),
    ("factoid", HR, "What time do I need to ring in sick by?",
     "By 9.30am on the first day of absence, by phoning your line manager.",
     [("4.1 If you are unable to work", S)], "clause 4.1, first sentence", None),
    ("multi_sentence", HR, "When do I need a doctor's note instead of self-certifying?",
     "For absences of more than seven calendar days you need a fit note from a doctor; up to seven calendar days you can self-certify.",
     [("4.2 For absences of up to seven", L), ("4.3 For absences of more than seven", L)],
     "clauses 4.2 and 4.3", None),
    ("factoid", HR, "How much sick pay do I get if I've been here 4 years?",
     "10 weeks at full pay, then 10 weeks at half pay, in any rolling 12-month period.",
     [("More than 2 years' service: 10 weeks", L)], "clause 4.4 sick pay bullet", None),
    ("paraphrase", HR, "My wife's expecting in October. How much time off do I get when the baby arrives?",
     "Two weeks' paternity leave at full pay, to be taken within 8 weeks of the birth.",
     [("5.2 Partners receive", L)], "clause 5.2; 'wife's expecting', 'baby arrives' vs 'partners', 'paternity leave', 'birth'", None),
    ("multi_sentence", HR, "What are the rules on unpaid parental leave?",
     "Up to 18 weeks per child before the child's 18th birthday, at most four weeks per child in any one year, and requests need 21 days' notice.",
     [("5.4 Employees may take up to 18 weeks", L), ("5.5 Requests for unpaid parental leave", L)],
     "clauses 5.4 and 5.5", None),
    ("factoid", HR, "Who do I ask about my payslip?",
     "Beatrice Nwosu, the Payroll Manager.",
     [("7.2 Questions about sick pay and payslips", L)], "clause 7.2, contacts", None),
    ("unanswerable_near_miss", HR, "How much paid adoption leave do we get?", None, None,
     "near miss: the policy covers maternity, paternity, shared and unpaid parental leave but says nothing about adoption leave", None),
    ("unanswerable_near_miss", HR, "Who is the HR Director?", None, None,
     "near miss: no HR Director is named; the policy names a Head of People, an HR Business Partner and a Payroll Manager", None),

    # ---- off topic (2) ----
    ("unanswerable_off_topic", None, "How do I reset my broadband router password?", None, None,
     "off-topic: no document covers routers or broadband", None),
    ("unanswerable_off_topic", None, "What's a good recipe for banana bread?", None, None,
     "off-topic: no document covers cooking", None),
]


def main():
    out = []
    for n, (kind, doc, question, reference, golds, source, history) in enumerate(ITEMS, 1):
        row = {"id": f"g{n:02d}", "question": question}
        answerable = not kind.startswith("unanswerable")
        if answerable:
            row["reference"] = reference
            row["reference_contexts"] = [gold(doc, f, m) for f, m in golds]
        row["answerable"] = answerable
        row["kind"] = kind
        if history:
            row["history"] = history
        if doc:
            row["doc"] = doc
        row["source"] = source
        out.append(row)
    path = os.path.join(HERE, "docs-dev3.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} items to {path}")


if __name__ == "__main__":
    main()
