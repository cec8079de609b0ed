"""Who a cue's subject is: a named entity, a pronoun's or a description's referent, or a description."""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import replace

from spacy.tokens import Span, Token

from course.analysis.entities import HYPHENS, PERSON, EntityCluster, name_headed_by, organisation_nouns
from course.analysis.quotes.context import _Context, _recent
from course.analysis.quotes.cues import (
    ISSUING_VERBS,
    _could_speak,
    _directive_cues,
    _issuer_of,
    _negated_or_hypothetical,
    _person_nouns,
    _reported_subject,
    _speaker_token,
    _speech_nouns,
    _subject,
    cue_at,
    is_expletive_it,
    speaking_agent,
)
from course.analysis.quotes.model import (
    DESCRIBED,
    FIRST_SECOND_PERSON,
    MALE_PRONOUNS,
    NAMED,
    NO_SPEAKER,
    NOUN_GENDER,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    SINGULAR_PRONOUNS,
    SPEAKER_LABELS,
    UNATTRIBUTED,
    UNNAMED,
    Attribution,
    Cue,
    Speaker,
)
from course.analysis.roles import role_phrases
from course.core.article import Paragraph
from course.core.lexicons import checked_table, word_list, word_set
from course.core.syntax import SUBJECT_DEPS, in_relative_clause


def _phrase_end(head: Token) -> int:
    """Index after the last token of `head`'s name phrase (before commas and clauses)."""
    end = head.i + 1
    for token in head.doc[head.i + 1: head.right_edge.i + 1]:
        if token.text in {",", "(", "—", "–", ";"} or token.is_space or not head.is_ancestor(token) or (
                token.head.i == head.i and token.dep_ in {"relcl", "appos", "acl"}):
            break  # not head's ('the ministry justified ...: "The army has taken"' hung on the ministry)
        end = token.i + 1
    return end


def _source_kind_of(phrase: str) -> str:
    lowered = f" {phrase.lower()} "
    return UNNAMED if any(f" {marker} " in lowered for marker in word_list("unnamed_sources.txt")) else DESCRIBED


def _resolve_speaker(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker:
    """Turn a subject token into a Speaker: a named entity, a pronoun's referent, or a description."""
    doc = ctx.doc
    if head.lower_ in FIRST_SECOND_PERSON and head.text != "US" or (  # 'The US said that ...' is the country
            head.lower_ in {"'s", "’s"} and head.i > 0 and head.doc[head.i - 1].lower_ == "let"):  # "let's see"
        return NO_SPEAKER
    if head.tag_ in {"WP", "WDT"} and head.head.dep_ == "relcl" and head.head.head.i != head.head.i:
        relative, head = head, _antecedent(head, head.head.head)  # "Balaguer, who adds that ...": the antecedent
        if head.ent_type_ in {"DATE", "TIME"}:
            # 'updated his account on Tuesday, which read ...': the parser hung the clause on the day, which says
            # nothing, and what it stands for is a guess ('fired Hal Moray on Friday, which said' is not Moray)
            return Speaker(None, None, relative.text, relative.idx, relative.idx + len(relative), UNATTRIBUTED)
        issuer = _issuer(ctx, head)
        if issuer is not None:  # "They released a statement which said ...": theirs
            head = issuer
        if (head.dep_ == "appos" and head.head.pos_ == "PROPN" and head.head.i < head.i
                and head.lemma_.lower() in word_set("person_roles.txt")
                and ctx.cluster_at(head.head.idx, head.head.idx + len(head.head))):
            head = head.head  # "Ana Lee, an aviation expert, who said ...": the name the description stands beside
    head = _past_hyphen(ctx, head)
    if head.pos_ in {"VERB", "AUX"}:
        return NO_SPEAKER  # 'not only implying approval, but also recommending ...': a clause is no speaker
    # a date owns no words: "Tuesday's statement from the board read" is the board's, not Tuesday's
    owners = [c for c in head.children if c.dep_ == "poss" and c.ent_type_ not in {"DATE", "TIME"}]
    if head.lemma_.lower() in _speech_nouns() and owners:
        head = owners[0]  # "his responses described it as ...": the words are his
    member = _one_of_those(ctx, head, paragraph)
    if member is not None:  # 'Eight crew members were rescued. One of them told ...': one crew member
        return member
    exemplar = _exemplar(ctx, head)
    if exemplar is not None:  # "Some, like Ana Lee, called ...": the one person the text names
        return exemplar
    part = _part_of_group(head)
    if part is not None:
        return part
    share = _share_of_group(ctx, head, paragraph)
    if share is not None:  # 'Most of the pilots backed the plan. Two-thirds said ...': two-thirds of the pilots
        return share
    if head.pos_ == "PRON":
        return _resolve_pronoun(ctx, head, paragraph)
    same = _same_source(ctx, head, paragraph)
    if same is not None:
        return same
    group = _coordinated_group(ctx, head)
    if group is not None:
        return group
    left = _phrase_start(head)
    named_end = _phrase_end(head)
    named = doc[left:named_end]
    # the head word's own name first: in "Ferry captain Ahmed Haddad" the descriptor "Ferry" may be
    # part of another entity's mention, but the speaker is the person the head word names
    possessors = [t for c in head.children if c.dep_ == "poss" for t in c.subtree]
    # "Thomas' sister said": the sister speaks, not Thomas
    owned = doc[max(left, possessors[-1].i + 1):named_end] if possessors else named
    if head.pos_ == "NOUN" and not ctx.cluster_at(head.idx, head.idx + len(head)):
        # "Lady Gaga fans", "the Trump campaign", "a statement on Weibo": a name that only modifies a common
        # noun is not the speaker, but the author of a post or statement ('a post by Ana Lee') is
        if head.lemma_.lower() in _speech_nouns():
            authors = [o for p in head.children if p.dep_ in {"prep", "agent"} and p.lower_ in {"by", "from"}
                       for o in p.children if o.dep_ == "pobj" and not ctx.in_quote(o.idx)]
            author = _resolve_speaker(ctx, authors[0], paragraph) if authors else None
            if author is not None and author.kind == NAMED:
                return author
        # 'The text in which Ana Lee described her colleague was posted': the text is the writer's
        for clause in (c for c in head.children if c.dep_ == "relcl" and cue_at(c) is not None):
            writer = _subject(clause)
            if writer is not None and writer.i != head.i and writer.pos_ in {"PROPN", "NOUN"}:
                found = _resolve_speaker(ctx, writer, paragraph)
                if found.kind == NAMED and found.label == PERSON:
                    return found
        # a name after the noun still names the speaker ('academic and professor Ana Lee' parsed with the
        # noun as head), but not after a speech noun ('a statement on Weibo'), nor inside a phrase the noun
        # governs when a group speaks ('scientists from UC Davis say', whatever the model calls 'UC Davis') or a
        # name stands beside the noun ('The spokesman for Oahu, John Cummings,'); 'The president of Acme Corp
        # John Smith' is still Smith
        governed = (head.tag_ in {"NNS", "NNPS"} or any(c.dep_ == "appos" for c in head.children)
                    or _role_with_phrase(ctx, head, named_end))
        phrases = [c.i for c in head.children if c.dep_ == "prep" and c.i > head.i] if governed else []
        own_end = min([named_end, *phrases])
        owned = doc[head.i:head.i + 1] if head.lemma_.lower() in _speech_nouns() else doc[head.i:own_end]
    person = ctx.cluster_at(head.idx, head.idx + len(head), {PERSON}) or ctx.cluster_at(
        owned.start_char, owned.end_char, {PERSON})
    organisation = None if person else ctx.cluster_at(head.idx, head.idx + len(head), SPEAKER_LABELS - {PERSON})
    # a person's name in apposition to the role wins over a name inside the role's phrase ("The Chief Minister of
    # Tamil Nadu, Ms. Jayalalithaa, said": a place the model took for a person; not 'a Merran Party veteran'), and
    # a role the model took for an organisation gives way to the person named beside it ("said Trump's National
    # Security Advisor, H.R. McMaster"); an organisation's own name does not
    in_phrase = person is not None and not ctx.cluster_at(head.idx, head.idx + len(head))
    if (in_phrase and any(c.dep_ == "appos" and c.i > head.i and ctx.cluster_at(c.idx, c.idx + len(c), {PERSON})
                          for c in head.children)
            or organisation is not None and head.lemma_.lower() in _person_nouns()):
        beside = _named_beside(ctx, head, left, named)
        if beside is not None:
            return beside
    cluster = person or organisation
    if cluster is not None:
        return Speaker(cluster.name, cluster.label, named.text, named.start_char, named.end_char, NAMED)
    given = _given_name_alone(ctx, head)
    if given is not None:  # "Hardeep also stated": the one person whose full name starts with it
        return Speaker(given.name, PERSON, head.text, head.idx, head.idx + len(head), NAMED)
    beside = _named_beside(ctx, head, left, named)
    if beside is not None:
        return beside
    whole = doc[left: head.right_edge.i + 1]
    relatives = [c.left_edge.i for c in head.children
                 # 'protesters chanting ...', 'A resident reported that ...' (the parser's acl is the cue itself)
                 if (c.dep_ == "relcl" or (c.dep_ == "acl" and (c.tag_ == "VBG" or _main_verb_as_acl(c))))
                 and c.left_edge.i > left and c.left_edge.text.islower()]
    if relatives and head.pos_ in {"NOUN", "PROPN"}:  # "a homeless man who goes by the name Tiny"
        whole = doc[left: min(relatives)]
    commas = [t.i for t in whole if t.i > head.i and (t.text in {",", "(", "—", "–", ";"} or (
        _glued_hyphen_after(t) and t.i + 2 >= whole.end))]  # not the first piece of 'counter-claimed'
    if commas:  # "The mayor, speaking at a press conference, said": the mayor
        whole = doc[left: commas[0]]
    while len(whole) and (whole[-1].is_punct or whole[-1].is_space):
        whole = whole[:-1]
    phrase = whole.text.strip("\"“”' ")
    referent = _described_person(ctx, head)
    if referent is not None:
        return Speaker(referent.name, PERSON, named.text, named.start_char, named.end_char, NAMED)
    organisation = _described_organisation(ctx, head)
    if organisation is not None:  # 'Amnesty International ... the organisation said': Amnesty International
        return Speaker(organisation.name, organisation.label, named.text, named.start_char, named.end_char, NAMED)
    # the kind from the whole phrase: "a senior official, who asked not to be named," is unnamed
    return Speaker(None, None, phrase, whole.start_char, whole.end_char,
                   _source_kind_of(doc[left: head.right_edge.i + 1].text))


def _main_verb_as_acl(verb: Token) -> bool:
    """True for a cue the parser hung on the noun before it that is the sentence's own verb ('A resident reported on
    Monday that his bicycle had been taken'): it reports a that-clause, and no 'by' makes it a participle that
    describes the noun ('a commentary written by Wang Lin')."""
    return cue_at(verb) is not None and not any(c.dep_ == "agent" for c in verb.children) and any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) for c in verb.children)


def _named_beside(ctx: _Context, head: Token, left: int, named: Span) -> Speaker | None:
    """The person (or organisation) named in apposition to a subject's head noun ('The secretary general of the
    council, Ana Lee, said': Lee; 'The state news agency, KCNA, said': KCNA), or a capitalised name the model did
    not recognise beside a role word ("Brazil's coach, Tite, said"); None when there is none.

    The parser may hang the name on the noun after 'of' or 'for' ('The mayor of Tarvik, Omar Quist', 'spokesperson
    for the port authority, Rupert Colville'). When that noun is a person, only a name a comma sets off is the
    speaker's ('the mother of the jailed activist Ana Lee' is the activist); after a plural head none is, since a
    group does not share one name ('lawyers for the former president, Tom Berg')."""
    doc = ctx.doc
    of_nouns = [] if head.tag_ in {"NNS", "NNPS"} else [
        o for p in head.children if p.dep_ == "prep" and p.lower_ in {"of", "for"} for o in p.children
        if o.dep_ == "pobj"]
    appositions = list(head.children) + [
        c for o in of_nouns for c in o.children if c.dep_ == "appos" and ctx.cluster_at(c.idx, c.idx + len(c), {PERSON})
        and (o.lemma_.lower() not in _person_nouns() or doc[c.left_edge.i - 1].text == ",")]
    unrecognised = None
    for child in appositions:
        if (child.dep_ == "appos" and child.i > head.i and not ctx.in_quote(child.idx)
                and not any(c.dep_ == "poss" for c in child.children)):  # "Ana Lee, Kazemi's solicitor": not Kazemi
            # the name itself, not what follows it ('Bong Young-shik from the Asan Institute')
            name_end = min(_phrase_end(child), next(
                (c.i for c in child.children if c.dep_ == "prep" and c.i > child.i), len(doc)))
            name = doc[child.left_edge.i: name_end]
            found = ctx.cluster_at(name.start_char, name.end_char, {PERSON}) or ctx.cluster_at(
                name.start_char, name.end_char) if len(name) <= 6 else None
            if found is not None:
                return Speaker(found.name, found.label, doc[left:name_end].text, named.start_char, name.end_char,
                               NAMED)
            if (unrecognised is None and child.pos_ == "PROPN" and not child.ent_type_ and child.text.istitle()
                    and head.lemma_.lower() in _person_nouns() and len(name) <= 4):
                unrecognised = Speaker(name.text, PERSON, doc[left:name_end].text, named.start_char,
                                       name.end_char, NAMED)
    return unrecognised


def _own_sentence_person(ctx: _Context, start: int, paragraph: Paragraph) -> Speaker | None:
    """The named person who is the main subject of the narrator's words before `start` (quoted words with no
    cue of their own) in the same sentence: in 'Lee spoke first. Mayor Ana Voss called the closure "A sad day
    for all of us. We will rebuild."' Voss speaks, not Lee, whom the paragraph quoted earlier."""
    speaker = _own_sentence_subject(ctx, start, paragraph)
    return speaker if speaker is not None and speaker.label == PERSON else None


def _own_sentence_subject(ctx: _Context, start: int, paragraph: Paragraph) -> Speaker | None:
    """The named main subject (a person, an organisation, a country or a group) of the narrator's words before
    `start` in the same sentence, if there is one: in 'The Norland Coast Guard defended the closure as "a matter of
    safety"' the coast guard."""
    words = [t for t in ctx.tokens(paragraph.start, start)
             if t.idx >= paragraph.start and not t.is_space and not ctx.in_quote(t.idx)]
    if not words or words[-1].text in {".", "!", "?", ":"}:
        return None
    own = [t for t in words if t.i >= words[-1].sent.start]
    subjects = [t for t in own if t.dep_ == "nsubj" and t.head.pos_ in {"VERB", "AUX"}
                and not ctx.in_quote(t.head.idx) and not in_relative_clause(t.head)]
    if not subjects:
        return None
    subject = min(subjects, key=lambda t: len(list(t.head.ancestors)))  # the main clause's
    speaker = _resolve_speaker(ctx, subject, paragraph)
    return speaker if speaker.kind == NAMED else None


GROUPS_OF_PEOPLE = frozenset({"team", "family"})  # nouns WordNet files as groups that speak as one person does


def _role_with_phrase(ctx: _Context, head: Token, end: int) -> bool:
    """True for one person, team or family described by a phrase after it: 'an aide to Ana Lee', 'a member of the
    mayor's staff', 'a scientist at the Norland Institute', 'a research team from Tarvik University', 'the family of
    Ana Lee' speak for themselves, not for the person or institution the phrase names, titled or not ('the lawyer
    for Senator Ana Lee'). Not when a person's name right after another name ends the phrase: 'The president of
    Acme Corp John Smith' is Smith."""
    if head.tag_ != "NN" or head.lemma_.lower() not in _person_nouns() | GROUPS_OF_PEOPLE:
        return False
    last = ctx.doc[end - 1]
    found = ctx.mention_at(last.idx, last.idx + len(last), {PERSON})
    if found is None or found[1] != last.idx + len(last):
        return True
    span = ctx.doc.char_span(found[0], found[1], alignment_mode="expand")
    if span is None or span.start <= head.i + 1:
        return True
    before = ctx.doc[span.start - 1]
    return before.pos_ != "PROPN" or before.lemma_.lower() in _person_nouns()


def _coordinated_group(ctx: _Context, head: Token) -> Speaker | None:
    """'Both the Tarvik School District and the Tarvik Police Department asserted ...', 'France and Italy have
    announced ...': a subject that joins two sources with 'and' speaks as the group the text writes, not as
    whichever of its names comes first (or one the model calls a person, as in 'Port Vela and Ormond Parish
    officials have said'), nor as the organisation a description opening it names ('Both the council and the
    government called for ...' is not the council named before alone). Only for a name or a description that
    is no person's joined to another source: 'Blogger and historian Ana Lee' joins two roles of one person, and
    a person named or described first keeps the words ('The mayor and the police chief said'), and so does the
    issuer of a statement or letter ('A statement from the union and a letter to members said')."""
    conjuncts = [c for c in _and_chain(head) if c.pos_ in {"NOUN", "PROPN"}]
    if conjuncts and _list_inside_clause(head, conjuncts[0]):
        return None
    described = head.pos_ == "NOUN" and not _issued_text(head) and not (
        head.tag_ == "NN" and head.lemma_.lower() in _person_nouns())
    if not conjuncts or not _joined_by_and([head, *conjuncts]) or ctx.in_quote(head.idx) or not (
            head.pos_ == "PROPN" or described or ctx.cluster_at(head.idx, head.idx + len(head)) is not None):
        return None
    if ctx.cluster_at(head.idx, head.idx + len(head), {PERSON}) is not None:
        return None  # 'according to mayor Tom Reyes and the health officer Carla Mendez': the person named first
    doc = ctx.doc
    end = max(_phrase_end(c) for c in conjuncts)
    start = head.left_edge.i
    while start < end and doc[start].is_punct:
        start += 1
    group = doc[start:end]
    return Speaker(None, None, group.text, group.start_char, group.end_char, _source_kind_of(group.text))


def _and_chain(head: Token) -> list[Token]:
    """The conjuncts after `head` in its list ('A and B', 'A, B(,) and C', where the parser hangs the 'and' and C on
    B), up to one after a 'but', 'or', 'nor' or 'not' ('The council and the union, but not the ferry operators,
    said': those are left out)."""
    chain, end = [], head.i
    for c in sorted((c for c in head.conjuncts if c.i > head.i), key=lambda c: c.i):
        if any(t.lower_ in {"but", "or", "nor", "not"} for t in head.doc[end + 1: c.left_edge.i]):
            break  # read from the words before it: the parser may hang the 'but' or 'not' anywhere
        chain.append(c)
        end = c.i
    return chain


def _list_inside_clause(head: Token, first: Token) -> bool:
    """True if a clause or a phrase set off by a comma stands between `head` and its first conjunct with no 'and'
    after it: 'The council, which met the union, the police and the operators, said' hangs a list inside the
    clause on the council, whose words they are; not 'The council, which runs the port, and the union said'."""
    return any(head.i < c.i < first.i and (c.dep_ in {"relcl", "acl"} or (c.dep_ == "prep" and c.nbor(-1).text == ","))
               and not any(t.lower_ in {"and", "&"} for t in head.doc[c.right_edge.i + 1: first.i])
               for c in head.children)


def _joined_by_and(items: list[Token]) -> bool:
    """True if an 'and' joins the items of a list: 'A and B', or 'A, B and C', where the parser hangs it on B."""
    return any(c.dep_ == "cc" and c.lower_ in {"and", "&"} for item in items for c in item.children)


def _one_of_those(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker | None:
    """'one <noun>' for a subject 'one', 'one of them' or 'one of these' that points back to the last plural
    person noun before it in this paragraph or the one before: 'Six fishermen were rescued on Monday. One of them
    told the radio ...' is one fisherman, whom the text never names, and so is the 'that one' the parser may
    read in '... but that one said'. Not 'one of the boats', which names its group, nor 'the one' or 'no one';
    'their sons' are another group's relatives."""
    if head.lower_ != "one" or head.pos_ not in {"NUM", "PRON", "NOUN"} or ctx.in_quote(head.idx):
        return None
    if any(c.dep_ in {"det", "amod", "compound", "nummod", "neg"} and c.lower_ != "that" for c in head.children):
        return None
    objects = [o for p in head.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    if any(o.lower_ not in {"them", "these", "those"} for o in objects):
        return None
    first = ctx.paragraphs[paragraph.number - 2].start if paragraph.number > 1 else paragraph.start
    for token in reversed(ctx.doc[:head.left_edge.i]):
        if token.idx < first:
            break
        if ctx.in_quote(token.idx) or token.tag_ not in {"NNS", "NNPS"} or any(
                c.dep_ == "poss" for c in token.children):
            continue  # 'their parents' are the relatives of a group, not the group
        if token.lemma_.lower() in _person_nouns():
            return Speaker(None, None, f"one {token.lemma_.lower()}", head.idx, head.idx + len(head), DESCRIBED)
        return None  # the last plural noun is no group of people
    return None


EXEMPLAR_HEADS = frozenset({"some", "others", "many", "several", "one", "few", "most", "all"})


def _exemplar(ctx: _Context, head: Token) -> Speaker | None:
    """'Some, like Ana Lee, called for ...', 'others such as Ana Lee noted ...', 'critics including Ana Lee say':
    a group subject illustrated by one named person, who is the one whose words follow. Only for a single
    person right after 'like' / 'such as' / 'including' (with 'A and B' the group keeps the words)."""
    if not (head.lower_ in EXEMPLAR_HEADS or head.tag_ in {"NNS", "NNPS"}) or ctx.in_quote(head.idx):
        return None
    doc = head.doc
    i = head.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i + 1 < len(doc) and doc[i].lower_ == "such" and doc[i + 1].lower_ == "as":
        i += 2
    elif i < len(doc) and doc[i].lower_ in {"like", "including"}:
        i += 1
    else:
        return None
    if i >= len(doc):
        return None
    found = ctx.mention_at(doc[i].idx, doc[i].idx + len(doc[i]), {PERSON})
    if found is None or found[0] > doc[i].idx:
        return None
    start, end, cluster = found
    after = [t for t in doc[i: min(len(doc), i + 12)] if t.idx >= end]
    if not after or after[0].lower_ in {"and", "or", "&"} or (
            after[0].text == "," and len(after) > 1 and after[1].lower_ in {"and", "or"}):
        return None
    return Speaker(cluster.name, PERSON, ctx.text[start:end], start, end, NAMED)


def _part_of_group(head: Token) -> Speaker | None:
    """'Some of the protesters Wikinews interviewed said ...': part of a group the text describes, named
    as the text names it ('Some of the protesters'). Not 'One of these groups, the SDF,', which names it."""
    if head.lower_ not in EXEMPLAR_HEADS - {"one"} or head.pos_ not in {"PRON", "DET", "ADJ"}:
        return None
    groups = [o for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
              if o.dep_ == "pobj" and o.tag_ in {"NNS", "NNPS"}]
    if not groups or any(c.dep_ == "appos" for c in head.children):
        return None
    group = groups[0]
    end = min([c.left_edge.i for c in group.children if c.dep_ in {"relcl", "acl", "appos"} and c.i > group.i],
              default=group.right_edge.i + 1)
    phrase = head.doc[head.left_edge.i: end]
    while len(phrase) and phrase[-1].is_punct:
        phrase = phrase[:-1]
    return Speaker(None, None, phrase.text, phrase.start_char, phrase.end_char, _source_kind_of(phrase.text))


# Words for a share of a group ('two-thirds', '40 percent', 'a majority'), and pronoun-like words for a part
# of one ('some', 'one'), that can stand alone as a subject when the group was named just before.
SHARE_WORDS = frozenset({"percent", "%", "half", "third", "quarter", "fifth", "tenth", "majority", "minority"})
PART_WORDS = frozenset({"some", "many", "most", "several", "one", "few"})


def _is_share(token: Token) -> bool:
    return token.lemma_.lower() in SHARE_WORDS or token.lower_ in SHARE_WORDS or token.pos_ == "NUM"


def _share_of_group(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker | None:
    """A bare share or part as the subject ('Two-thirds said ...', 'Some also noted ...') is that share of the
    group the text named just before, in this paragraph or the one before: 'A poll of ferry crews found 60
    percent of the pilots favour the plan; a third said they would strike' is a third of the pilots. A share
    ('a third', '40 percent') takes only a group given as 'SHARE of GROUP'; a part ('some', 'one') also takes
    the nearest plural person noun that is a subject ('Several neighbours posted messages. One wrote ...'),
    whatever other plural nouns stand between. Not with an 'of' phrase of its own ('some of the crew')."""
    if ctx.in_quote(head.idx) or head.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    part = head.lower_ in PART_WORDS and head.pos_ in {"PRON", "DET", "NUM", "ADJ", "ADV"}
    if not part and not (head.pos_ in {"NOUN", "NUM"} and _is_share(head)):
        return None
    if any(c.dep_ in {"prep", "poss", "appos", "compound", "relcl", "acl"} for c in head.children):
        return None
    if part and any(c.dep_ in {"det", "amod", "nummod", "neg"} for c in head.children):
        return None  # 'the one', 'no one', 'that one': not a part of a group
    first = ctx.paragraphs[paragraph.number - 2].start if paragraph.number > 1 else paragraph.start
    for token in reversed(ctx.doc[:head.left_edge.i]):
        if token.idx < first:
            break
        if (ctx.in_quote(token.idx) or token.tag_ not in {"NNS", "NNPS"}
                or token.lemma_.lower() not in _person_nouns() or any(c.dep_ == "poss" for c in token.children)):
            continue
        of_share = (token.dep_ == "pobj" and token.head.lower_ == "of"
                    and (_is_share(token.head.head) or token.head.head.lower_ in PART_WORDS))
        if of_share or (part and token.dep_ in {"nsubj", "nsubjpass"}):
            share = ctx.doc[head.left_edge.i: head.i + 1].text
            text = f"one {token.lemma_.lower()}" if head.lower_ == "one" else f"{share} of the {token.lower_}"
            return Speaker(None, None, text, head.left_edge.idx, head.idx + len(head), _source_kind_of(text))
    return None


def _same_source(ctx: _Context, head: Token, paragraph: Paragraph) -> Speaker | None:
    """'The same report states ...': the source of the last report (statement, study ...) quoted
    before, in this paragraph or the one before; its head noun or its cue names the same thing."""
    if head.pos_ != "NOUN" or not any(c.lower_ == "same" and c.i < head.i for c in head.children):
        return None
    noun = head.lemma_.lower()
    phrase = ctx.doc[head.left_edge.i: head.i + 1]
    for earlier in reversed(_recent(ctx, paragraph.number)):
        if earlier.start >= head.idx or not earlier.speaker_text:
            continue
        cue_word = (earlier.cue or "").split()[0].lower() if earlier.cue else ""
        if noun in earlier.speaker_text.lower() or cue_word.startswith(noun[:5]):
            if earlier.speaker is not None:
                return Speaker(earlier.speaker, ctx.labels.get(earlier.speaker), phrase.text, phrase.start_char,
                               phrase.end_char, NAMED)
            return Speaker(None, None, earlier.speaker_text, phrase.start_char, phrase.end_char, earlier.source_kind)
    return None


def _issuer(ctx: _Context, noun: Token) -> Token | None:
    """The subject of 'released', 'issued', 'posted' ... whose object is `noun`, a statement, letter or notice:
    'The commission released a statement which said ...' and 'The embassy has posted a notice that it will
    close' quote the commission and the embassy."""
    subject = _issuer_of(noun) if _issued_text(noun) else None
    return subject if subject is not None and not ctx.in_quote(subject.idx) else None


def _issues_statement(verb: Token) -> bool:
    """'The governor issued a statement ...:', 'The ministry released a letter:': a verb of issuing whose
    object is a statement, letter or post, so the words that follow are its subject's."""
    return verb.lemma_.lower() in ISSUING_VERBS and any(c.dep_ == "dobj" and _issued_text(c) for c in verb.children)


def _issued_text(noun: Token) -> bool:
    """True for a noun that names words someone puts out: a speech noun or a written text."""
    return noun.lemma_.lower() in _speech_nouns() | word_set("written_texts.txt")


def _given_name_alone(ctx: _Context, head: Token) -> EntityCluster | None:
    """A one-word name the model left untagged that is the first name of exactly one person named in full
    ('Ana Lee ... Ana also said'); None for anything else or when two people share the first name."""
    if head.pos_ != "PROPN" or not head.is_title or head.left_edge.i != head.i or head.right_edge.i != head.i:
        return None
    people = [c for c in ctx.clusters if c.label == PERSON and len(c.name.split()) > 1
              and c.name.split()[0] == head.text]
    return people[0] if len(people) == 1 else None


def _antecedent(relative: Token, attached: Token) -> Token:
    """The noun a relative pronoun refers to: the one right before it when that noun is coordinated
    with or in apposition to the parser's antecedent ('X and the minister Y who adds ...' is Y)."""
    before = relative.i - 1
    while before > attached.i and relative.doc[before].is_punct:
        before -= 1
    node = relative.doc[before]
    if node.i == attached.i or node.pos_ != "PROPN":
        return attached
    path = node
    while path.i != attached.i and path.dep_ in {"conj", "appos", "compound"} and path.head.i != path.i:
        path = path.head
    return node if path.i == attached.i else attached


def _past_hyphen(ctx: _Context, head: Token) -> Token:
    """'vice-premier Carlos Lage', 'co-founder Ana Lee': the tokenizer splits the hyphenated title and the
    parser may take its first piece as the head; the speaker is the name that follows the title, else the
    title's last piece ('A co-author wrote:' is a co-author, not 'A co') unless a preposition joins it
    ('editor-in-chief')."""
    doc = head.doc
    if not _glued_hyphen_after(head):
        return head
    for token in doc[head.i + 2: head.i + 8]:
        if token.is_punct and token.text not in HYPHENS:
            break
        found = ctx.mention_at(token.idx, token.idx + len(token), {PERSON})
        if found is not None:
            span = doc.char_span(found[0], found[1], alignment_mode="expand")
            return span[-1] if span is not None else token
    if doc[head.i + 2].pos_ == "ADP" or doc[head.i + 2].lower_ in {"in", "of", "at"}:
        return head  # 'editor-in-chief', 'father-in-law', 'chief-of-staff' head on their first word
    last = head
    while _glued_hyphen_after(last):
        last = doc[last.i + 2]
    return last if last.pos_ in {"NOUN", "PROPN"} else head  # not 'The party counter-claimed'


def _glued_hyphen_after(token: Token) -> bool:
    """True if `token` and the word after it are pieces of one hyphenated word ('co' in 'co-author')."""
    doc = token.doc
    return (token.i + 2 < len(doc) and not token.whitespace_ and doc[token.i + 1].text in HYPHENS
            and not doc[token.i + 1].whitespace_ and doc[token.i + 2].is_alpha)


def _phrase_start(head: Token) -> int:
    """Index of the first token of `head`'s phrase, taking in the pieces of a hyphenated word that ends
    with it: the parser may hang 'A' on 'co' and leave 'author' with nothing before it."""
    left = head.left_edge.i
    while head.i >= 2 and _glued_hyphen_after(head.doc[head.i - 2]):
        head = head.doc[head.i - 2]
        left = min(left, head.left_edge.i)
    return left


def _described_person(ctx: _Context, head: Token) -> EntityCluster | None:
    """The one person the text introduces with this role word ('Rebel leader Ana Voss'
    makes 'the group's leader' Voss); None when no person or several fit."""
    role = head.lemma_.lower()
    if role not in _person_nouns() or head.tag_ in {"NNS", "NNPS"}:
        return None  # "both officers" is not the one officer the text introduced
    if any(c.lower_ in {"another", "other", "a", "an", "one"} for c in head.children
           if c.dep_ in {"det", "amod", "nummod"}):
        return None  # "another expert", "a spokesman", "one MP": not the one the text introduced
    found = _introduced_with(ctx, (role,))
    title = _title_words(head)
    if found is None and len(title) > 1:  # 'the Vice President' beside a President: the one with that title
        return _introduced_with(ctx, title)
    if found is None and any(c.lower_ == "the" for c in head.children) and not any(
            c.dep_ in {"amod", "compound", "poss"} for c in head.children):
        found = _last_titled(ctx, head, role)
    if found is None and any(c.lower_ == "the" for c in head.children):
        return _given_role(ctx, head)
    return found


def _given_role(ctx: _Context, head: Token) -> EntityCluster | None:
    """'the government spokesman' after 'Ali Bakar, a government spokesman,': the one person named before
    these words with a role phrase (`roles.role_phrases`) that holds the description's words in a row;
    None when none or several fit, or when the description is the role word alone ('the minister' is
    no 'Texas minister')."""
    words = _words(head.doc[head.left_edge.i: head.i + 1].text)
    if words[:1] == ["the"]:
        words = words[1:]
    if len(words) < 2:
        return None
    fits = {cluster.name: cluster for start, phrase, cluster in _role_phrases(ctx).get(words[-1], ())
            if start < head.idx and _holds(phrase, words)}
    return next(iter(fits.values())) if len(fits) == 1 else None


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’.-]+", text.lower())


def _holds(phrase: list[str], words: list[str]) -> bool:
    return any(phrase[i:i + len(words)] == words for i in range(len(phrase) - len(words) + 1))


def _role_phrases(ctx: _Context) -> dict[str, list[tuple[int, list[str], EntityCluster]]]:
    """Every role phrase the narrator gives a person ('government spokesman'), with the mention's start and
    the person, looked up by each of the phrase's words: one pass over the mentions, kept on the context."""
    if ctx.role_phrases is None:
        ctx.role_phrases = {}
        for start, end, cluster in ctx.mention_index.starting_in(0, len(ctx.text)):
            span = ctx.doc.char_span(start, end, alignment_mode="expand") if cluster.label == PERSON else None
            if span is None or ctx.in_quote(start):
                continue
            for phrase in map(_words, role_phrases(span)):
                for word in set(phrase):
                    ctx.role_phrases.setdefault(word, []).append((start, phrase, cluster))
    return ctx.role_phrases


def _title_words(head: Token) -> tuple[str, ...]:
    """('vice', 'president') for 'the Vice President': the capitalised words right before a role noun that
    the parser hangs on it, with the noun's lemma; ('president',) when there are none."""
    words = [head.lemma_.lower()]
    for token in reversed(head.doc[max(0, head.i - 3):head.i]):
        if token.head.i != head.i or token.dep_ not in {"compound", "amod"} or not token.is_title:
            break
        words.insert(0, token.lower_)
    return tuple(words)


def _introduced_with(ctx: _Context, title: tuple[str, ...]) -> EntityCluster | None:
    """The one person the text introduces with these words right before the name ('Rebel leader Ana Voss'
    for ('leader',), 'Vice President Tom Hale' for ('vice', 'president')); None when none or several fit."""
    if title not in ctx.introduced_as:
        fits = _people_after_words(ctx, len(title)).get(title, {})
        ctx.introduced_as[title] = next(iter(fits.values())) if len(fits) == 1 else None
    return ctx.introduced_as[title]


def _people_after_words(ctx: _Context, size: int) -> dict[tuple[str, ...], dict[str, EntityCluster]]:
    """Every run of `size` words that ends at most two words before a person's name, as a title reads
    (`_title_reading`), with the people it comes before, by name. One pass over the mentions for each size,
    kept on the context, so each title is looked up, not searched for through the whole text."""
    if size not in ctx.people_after_words:
        found: dict[tuple[str, ...], dict[str, EntityCluster]] = {}
        for start, end, cluster in ctx.mention_index.starting_in(0, len(ctx.text)):
            span = ctx.doc.char_span(start, end, alignment_mode="expand") if cluster.label == PERSON else None
            if span is None:
                continue
            before = list(ctx.doc[max(0, span.start - 2 - size): span.start])
            for i in range(len(before) - size + 1):
                if _titles_no_one(before[i + size:]):
                    continue
                found.setdefault(_title_reading(before[i:i + size]), {})[cluster.name] = cluster
        ctx.people_after_words[size] = found
    return ctx.people_after_words[size]


RELATION_PREPOSITIONS = frozenset({"of", "for", "to"})


def _titles_no_one(between: list[Token]) -> bool:
    """True if the words between a role word and a name keep the role from titling the name: a verb ('The judge told
    Lind'), or a relation, 'of', 'for' or 'to' after a lower-case role word with an article, with nothing after it but
    words that describe a person ('the mother of Ana Lee', 'a spokesman for activist Ana Lee', 'the lawyer for
    Senator Ana Lee'). A role word without one, or capitalised, heads a title ('minister of defence Ana Lee', 'Mother
    of two Ana Lee', 'The Mayor of Kelvo Ana Lee', where the model takes 'Kelvo' into the name)."""
    if any(t.pos_ in {"VERB", "AUX"} for t in between):
        return True
    role = between[0].nbor(-1) if between and between[0].i else None
    if role is None or role.is_title and role.i != role.sent.start or not any(
            c.dep_ == "det" and c.lower_ in {"a", "an", "the"} for c in role.children):
        return False
    return any(t.lower_ in RELATION_PREPOSITIONS and all(
        u.lemma_.lower() in _person_nouns() or u.is_lower and u.pos_ == "ADJ" for u in between[n + 1:])
        for n, t in enumerate(between))


def _title_reading(tokens: list[Token]) -> tuple[str, ...]:
    """The words of `tokens` as a title reads them, the last one by its lemma ('Rebel leaders': ('rebel', 'leader'))."""
    return (*[t.lower_ for t in tokens[:-1]], tokens[-1].lemma_.lower())


def _described_organisation(ctx: _Context, head: Token) -> EntityCluster | None:
    """The organisation a definite description refers back to ('the organisation', 'the court',
    'the publication'): the last one named before it outside quotation marks whose name fits the
    noun (organisation_nouns.tsv); None when no organisation fits. For a noun that names places too ('centre',
    kind 'named_exact') the words before it must be in the name ('the detention centre' is none of the centres
    named), and no other such place may come between ('the Refugee Legal Aid Center ... a center in Dunmore run by a
    private company ... The center said')."""
    how = organisation_nouns().get(head.lemma_.lower(), ("", frozenset()))[0]
    if not how or head.pos_ != "NOUN" or head.tag_ != "NN" or not any(
            c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in head.children):
        return None
    exact = how == "named_exact"
    found = None
    for start, _, cluster in ctx.mention_index.starting_in(0, head.idx):
        words = cluster.name.lower().split()
        if cluster.label != "ORG" or ctx.in_quote(start) or (exact and not _describing_words(head) <= set(words)):
            continue
        if how == "any" or (how in {"named", "named_exact"} and name_headed_by(cluster.name, head.lemma_.lower())) or (
                how == "outlet" and words[-1] in word_set("outlet_words.txt")):
            found = cluster
    if found is not None and exact and any(_another_place(t, head, found) for t in ctx.tokens(
            max((m.end for m in found.mentions if m.end <= head.idx), default=0), head.idx)):
        return None
    return found


def _describing_words(noun: Token) -> set[str]:
    """The words that describe a noun in front of it ('detention' in 'the immigration detention centre')."""
    return {c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"}}


def _another_place(noun: Token, head: Token, organisation: EntityCluster) -> bool:
    """True if `noun` is the description's noun but names a place other than the organisation: with words before it
    that the name lacks ('the Bayview detention center'), or indefinite or described after it ('a center in Dunmore
    run by a private company'); not 'The center said', which refers back as `head` does."""
    if noun.lemma_.lower() not in organisation_nouns()[head.lemma_.lower()][1] or noun.i == head.i:
        return False  # not the noun in either spelling ('the city centre' before 'the center')
    indefinite = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children)
    described_after = any(c.dep_ in {"prep", "acl", "relcl"} for c in noun.children)
    return indefinite or described_after or not _describing_words(noun) <= set(organisation.name.lower().split())


RANK_MODIFIERS = frozenset({"vice", "deputy", "former", "ex", "assistant", "acting", "late"})


def _last_titled(ctx: _Context, head: Token, role: str) -> EntityCluster | None:
    """'The president said': when several people carry the role word, the one last named with it as a title
    before these words ('President Ana Lee'), not a 'Vice President Tom Baker' or a 'former president'."""
    starts, people = _titled_people(ctx).get(role, ([], []))
    before = bisect.bisect_left(starts, head.idx)
    return people[before - 1] if before else None


def _titled_people(ctx: _Context) -> dict[str, tuple[list[int], list[EntityCluster]]]:
    """For each role word, the person mentions outside quotations that it titles, in text order (their starts,
    and their people): the role's lemma among the three words before the name, and no rank modifier before
    its last one there. One pass over the mentions, kept on the context."""
    if ctx.titled_people is None:
        ctx.titled_people = {}
        for start, _, cluster in ctx.mention_index.starting_in(0, len(ctx.text)):
            span = ctx.doc.char_span(start, start + 1, alignment_mode="expand") if cluster.label == PERSON else None
            if span is None or ctx.in_quote(start):
                continue
            last = {t.lemma_.lower(): t for t in ctx.doc[max(0, span.start - 3): span.start]}  # the last of each
            for role, titled in last.items():
                if _titles_no_one(list(ctx.doc[titled.i + 1: span.start])):
                    continue
                if titled.i and ctx.doc[titled.i - 1].lower_.rstrip("-") not in RANK_MODIFIERS:
                    starts, people = ctx.titled_people.setdefault(role, ([], []))
                    starts.append(start)
                    people.append(cluster)
    return ctx.titled_people


def _resolve_pronoun(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Speaker:
    """Citron-style: a nearby subject in the same paragraph, else the last speaker, else the last person."""
    text = pronoun.text
    wanted = "m" if pronoun.lower_ in MALE_PRONOUNS else "f"
    if pronoun.lower_ in SINGULAR_PRONOUNS:
        asked = _the_one_asked(ctx, pronoun, paragraph, wanted)
        if asked is not None:  # 'Adebisi asked Raghunathan whether ... "No," she replied': the one asked
            return replace(asked, start=pronoun.idx, end=pronoun.idx + len(pronoun))
        unknown: EntityCluster | None = None  # a subject of unknown gender, if none of the right one comes
        guessed: EntityCluster | None = None  # a subject whose other gender only the given-name lists say
        last_here: EntityCluster | None = None  # the nearest subject, of unknown gender, who spoke last
        for i in range(pronoun.i - 1, -1, -1):
            token = ctx.doc[i]
            if token.idx < paragraph.start:
                break
            if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx) and not _reported_subject(token):
                cluster = _subject_person(ctx, token)
                if cluster is not None and ctx.gender(cluster) == wanted:
                    if last_here is not None and ctx.gender_guessed(cluster):
                        cluster = last_here  # 'said General Claude Reglat ... "...," he added' after Hervé Morin
                    return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
                if cluster is not None and ctx.gender(cluster) is None:
                    if unknown is None and _goes_on(ctx, cluster, pronoun, paragraph, wanted):
                        last_here = cluster
                    unknown = unknown or cluster
                if cluster is not None and ctx.gender(cluster) != wanted and ctx.gender_guessed(cluster):
                    guessed = guessed or cluster
                member = _one_of_people(token, wanted)
                if member is not None:  # 'One of the passengers described the night. "...," he said'
                    return Speaker(None, None, member, pronoun.idx, pronoun.idx + len(pronoun), DESCRIBED)
                # 'The head of the inquiry told the court ... She also said'
                described = _described_speaker_at(ctx, token, paragraph)
                if described is not None and NOUN_GENDER.get(token.lemma_.lower(), wanted) == wanted:
                    return replace(described, start=pronoun.idx, end=pronoun.idx + len(pronoun))
        # 'Mbeki denounced the operation. "...," he said': a person this paragraph introduces as a subject, not
        # yet quoted, before the last paragraph's speaker, even when only the earlier one's gender is known
        earlier_attributions = _recent(ctx, paragraph.number)
        introduced = unknown is not None
        only_here = _only_person_here(ctx, pronoun, paragraph, wanted)
        for genders in ({wanted}, {wanted, None}):  # a speaker of the pronoun's gender first
            if genders == {wanted, None} and unknown is not None:
                return Speaker(unknown.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
            for earlier in reversed(earlier_attributions):
                if introduced and earlier.paragraph != paragraph.number:
                    break
                if only_here is not None and earlier.paragraph != paragraph.number and genders == {wanted}:
                    # "Franklin's career ... She told Vogue": this paragraph's one woman, before earlier speakers
                    return Speaker(only_here.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
                # a gendered description ('the spokeswoman') first; 'a spokesperson' only after a person of
                # unknown gender who is the subject in this paragraph ('Brian Hook said ... He added')
                described = _described_speaker(ctx, earlier, wanted, strict=genders == {wanted})
                if described is not None:  # "The head of the inquiry told the court ... \n She also said"
                    return replace(described, start=pronoun.idx, end=pronoun.idx + len(pronoun))
                cluster = ctx.cluster_named(earlier.speaker)
                if cluster is not None and cluster.label == PERSON and ctx.gender(cluster) in genders:
                    return Speaker(earlier.speaker, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        window_start = _narrator_window_start(ctx, paragraph)
        recent = [
            (start, c) for start, _, c in ctx.mention_index.starting_in(window_start, pronoun.idx)
            if c.label == PERSON and not ctx.in_quote(start) and ctx.gender(c) in {wanted, None}
            and not _in_quoted_paragraph(ctx, start, paragraph)
        ]
        if guessed is not None and not (recent and recent[-1][0] >= paragraph.start):
            # 'The visiting coach Akira Tanabe said, "..." He added': this paragraph's subject, though the
            # given-name lists call the name a woman's, before a man only mentioned in earlier paragraphs
            return Speaker(guessed.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        if recent:
            cluster = _kin_owner(ctx, recent[-1][0], wanted) or recent[-1][1]
            return Speaker(cluster.name, PERSON, text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
    elif pronoun.lower_ == "it":
        found = _it_referent(ctx, pronoun, paragraph)
        if found is not None:
            return found
    elif pronoun.lower_ in PLURAL_PRONOUNS:
        subject = _plural_subject(ctx, pronoun, paragraph)
        if subject is not None:
            return _resolve_speaker(ctx, subject, paragraph)
        for earlier in reversed(_recent(ctx, paragraph.number)):
            if earlier.source_kind in {DESCRIBED, UNNAMED}:
                return Speaker(None, None, earlier.speaker_text, pronoun.idx, pronoun.idx + len(pronoun),
                               earlier.source_kind)
    return Speaker(None, None, text, pronoun.idx, pronoun.idx + len(pronoun), UNATTRIBUTED)


POSSESSIVE_GENDER = {"his": "m", "her": "f"}


def _kin_owner(ctx: _Context, start: int, wanted: str) -> EntityCluster | None:
    """The person whose relatives a mention names, when a possessive of the pronoun's gender owns them and that
    person is the clause's subject: in 'Maria Lopez left with her two daughters, Amna and Safiya. "...," she
    said' the mother speaks, not the last daughter named. Not 'her son, Gabor' before 'he said': 'her' is not he."""
    token = ctx.doc.char_span(start, start + 1, alignment_mode="expand")
    if token is None:
        return None
    kin = token[0]
    if any(c.dep_ in {"relcl", "acl"} or c.like_num for c in kin.children):
        return None  # 'her mother, Rosa, who is 92', 'his son, Ryan, 15': a relative described may be the one speaking
    while kin.dep_ in {"appos", "conj"} and kin.head.i < kin.i:
        kin = kin.head
    if kin.i == token[0].i or kin.lemma_.lower() not in word_set("kinship_nouns.txt") or not any(
            c.dep_ == "poss" and POSSESSIVE_GENDER.get(c.lower_) == wanted for c in kin.children):
        return None
    verb = next((a for a in kin.ancestors if a.pos_ in {"VERB", "AUX"}), None)
    while verb is not None and not any(c.dep_ == "nsubj" for c in verb.children) and verb.dep_ == "conj":
        verb = verb.head  # 'is 34 and left ... with her daughters': the subject of the first verb
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
    owner = _subject_person(ctx, subject) if subject is not None else None
    return owner if owner is not None and ctx.gender(owner) in {wanted, None} else None


CONTINUING_CUES = frozenset({"add", "continue"})


def _goes_on(ctx: _Context, cluster: EntityCluster, pronoun: Token, paragraph: Paragraph, wanted: str) -> bool:
    """True when the pronoun's 'added' goes on with the words attributed last, which are this paragraph's and
    `cluster`'s ('said General Claude Reglat. "...," he added'), before a person further back whom only the
    given-name lists give the pronoun's gender; not when the words that named the last speaker give the other
    gender ('said the spokeswoman, Robin Tate. "...," he added'), nor after 'said' or 'told', after which the one
    the paragraph is about may answer ('The charges were "political," said his lawyer. "I am innocent," he said')."""
    if not ctx.found or pronoun.head.lemma_.lower() not in CONTINUING_CUES:
        return False
    last = ctx.found[-1]
    if last.paragraph != paragraph.number or last.speaker != cluster.name or last.speaker_start is None:
        return False
    phrase = ctx.tokens(last.speaker_start, last.speaker_end or last.speaker_start)  # with the role beside the name
    words = {t.lower_ for n in phrase for t in (n, n.head, *n.children)} - set(cluster.name.lower().split())
    return all(_role_gender(word) in {wanted, None} for word in words)


def _role_gender(word: str) -> str | None:
    """'m' or 'f' for a person noun that says it: 'spokeswoman', 'abbot', 'bride' (`gendered_role_nouns.tsv`)."""
    return NOUN_GENDER.get(word) or _gendered_role_nouns().get(word)


@functools.cache
def _gendered_role_nouns() -> dict[str, str]:
    return {noun: gender for noun, gender in checked_table("gendered_role_nouns.tsv", 2)}


def _paragraph_index(ctx: _Context, start: int) -> int:
    """The index in `ctx.paragraphs` of the paragraph that holds offset `start` (or the last one before it)."""
    return max(0, bisect.bisect_right(ctx.paragraphs, start, key=lambda p: p.start) - 1)


NARRATOR_LOOKBACK = 8  # paragraphs: a pronoun after a long transcript looks no further back than this


def _narrator_window_start(ctx: _Context, paragraph: Paragraph) -> int:
    """Where to look back from for the person a 'he' or 'she' in `paragraph` names: the start of the paragraph
    two before it, not counting the paragraphs that quote someone as a whole (block quotes, posts), and at most
    `NARRATOR_LOOKBACK` paragraphs back."""
    index = _paragraph_index(ctx, paragraph.start)
    seen = 0
    for i in range(index - 1, max(-1, index - 1 - NARRATOR_LOOKBACK), -1):
        if ctx.paragraphs[i].number not in ctx.turns:
            seen += 1
            if seen == 2:
                return ctx.paragraphs[i].start
    return ctx.paragraphs[max(0, index - NARRATOR_LOOKBACK)].start


def _in_quoted_paragraph(ctx: _Context, start: int, paragraph: Paragraph) -> bool:
    """True if `start` lies in an earlier paragraph that quotes someone as a whole (a block quote, a post, a
    transcript turn): a person named only in the quoted words is not the narrator's 'he' or 'she'."""
    if start >= paragraph.start:
        return False
    return ctx.paragraphs[_paragraph_index(ctx, start)].number in ctx.turns


def _plural_subject(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Token | None:
    """The plural subject before a 'they' in its paragraph: "Officials went to the quay, where they claimed
    ...". The nearest one that can speak comes first: in 'The divers said the currents had grown stronger. They
    added, "..."' the divers speak, not the currents; a thing is taken only when no subject can speak."""
    subjects = []
    for i in range(pronoun.i - 1, max(0, pronoun.i - 60) - 1, -1):
        token = ctx.doc[i]
        if token.idx < paragraph.start:
            break
        if token.dep_ in SUBJECT_DEPS and not ctx.in_quote(token.idx) and (
                token.tag_ in {"NNS", "NNPS"} or ctx.cluster_at(token.idx, token.idx + len(token), {"ORG"})):
            # 'The commission criticised the move. They released ...': an organisation may be 'they'
            subjects.append(token)
    speaking = [t for t in subjects if _could_speak(t)]
    return next(iter(speaking or subjects), None)


def _one_of_people(token: Token, wanted: str) -> str | None:
    """'one <noun>' for a subject 'one of the <people>' that a he or she of gender `wanted` can refer back to:
    'One of the passengers, who was 70, described the night. "We were cold," he said' is one passenger, whom
    the text never names; not 'one of the mothers' for a 'he'."""
    if token.lower_ != "one":
        return None
    nouns = [o for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children
             if o.dep_ == "pobj" and o.tag_ == "NNS" and o.lemma_.lower() in _person_nouns()]
    if not nouns or NOUN_GENDER.get(nouns[0].lemma_.lower(), wanted) != wanted:
        return None
    return f"one {nouns[0].lemma_.lower()}"


REPLY_CUES = frozenset({"reply", "answer", "respond", "retort"})


def _the_one_asked(ctx: _Context, pronoun: Token, paragraph: Paragraph, wanted: str) -> Speaker | None:
    """Who the sentence before asked a question, when the pronoun is the subject of a reply ('Counsel Oyelowo
    Adebisi asked Priya Raghunathan whether she could be sure. "No," she replied.'): the answer is the one asked,
    though the asker is the nearer subject; after a sentence between, someone else may answer ('His lawyer rose to
    answer'). Only a person named, or described by a person noun ('asked the mayor'), as the object of 'ask', of
    the pronoun's gender or of none the text gives; not one asked to do something ('asked residents to stay
    indoors'), nor one the question's own pronoun gives the other gender."""
    if pronoun.dep_ not in SUBJECT_DEPS or pronoun.head.lemma_.lower() not in REPLY_CUES:
        return None
    sentence = pronoun.sent.start
    before = ctx.doc[sentence - 1].sent.start if sentence else 0  # the sentence right before the reply's, no further
    for token in reversed(ctx.tokens(max(paragraph.start, ctx.doc[before].idx), pronoun.idx)):
        if token.lemma_.lower() != "ask" or ctx.in_quote(token.idx):
            continue
        objects = [c for c in token.children if c.dep_ in {"dobj", "dative"} and c.pos_ in {"NOUN", "PROPN"}]
        question = next((c for c in token.children if c.dep_ == "ccomp" and (
            c.left_edge.lower_ in {"whether", "if"} or c.left_edge.tag_ in {"WRB", "WP", "WDT"})), None)
        if not objects or question is None:
            return None  # 'asked residents to stay indoors' asks for something, not a question she answers
        if any(c.dep_ in SUBJECT_DEPS and PRONOUN_GENDER.get(c.lower_, wanted) != wanted for c in question.children):
            return None  # 'asked the witness where he had been ... "Are you sure?" she responded': the asker
        cluster = _subject_person(ctx, objects[0])
        if cluster is not None:
            return Speaker(cluster.name, PERSON, pronoun.text, pronoun.idx, pronoun.idx + len(pronoun), NAMED) if (
                ctx.gender(cluster) in {wanted, None}) else None
        lemma = objects[0].lemma_.lower()
        if lemma not in _person_nouns() or NOUN_GENDER.get(lemma, wanted) != wanted:
            return None
        speaker = _resolve_speaker(ctx, objects[0], paragraph)
        return speaker if speaker.kind == DESCRIBED else None
    return None


def _only_person_here(ctx: _Context, pronoun: Token, paragraph: Paragraph, wanted: str) -> EntityCluster | None:
    """The one person of gender `wanted` named in this paragraph before the pronoun, outside quotation marks."""
    found = {c.name: c for start, _, c in ctx.mention_index.starting_in(paragraph.start, pronoun.idx)
             if c.label == PERSON and not ctx.in_quote(start) and ctx.gender(c) == wanted}
    return next(iter(found.values())) if len(found) == 1 else None


def _subject_person(ctx: _Context, subject: Token) -> EntityCluster | None:
    """The person a subject names: its own mention, or the name in apposition to a role
    ('The MP for Winchester, Mark Oaten, praised ...' names Oaten)."""
    cluster = ctx.cluster_at(subject.idx, subject.idx + len(subject), {PERSON})
    if cluster is not None or subject.pos_ not in {"NOUN", "PROPN"}:
        return cluster
    for child in subject.children:
        if child.dep_ == "appos" and child.i > subject.i and not ctx.in_quote(child.idx):
            cluster = ctx.cluster_at(child.idx, child.idx + len(child), {PERSON})
            if cluster is not None:
                return cluster
    return None


def _it_referent(ctx: _Context, pronoun: Token, paragraph: Paragraph) -> Speaker | None:
    """What a speaking 'it' refers to: never a person. The nearest earlier subject in the paragraph
    that is an organisation, a place or a singular source already quoted ('The city administration
    said ... It added that ...'), else the last such source quoted in this or the previous paragraph."""
    if is_expletive_it(pronoun):
        return None

    def at_pronoun(speaker: Speaker) -> Speaker:
        if speaker.name:
            return Speaker(speaker.name, speaker.label, pronoun.text, pronoun.idx, pronoun.idx + len(pronoun), NAMED)
        return Speaker(None, None, speaker.text, pronoun.idx, pronoun.idx + len(pronoun), speaker.kind)

    def singular_source(a: Attribution) -> bool:
        if a.speaker is not None:
            return ctx.labels.get(a.speaker) in SPEAKER_LABELS - {PERSON}
        span = ctx.doc.char_span(a.speaker_start or 0, a.speaker_end or 0, alignment_mode="expand")
        return (a.source_kind in {DESCRIBED, UNNAMED} and span is not None and len(span) > 0
                and span.root.pos_ in {"NOUN", "PROPN"} and span.root.tag_ not in {"NNS", "NNPS"}
                and span.root.lemma_.lower() not in word_set("person_roles.txt")
                and not any(c.dep_ == "conj" for c in span.root.children))  # 'the council and the operators'

    recent = [a for a in _recent(ctx, paragraph.number) if a.start < pronoun.idx and a.speaker_text]
    for i in range(pronoun.i - 1, max(0, pronoun.i - 80) - 1, -1):
        token = ctx.doc[i]
        if token.idx < paragraph.start:
            break
        if token.dep_ not in SUBJECT_DEPS or ctx.in_quote(token.idx) or token.pos_ not in {"NOUN", "PROPN"}:
            continue
        for a in reversed(recent):
            if a.speaker_start is not None and a.speaker_end is not None and (
                    a.speaker_start <= token.idx < a.speaker_end) and singular_source(a):
                return at_pronoun(Speaker(a.speaker, ctx.labels.get(a.speaker or ""), a.speaker_text,
                                          a.speaker_start, a.speaker_end, a.source_kind))
        if token.lemma_.lower() in _speech_nouns() and token.tag_ == "NN":
            # 'A statement by the campaign was posted online. It said ...': the statement, so its author
            found = _resolve_speaker(ctx, token, paragraph)
            if found.text and found.kind != UNATTRIBUTED:
                return at_pronoun(found)
        cluster = ctx.cluster_at(token.idx, token.idx + len(token))
        if cluster is not None and cluster.label != PERSON:
            return at_pronoun(Speaker(cluster.name, cluster.label, token.text, token.idx, token.idx + len(token),
                                      NAMED))
    for a in reversed(recent):
        if singular_source(a):
            return at_pronoun(Speaker(a.speaker, ctx.labels.get(a.speaker or ""), a.speaker_text,
                                      a.speaker_start, a.speaker_end, a.source_kind))
    return None


def _described_speaker_at(ctx: _Context, token: Token, paragraph: Paragraph) -> Speaker | None:
    """The speaker of an earlier attribution whose phrase (a description of a person, not a name)
    has `token` as its head word, so that a singular pronoun can refer back to it (not '25 MPs')."""
    if not _role_or_kin(token):
        return None
    for earlier in reversed(_recent(ctx, paragraph.number)):
        if (earlier.speaker is None and earlier.speaker_start is not None and earlier.speaker_end is not None
                and earlier.speaker_start <= token.idx < earlier.speaker_end):
            return Speaker(None, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end,
                           earlier.source_kind)
    return None


def _role_or_kin(noun: Token) -> bool:
    """True for one person's role or family relation ('the spokeswoman', 'the victim's wife'), not a plural."""
    lemma = noun.lemma_.lower()
    return (lemma in word_set("person_roles.txt") or lemma in word_set("kinship_nouns.txt")) and noun.tag_ not in {
        "NNS", "NNPS"}


def _described_speaker(ctx: _Context, earlier: Attribution, wanted: str, strict: bool = False) -> Speaker | None:
    """An earlier attribution's described source ('the head of the inquiry') that a singular pronoun
    of gender `wanted` can refer to: its head word names a person's role of no other gender
    (`strict`: a role word of that gender, 'spokeswoman')."""
    if earlier.speaker is not None or earlier.source_kind != DESCRIBED or earlier.speaker_start is None:
        return None
    span = ctx.doc.char_span(earlier.speaker_start, earlier.speaker_end or earlier.speaker_start,
                             alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    if not _role_or_kin(head):
        return None
    if NOUN_GENDER.get(head.lemma_.lower(), None if strict else wanted) != wanted:
        return None
    return Speaker(None, None, earlier.speaker_text, earlier.speaker_start, earlier.speaker_end, DESCRIBED)


def _spoken_to(ctx: _Context, cue: Token, token: Token) -> bool:
    """True if `token` is the object of a cue of telling (`addressee_cues.txt`: 'told AFP he expected ...'), or
    any word of it, title words and all, when what was said follows the object as a clause or an infinitive
    ('told Mayor Ana Voss that ...'; with a cue of urging, `directive_cues.txt`: 'urging Mayor Ana Voss to close
    the harbour'). With nothing said after it, a titled object may be the speaker of an inverted cue the parser
    misread ('"All is well," assured Deputy Mayor Ana Voss.'), so only the object's own word is refused; so too
    when what follows is a quotation's second half ('"Leave now," urged Chief Piet Lind, "the water is rising."')."""
    lemma = cue.lemma_.lower()
    telling = lemma in word_set("addressee_cues.txt")
    if not telling and lemma not in _directive_cues():
        return False
    objects = [o for o in cue.children if o.dep_ in {"dobj", "dative"}]
    if any(c.dep_ in {"ccomp", "xcomp"} and c.i > cue.i and not ctx.in_quote(c.idx) for c in cue.children):
        return any(o.i == token.i or o.is_ancestor(token) for o in objects)
    return telling and token in objects


def _named_after(ctx: _Context, cue: Token) -> Token | None:
    """The last word of a name that follows the cue ('said retired Col. Ana Lee'), if the
    parser gave the cue no subject."""
    first = None
    for token in cue.doc[cue.i + 1: cue.i + 7]:
        if token.text in {",", ".", ";", '"', "“", "”", "("}:
            break
        if _spoken_to(ctx, cue, token):
            break  # 'told AFP he expected ...', 'urging President Obama to ...': the one spoken to did not speak
        if token.pos_ == "ADP" and token.lower_ in {"to", "with"} and cue.lower_ != "according":
            break  # 'Speaking to AFP, ...': AFP listened
        found = ctx.mention_at(token.idx, token.idx + len(token))
        if found is not None:
            span = ctx.doc.char_span(found[0], found[1], alignment_mode="expand")
            last = span[-1] if span is not None else token
            if found[2].label == PERSON:  # 'tweeted Mayor of London Sadiq Khan': the person, not the city
                return last
            first = first or last
    return first


SEGMENT_BREAKS = frozenset({",", "(", ")", ";", ":", "—", "–", '"', "“", "”"})


def _named_before(ctx: _Context, cue: Token, subjectless: bool) -> Token | None:
    """The last word of a person's name set off by commas right before the cue, in one of the two
    segments before it: 'the institute's director, Dr. Ana Lee, said'; 'Ana Lee, a member of the
    board, said'. None when a segment holds a verb or a pronoun, or the nearer one is no person's role.
    For a cue the parser gave no subject, also a name right before it ('coach Ana Lee said', with
    'coach' taken for a verb)."""
    doc, sentence_start, end = cue.doc, cue.sent.start, cue.i - 1
    if (subjectless and end >= sentence_start and not ctx.in_quote(doc[end].idx)
            and ctx.mention_at(doc[end].idx, doc[end].idx + len(doc[end]), {PERSON}) is not None):
        return doc[end]
    for _ in range(2):
        if end <= sentence_start or doc[end].text != ",":
            return None
        start = end
        while start > sentence_start and doc[start - 1].text not in SEGMENT_BREAKS:
            start -= 1
        segment = doc[start:end]
        if not 0 < len(segment) <= 12 or any(t.pos_ in {"VERB", "AUX", "PRON"} or ctx.in_quote(t.idx)
                                             for t in segment):
            return None
        last = segment[-1]
        found = ctx.mention_at(last.idx, last.idx + len(last), {PERSON})
        if found is not None and found[1] >= last.idx + len(last) and not any(
                t.pos_ == "ADP" for t in segment if t.idx < found[0]):
            return last  # 'professor Ana Lee': the name ends the segment, with no 'by' or 'of' before it
        if segment.root.lemma_.lower() not in _person_nouns():
            return None  # 'the report, in March,': no description of a person between name and cue
        end = start - 1
    return None


def _titled_name_before(ctx: _Context, cue: Token, head: Token | None) -> Speaker | None:
    """The person whose name ends the cue's subject right before the cue, after a person noun that
    introduces it ('Longtime Harbour Hour writer and performer Rob Keller tweeted', which the parser may
    hang on the show's name): the name, not an entity named earlier in the description."""
    if head is None or cue.i < 2 or head.i >= cue.i:
        return None
    last = cue.doc[cue.i - 1]
    found = ctx.mention_at(last.idx, last.idx + len(last), {PERSON})
    if found is None or found[1] != last.idx + len(last) or not head.is_ancestor(last) and head.i != last.i:
        return None
    span = ctx.doc.char_span(found[0], found[1], alignment_mode="expand")
    if span is None or span.start == 0 or span.start <= head.left_edge.i:
        return None
    before = cue.doc[span.start - 1]
    if before.pos_ != "NOUN" or before.lemma_.lower() not in _person_nouns():
        return None
    cluster = found[2]
    return Speaker(cluster.name, PERSON, ctx.doc[head.left_edge.i: cue.i].text, head.left_edge.idx, found[1], NAMED)


def _in_tag(token: Token) -> bool:
    """True if `token` is part of a short bracketed tag: '[', 'es' or ']' of '[es]', '[video]'."""
    doc = token.doc
    for first in range(token.i - 2, token.i + 1):
        if first >= 0 and first + 2 < len(doc) and doc[first].text == "[" and doc[first + 2].text == "]":
            word = doc[first + 1].text
            return word.isalpha() and len(word) <= 5
    return False


def _subject_across_tag(ctx: _Context, cue: Token, head: Token | None, paragraph: Paragraph) -> Token | None:
    """The named person before a bracketed tag (a link's language or medium) that broke the parse of a cue's
    subject, or None: in 'Ana Lee (@analee) [fr] argued that ...' the small model may end a sentence before the
    tag, leave the cue without a subject, or take the tag itself for the subject, and then look for a speaker
    inside the reported clause. When the cue's subject is the tag, or it has none and the tag stands right
    before it or opens its sentence, the first person named in the words before the cue (in the sentence
    before, when the tag opens the sentence) speaks; those words must be a name and its description, with no
    verb of their own (a participle's subject, before the verb it hangs on)."""
    doc, sentence = cue.doc, cue.sent
    if head is not None and not _in_tag(head):
        return None
    opens_with_tag = _in_tag(sentence[0]) and sentence.start > 0
    before = doc[cue.i - 1] if cue.i > sentence.start else None
    while before is not None and before.i > sentence.start and before.text in {",", "]"} and not _in_tag(before):
        before = doc[before.i - 1]
    if head is None and not opens_with_tag and not (before is not None and _in_tag(before)):
        return None
    if opens_with_tag:
        if any(not (_in_tag(t) or t.is_punct) for t in doc[sentence.start: cue.i]):
            return None
        words = list(doc[sentence.start - 1].sent)
    else:  # up to the verb the tag is the subject of ('In a post [fr] on her blog, Ana Lee objected, arguing')
        words = list(doc[sentence.start: head.head.i if head is not None and head.head.i < cue.i else cue.i])
    if not words or words[0].idx < paragraph.start or any(
            t.pos_ in {"VERB", "AUX"} or ctx.in_quote(t.idx) for t in words if not _in_tag(t)):
        return None
    for token in words:
        found = ctx.mention_at(token.idx, token.idx + len(token)) if token.pos_ == "PROPN" else None
        if found is not None and found[2].label == PERSON:
            return token
    return None


def _cue_speaker(ctx: _Context, cue: Token, head: Token | None, paragraph: Paragraph) -> Speaker:
    """The speaker of `cue` whose subject the parser says is `head`; a name set off by commas just before
    the cue wins over a subject that is no named person ('NIAID's director, Dr. Ana Lee, said': the parser
    may make the institute the subject) and over none at all ('Speaking to AFP, ..., Ana Lee, said')."""
    speaker = _resolve_speaker(ctx, head, paragraph) if head is not None else NO_SPEAKER
    titled = _titled_name_before(ctx, cue, head)
    if titled is not None and titled.name != speaker.name:
        return titled
    if speaker.kind == NAMED and speaker.label == PERSON:
        return speaker
    name = _named_before(ctx, cue, subjectless=head is None)
    return _resolve_speaker(ctx, name, paragraph) if name is not None else speaker


# passive cues whose subject is the speaker: 'Lee was quoted in the Herald', 'was reported by the paper', 'was cited'
SPEAKER_PASSIVES = frozenset({"quote", "report", "cite"})


def _passive_subject_of(head: Token | None, verb: Token) -> bool:
    """True if `head` is the passive subject of `verb` ('the crews were told ...'), not an expletive 'it'."""
    return head is not None and head.dep_ == "nsubjpass" and head.head.i == verb.i and not is_expletive_it(head)


def _told_or_said(head: Token | None, cue_token: Token, cue: Cue) -> bool:
    """True if `head` is the passive subject of the speech verb `cue_token`: what was said ('After independence
    was declared, ...') or the one told ('The crews were told by the board: "..."'), never who said it; the
    passives of `SPEAKER_PASSIVES` are left alone."""
    return _passive_subject_of(head, cue_token) and cue.lemma not in SPEAKER_PASSIVES


SHOWING_VERBS = frozenset({"show", "prove", "demonstrate", "indicate", "suggest", "mean", "reveal"})


def _shown_in_a_report(cue: Token, subject: Token) -> bool:
    """'Unison said the case showed that "...": a verb of showing inside another cue's clause, whose subject is
    a thing that cannot speak; the words after it are the outer speaker's. Not 'said a study showed', a text."""
    return (cue.lemma_.lower() in SHOWING_VERBS and not _could_speak(subject)
            and any(cue_at(a) is not None for a in cue.ancestors))


def _cue_with_speaker(ctx: _Context, tokens: list[Token], paragraph: Paragraph,
                      relative: bool = False) -> tuple[Cue, Token, Speaker] | None:
    """The first cue among `tokens` with a speaker; a cue in a relative clause only if `relative`; a passive cue's
    speaker is its agent, never its subject (`_told_or_said`)."""
    for token in tokens:
        cue = cue_at(token)
        # a cue the parser hung on a quoted noun is the narrator's ('"... any assumption", Lee told the press')
        if (cue is None or cue.stance == "labelling" or ctx.in_quote(token.idx)
                or (in_relative_clause(token) and not relative and not ctx.in_quote(token.head.idx))):
            continue
        if _negated_or_hypothetical(token):
            continue  # 'She didn't say "perhaps never"': not her words
        if token.i in ctx.shared_speakers:  # 'said the force was working ... but stressed that "..."': hers
            return cue, token, ctx.shared_speakers[token.i]
        head = _speaker_token(token, cue) or _named_after(ctx, token)
        if head is not None and (ctx.in_quote(head.idx) or _shown_in_a_report(token, head)):
            continue
        if _told_or_said(head, token, cue):
            head = speaking_agent(token)  # 'was told by the board: "..."': the board speaks, not 'by phone'
            if head is None:
                continue  # 'After the timetable was announced, ...': no one who said it
        speaker = _cue_speaker(ctx, token, head, paragraph)
        if speaker.text:
            return cue, token, speaker
    return None
