"""Our own French rules (the "vigie.*" findings), run on each paragraph after Grammalecte, in
one place: french.py merges them with Grammalecte's findings (its own finding on the same words
is kept, except its advice, which gives way to a blocking rule of ours).

- french_rules: fixed phrases, agreement and conjugation details Grammalecte misses;
- homophones, homophone_on, homophone_a, homophone_ou, homophone_mais: et/est, son/sont,
  la/là, on/ont, a/à, ou/où, mais/mes/ma and a question's inversion hyphen, decided by the
  word classes around them;
- context_rules: agreement and homophones decided by a whole noun phrase (noun_phrases);
- homophone_et: et/est decided by the whole clause (two infinitives, a new subject, "qui et");
- et_est_missing_verb: et/est where the clause lacks a verb ("Le client et très satisfait")
  or a plural verb lacks its second subject ("le montant est la date doivent");
- et_est_second_verb: "est" before a second item and the clause's own verb → "et";
- verb_endings: -er/-é/-ez decided by the subject or the phrase around the verb;
- infinitive_after_verb: a form in -ez after a verb or a preposition, with no "vous";
- participle_avoir: a participle after a subject and "avoir" with no object before it;
- quantity_agreement: number after words of quantity ("trop de gens pense", "certaines
  personne");
- subject_verb: verb number decided by a whole subject ("le prix des billets ont",
  "le chat et le chien dort", "c'est nous qui a");
- homophones_by_verb: on/ont, son/sont, leur/leurs, ce/se, a/à, ou/où, et/est decided by the
  verb next to them;
- homophone_sur: sûr/sur decided by the words around ("posé sûr la table", "sûr Mars");
- homophones_short_words: ça/sa, n'y/ni, quel/qu'elle, mais/mes, tes/t'es,
  ces/c'est, sans/s'en, tous/tout decided by the word class the grammar needs next to them;
- auxiliary_slips: "tu la reçu" → "l'as", "il sait trompé" → "s'est", "est arrive" →
  "arrivé", "Qu'est ce qui" → "est-ce";
- accent_agreement: an accent slip making a word of another gender after a determiner
  ("le marche" → "marché");
- participle_agreement: a participle agreeing with a subject opened by "quel" or inverted
  after a question word, or after "avoir" with its object after it;
- noun_phrase_agreement: the verb past pronouns and complements, "qui" and its antecedent,
  adjectives after the noun that Grammalecte leaves ("une offre intéressant");
- relative_verb: "qui" + "être" + an attribute agreeing with the noun before "qui" while the
  verb does not ("mon neveu qui étaient né" → "était"), also through "avoir été"; a plural
  "des" phrase listed after "et"/"ou" before "qui"; "qu'est-ce qui" + a plural verb;
- relative_chain: the verb after "qui" when every noun of the chain of complements before it
  has one number ("la hauteur de la tour qui mesurent" → "mesure");
- etre_participle: a singular participle after "sont", "ont été"… ("se sont prononcé");
- list_items: "a" as the next item of a list opened by "à" ("à votre médecin, a
  votre pharmacien"), "est" joining a second complement ("de calcium est de vitamine D");
- infinitive_for_participle: a noun, an -er infinitive, then its second complement ("le nom
  donner à"), or ending the phrase ("une commande déjà expédier,"), or after "et" next to a
  compound tense ("a été livré et déposer") → the participle;
- ez_forms: -ez with no "vous", "vous" with no -ez ("vous me donner", "Qui a tuez", "un
  nommez");
- question_words: "et" right after a question word → "est" ("De quoi et fait…?");
- compounds_apart: a dictionary compound written as two words
  ("beau père", "franc maçon"), advice;
- cest_participle: an -er infinitive after a "c'est" opening its clause ("C'est
  compliquer", "ce n'est pas préciser dans le contrat") → the participle;
- long_subject: the participle after "être" past complements the noun-phrase reading stops at
  ("L'affaire des électeurs du IIIe arrondissement fut jugé" → "jugée");
- real_word_slips: "en" for "ne" before a verb and "pas", "Ais je ?" → "Ai-je", "Aie !" →
  "Aïe", "qui et protégé"/"Où et Amsterdam ?" → "est", "mélangé où administré" → "ou";
- capital_inside: a grammatical word capitalised inside a sentence ("ou alors Comment"),
  advice;
- adverb_la: "la" for "là" ending a clause or a demonstrative phrase ("je suis la", "ces gens
  la sont"), "ses choses là" → "ces";
- coordinated_et: "est" for "et" between two plural adjectives ("contrôlées est validées"),
  before "demi" or between ordinals, or opening a second clause ("… à l'heure est que je…");
- prefixes_apart: a prefix written apart ("son ex adjoint", "anti inflammatoire");
- preposition_a: "a" before a stressed pronoun, "être"/"avoir", a city's name, or after a
  whole verb group ("bon voyage a vous", "passé a l'époque", "le voyage a Pékin") → "à";
- infinitive_for_e: a participle in -é where only the infinitive fits ("pour passé un bon
  moment", "risque de gâché la soirée", "va falloir terminé");
- hyphen_joined: a hyphenated word the dictionary knows only joined ("super-marché" →
  "supermarché");
- future_conditional: "je" + a conditional where the sentence sets the future ("demain je
  finirais" → "finirai");
- ou_alternative: "où" offering an alternative in a question ("pour ça, où tu lui plais ?",
  "ton travail où en touriste ?") → "ou";
- homophone_son_plural: "son" before a plural attribute, past an adverb ("les cyclistes son
  très vulnérables") → "sont";
- tout_phrase: "tout"/"toute"/"tous"/"toutes" agreeing with the determined noun phrase after
  it ("toute les soirs" → "tous", "tous la journée" → "toute");
- apostrophe_apart: an elision typed apart without its apostrophe ("d habitude" →
  "d'habitude", "j ai" → "j'ai");
- elisions_joined: an elision joined to a word of its own or a name ("sil vous plaît",
  "au sujet dune commande", "lEurope") → "s'il", "d'une", "l'Europe";
- adjective_past_complement: an adjective after a noun and its complement that agrees with
  none of their nouns ("Effets indésirables post-commercialisation rapportées" → "rapportés");
- head_participle: the participle after "être" agreeing with the subject's head read past its
  adjectives, complements in any preposition and a modal ("Une erreur dans le calcul des frais
  a été corrigé", "La dose du matin doit être pris" → "corrigée", "prise").
"""

from __future__ import annotations

from canned_replies import (
    accent_agreement,
    adjective_past_complement,
    adverb_la,
    apostrophe_apart,
    auxiliary_slips,
    capital_inside,
    cest_participle,
    compounds_apart,
    context_rules,
    coordinated_et,
    elisions_joined,
    et_est_missing_verb,
    et_est_second_verb,
    etre_participle,
    ez_forms,
    french_rules,
    future_conditional,
    head_participle,
    homophone_a,
    homophone_et,
    homophone_mais,
    homophone_on,
    homophone_ou,
    homophone_son_plural,
    homophone_sur,
    homophones,
    homophones_by_verb,
    homophones_short_words,
    hyphen_joined,
    imperative_pronoun,
    infinitive_after_verb,
    infinitive_for_e,
    infinitive_for_participle,
    list_items,
    long_subject,
    noun_phrase_agreement,
    ou_alternative,
    participle_agreement,
    participle_avoir,
    prefixes_apart,
    preposition_a,
    quantity_agreement,
    question_words,
    real_word_slips,
    relative_chain,
    relative_verb,
    subject_verb,
    tout_phrase,
    verb_endings,
)
from canned_replies.findings import Finding

MODULES = (
    french_rules,
    homophones,
    homophone_on,
    homophone_a,
    homophone_ou,
    homophone_mais,
    homophone_et,
    et_est_missing_verb,
    et_est_second_verb,
    context_rules,
    verb_endings,
    infinitive_after_verb,
    participle_avoir,
    quantity_agreement,
    subject_verb,
    homophones_by_verb,
    participle_agreement,
    homophones_short_words,
    homophone_sur,
    auxiliary_slips,
    accent_agreement,
    noun_phrase_agreement,
    relative_verb,
    relative_chain,
    etre_participle,
    list_items,
    infinitive_for_participle,
    ez_forms,
    question_words,
    compounds_apart,
    cest_participle,
    long_subject,
    real_word_slips,
    capital_inside,
    adverb_la,
    coordinated_et,
    prefixes_apart,
    preposition_a,
    infinitive_for_e,
    ou_alternative,
    hyphen_joined,
    future_conditional,
    homophone_son_plural,
    tout_phrase,
    apostrophe_apart,
    elisions_joined,
    adjective_past_complement,
    imperative_pronoun,
    head_participle,
)


def check(paragraph: str) -> list[Finding]:
    """Every finding of our rules on an already masked paragraph."""
    return [finding for module in MODULES for finding in module.check(paragraph)]
