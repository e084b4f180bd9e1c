import json,sys,os,collections
base=sys.argv[1]
ids=set(); kinds=collections.Counter(); bydoc=collections.Counter(); errs=[]
KINDS={"factoid","paraphrase","multi_sentence","followup","unanswerable_near_miss","unanswerable_off_topic"}
docs={}
for n,line in enumerate(open(os.path.join(base,"heldout-docs.jsonl"),encoding="utf-8"),1):
    d=json.loads(line)
    i=d["id"]
    if i in ids: errs.append(f"dup id {i}")
    ids.add(i); kinds[d["kind"]]+=1; bydoc[d.get("doc","(none)")]+=1
    if d["kind"] not in KINDS: errs.append(f"{i} bad kind")
    if d["answerable"]:
        if not d.get("reference") or not d.get("reference_contexts"): errs.append(f"{i} missing ref")
        doc=d["doc"]
        if doc not in docs: docs[doc]=open(os.path.join(base,"corpus",doc),encoding="utf-8",newline="").read()
        for c in d["reference_contexts"]:
            if c not in docs[doc]: errs.append(f"{i} ctx not found: {c[:60]}")
        if d["kind"].startswith("unanswerable"): errs.append(f"{i} kind/answerable mismatch")
    else:
        if "reference" in d or "reference_contexts" in d: errs.append(f"{i} unanswerable has ref")
        if not d["kind"].startswith("unanswerable"): errs.append(f"{i} kind mismatch")
        if d["kind"]=="unanswerable_off_topic" and "doc" in d: errs.append(f"{i} off-topic has doc")
        if d["kind"]=="unanswerable_near_miss" and "doc" not in d: errs.append(f"{i} near miss lacks doc")
    if (d["kind"]=="followup") != ("history" in d): errs.append(f"{i} history mismatch")
    if "doc" in d and not os.path.exists(os.path.join(base,"corpus",d["doc"])): errs.append(f"{i} doc missing")
print("items",len(ids)); print(dict(kinds)); print(dict(bydoc))
for f in sorted(os.listdir(os.path.join(base,"corpus"))):
    t=open(os.path.join(base,"corpus",f),encoding="utf-8",newline="").read()
    print(f, len(t.splitlines()),"lines,", len([l for l in t.splitlines() if l.strip()]),"non-blank")
print("ERRORS:",errs if errs else "none"); sys.exit(1 if errs else 0)
