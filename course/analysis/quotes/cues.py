"""Reporting cues ('said', 'according to', 'read') and the subject a cue gives its words to."""

from __future__ import annotations

import functools
import re

from spacy.tokens import Token

from course.analysis.entities import organisation_nouns
from course.analysis.quotemarks import DOUBLE_CLOSING, DOUBLE_OPENING, SINGLE_CLOSING, SINGLE_OPENING
from course.analysis.quotes.model import QUOTE_CHARACTERS, Cue
from course.core.lexicons import table, word_list, word_set
from course.core.syntax import SUBJECT_DEPS, passive_agent

# Verbs of reaching a finding that report it only as a finite verb: 'the court ruled the ban was unlawful',
# 'the inquiry determined the crane had failed'; not 'tests to determine whether ...'.
VERDICT_CUES = frozenset({"rule", "determine"})
# Verbs of expressing, whose participle set off after an opinion noun describes that noun ('came to share his view,
# expressed in a video, that ...'): the small model may take it for a verb conjoined to the one before, which then
# lends it its subject. Such a participle, with no subject or auxiliary of its own, is no cue.
EXPRESSING_CUES = frozenset({"express"})
# Verbs of memory that report words only right after them ('"My father stood on the pier," he remembers'); before
# a clause they tell what someone knows ('Most Kenyans remember that ...'), no speech
AFTER_QUOTATION_CUES = frozenset({"remember"})
PLEAS = frozenset({"guilty", "innocent"})  # 'pleaded guilty': a plea in court, not 'pleaded, desperate'
# Verbs of hitting back, which report words only with the words beside them: a that-clause, or a quotation right
# before them or right after a colon or comma ('countered that ...', '"...," she hit back'); not 'Rivals countered
# with a cheaper model', 'Ukraine hit back with drone strikes', 'Soldiers fired back.'
REPLY_CUES = frozenset({"counter", "hit back", "shoot back", "fire back"})
OPENING_MARKS = frozenset({'"', SINGLE_OPENING} | DOUBLE_OPENING)  # marks that open a quotation
CLOSING_QUOTATION_MARKS = frozenset({'"', "'", SINGLE_CLOSING} | DOUBLE_CLOSING)


@functools.lru_cache(maxsize=1)
def cue_lexicon() -> dict[str, tuple[str, str]]:
    """Cue lemma or phrase -> (category, stance), from data/reporting_verbs.tsv."""
    return {row[0]: (row[1], row[2]) for row in table("reporting_verbs.tsv")}


def cue_at(token: Token) -> Cue | None:
    """The reporting cue that `token` starts, if any ('said', 'summed up', 'according to')."""
    lexicon = cue_lexicon()
    if token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to":
        return Cue("according to", "according to", *lexicon["according to"])
    if token.lower_ == "per" and _per_source(token) is not None:
        return Cue(token.text, "according to", *lexicon["according to"])
    if token.pos_ != "VERB" and not _participle_tagged_noun(token):
        return None
    if token.lemma_.lower() == "plead" and any(
            c.lower_ in PLEAS and all(t.lower_ == "not" for t in token.doc[token.i + 1:c.i]) for c in token.children):
        return None  # 'pleaded guilty to fraud', 'pleaded not guilty': a plea, no words reported
    if token.lemma_.lower() == "read" and any(
            c.dep_ in SUBJECT_DEPS and c.lemma_.lower() in word_set("written_texts.txt") for c in token.children):
        return Cue(token.text, "read", "neutral", "neutral")  # 'The decree read "..."': the text's own words
    # a particle ('summed up'), or a preposition or adverb right after the verb ('called on the UN to act', 'hit back')
    particles = [c for c in token.children if c.dep_ == "prt" or (c.dep_ in {"prep", "advmod"} and c.i == token.i + 1)]
    for lemma in _lemma_candidates(token):
        if particles and f"{lemma} {particles[0].lower_}" in lexicon and not _replies_at(token, particles[0]):
            phrase = f"{lemma} {particles[0].lower_}"
            if phrase in REPLY_CUES and not _reply_in_words(token):
                return None
            return Cue(f"{token.text} {particles[0].text}", phrase, *lexicon[phrase])
        if lemma in lexicon:
            if lemma in VERDICT_CUES and token.tag_ in {"VB", "VBG"}:
                return None  # 'tests to determine whether ...', 'the ruling party': no finding made yet
            if lemma in EXPRESSING_CUES and _participle_on_noun(token):
                return None  # 'his view, expressed in a video, that ...': the view's, not a new report
            if lemma in AFTER_QUOTATION_CUES and not (_right_after_a_quotation(token) and _ends_its_sentence(token)):
                return None
            if lemma in REPLY_CUES and not _reply_in_words(token):
                return None
            return Cue(token.text, lemma, *lexicon[lemma])
    return None


def _replies_at(verb: Token, particle: Token) -> bool:
    """'hit back at claims that he had lied', 'shot back at the protesters': a reply aimed at someone or at what they
    said, or gunfire; the words after it are not the reply."""
    return particle.lower_ == "back" and any(
        c.dep_ == "prep" and c.lower_ == "at" for c in (*verb.children, *particle.children))


def _reply_in_words(cue: Token) -> bool:
    """True when words stand beside a verb of hitting back (`REPLY_CUES`)."""
    doc = cue.doc
    that_clause = any(c.dep_ == "ccomp" and any(m.lower_ == "that" and m.dep_ == "mark" for m in c.children)
                      for c in cue.children)
    end = max([cue.i] + [c.i for c in cue.children if c.dep_ in {"prt", "advmod"} and c.i <= cue.i + 1])
    introduces = end + 2 < len(doc) and doc[end + 1].text in {":", ","} and doc[end + 2].text in OPENING_MARKS
    return that_clause or introduces or _right_after_a_quotation(cue)


def _ends_its_sentence(cue: Token) -> bool:
    """True when nothing but adverbs and punctuation follow the cue in its sentence ('..., he remembers.',
    '... remembered bitterly.'); not an aside in mid-sentence ('"Summer Rain," critics remember, flopped')."""
    return all(t.is_punct or (t.dep_ == "advmod" and t.head.i == cue.i) or t.is_space
               for t in cue.doc[cue.i + 1: cue.sent.end])


def _right_after_a_quotation(cue: Token) -> bool:
    """True when nothing but the cue's subject stands between it and a quotation closed after a comma, question
    or exclamation mark: '"...," he remembers', '"...?" remembers Ana Lee'."""
    subject = _subject(cue)
    start = subject.left_edge.i if subject is not None and subject.i < cue.i else cue.i
    return (start >= 2 and cue.doc[start - 1].text in CLOSING_QUOTATION_MARKS
            and cue.doc[start - 2].text in {",", "?", "!", "…"})


def _participle_tagged_noun(token: Token) -> bool:
    """True for a verb's -ing form that the small model tags as a noun, after a noun or a comma and followed by a
    comma or colon and a quotation's opening mark: 'addressed the Tynwald saying, "..."', 'marched to the quay,
    chanting, "..."' hold a participle. A noun of its own runs straight on into the quoted words ('called the
    court ruling "a disgrace"') or has an adjective, number or possessive ('an old saying: "..."')."""
    if token.tag_ != "NN" or not token.lower_.endswith("ing") or not token.i or token.i + 2 >= len(token.doc):
        return False
    if token.nbor(-1).tag_ not in {"NN", "NNS", "NNP", "NNPS", ","} or any(
            c.dep_ in {"amod", "poss", "nummod"} for c in token.children):
        return False
    return token.nbor(1).text in {",", ":"} and token.nbor(2).text in OPENING_MARKS


def _participle_on_noun(verb: Token) -> bool:
    """True for a verb with no subject or auxiliary of its own right after a noun and a comma ('his view,
    expressed in a video, ...')."""
    doc = verb.doc
    return (verb.i >= 2 and doc[verb.i - 1].text == "," and doc[verb.i - 2].pos_ in {"NOUN", "PROPN"}
            and not any(c.dep_ in SUBJECT_DEPS | {"aux", "auxpass"} for c in verb.children))


def _per_source(token: Token) -> Token | None:
    """The object of a 'per' that means 'according to': 'Per the decree, priests must ...', 'Per numbers
    reported by the agency, ...' opening a sentence or clause, its phrase closed by a comma; not '$5 per hour'."""
    doc = token.doc
    if not (token.is_sent_start or (token.i and doc[token.i - 1].text in {",", ";", "—", "–"})):
        return None
    objects = [c for c in token.children if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}]
    if not objects:
        return None
    after = objects[0].right_edge.i + 1
    return objects[0] if after < len(doc) and doc[after].text == "," else None


def _lemma_candidates(token: Token) -> list[str]:
    """The model's lemma first, then plain English un-inflections of the word.

    The small model's lemmatizer slips on some forms ('raging' -> 'rag'), so
    the word itself is un-inflected too before looking it up.
    """
    word = token.lower_
    forms = [token.lemma_.lower(), word]
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
    return list(dict.fromkeys(forms))


def _subject(cue: Token) -> Token | None:
    """The cue's subject, or its governing verb's when the cue is a participle or complement.

    In "the agency cited Omar Haddad as saying ..." the speaker is the object
    of the verb that governs "as saying", not its subject.
    """
    if cue.tag_ == "VBG" and cue.head.lower_ == "as" and cue.head.head.pos_ == "VERB":
        objects = [c for c in cue.head.head.children if c.dep_ == "dobj"]
        # "Ana Lee was quoted as saying ...": the passive subject of the governing verb
        objects = objects or [c for c in cue.head.head.children if c.dep_ == "nsubjpass" and not _salutation(c)]
        if objects:
            return objects[0]
    if _participle_tagged_noun(cue):  # 'Lee addressed the Tynwald saying, "..."': the subject of its verb
        verb = next((a for a in cue.ancestors if a.pos_ in {"VERB", "AUX"}), None)
        return _subject(verb) if verb is not None else None
    subjects = [c for c in cue.children if c.dep_ in SUBJECT_DEPS and not c.is_punct and not _line_opener(c)]
    if len(subjects) > 1 and _role_then_name(*subjects[-2:]):
        return subjects[-1]
    if (len(subjects) > 1 and subjects[0].i + 2 < len(cue.doc) and subjects[0].nbor(1).text == ":"
            and subjects[-1].i > subjects[0].i + 1 and not is_expletive_it(subjects[-1])):
        # 'Ana Lee: "Soon," they say', 'Correction: An earlier version stated that ...': the parser made the label
        # before the colon a subject too
        return subjects[-1]
    for child in cue.children:
        if child.dep_ not in SUBJECT_DEPS or _line_opener(child):
            continue
        if child.text in QUOTE_CHARACTERS:
            # the parser sometimes makes a « or » the subject and hangs the real one on it
            nouns = [c for c in child.children if c.dep_ in {"appos", "compound", "nmod"}]
            if nouns:
                return nouns[0]
            continue
        if child.lower_.endswith(("self", "selves")):  # 'In the filing itself Ford made ...': the name beside it
            names = [c for c in child.children if c.dep_ == "appos"]
            if names:
                return names[0]
            continue
        if not child.is_punct:
            return _past_according_to(child)
    inside = _according_appos(cue)
    if inside is not None:
        return inside
    if (cue.dep_ == "acl" and cue.head.dep_ == "ROOT" and cue.head.pos_ in {"PROPN", "NOUN"}
            and cue.head.i < cue.i and any(t.text == "," for t in cue.doc[cue.head.i:cue.i])):
        return cue.head  # "Ana Lee, the mother of a victim, thought ...": the parser made the name the root
    if (cue.dep_ == "acl" and cue.head.dep_ == "appos" and cue.head.head.dep_ == "ROOT"
            and cue.head.head.pos_ == "PROPN" and cue.head.head.i < cue.head.i < cue.i):
        # "Ana Lee, a member of the board, who ..., announced": the name made the root, the verb hung on the role
        return cue.head.head
    if cue.dep_ == "acl" and cue.head.pos_ in {"NOUN", "PROPN"} and cue.head.i < cue.i:
        if cue.head.lemma_.lower() in _speech_nouns() | word_set("written_texts.txt"):
            authors = [o for p in cue.head.children if p.dep_ in {"prep", "agent"} and p.lower_ in {"by", "from"}
                       for o in p.children if o.dep_ == "pobj"]  # 'calls by officials asking ...': theirs
            # "Ana Lee's remarks calling the plan ...": hers, when a name, his or her owns them and the
            # participle is a speech verb ('remarks prompting protesters to chant' are not hers). Not when the
            # noun is a verb's object or the participle's object may be the noun itself: in "Burns dismissed
            # Larijani's remarks calling them outrageous" and "hit back at Lee's remarks calling them theatre"
            # the one answering the remarks calls them so
            if cue_at(cue) is not None and cue.head.dep_ != "dobj" and not any(
                    c.dep_ == "dobj" and c.lower_ in {"it", "them", "this", "these"} for c in cue.children):
                authors += [c for c in cue.head.children if c.dep_ == "poss" and (
                    c.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"} or c.lower_ in {"his", "her"})]
            if not authors and cue.head.dep_ == "dobj" and cue.head.head.lemma_.lower() in word_set(
                    "receiving_verbs.txt"):
                return cue.head  # 'Parents received letters telling them ...': the letters', not the parents'
            # 'Others responded with tweets calling it ...': the tweets' authors
            return authors[0] if authors else _governing_subject(cue.head)
        if cue.tag_ == "VBN" and any(c.dep_ in {"auxpass", "agent"} for c in cue.children):
            return speaking_agent(cue)  # 'a former minister being told to "sit down"': the one told is no speaker
        if cue.head.lemma_.lower() in word_set("person_roles.txt") or cue.head.ent_type_ in {"PERSON", "ORG", "NORP"}:
            return cue.head  # 'protesters chanting ...': the people the participle describes
        return _issuer_of(cue.head)
    if cue.dep_ == "conj" and cue.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in cue.children):
        agent = speaking_agent(cue)
        # '... complained and was told by the manager that ...': the manager speaks; not 'told by email' (review)
        means = agent is not None and agent.tag_ == "NN" and not any(c.dep_ in {"det", "poss"} for c in agent.children)
        if agent is not None and not means:
            return agent
    if cue.dep_ in {"xcomp", "conj", "advcl", "acl"} and cue.head.i != cue.i:
        return _outer_speaker(cue) or _subject(cue.head)
    if (cue.dep_ == "pcomp" and cue.tag_ == "VBG" and cue.head.lower_ in {"by", "in"} and cue_at(cue) is not None
            and cue.head.head.pos_ == "VERB" and cue.head.head.tag_ != "VBN"):
        return _subject(cue.head.head)  # 'Lee defended the plan by saying that ...', 'joined others in saying'
    return None


# Verbs of putting out a text: their subject is the author of what the text says. 'Run' is a paper's
# ('ran a story'), 'make' a speaker's ('made an appeal').
ISSUING_VERBS = frozenset({"release", "issue", "publish", "post", "send", "put", "share", "sign", "deliver", "run",
                           "make"})


def _issuer_of(text: Token) -> Token | None:
    """The subject of the verb of issuing whose direct object is `text`: 'The Observer ran a report saying ...'
    and 'The party made an appeal asking ...' report the paper's and the party's words. A text only named
    ('denied a report saying ...') is not its reader's."""
    if text.dep_ != "dobj" or text.head.lemma_.lower() not in ISSUING_VERBS:
        return None
    return _subject(text.head)


def _role_then_name(role: Token, name: Token) -> bool:
    """True when the parser made a role and the name after it two subjects of one verb: "The secular magazine
    MicroVista described", "speaker of the parliament Ali Larijani wrote", and with a comma between them when
    the role is a person noun and the name a person's ("His daughter, and member of the INC, Sharmistha
    Mukherjee wrote"); not "a man who goes by the name Tiny said", where the role holds a clause. A person noun
    before a person's name names that person even when the role names a group in apposition or is a capitalised
    title: "Spokesman for the charity, Open Door, Ana Lee said", "Director-General of the agency Dr Ana Lee said"."""
    if name.pos_ != "PROPN" or any(t.dep_ in {"relcl", "acl"} for t in role.subtree):
        return False
    titled = name.ent_type_ == "PERSON" and role.lemma_.lower() in _person_nouns()
    if not titled and any(t.dep_ == "appos" for t in role.subtree):
        return False
    gap = name.left_edge.i - role.right_edge.i - 1
    if gap == 0:
        return role.pos_ == "NOUN" or titled
    return gap == 1 and role.doc[role.right_edge.i + 1].text == "," and titled


def _outer_speaker(cue: Token) -> Token | None:
    """'An eyewitness described how the attack unfolded, stating, "..."', 'He expected a vaccine to start
    trials next month, stating: "..."': the parser hangs a participle after a comma on the nearest verb,
    whose subject (the attack, a vaccine) cannot speak; the first subject further out that can, does."""
    if not (cue.tag_ == "VBG" and cue.dep_ == "advcl" and cue.i > 0 and cue.nbor(-1).text == ","):
        return None
    subject = _subject(cue.head)
    if subject is None or _could_speak(subject):
        return None  # the usual case: the nearest verb's subject
    node = cue.head
    while node.head.i != node.i:
        node = node.head
        outer = _subject(node) if node.pos_ in {"VERB", "AUX"} else node if node.dep_ in SUBJECT_DEPS else None
        if outer is not None and _could_speak(outer):
            return outer
    return None


NUMERIC_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


def speaking_agent(verb: Token) -> Token | None:
    """The agent of a passive verb when it can speak: 'criticised by Ana Lee', 'told by the board', 'described by
    the police'; not 'told by phone' or 'instructed by the end of the week'."""
    agent = passive_agent(verb)
    if agent is None or agent.ent_type_ in NUMERIC_ENTITIES or not (
            _could_speak(agent) or agent.lemma_.lower() in _source_type_words()):
        return None
    return agent


@functools.lru_cache(maxsize=1)
def _source_type_words() -> frozenset[str]:
    """The words that tell a source's type ('police', 'government', 'union'): each names someone who can speak."""
    return frozenset(keyword for keyword, _ in table("source_types.tsv"))


def _could_speak(subject: Token) -> bool:
    """Whether a subject can be a source: anything but a common noun for neither a person, an organisation,
    a text nor an utterance ('the attack', 'a vaccine')."""
    return subject.pos_ != "NOUN" or bool(subject.ent_type_) or subject.lemma_.lower() in _source_nouns()


def _past_according_to(subject: Token) -> Token:
    """'According to the agency ISNA, the prosecutor, Ana Lee, said ...': the small model may make the
    agency the subject and hang the real one on it in apposition; the speaker is the apposition."""
    doc = subject.doc
    left = subject.left_edge.i
    if left >= 2 and doc[left - 1].lower_ == "to" and doc[left - 2].lower_ == "according":
        appositions = [c for c in subject.children if c.dep_ == "appos" and c.i > subject.i]
        if appositions:
            return appositions[0]
    return subject


def _according_appos(verb: Token) -> Token | None:
    """'According to the Herald, the prosecutor, Omar Quist, said ...' parsed with no subject for 'said' and
    the prosecutor in apposition to the Herald: the apposition is the verb's subject."""
    for according in (c for c in verb.children if c.lower_ == "according" and c.i < verb.i):
        objects = [o for to in according.children if to.lower_ == "to" for o in to.children if o.dep_ == "pobj"]
        appositions = [a for o in objects for a in o.children if a.dep_ == "appos" and a.i > o.i]
        if appositions:
            return appositions[0]
    return None


def _speaker_token(cue: Token, cue_info: Cue) -> Token | None:
    if cue_info.lemma == "according to" and cue.lower_ == "per":
        return _per_source(cue)
    if cue_info.lemma == "according to":
        antecedent = according_to_which(cue)
        if antecedent is not None:
            return antecedent
        to = cue.nbor(1)
        objects = [c for c in to.children if c.dep_ == "pobj"]
        if not objects:  # 'According to ISNA, the prosecutor said': the model may make ISNA the subject
            objects = [t for t in cue.doc[to.i + 1: to.i + 10] if t.dep_ in SUBJECT_DEPS
                       and t.left_edge.i == to.i + 1 and _past_according_to(t).i != t.i]
        return objects[0] if objects else None
    return _quoted_as_saying(cue) or _subject(cue)


def according_to_which(according: Token) -> Token | None:
    """What 'according to which' after a comma refers to: the noun right before the comma, or the one that noun's
    phrase or relative clause hangs on ('signed a maritime border agreement, according to which ...': the
    agreement)."""
    doc = according.doc
    if not (2 <= according.i < len(doc) - 2 and doc[according.i + 2].lower_ in {"which", "whom"}
            and doc[according.i - 1].text == ","):
        return None
    noun = doc[according.i - 2]
    if noun.dep_ == "npadvmod" or noun.ent_type_ in {"DATE", "TIME"}:  # 'signed an agreement last week, according to'
        noun = next((c for c in noun.head.children if c.dep_ == "dobj"), noun)
    while noun.dep_ in {"pobj", "prep", "relcl", "acl"} and noun.head.i != noun.i and noun.head.i < according.i:
        noun = noun.head
    return noun if noun.pos_ in {"NOUN", "PROPN"} and noun.ent_type_ not in {"DATE", "TIME"} else None


def _quoted_as_saying(cue: Token) -> Token | None:
    """The one 'quoted ... as saying' quotes: 'state media quoted Premier Li Wei as saying' gives his words, and
    the outlet only reports them. The speaker of the 'saying' (`_subject`), read from the 'quoted' the parser may
    take as the cue instead."""
    if cue.lemma_.lower() != "quote":
        return None
    saying = next((g for c in cue.children if c.lower_ == "as" for g in c.children if g.lemma_.lower() == "say"), None)
    return _subject(saying) if saying is not None else None


SALUTATIONS = frozenset({"sir", "sirs", "madam"})


def _line_opener(token: Token) -> bool:
    """True for words that open a line before its sentence and that the parser made a subject: a letter's
    salutation ('Sir, - Councillor Ana Lee is quoted ...') or a live blog's time stamp ('14:05 — The Met Office
    says ...')."""
    return _salutation(token) or _time_stamp(token)


_TIME_STAMP = re.compile(r"\d{1,2}[:.]\d{2}")


def _time_stamp(token: Token) -> bool:
    """'14:05' at the start of a line, before a dash: a live blog's time stamp."""
    doc = token.doc
    return (_TIME_STAMP.fullmatch(token.text) is not None and (token.i == 0 or doc[token.i - 1].is_space)
            and token.i + 1 < len(doc) and doc[token.i + 1].text in {"—", "–", "-"})


def _salutation(token: Token) -> bool:
    """True for a letter's salutation that the parser made a subject ('Sir, - Councillor Ana Lee is quoted ...')."""
    return (token.lower_ in SALUTATIONS and token.i + 1 < len(token.doc) and token.nbor(1).text == ","
            and (token.i == 0 or token.nbor(-1).is_space or token.nbor(-1).text in {"\n", "."}))


def _reported_subject(token: Token) -> bool:
    """True for the subject of a clause that a speech verb reports ('Swire believes al-Megrahi was not
    guilty'): the one who speaks next is the reporting subject, Swire, not the one talked about."""
    clause = token.head
    while clause.dep_ == "conj" and clause.head.i != clause.i:
        clause = clause.head
    return clause.dep_ == "ccomp" and cue_at(clause.head) is not None


def is_expletive_it(pronoun: Token) -> bool:
    """'It has been argued that ...', 'it was reported that ...': an 'it' that stands for nobody."""
    return pronoun.lower_ == "it" and pronoun.dep_ in {"expl", "nsubjpass"}


@functools.lru_cache(maxsize=1)
def _directive_cues() -> frozenset[str]:
    return frozenset(word_list("directive_cues.txt"))


HYPOTHETICAL_MODALS = frozenset({"would", "could", "might", "may", "should"})


# verbs of thinking: a report only of a belief held now ("Lee believes ..."), never of speech or a past thought
# (Bender et al., "verbs to avoid for attribution"; see `indirect._held_belief`)
THINKING_CUES = frozenset({"think", "believe", "hope", "fear"})


# Cues of memory, which with 'will', 'may' or 'must' are the writer's appeal to what readers know ('Fans will
# recall that the club went down in 2017'), not anyone's words
MEMORY_CUES = frozenset({"recall"})
APPEAL_MODALS = frozenset({"will", "'ll", "may", "must"})


def _negated_or_hypothetical(cue: Token) -> bool:
    """'did not say', 'never said', 'would say', 'might claim', 'no one has claimed': speech that the text does not
    report as made; but 'she would later say' tells what she went on to say. 'Voters will recall that ...' is
    the writer's appeal to memory."""
    later = any(c.dep_ == "advmod" and c.lower_ == "later" for c in cue.children)
    modals = HYPOTHETICAL_MODALS - {"would"} if later else HYPOTHETICAL_MODALS
    if cue.lemma_.lower() in MEMORY_CUES:
        modals = modals | APPEAL_MODALS
    return _unrealised_infinitive(cue) or _no_one(_subject(cue)) or any(
        c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in modals) for c in cue.children)


def _no_one(subject: Token | None) -> bool:
    """True for a subject that names no one who spoke: 'nobody', 'none of the officials', 'no one', 'no other
    official', 'neither minister'; not a name or a number ('No Hye-jin', 'No More Deaths', 'No 10', 'No 10
    officials', 'a No 10 spokesman') nor a count ('no fewer than forty MPs')."""
    if subject is None or subject.pos_ == "PROPN" or subject.tag_ == "CD":
        return False
    if subject.lower_ in {"nobody", "none"}:
        return True
    determiners = [c for c in subject.children if c.dep_ == "det"]
    return (len(determiners) == 1 and determiners[0].lower_ in {"no", "neither"}
            and determiners[0].nbor(1).lower_ not in {"fewer", "more", "less"}
            and not any(c.dep_ in {"nummod", "compound"} for c in subject.children))


def _unrealised_infinitive(cue: Token) -> bool:
    """True for a cue in the infinitive of a verb of wanting, intending, trying, helping or urging: 'nurses are
    expected to report that ...', 'the data could help scientists estimate how long ...' (a finding's use, not
    speech), 'residents were encouraged to visit and suggest what ...' tell of no speech made; 'went on to say'
    tells what was said (`unrealised_infinitive_verbs.txt`)."""
    node = cue
    while node.dep_ == "conj" and node.head.i != node.i:  # '... to submit designs and suggest ...'
        node = node.head
    return (cue.tag_ == "VB" and node.dep_ in {"xcomp", "ccomp"} and node.head.i != node.i
            and node.head.pos_ == "VERB" and node.head.lemma_.lower() in word_set("unrealised_infinitive_verbs.txt"))


@functools.cache
def _person_nouns() -> frozenset[str]:
    return word_set("person_nouns.txt") | word_set("person_roles.txt")


@functools.cache
def _source_nouns() -> frozenset[str]:
    """Common nouns for a person, an organisation, a text or an utterance ('the astronomer', 'the ministry')."""
    return _person_nouns() | set(organisation_nouns()) | word_set("written_texts.txt") | _speech_nouns()


@functools.lru_cache(maxsize=1)
def _speech_nouns() -> frozenset[str]:
    return frozenset(word_list("speech_nouns.txt"))


def _governing_subject(token: Token) -> Token | None:
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return _subject(node)
    return None
