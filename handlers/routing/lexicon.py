"""The words and phrases that tell what a merchant's message is for, in English and Kiswahili.

Patterns run on normalised text (classify.normalise): lower case, apostrophes dropped ("what's"
-> "whats"), letters repeated three times or more written once, misspelt words corrected to the
nearest word these patterns use, one space between tokens, and "?" and "!" kept as tokens.
"""

from __future__ import annotations

import re

# Said alone, these only greet ("hi team", "habari za asubuhi").
GREETING = (
    r"good (morning|afternoon|evening|day)|morning|hi+|hello|helo|hallo|hey|hola|greetings|"
    r"habari( (za|ya) (asubuhi|mchana|jioni|leo|kazi|siku))?|habari (yako|yenu|gani)|"
    r"hodi|jambo|hujambo|hamjambo|mambo( vipi)?|niaje|salaam|salam|salama|shikamoo|sasa|"
    r"vipi|dear|hi there|hey there"
)
# Words that may stand around a greeting without changing it.
FILLER = (
    r"team|there|all|guys|everyone|friends|bot|desk|support|sir|madam|boss|ndugu|wapendwa|"
    r"timu|nyote|wote|wakuu|mkuu|clickpesa|integration|the|and|na|please|pls|tafadhali"
)
# Said alone, these end a conversation or acknowledge; they need nothing from the desk.
ACKNOWLEDGE = (
    r"thanks?( you)?( (so|very) much)?|thank u|thx|tnx|ty|ok+|okay|okey|k|sawa( sawa)?|"
    r"asante( sana)?|ahsante|nashukuru|shukrani|poa|safi|fine|cool|great|nice|noted|got it|"
    r"alright|all right|perfect|awesome|bye|goodbye|kwaheri|see you|cheers|lol|haha|hahaha|"
    r"test|testing|hmm+|yes|no|yeah|yep|nope|ndiyo|ndio|hapana|sure|done|nimeelewa|"
    r"tumeelewa|nimekupata|good|excellent|welcome|karibu|sorry|samahani|my bad|never ?mind|"
    r"ignore (that|this|it)|disregard|wrong (chat|group|window|person|place|number)|"
    r"have a (nice|good|great|lovely|blessed) (day|weekend|week|evening|night|one)|"
    r"(wikendi|weekend|siku|jioni|wiki) njema|usiku mwema"
)

STATUS = [
    r"\bany (update|updates|news|progress|feedback|response|word|eta|luck|info)\b",
    r"\b(whats|what is|wats|whts) (the )?(status|update|progress|eta|latest)\b",
    r"\b(status|update|progress|eta)\b( \?| pls| please| of| on| for)*$",
    r"^(status|update|progress|eta|news)\b",
    r"\b(status|update|progress|news) (on|of|for|about) (my|our|the|this|that) "
    r"(ticket|issue|problem|case|request|report|complaint)\b",
    # "How long is the token valid?" asks how a thing lasts: a question for the knowledge base.
    r"\bhow (long|much longer)\b(?!.{0,40}\b(valid|expire|expires|expiry|last|lasts|kept|stored|"
    r"retained|live)\b)",
    r"\beta\b",
    r"\bchecking in\b",
    r"\b(is|has) (someone|anyone|somebody|any one) (been )?(assigned|on it|on this|looking)\b",
    r"\b(did|have|has) (you|u|anyone|someone|the team)( guys)? (find|found|figure|figured|"
    r"identify|identified|discover|discovered)\b",
    r"\b(kuna )?(update|updates|habari|taarifa|jibu|maendeleo) (yoyote|zozote|lolote|mpya)\b",
    r"\bkuna update\b",
    r"\b(mmepata|mmeshapata|mmegundua|mmeshagundua|mmeona|mmefanikiwa) (suluhisho|ufumbuzi|"
    r"jibu|chanzo|kiini|tatizo)\b",
    r"\b(bado )?(mnashughulikia|mnaishughulikia|mnalishughulikia|mnaifanyia kazi)\b.*\?",
    r"\bwhen (will|would|can|do|are|is|shall)\b.{0,40}\b(fix|fixed|resolve|resolved|solved|"
    r"done|ready|back|working|sorted|hear|respond|reply|answer|get back|finish|finished|"
    r"look|check|solve)\b",
    r"\b(is|has|was|have) (it|this|that|the (issue|problem|ticket)|my (issue|problem|ticket)|"
    r"our (issue|problem|ticket)|you)( been| guys)? (fixed|resolved|solved|done|sorted|"
    r"checked|looked)\b",
    r"\b(anyone|somebody|someone|any one|you|u) (looking|working|checking|handling) "
    r"(at|on|into)\b",
    r"\bare (you|u|they) (guys )?(working|looking|checking) (on|at|into)\b",
    r"\b(has|have|did) (anyone|someone|somebody|any one|you|u|the team) (looked|checked|seen|"
    r"picked|started|read|look|check|see|pick|start|read)\b",
    r"\bhow far\b",
    r"\banything (new|yet|else from you)\b",
    r"\bhow(s| is| are) (it|things|everything) (going|coming along|looking)\b",
    r"\bwhats (happening|going on)\b",
    r"\b(still )?waiting (for|on) (a |an |your |the |any )?(response|reply|update|feedback|"
    r"answer|fix|team|you)\b",
    r"\bno (response|reply|feedback|answer) (yet|from)\b",
    r"\bhabari (za|ya) (tiketi|tatizo|ripoti|ombi|ishu|issue|maombi|hitilafu)\b",
    r"\bkuna habari\b",
    r"\bhabari (yoyote|zozote|mpya)\b",
    r"\b(imefikia|mmefikia|tumefikia|imefika|mmefika|mko|mpo) wapi\b",
    r"\b(itachukua|itachukuwa|itakuchukua|mtachukua)\b",
    r"\bmpaka lini\b",
    r"\bhadi lini\b",
    r"\blini\b.{0,30}\b(mtatatua|itatatuliwa|itarekebishwa|mtarekebisha|tayari|itaisha|"
    r"mtamaliza|itafanya kazi|mtajibu|itakamilika|mtashughulikia)\b",
    r"\b(mmeshughulikia|imeshughulikiwa|mmeifanyia|mmeangalia|mmeshaangalia|mmefikia)\b",
    r"\b(mnaendeleaje|inaendeleaje|imekaaje|mmefikiaje)\b",
    r"\bmaendeleo (ya|za) (tiketi|tatizo|ripoti|ombi)\b",
    r"\bhali (ya|za) (tiketi|tatizo|ripoti|ombi|ishu)\b",
    r"\bjibu (lolote|lo lote)\b",
    r"\b(hamjanijibu|hamjatujibu|hakuna jibu|bado sijajibiwa|bado hatujajibiwa|"
    r"bado nasubiri|tunasubiri|nasubiri) ?",
    r"^sasa ?\?",
    r"^(na )?vipi (sasa|tiketi|tatizo|ripoti)\b",
    r"\bimetatuliwa\b.*\?",
    r"\bimeshatatuliwa\b",
    # Whether the ticket arrived, is open, is being handled; when the answer comes.
    r"\b(is|has|was) (my|our|the) (ticket|issue|case|report|request|complaint) (still |been |"
    r"even )?(open|closed|received|pending|resolved|assigned|seen|read)\b",
    r"\bno (reply|response|answer|feedback|word|news) since\b",
    r"\b(never|not) heard (back|anything|from)\b",
    r"\bkama (limepokelewa|imepokelewa|yamepokelewa|linashughulikiwa|inashughulikiwa|"
    r"yanashughulikiwa|limeonekana|imeonekana)\b",
    r"\b(mtanijibu|mtatujibu|mtajibu|mtatupa|mtanipa|mtatujulisha|mtanijulisha)\b",
    r"\b(naomba|tunaomba|tafadhali) (kujua|mtupe|mnipe|tujulishe|mnijulishe|mtujulishe)\b"
    r".{0,40}\b(tarehe|lini|hatua|maendeleo|limepokelewa|imepokelewa|linashughulikiwa|"
    r"inashughulikiwa|itarekebishwa|litatatuliwa|itatatuliwa)\b",
    r"\bany chance\b.{0,60}\b(fixed|resolved|sorted|done|ready|working|fix|resolve)\b",
    r"\b(still |yet )?under investigation\b",
    r"\b(fixed|resolved|sorted|done|ready|deployed) (before|by) (end of (the )?day|eod|tonight|"
    r"tomorrow|noon|today|monday|tuesday|wednesday|thursday|friday|the weekend)\b",
]

# With an active ticket, a message naming "my ticket" or "this issue" is about that ticket.
OWN_TICKET = (
    r"\b(my|our|the|this|that) (ticket|issue|problem|case|report|complaint|request)\b|"
    r"\b(my|our|the|this|that) ([a-z0-9]+ ){1,2}(ticket|case)\b|"
    r"\b(tiketi|ripoti|tatizo|shida|ishu|ombi|malalamiko) (yangu|yetu|letu|langu|hii|hili|"
    r"hilo|hiyo|lile|ile)\b"
)

# Only with an active ticket: the merchant adds to what they reported.
FOLLOWUP = [
    r"\bstill\b",
    r"\bagain\b",
    r"\b(it|this|that) (also|too|even) (fails|failing|happens|happening|breaks|shows|returns)\b",
    r"\balso (fails|failing|happens|happening) (for|on|with|in)\b",
    r"\b(same|similar) (error|issue|problem|thing|result|response|story|failure|code)\b",
    r"\b(not|isnt|wasnt|hasnt|never|nt) (been )?(fixed|resolved|solved|sorted)\b",
    r"\b(didnt|did not|doesnt|does not|dint) (work|help|fix|solve)\b",
    r"\b(its|it is|is|it) (back|happening|coming back)\b",
    r"\bcame back\b",
    r"\b(forgot to mention|one more thing|to add|more info|more details|additional info|"
    r"following up|follow up|followup|fyi|btw|update:|just to add|also noticed|also seeing)\b",
    # Handing over what the team may need: a detail, a log, a reference.
    r"\b(if|in case) (that|this|it) (helps|is useful|is needed)\b",
    r"\bin case (you|u) need (it|them|this|that)\b",
    r"\b(as|like) (you )?(requested|asked)\b",
    r"^(here is|here are|heres)\b",
    r"\b(hii hapa|hizi hapa|hapa ni|kwa taarifa|kama itasaidia|ikiwa itasaidia)\b",
    # "now even ..." / "sasa hata ...": the same trouble has spread.
    r"\b(now even|sasa hata|sasa pia|even now)\b",
    r"\b(provider side|your side|on your end|your end)\b",
    r"\bbado\b",
    r"\btena\b",
    r"\bhaijatatuliwa\b",
    r"\b(tatizo|hitilafu|error|shida|kosa) (lile|ile|hilo|hiyo|hii|hili)\b",
    r"\b(lile lile|ile ile|hilo hilo|vile vile)\b",
    r"\b(imerudi|limerudi|imejirudia|limejirudia|inajirudia|linajirudia)\b",
    r"\b(nimejaribu|tumejaribu|nimebadilisha|tumebadilisha|nimeangalia|tumeangalia|"
    r"nimerekebisha|tumerekebisha)\b",
    r"\b(upande wenu|kwenu)\b",
]

# Also said when reporting something new ("I keep getting 401..."): these tie a message to an
# active ticket only when it shares the ticket's topic or carries no problem of its own.
FOLLOWUP_WEAK = [
    r"\bkeeps? (failing|happening|returning|coming|getting)\b",
    r"\b(here is|here are|heres|attached|attaching|sending|see) (the |our |my )?"
    r"(log|logs|screenshot|screenshots|request id|order|reference|details|payload|response|"
    r"error|trace)\b",
    r"\b(order|request|transaction|txn|trx|payout|batch) ?(ref|reference|id|number|no)\b",
    r"\bnow (\d+|it|its|we|all|even|also|getting|the)\b",
    r"\b(i|we) (have )?(tried|retried|checked|changed|updated|restarted|rotated|whitelisted|"
    r"regenerated|redeployed|cleared|rechecked)\b",
    r"\b(more|even more|another|other) \d+\b",
    r"\b(also|pia)\b",
    r"\b(sasa hivi|sasa ni|sasa pia|sasa hata|sasa tuna|sasa)\b \d+",
    r"\b(here is|here are|heres)\b",
]

URGENT = [
    r"\burgent(ly)?\b",
    r"\basap\b",
    r"\bemergency\b",
    r"\bimmediately\b",
    r"\b(production|prod|live|system|site|app|service|api|everything|checkout|platform|"
    r"server|website|shop|store|payments?|payouts?) (is |are |went |has gone |gone )?"
    r"(down|dead|offline)\b",
    r"\b(down|outage) (in|on) (production|prod|live)\b",
    r"\boutage\b",
    r"\bcustomers? (are |is )?(not|cant|cannot|unable to|arent|can not|havent|have not) "
    r"(receiving|receive|received|get|getting|pay|paying|been paid|able)\b",
    r"\b(all|every|none of the|none of our|no) (payments?|payouts?|transactions?|"
    r"collections?|orders?) (are |is )?(failing|failed|fail|going through|go through|"
    r"work|working|succeed|succeeding)\b",
    r"\blosing (money|customers|sales|business)\b",
    r"\bnot receiving (their |the |our )?money\b",
    r"\bharaka\b",
    r"\bdharura\b",
    r"\bwateja (hawapati|hawajapata|hawawezi|wanalalamika|hawajalipwa|wamekwama)\b",
    r"\b(mfumo|system|huduma|production|malipo) (umezima|imezima|imekufa|umekufa|iko chini|"
    r"umesimama|imesimama|yamesimama)\b",
    r"\bhakuna (malipo|muamala|miamala) (yanayopita|unaopita|inayopita|yanayoingia)\b",
    r"\b(malipo|miamala) yote (yanashindwa|yamekwama|yamefeli|inashindwa|imekwama)\b",
    r"\btunapoteza (pesa|wateja|mauzo)\b",
]

QUESTION = [
    r"\?",
    r"^(how|what|whats|why|where|which|when|who|whom|can|could|is|are|do|does|did|should|"
    r"will|would|may|must|shall|have|has|any way|anyway|je|vipi|nawezaje|tunawezaje|naweza|"
    r"tunaweza|kwa nini|kwanini|nini|ni nini|wapi|lini|namna gani|jinsi gani|nifanyeje|"
    r"tufanyeje|inawezekana|mnatoa|mnakubali|mnasupport)\b",
    r"\b(i|we) (want|would like|wish|need) to (know|understand|learn|ask)\b",
    r"\b(tell me|please explain|explain|how to|help me|help us|guide me|guide us|"
    r"need help|need guidance|need info|any docs|looking for)\b",
    r"\b(nataka kujua|tunataka kujua|naomba kujua|naomba kuuliza|nisaidie|tusaidie|naomba "
    r"msaada|naomba maelezo|nielekeze|tuelekeze|jinsi ya|namna ya|gani)\b",
]

PROBLEM = [
    r"\b(error|errors|err|fail|failing|failed|failure|fails|broken|issue|issues|problem|"
    r"problems|bug|bugs|rejected|rejects|rejecting|declined|denied|timeout|timeouts|timed out|"
    r"times out|mismatch|invalid|unauthori[sz]ed|forbidden|cant|cannot|unable|stuck|reversed|"
    r"missing|wrong|crash|crashes|crashing|exception|refused|blocked|incorrect|duplicate|"
    r"duplicated|expired|hangs|hanging|not found|unreachable|blocking|blocks|no access|"
    r"not allowed|no permission|permission denied|not authori[sz]ed|insufficient|forever|"
    r"nothing)\b",
    # "is not generated", "never receives": a negated action is a problem however it is spelt.
    r"\b(not|nt|never|isnt|arent|doesnt|dont|didnt|wont|havent|hasnt|wasnt|werent) "
    r"(been |being |yet )?[a-z]{3,}(ed|ing|es)\b",
    r"\b(stays?|stuck|remains?|hangs?|still) (in |at |on )?(processing|pending|queued)\b",
    r"\b(imebaki|yamebaki|zimebaki|limebaki|bado iko|bado ziko|bado yako) (pending|processing)\b",
    r"\b(stopped|stops|stop) (working|responding|sending|arriving|loading)\b",
    r"\b(retry after|rate limit|rate limited|too many requests|throttled|twice|double|"
    r"mara mbili)\b",
    r"\b(not|nt|never|isnt|arent|doesnt|dont|didnt|wont|havent|hasnt) (working|work|"
    r"receiving|received|arriving|arrive|coming|reaching|getting|showing|going|updating|"
    r"reflecting|possible|able|accepted|valid|delivered|sent|loading)\b",
    r"\b[45]\d\d\b",
    r"\b(tatizo|matatizo|hitilafu|imeshindwa|inashindwa|yanashindwa|haifanyi|hazifanyi|"
    r"haifiki|hazifiki|haipiti|hayapiti|kosa|makosa|inakataa|imekataliwa|yamekataliwa|"
    r"imekwama|yamekwama|haijafika|hayajafika|sijaruhusiwa|hatujaruhusiwa|haiwezekani|shida|"
    r"haitumi|haionyeshi|imegoma|inagoma|imefeli|yamefeli|inafeli|haikubali|haifanyikazi|"
    r"haiingii|hayaingii|sipati|hatupati|haipatikani|imesimama|imekufa|haijibu|hitilafu|"
    r"hayafiki|hayaonekani|haionekani|hazionekani|haijaingia|hazijaingia|hazijafika|"
    r"haijapokelewa|hatupokei|hatujapokea|haijatokea|haitoki|hayatoki)\b",
]

# Words that make a message about integrating with ClickPesa even when it neither asks nor
# complains ("need sandbox credentials"): such a message is a question for the knowledge base.
DOMAIN = (
    r"\b(api|apis|payment|payments|payout|payouts|webhook|webhooks|callback|callbacks|token|"
    r"tokens|key|keys|checksum|ussd|sandbox|integration|integrate|integrating|kyc|currency|"
    r"currencies|billpay|mpesa|m pesa|tigo|airtel|halopesa|card|cards|refund|refunds|endpoint|"
    r"endpoints|account|docs|documentation|live|golive|uat|credentials|merchant|transaction|"
    r"transactions|collection|collections|order|orders|reference|whitelist|ip|ips|sdk|plugin|"
    r"invoice|settlement|settlements|balance|limits|limit|fees|fee|charges|signature|hash|"
    r"status|phone|number|format|json|request|response|preview|malipo|pesa|muamala|miamala|"
    r"akaunti|funguo|tokeni|ufunguo|ada|salio|mteja|wateja|namba|simu|mfumo|majaribio|"
    r"uzalishaji|hati|nyaraka)\b"
)

# Chat shorthand read as the word it stands for ("xaxa vp" is "sasa vipi").
SHORTHAND = {
    "xaxa": "sasa",
    "vp": "vipi",
    "ur": "your",
    "plz": "please",
    "pliz": "please",
    "thnx": "thanks",
    "tnks": "thanks",
}

# Words too common to tie a message to a ticket by topic (classify.overlaps).
_STOP = """the and for with that this from have has had are was were will would can could not our
    your you they them their there here what when where which while about into onto over under
    again still also just only very much many more most some any all every each been being get
    getting got give given make made now then than them these those its it's is be do does did
    done doing please pls kindly thanks thank hello team issue problem error errors failing
    failed fail fails working work still help need want know yet why how who ticket tiketi
    tatizo bado tena kwa na ya za wa la kwenye yetu yangu wetu wangu hii hiyo hilo sasa pia
    hata lakini kama ili sana tu ni si one two today yesterday since http https www com"""

# Payment providers, as merchants write them (after normalise): naming the provider of an
# active ticket ties a message to it.
PROVIDERS = {
    "mpesa": r"m ?pesa|vodacom|voda",
    "tigopesa": r"tigo( ?pesa)?|mixx( by yas)?|yas",
    "airtel": r"airtel( ?money)?",
    "halopesa": r"halo ?pesa|halotel",
    "azampesa": r"azam ?pesa",
    "card": r"visa|mastercard|card|cards",
    "bank": r"crdb|nmb|nbc|bank",
}
STOPWORDS = frozenset(_STOP.split())


def compile_all(patterns: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(p) for p in patterns]


def words_of(*sources: str | list[str]) -> frozenset[str]:
    """Every plain word (4 letters or more) written in the patterns, for typo correction."""
    found: set[str] = set()
    for source in sources:
        for pattern in [source] if isinstance(source, str) else source:
            found.update(re.findall(r"[a-z]{4,}", re.sub(r"\\[a-z]", " ", pattern)))
    return frozenset(found)


# Asking, wherever the question word stands and with or without "?": "checksum lazima iwe hex
# au base64 inakubalika pia", "if I rotate the key does the old one stop working". Features for
# the model (classify.features), and with an active ticket they let a status reading stand.
ASKS = [
    r"\?",
    r"\b(can|could|should|shall|do|does|did|will|would|must|may) (we|i|you|u|it|they|one|"
    r"the old|the new|this|that)\b",
    r"\b(is|are) (it|there|this|that|they) (possible|ok|okay|allowed|necessary|required|"
    r"mandatory|normal|supported|enough|needed|true|the same|safe)\b",
    r"\b(any chance|any way|anyway to|possible to|allowed to|wondering|whether|do i need|"
    r"do we need|do you know)\b",
    r"\b(je|lazima|inawezekana|inakubalika|inaruhusiwa|naweza|tunaweza|nawezaje|tunawezaje|"
    r"jinsi gani|namna gani|vipi|kwa nini|kwanini|nini|gani|ngapi|lini|wapi|nani|ipi|upi|"
    r"zipi|kama (inawezekana|naweza|tunaweza|inakubalika|inaruhusiwa)|au (ni|pia|bado)|ama)\b",
    # "hex au base64", "Kiswahili au Kiingereza": a choice offered at the end asks which.
    r"\b(au|or) [a-z0-9]+( [a-z0-9]+)?( pia| tu| also| too)? ?\??$",
]

# Asking the team for news of a ticket, in the polite forms ("naomba mtupe tarehe", "please let
# us know"): with an active ticket such a request is a status question, not a follow-up.
REQUEST = [
    r"\b(naomba|tunaomba|tafadhali|please|pls|kindly) (mtupe|mnipe|tupeni|nipeni|tujulishe|"
    r"mtujulishe|mnijulishe|nijulishe|kujua|tujue|mtueleze|mnieleze|tupewe|nipewe|update|"
    r"advise|confirm|share)\b",
    r"\b(let (me|us) know|keep (me|us) (posted|updated|informed)|tell (me|us) when|"
    r"update (me|us))\b",
    r"\b(tujulishe|mtujulishe|mnijulishe|nijulishe|tujue tu)\b",
]

# The ticket's progress and timing: when, by when, yet, still investigating, confirmed.
PROGRESS = [
    r"\b(when|eta|by when|lini|tarehe|saa ngapi|muda gani|today|tonight|tomorrow|leo|kesho|"
    r"this week|wiki hii|end of (day|the day|week|month)|eod|deadline|timeline|date|yet|"
    r"under investigation|investigat[a-z]*|confirmed|a bug|being (worked|looked|handled|"
    r"fixed|investigated)|worked on|looked at|gets? (fixed|resolved|sorted|done)|progress|"
    r"still open|still pending|kuthibitisha|imethibitishwa|mnachunguza|linashughulikiwa|"
    r"inashughulikiwa|limepokelewa|imepokelewa|imeshughulikiwa|mmeanza|maendeleo|hatua)\b",
]

# A statement handing over facts: counts, what was tried, what was seen.
FACTS = [
    r"\b\d+\b",
    r"\b(counted|tested|tried|retried|ran|pointed|switched|changed|checked|logged|captured|"
    r"reproduced|noticed|confirmed that|verified|compared|rotated|redeployed|restarted|"
    r"removed|added|sent|resent|received)\b",
    r"\b(nime|tume)[a-z]{3,}\b",
    r"\b(all|every|each|none of the|only) \d*\b",
]
