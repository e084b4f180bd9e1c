#!/usr/bin/env python3
"""Write ../heldout-sixth.jsonl from the hand-written list below (it only writes the file).

Every question, reference answer and gold sentence here was written by hand."""
import json
import os

S = "kestrelford-primary-inspection-report.txt"
P = "quaystone-cardgate-outage-postmortem.md"
G = "fenwick-harrow-trust-grant-guidelines.txt"
W = "brigmouth-heritage-trail-leaflet.txt"
R = "rsio-dunmore-cross-overrun-summary.txt"


def a(kind, doc, question, reference, contexts, history=None):
    row = {"question": question, "reference": reference, "reference_contexts": contexts,
           "answerable": True, "kind": kind}
    if history:
        row["history"] = [{"role": "user", "content": history[0]},
                          {"role": "assistant", "content": history[1]}]
    row["doc"] = doc
    return row


def u(kind, doc, question):
    row = {"question": question, "answerable": False, "kind": kind}
    if doc:
        row["doc"] = doc
    return row


ITEMS = [
    # s01
    a("factoid", S, "How many pupils are on roll at Kestrelford Community Primary School?",
      "412 pupils, aged 4 to 11.",
      ["Kestrelford is a larger-than-average primary school with 412 pupils on roll, aged from 4 to 11."]),
    # s02
    a("factoid", P, "How long did the Cardgate outage last?",
      "2 hours 47 minutes, from 09:12 to 11:59 GMT.",
      ["Duration: 2 hours 47 minutes, from 09:12 to 11:59 GMT"]),
    # s03
    a("factoid", G, "What's the most I can get from a Fenwick-Harrow Starter grant?",
      "£2,000 (Starter grants are £500 to £2,000, for groups with an annual income below £25,000).",
      ["Starter grants of £500 to £2,000 are for groups with an annual income below £25,000."]),
    # s04
    a("factoid", W, "how long is the brigmouth heritage trail",
      "About 2.4 km (1.5 miles), taking around 90 minutes at a gentle pace.",
      ["A self-guided walk of about 2.4 km (1.5 miles), taking around 90 minutes at a gentle pace"]),
    # s05
    a("factoid", R, "How far past the platform did the train end up at Dunmore Cross?",
      "312 metres beyond the end of the platform.",
      ["At 07:48 on Monday 4 November 2024, a four-car passenger train failed to stop at Dunmore Cross station and came to a halt 312 metres beyond the end of the platform."]),
    # s06
    u("unanswerable_near_miss", S,
      "What percentage of Kestrelford's Year 6 pupils reached the expected standard in reading in 2024?"),
    # s07
    a("paraphrase", P, "Why did a tweak that was only supposed to affect the test setup end up breaking the live system?",
      "Because the staging and production environments shared a single configuration file.",
      ["It reached production because the staging and production environments shared a single configuration file."]),
    # s08
    a("followup", G, "how often does it meet?",
      "Four times a year; applicants hear back within ten weeks of the deadline.",
      ["It meets four times a year, and you will hear from us within ten weeks of the deadline."],
      history=("Who makes the final decisions on Fenwick-Harrow grants?",
               "The grants committee, which is chaired by trustee Beatrice Lindqvist-Rowe.")),
    # s09
    a("multi_sentence", W, "Who founded Marrable's Bank and when did it go under?",
      "The brothers Elias and Thomas Marrable founded it in 1791; it collapsed in the financial panic of 1825.",
      ["The bank was founded in 1791 by the brothers Elias and Thomas Marrable, merchants in the Baltic timber trade.",
       "It collapsed in the financial panic of 1825, and hundreds of local savers lost their deposits."]),
    # s10
    a("factoid", R, "how many passengers were on the train that overran",
      "186 passengers, plus two members of staff.",
      ["It was carrying 186 passengers and two members of staff."]),
    # s11
    u("unanswerable_off_topic", None, "What's the best way to get rid of moss in my lawn?"),
    # s12
    a("factoid", S, "what grade did the inspectors give Kestrelford for early years provision",
      "Requires improvement.",
      ["Early years provision: Requires improvement"]),
    # s13
    a("factoid", P, "who was the incident commander for the 11 March payments outage",
      "Priyanka Velasco-Hart, the site reliability engineering (SRE) lead.",
      ["Incident commander: Priyanka Velasco-Hart, site reliability engineering (SRE) lead"]),
    # s14
    a("paraphrase", G, "We bought a projector last month for our group. Could the trust reimburse us for it?",
      "No. The trust cannot pay for anything bought before its decision.",
      ["We cannot pay for work that has already started or for anything bought before our decision."]),
    # s15
    u("unanswerable_near_miss", W, "Who designed the Custom House in Brigmouth?"),
    # s16
    a("paraphrase", R, "Did the person at the controls do anything wrong, according to the investigators?",
      "No. The RSIO found the overrun was caused by exceptionally poor adhesion and that the driver's actions did not contribute to it.",
      ["The RSIO found that the overrun was caused by exceptionally poor adhesion, and that the driver's actions did not contribute to it."]),
    # s17
    a("factoid", S, "Who is the chair of governors at Kestrelford, and what does the vice-chair lead on?",
      "Desmond Oyelaran is chair of governors; the vice-chair, Harriet Penrose, leads the governors' work on safeguarding.",
      ["The chair of governors, Desmond Oyelaran, visits the school every fortnight, and the vice-chair, Harriet Penrose, leads the governors' work on safeguarding."]),
    # s18
    a("multi_sentence", P, "What compensation are affected merchants getting for the Cardgate outage, and how will they receive it?",
      "A service credit of 10% of their March fees, applied automatically to their April invoice.",
      ["Affected merchants will receive a service credit of 10% of their March fees.",
       "It will be applied automatically to their April invoice."]),
    # s19
    a("factoid", G, "who handles grant applications from Ollerby",
      "Callum Idowu (Nadia Sorensen-Pike handles Westmarch).",
      ["Nadia Sorensen-Pike handles applications from Westmarch, and Callum Idowu handles those from Ollerby."]),
    # s20
    a("factoid", W, "When was the Custom House built?",
      "In 1734.",
      ["The Custom House was built in 1734 to collect duties on wine, salt and tobacco landed at the quay."]),
    # s21
    a("followup", R, "what did the signaller do next",
      "The signaller held a following freight train at the previous signal.",
      ["The signaller then held a following freight train at the previous signal."],
      history=("Who did the conductor report the Dunmore Cross overrun to?",
               "To the signaller at Hensby signal box, at 07:50.")),
    # s22
    a("paraphrase", S, "When did the current school leader begin the job at Kestrelford?",
      "September 2022 (the headteacher, Rosalind Achterberg).",
      ["The headteacher, Rosalind Achterberg, took up her post in September 2022."]),
    # s23
    u("unanswerable_near_miss", P, "What was Cardgate's availability in February 2025?"),
    # s24
    a("factoid", G, "How much did the trust give out in 2024 and across how many grants?",
      "£612,000, through 148 grants.",
      ["In 2024 the trust awarded £612,000 through 148 grants."]),
    # s25
    a("factoid", W, "How many steps are there on the heritage trail route?",
      "64 steps, up Ropewalk Lane.",
      ["The route climbs 64 steps up Ropewalk Lane."]),
    # s26
    u("unanswerable_near_miss", R, "What was the name of the driver of the train that overran at Dunmore Cross?"),
    # s27
    a("followup", S, "how often does she meet the families?",
      "At least three times a year, to review their support plans.",
      ["She meets each of their families at least three times a year to review their support plans."],
      history=("Who is the SENCo at Kestrelford?",
               "The special educational needs coordinator is Imogen Thackeray.")),
    # s28
    a("factoid", P, "what did the config change actually do to the database connection pool?",
      "It cut the pool from 400 to 40 connections.",
      ["A configuration change cutting the database connection pool from 400 to 40 connections was deployed to production."]),
    # s29
    a("multi_sentence", G, "How long can a Growth grant run for, and what do you have to do to get the second year's money?",
      "Up to two years; holders must send a report halfway through, and the second year's payment depends on it.",
      ["They can be spread over a maximum of two years.",
       "Holders of Growth grants must also send a report halfway through, and the second year's payment depends on it."]),
    # s30
    a("paraphrase", W, "is there a way to do the walk if I'm in a wheelchair",
      "Yes, a step-free alternative route is shown in green on the map overleaf.",
      ["A step-free alternative is shown in green on the map overleaf."]),
    # s31
    a("factoid", R, "Who led the RSIO investigation into the Dunmore Cross overrun?",
      "Principal inspector Farida Quennell, assisted by inspector Graham Lowther-Boyd.",
      ["The investigation was led by principal inspector Farida Quennell, assisted by inspector Graham Lowther-Boyd."]),
    # s32
    u("unanswerable_off_topic", None, "how do I set up two-factor authentication on my phone"),
    # s33
    a("multi_sentence", S, "Who was the lead inspector, and on what dates was Kestrelford inspected?",
      "Gwendolyn Farraday; the inspection took place on 14 and 15 May 2025.",
      ["Lead inspector: Gwendolyn Farraday.",
       "Inspection dates: 14 and 15 May 2025"]),
    # s34
    a("paraphrase", P, "Roughly how much money in purchases failed to go through while Cardgate was down?",
      "An estimated £6.3 million, across roughly 214,000 failed transactions.",
      ["Quaystone Payments recorded roughly 214,000 failed transactions during the incident, worth an estimated £6.3 million at checkout."]),
    # s35
    u("unanswerable_near_miss", G, "How many grants did the Fenwick-Harrow Trust award in 2023?"),
    # s36
    a("followup", W, "who was his second in command and what did he get",
      "Samuel Kellow, the second coxswain, who received a bronze medal.",
      ["His second coxswain, Samuel Kellow, received a bronze medal."],
      history=("Who was the coxswain of the Brigmouth lifeboat during the 1881 rescue?",
               "Jabez Trewin, who was awarded a silver medal for the rescue.")),
    # s37
    a("factoid", R, "What speed was the train still doing when it went past the end of the platform?",
      "23 mph.",
      ["It was still doing 23 mph as it passed the end of the platform."]),
    # s38
    a("factoid", S, "What percentage of Year 1 pupils passed the phonics screening check in 2024?",
      "88% reached the expected standard, up from 74% in 2023.",
      ["In the 2024 Year 1 phonics screening check, 88% of pupils reached the expected standard, up from 74% in 2023."]),
    # s39
    a("multi_sentence", P, "Who wrote the configuration change that caused the outage, and what follow-up action is she responsible for?",
      "Selina Marchetti; she owns splitting the shared configuration file into separate staging and production files by 30 April 2025.",
      ["The change was written by platform engineer Selina Marchetti and approved by a second platform engineer, Dominic Achebe-Frost.",
       "Split the shared configuration file into separate staging and production files by 30 April 2025 (owner: Selina Marchetti)."]),
    # s40
    a("paraphrase", G, "If we've had money from them before, how soon can we go back and ask again?",
      "You must wait 12 months from the end of that grant before applying again.",
      ["A group that has held one of our grants must wait 12 months from the end of that grant before applying again."]),
    # s41
    a("factoid", W, "How many people did the lifeboat crew save from the Halcyon Grace?",
      "23 people, on the night of 2–3 January 1881.",
      ["Its best-known rescue came on the night of 2–3 January 1881, when the crew saved 23 people from the barque Halcyon Grace."]),
    # s42
    u("unanswerable_near_miss", R, "What is the speed limit for trains approaching Dunmore Cross station?"),
    # s43
    a("paraphrase", S, "Are kids at Kestrelford turning up to school regularly these days?",
      "Attendance has risen to 95.4% this year, and persistent absence has fallen from 17% to 11% since 2023.",
      ["Attendance has risen to 95.4% this year, and persistent absence has fallen from 17% to 11% since 2023."]),
    # s44
    u("unanswerable_near_miss", P, "How much will the Cardgate service credits cost Quaystone in total?"),
    # s45
    a("followup", G, "where did their money come from",
      "From the sale of their family's printing firm.",
      ["The Fenwick-Harrow Trust was founded in 1987 by the sisters Margery and Joan Fenwick-Harrow, using money from the sale of their family's printing firm."],
      history=("Who founded the Fenwick-Harrow Trust?",
               "The sisters Margery and Joan Fenwick-Harrow, in 1987.")),
    # s46
    a("multi_sentence", W, "what time do the guided walks start and how much are they",
      "2pm every Saturday from April to October; £6 for adults, and children under 12 go free.",
      ["Guided walks follow the same route at 2pm every Saturday from April to October.",
       "They cost £6 for adults, and children under 12 go free."]),
    # s47
    a("multi_sentence", R, "How many trains has WVR fitted with the better sanding system since the overrun, and how many stations did it add to its low-adhesion list?",
      "24 of its 31 four-car trains (at a cost of £1.2 million); it added seven stations, Dunmore Cross and six others.",
      ["Since the overrun, WVR has added Dunmore Cross and six other stations to its low-adhesion list.",
       "It has also fitted 24 of its 31 four-car trains with an improved sanding system, at a cost of £1.2 million."]),
    # s48
    u("unanswerable_near_miss", S, "How much does the Kestrelford breakfast club cost per morning?"),
    # s49
    a("factoid", P, "How many merchants were hit by the Cardgate failures?",
      "About 1,900, most of them small online retailers.",
      ["About 1,900 merchants were affected, most of them small online retailers."]),
    # s50
    a("factoid", G, "what's the phone number for the grants team and when can I ring them",
      "01632 960587, between 10am and 3pm, Monday to Thursday.",
      ["Call the grants team on 01632 960587 between 10am and 3pm, Monday to Thursday, or email grants@fenwickharrow.example."]),
    # s51
    a("factoid", W, "When is the Brigmouth Heritage Centre open, and do you have to pay to get in?",
      "Tuesday to Sunday, 10:00 to 16:30; admission is free.",
      ["The building is now the Brigmouth Heritage Centre, open Tuesday to Sunday from 10:00 to 16:30, with free admission."]),
    # s52
    a("followup", R, "what does the RSIO want them to do about their low-adhesion list?",
      "Review it every year, using data on all overruns from the previous five years.",
      ["WVR should review its list of low-adhesion sites every year, using data on all overruns from the previous five years."],
      history=("Which company ran the train that overran at Dunmore Cross?",
               "Westmoor Valley Railways (WVR); it was the 07:15 service from Callowgate to Pentreath.")),
    # s53
    u("unanswerable_off_topic", None, "What is the capital of Canada?"),
    # s54
    a("multi_sentence", S, "In 2024, what share of Year 6 met the expected standard in maths, and what share of Reception children reached a good level of development?",
      "79% of Year 6 in mathematics; 61% of Reception children reached a good level of development.",
      ["In 2024, 79% of Year 6 pupils reached the expected standard in mathematics, and 68% did so in reading, writing and mathematics combined.",
       "Too few children reach a good level of development by the end of Reception: 61% did so in 2024, compared with 68% in 2023."]),
    # s55
    a("followup", P, "What follow-up action is he responsible for, and by when?",
      "Letting incident rollbacks skip the normal deployment queue, due by 16/05/2025.",
      ["Let incident rollbacks skip the normal deployment queue.",
       "This is owned by Lukas Brennan-Oduya and is due by 16/05/2025."],
      history=("Who was the on-call engineer during the Cardgate outage?",
               "Lukas Brennan-Oduya; he paged the incident commander and declared a SEV-1 at 09:20.")),
    # s56
    a("factoid", G, "When are the next application deadlines for the community small grants?",
      "12 noon on Friday 19 September 2025 and 12 noon on Friday 16 January 2026.",
      ["The next two deadlines are 12 noon on Friday 19 September 2025 and 12 noon on Friday 16 January 2026."]),
    # s57
    u("unanswerable_near_miss", W, "What's the concession price for pensioners on the Brigmouth guided walk?"),
    # s58
    a("paraphrase", R, "Why didn't the second rail-cleaning train come through that morning?",
      "The run due at 05:30 was cancelled because no crew was available.",
      ["It had been due to make a second run at 05:30, but that run was cancelled because no crew was available."]),
    # s59
    a("factoid", S, "how much are the library roof repairs costing and who is paying for them",
      "£18,500, paid for by the local authority.",
      ["It is due to reopen once repairs costing £18,500 are complete, paid for by the local authority."]),
    # s60
    u("unanswerable_near_miss", P, "Who is Quaystone's chief technology officer?"),
    # s61
    a("paraphrase", G, "What happens to any leftover cash once our project finishes?",
      "Any unspent money over £100 must be returned to the trust.",
      ["Any unspent money over £100 must be returned to the trust."]),
    # s62
    a("paraphrase", W, "Which is the most ancient building still standing in Brigmouth?",
      "The tower of St Ebba's Church, dating from about 1190.",
      ["The church tower is the oldest surviving structure in the town, dating from about 1190."]),
    # s63
    a("factoid", R, "When was the full RSIO report on the Dunmore Cross overrun published?",
      "22/07/2025 (22 July 2025).",
      ["The full report was published on 22/07/2025 and is available at rsio.example/reports."]),
    # s64
    a("followup", S, "and how long has he been at the school?",
      "Since 2015.",
      ["The deputy headteacher, Tobias Nwankwo-Reid, leads on the curriculum and has worked at the school since 2015."],
      history=("Who is the deputy headteacher at Kestrelford?",
               "Tobias Nwankwo-Reid, who leads on the curriculum.")),
    # s65
    a("factoid", P, "What was the gateway timeout that requests were dropped after?",
      "8 seconds.",
      ["With only 40 connections available, requests queued for longer than the 8-second gateway timeout and were dropped."]),
    # s66
    u("unanswerable_near_miss", G, "Who chairs the Fenwick-Harrow Trust's board of trustees?"),
    # s67
    a("factoid", W, "how many brigmouth men are on the board in st ebba's church",
      "37 men lost at sea between 1850 and 1900.",
      ["Inside, a carved oak board lists the 37 Brigmouth men lost at sea between 1850 and 1900."]),
    # s68
    u("unanswerable_near_miss", R, "On what dates did the two earlier overruns at Dunmore Cross happen in 2019?"),
    # s69
    a("paraphrase", S, "Roughly what proportion of the children qualify for free lunches?",
      "About 23%, slightly above the regional average of 21%.",
      ["About 23% of pupils are eligible for free school meals, slightly above the regional average of 21%."]),
    # s70
    u("unanswerable_off_topic", None, "can you recommend a feeding routine for a beginner's sourdough starter?"),
]

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "heldout-sixth.jsonl")
with open(OUT, "w", encoding="utf-8") as f:
    for n, item in enumerate(ITEMS, 1):
        row = {"id": f"s{n:02d}", **item}
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(f"wrote {len(ITEMS)} items to {os.path.normpath(OUT)}")
