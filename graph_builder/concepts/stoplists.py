"""Words that never make a concept on their own, and modifiers that add nothing."""

from __future__ import annotations

__all__ = ["GENERIC_MODIFIERS", "GENERIC_NOUNS", "KEEP_PLURAL", "NOUN_USES"]

#: Heads so general that, alone, they say nothing about a paper's subject.
GENERIC_NOUNS: frozenset[str] = frozenset(
    """
    ability account advance advantage amount application approach area article aspect attempt
    attribute basis capability capacity case challenge change choice class conclusion condition
    conjunction contribution cost course data dataset datum degree detail development difference
    direction domain effect effort element end evidence example experiment extent fact
    factor feature field finding form framework function goal group help idea importance
    impact information insight instance interest issue item kind lack letter level literature lot
    manner matter means method methodology model mystery nature need notion number objective
    one order outcome overview paper part people performance perspective picture place point
    possibility practice present problem procedure process progress property proposal
    purpose quality quantity question range rate reason regard report research researcher
    respect result review role scheme scope sense set setting side situation size solution
    source spite stage standpoint state step strategy study subject success system task
    technique term thing time tool topic type understanding use user value variety version
    view volume way work world
    """.split()
)

#: Modifiers stripped from the front of a candidate ("various domains" -> "domains").
GENERIC_MODIFIERS: frozenset[str] = frozenset(
    """
    additional abundant appropriate available better best broad certain common considerable
    corresponding current cutting-edge different diverse due entire essential existing extensive
    few first following further given good great huge important interesting key last later
    latter little main major many more most much new next novel numerous other overall own
    particular possible potential present previous prior proper proposed prominent promising
    real-world recent related relevant remarkable respective same second several significant
    similar simple simpler so-called specific state-of-the-art striking substantial successful
    such suitable third tiny traditional typical up-to-date usual various vast well-known whole
    wide widely
    """.split()
)

#: Nouns whose plural form is the concept ("data", not "datum").
KEEP_PLURAL: frozenset[str] = frozenset(
    """
    analytics data dynamics economics electronics genetics graphics kinetics linguistics
    mathematics mechanics metadata metrics news optics physics robotics semantics series
    species statistics thermodynamics
    """.split()
)

#: Verbs (and never nouns, for the pipeline's lemma index) that technical writing
#: uses as nouns: "wavelet transforms", "model edits", "test-time compute".
NOUN_USES: frozenset[str] = frozenset("compute download edit reuse transform upload".split())
