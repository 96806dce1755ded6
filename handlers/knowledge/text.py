"""Turning English and Swahili text into search terms.

The same analysis runs over the entries and over the questions, so whatever it does (folding
case and accents, dropping filler words, light stemming, mapping Swahili words to the English
term the entries use) only has to be consistent, not linguistically perfect.
"""

from __future__ import annotations

import re
import unicodedata

from handlers.knowledge.synonyms import SYNONYMS

WORD = re.compile(r"[a-z0-9]+")

_STOPWORD_TEXT = (
    # English filler and question words
    "a an the and or but if then than so of to in on at by for from with without into onto about"
    " as is are was were be been being am do does did done doing have has had having can could"
    " will would shall should may might must i me my mine we us our ours you your yours he she it"
    " its they them their this that these those there here what whats which who whom whose why"
    " how when where any some all each every no not dont doesnt didnt cant cannot wont isnt im ive"
    " just also too very still again please help hi hey thanks thank ok okay get got getting"
    " need needs want wants tell let lets like way thing things anymore one news"
    # Swahili filler and question words
    " na ya wa za la cha vya kwa ni je gani nini vipi kwenye katika kutoka hii hiyo huu hilo"
    " yangu wangu langu zangu changu yetu wetu letu zetu yenu wenu lenu yake wake lake yao wao"
    " mimi sisi wewe nyinyi yeye hapa pale tu au lakini kama sana kuna pia bado hata tena sasa"
    " kwanini nifanye nifanyeje tufanye tufanyeje nawezaje tunawezaje naweza tunaweza unaweza"
    " inaweza nahitaji tunahitaji habari tafadhali asante ndiyo hapana mbona lini wapi nani"
    " zipi ipi lipi upi kipi vipi mangapi ngapi yapi napataje tunapataje pata nitapata"
    " naambiwa tunaambiwa ambiwa"
    # "can", whatever the subject: what the stemmer leaves of "mnaweza", "anaweza", "wanaweza"
    " weza"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Swahili verbs carry subject and tense prefixes ("i-me-kwama", "tu-na-zindua", "ku-lipa");
# stripping them lets "imekwama", "limekwama" and "kukwama" meet on the root "kwama".
_SW_VERB = re.compile(
    r"^(?:(?:ni|u|a|tu|m|mu|wa|i|zi|li|ya|ki|vi|ku|yu)(?:me|na|li|ta|ja|nge|ki|ka)"
    r"|ku)(?=[a-z]{4,}$)"
)
# Present negatives change the final -a to -i ("hai-ruhusiw-i", "si-poke-i").
_SW_NEGATIVE = re.compile(r"^(?:si|hai|hatu|hawa|hazi|hali|haya|haki|havi)(?=[a-z]{3,}i$)")
_VOWEL_END = ("a", "e", "i", "o", "u")


def fold(text: str) -> str:
    """Lower-case, accents removed, apostrophes dropped so "what's" reads "whats"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.lower().replace("'", "").replace("’", "")


def raw_tokens(text: str) -> list[str]:
    return WORD.findall(fold(text))


def stem(token: str) -> str:
    """A light stemmer: English plural and -ing/-ed endings, Swahili verb prefixes."""
    if token.isdigit() or len(token) <= 3:
        return token
    if token.endswith(_VOWEL_END) and len(token) >= 6:
        swahili = _sw_stem(token)
        if swahili != token:
            return swahili
    return _en_stem(token)


def _sw_stem(token: str) -> str:
    negative = _SW_NEGATIVE.match(token)
    if negative:
        return token[negative.end() : -1] + "a"
    verb = _SW_VERB.match(token)
    if verb:
        return token[verb.end() :]
    return token


def _en_stem(token: str) -> str:
    word = token
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = _undouble(word[:-3])
    elif word.endswith("ed") and len(word) >= 5:
        word = _undouble(word[:-2])
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        return word[:-1]
    return word


def term_of(token: str) -> list[str]:
    """The search terms for one raw token: synonyms first, then the stem (maybe mapped again)."""
    if token in STOPWORDS or (len(token) < 2 and not token.isdigit()):
        return []
    mapped = SYNONYMS.get(token)
    if mapped is not None:
        return [t for word in mapped for t in term_of_plain(word)]
    return term_of_plain(token)


def term_of_plain(token: str) -> list[str]:
    stemmed = stem(token)
    mapped = SYNONYMS.get(stemmed)
    if mapped is not None:
        return [stem(word) for word in mapped]
    if stemmed in STOPWORDS:
        return []
    return [stemmed]


def analyze(text: str, joinable: frozenset[str] = frozenset()) -> list[str]:
    """Search terms of `text`, in order. Adjacent tokens whose joined stem is in `joinable`
    are merged, so "web hook", "bill pay" and "m-pesa" find "webhook", "billpay", "mpesa"."""
    tokens = raw_tokens(text)
    terms: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and joinable:
            joined = stem(tokens[i] + tokens[i + 1])
            if joined in joinable:
                terms.append(joined)
                i += 2
                continue
        terms.extend(term_of(tokens[i]))
        i += 1
    return terms
