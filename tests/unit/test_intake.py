"""Intake's pure part: quotation marks of every convention, kinds, speakers, evidence and chains.

The seed article (../shared/seed/article-en.txt, kept as tests/data/seed-article-en.txt) is the first test;
the invented lines below show one habit of real pages each. Quality on real articles is measured by
bench/intake.py, not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from provenance.intake import extract
from provenance.intake.marks import pairs

ARTICLES = Path(__file__).resolve().parents[1] / "data" / "articles"
SEED = (Path(__file__).resolve().parents[1] / "data" / "seed-article-en.txt").read_text(encoding="utf-8")


def _quotes(text: str, language: str = "en") -> dict[str, object]:
    return {q.text: q for q in extract(text, language=language)}


def test_the_seed_article_gives_choes_quote_with_its_evidence_and_chain() -> None:
    found = _quotes(SEED)
    first = found["We reaffirm that we will always stand firmly by our Russian comrades until the day of victory."]
    assert first.kind == "full" and first.speaker == "Choe Son Hui"
    assert "According to an AFP report based on a Russian translation of her remarks" in [e.text for e in first.evidence]
    assert [(h["source"], h["language"], h["kind"]) for h in first.chain] == [
        ("lejdd.fr", "fr", "newspaper"), ("AFP", None, "agency"), ("Russian translation", "ru", "interpreter"),
        ("Choe Son Hui", "ko", "speaker")]
    for e in first.evidence:
        assert SEED[e.start:e.end] == e.text
    assert SEED[first.start:first.end] == first.text


def test_the_seed_article_gives_every_quote_its_speaker_and_kind() -> None:
    found = _quotes(SEED)
    assert found["there is no doubt the Russian army and people will achieve a great victory."].speaker == "Choe Son Hui"
    assert found["very close contacts"].speaker == "Sergei Lavrov"
    assert found["gratitude for North Korea’s principled stance."].speaker == "Sergei Lavrov"
    assert found["ask Pyongyang directly"].speaker == "Maria Zakharova"
    assert found["insufficient"].speaker == "Volodymyr Zelensky"
    assert "officials" in found["concrete evidence"].speaker
    assert "representative" in found["unfounded rumors."].speaker
    for partial in ("concrete evidence", "unfounded rumors.", "ask Pyongyang directly", "insufficient"):
        assert found[partial].kind == "partial"
    assert found["denazify"].kind == "scare" and found["denazify"].speaker == "Moscow"  # Moscow claims it, not Choe
    assert len(found) == 9


@pytest.mark.parametrize("text, inner", [
    ("Er sagte: „Wir schaffen das.“ Dann ging er.", ["Wir schaffen das."]),
    ("Il a dit : « Nous ne céderons pas » hier.", ["Nous ne céderons pas"]),
    ("Он заявил: «Мы не уступим». Затем ушёл.", ["Мы не уступим»."[:-2]]),
    ("Sie sagte: »Wir bleiben« und ging.", ["Wir bleiben"]),
    ("He said \"we stay\" and left.", ["we stay"]),
    ("“We will not,” she said, “ever give up.”", ["We will not,", "ever give up."]),
    ("“Outer ‘inner words’ end,” he said.", ["Outer ‘inner words’ end,", "inner words"]),
    ("The Workers’ Party of Côte d’Ivoire said “no”.", ["no"]),
    ("Le ministre a dit «mismatched\" hier.", ["mismatched"]),
    ("「東京」と言った。", ["東京"]),
])
def test_quotation_marks_of_every_convention(text: str, inner: list[str]) -> None:
    got = [text[p.open + 1:p.close].strip() for p in pairs(text)]
    assert got == inner


def test_a_quotation_over_two_paragraphs_is_read_paragraph_by_paragraph() -> None:
    text = "She said:\n\n“First part of it.\n\n“Second part,” she added."
    got = [text[p.open + 1:p.close].strip() for p in pairs(text)]
    assert got == ["First part of it.", "Second part,"]


def test_a_dateline_is_evidence_for_every_quote_and_names_the_agency() -> None:
    text = "MOSCOW, Nov 16 (Reuters) - The minister spoke.\n\n“We will see,” Sergei Lavrov said."
    (q,) = extract(text, language="en")
    assert q.speaker == "Sergei Lavrov"
    assert any("(Reuters)" in e.text for e in q.evidence)
    assert q.chain[0]["source"] == "Reuters" and q.chain[0]["kind"] == "agency"


def test_a_photo_credit_is_not_evidence() -> None:
    text = "Photo: AFP\n\n“We will see,” Sergei Lavrov said."
    (q,) = extract(text, language="en")
    assert all("AFP" not in e.text for e in q.evidence)
    assert [h["kind"] for h in q.chain] == ["speaker"]


def test_cue_verbs_of_other_languages() -> None:
    (q,) = extract("« Nous ne céderons pas », a déclaré Emmanuel Macron selon l'AFP.", language="fr")
    assert q.speaker == "Emmanuel Macron" and q.chain[0]["source"] == "AFP"
    (q,) = extract("„Wir schaffen das“, sagte Angela Merkel laut dpa.", language="de")
    assert q.speaker == "Angela Merkel" and q.chain[0]["source"] == "dpa"


def test_every_word_list_is_a_list_of_plain_words() -> None:
    """A cue written `источник:,` in a flow list reads as a mapping, not a word: every entry must be a string."""
    import yaml

    root = Path(__file__).resolve().parents[2] / "provenance" / "data" / "intake"
    for path in sorted(root.glob("*.yaml")):
        if path.name in ("sources.yaml", "languages.yaml"):
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        data.update(data.pop("kinds", {}))  # closed.yaml: the kinds of source, a list each
        for name, words in data.items():
            assert isinstance(words, list), (path.name, name)
            bad = [w for w in words if not isinstance(w, str)]
            assert bad == [], (path.name, name, bad)


def test_a_term_in_a_reported_clause_is_the_speakers_word() -> None:
    """Far from its verb, but inside the clause the verb reports: partial, not a scare quote."""
    (q,) = extract("El ministro Oscar Puente dijo que el presidente había aparecido en televisión bajo los efectos "
                   "de “sustancias” el domingo.", language="es")
    assert q.kind == "partial"
    (q,) = extract("Russia continues the war, which Moscow claims is necessary to counter NATO and to “denazify” "
                   "Ukraine.", language="en")
    assert q.kind == "scare"


def test_the_narrators_insertion_between_dashes_names_the_speaker() -> None:
    found = extract("“Dobbiamo prepararci – ha precisato il premier Mario Draghi –. Non è un’economia di guerra”.",
                    language="it")
    assert found[0].speaker == "Mario Draghi"


def test_a_word_opening_a_sentence_is_not_part_of_the_name_after_it() -> None:
    text = ("Emmanuel Macron a parlé hier. Concernant Ouattara qu’il a félicité, Macron a été plus clair. "
            "« Il appartiendra au Président de définir les termes », ajoute-t-il.")
    from provenance.intake.text import read

    assert "Concernant Ouattara" not in [m.text for m in read(text, "fr").mentions]
    assert extract(text, language="fr")[0].speaker == "Emmanuel Macron"


def test_a_german_dative_names_the_paper_the_words_were_told_to() -> None:
    text = ('„Wir wissen es nicht“, sagte Bouillon, der auch Vorsitzender der Konferenz ist, dem „Handelsblatt“.\n\n'
            '„Das ist ein Skandal“, sagte Bouillon.')
    for q in [q for q in extract(text, language="de") if q.kind != "scare"]:  # „Handelsblatt“ is a title
        assert q.speaker == "Bouillon"
        assert "Handelsblatt" in [h["source"] for h in q.chain], q.chain  # the later quote came the same way


def test_a_role_in_apposition_after_a_name_points_back_to_it() -> None:
    text = ("Ayer, Oscar Puente, el ministro español, habló en Madrid. El presidente Javier Milei no respondió.\n\n"
            "«Fue un error», dijo el ministro.")
    assert _quotes(text, "es")["Fue un error"].speaker == "Oscar Puente"


def test_a_country_is_the_speaker_only_when_no_cue_names_a_person() -> None:
    text = ("El ministro José Manuel Albares habló en Madrid. El ministro destacó que México y España sostiene que "
            "la relación «es una asociación estratégica».")
    assert _quotes(text, "es")["es una asociación estratégica"].speaker == "José Manuel Albares"
    assert _quotes("L'opération est « nécessaire », affirme Moscou.", "fr")["nécessaire"].speaker == "Moscou"


def test_a_name_introduced_as_an_outlet_is_never_a_speaker_but_a_channel() -> None:
    text = ('"Je voulais sortir", a-t-il déclaré dans une interview accordée à la radio sénégalaise Rfm.\n\n'
            'Sans confirmer le bilan avancé par Rfm, le capitaine a semblé dépassé : "Les gens m’ont dit de rester".')
    found = extract(text, language="fr")
    assert len(found) == 2 and all(q.speaker != "Rfm" for q in found)
    assert "Rfm" in [h["source"] for h in found[0].chain], found[0].chain  # claimed though nobody could be named


def test_a_role_nobody_in_the_article_carries_is_the_person_the_article_is_about() -> None:
    text = ("António Costa pediu desculpa esta sexta-feira. Costa falou em Bruxelas sobre o facto de não ter "
            'contactado Carlos Moedas. O primeiro-ministro admitiu que estava "irritado".')
    assert _quotes(text, "pt")["irritado"].speaker == "António Costa"


def test_a_sentence_that_says_who_spoke_introduces_the_quotation_after_it() -> None:
    text = ("Денис Шмигаль очолює уряд.\n\nПро це йдеться у повідомленні народного депутата Олексія Гончаренка в "
            "Telegram.\n\n\"На початку наступного року може бути створено окреме міністерство\".")
    quote = _quotes(text, "uk")["На початку наступного року може бути створено окреме міністерство"]
    assert quote.speaker == "Олексія Гончаренка"  # named as the sentence names him; the case is left as written
    assert "Telegram" in [h["source"] for h in quote.chain]


def test_a_web_address_closing_the_page_is_the_source_it_copies() -> None:
    text = ("«Non sono stanco», dice il premier Mario Draghi. «La pace è il valore più importante, "
            "indipendentemente dal sacrificio». tgcom24.mediaset.it\n")
    for q in extract(text, language="it"):
        assert "tgcom24.mediaset.it" in [e.text for e in q.evidence]
        assert q.chain[0]["source"] == "tgcom24.mediaset.it" and q.chain[-1]["source"] == "Mario Draghi"
    bare = extract("«Non sono stanco», dice Mario Draghi, secondo tgcom24.mediaset.it e altri.", language="it")
    assert all(e.reach != "article" for q in bare for e in q.evidence)  # an address inside a sentence is not it


def test_german_guillemets_pointing_inwards_are_read_the_german_way() -> None:
    text = "Er fordert auf, es ihm »von den Lippen« abzulesen: »Ohne Gas oder ohne euch? Ohne euch.«, sagte Selenskyj."
    found = _quotes(text, "de")
    assert set(found) == {"von den Lippen", "Ohne Gas oder ohne euch? Ohne euch."}
    assert found["Ohne Gas oder ohne euch? Ohne euch."].speaker == "Selenskyj"
    assert [p for p in pairs("« Nous sommes en guerre », a dit Macron.")][0].close == 24  # French spacing still read


def test_a_clause_reported_after_a_comma_holds_the_speakers_words_unless_it_names_a_term_again() -> None:
    text = ("Зеленский добавил, что договор с Россией может быть заключен, только когда РФ «покинет украинские "
            "территории».")
    assert _quotes(text, "ru")["покинет украинские территории"].kind == "partial"
    headline = ("Мединский: включение в «кремлевский доклад» меня не интересует\n\nМинистр Владимир Мединский заявил, "
                "что наличие или отсутствие его фамилии в «кремлевском докладе» его не интересует.")
    assert {q.kind for q in extract(headline, language="ru")} == {"scare"}  # the same term, in another case


def test_a_preposition_that_governs_the_word_before_a_name_leaves_the_name_the_subject() -> None:
    text = "В связи с этим Зеленский призвал США «выполнить свою домашнюю работу» и склонить Россию к перемирию."
    assert _quotes(text, "ru")["выполнить свою домашнюю работу"].speaker == "Зеленский"
    assert _quotes("The talks at the United Nations, said Smith, were “useful”.", "en")["useful"].speaker == "Smith"


def test_a_name_in_the_dative_is_spoken_to_not_the_speaker() -> None:
    text = ("Президент Украины Владимир Зеленский в интервью британскому журналисту Пирсу Моргану заявил, что США "
            "хотят его «сменить».")
    assert _quotes(text, "ru")["сменить"].speaker == "Владимир Зеленский"


def test_a_relative_clause_between_subject_and_verb_is_skipped_and_a_role_keeps_its_complement() -> None:
    text = ("Répondant à BFMTV, le chef de l'Etat, qui venait de réveillonner avec les soldats sur la base militaire "
            "de N'Djamena, a expliqué que \"le ministre a suivi les choses\".")
    assert _quotes(text, "fr")["le ministre a suivi les choses"].speaker == "le chef de l'Etat"
    named = ("Emmanuel Macron, qui venait de rencontrer Olaf Scholz à Berlin, a déclaré que \"rien n'est "
             "décidé\".")
    assert _quotes(named, "fr")["rien n'est décidé"].speaker == "Emmanuel Macron"


def test_a_role_inside_the_narrators_dashes_points_back_to_the_person_with_that_role() -> None:
    text = ("Fue la respuesta que dio Oscar Puente, el ministro español. Antes dijo que el presidente Javier Milei "
            "había hablado.\n\n"
            "“A veces uno cree que está hablando para 200 personas -se justificó el ministro-. Estaba en Salamanca.”")
    assert _quotes(text, "es")["A veces uno cree que está hablando para 200 personas -se justificó el ministro-. "
                               "Estaba en Salamanca."].speaker == "Oscar Puente"


def test_a_cue_verb_in_the_infinitive_names_its_speaker() -> None:
    text = ('El presidente Javier Milei habló ayer.\n\nAsimismo, Mondino no dudó en afirmar que "hay que bajarle el '
            'tono a esto".')
    assert _quotes(text, "es")["hay que bajarle el tono a esto"].speaker == "Mondino"


def test_a_surname_right_after_a_quotation_is_not_a_sentences_first_word() -> None:
    assert _quotes('"We will win," Peskov told reporters on Friday.')["We will win,"].speaker == "Peskov"
    headline = "Il tema è la guerra. “Sacrifici contenuti” – Sulle sanzioni il premier Mario Draghi è chiaro."
    assert all(q.speaker != "Sulle" for q in extract(headline, language="it"))  # a new sentence after the dash


def test_a_cue_that_names_the_speaker_is_not_evidence_of_a_channel() -> None:
    (quote,) = extract("«Мы победим», — заявил Песков.", language="ru")
    assert quote.speaker == "Песков" and quote.evidence == []
    assert [h["kind"] for h in quote.chain] == ["speaker"]


def test_a_role_with_no_one_named_in_the_body_is_the_person_the_headline_names() -> None:
    text = ("Répondant à BFMTV, le chef de l'Etat, qui venait de réveillonner avec les soldats, a expliqué que "
            "\"le ministre a suivi les choses\".")
    titled = {q.text: q for q in extract(text, language="fr", title="Gilets jaunes : Macron appelle à l'ordre")}
    assert titled["le ministre a suivi les choses"].speaker == "Macron"
    assert _quotes(text, "fr")["le ministre a suivi les choses"].speaker == "le chef de l'Etat"  # no headline
    named = ("Emmanuel Macron a reçu la ministre. Le chef de l'Etat a expliqué que \"rien n'est décidé\".")
    body = {q.text: q for q in extract(named, language="fr", title="Olaf Scholz à Paris")}
    assert body["rien n'est décidé"].speaker == "Emmanuel Macron"  # the body's own antecedent comes first


def test_machine_components_are_versioned_by_the_files_that_decide_their_output() -> None:
    from provenance import intake
    from provenance.drift import ANALYZER_VERSION
    from provenance.versions import source_digest

    intake_digest = source_digest((("intake", ".py"), ("data/intake", ".yaml"), ("", "lemmas.py")))
    assert intake.VERSION == "1+" + intake_digest and len(intake_digest) == 12
    assert ANALYZER_VERSION.endswith(source_digest((("align", ".py"), ("drift", ".py"), ("drift/checks", ".py"),
                                                    ("data/wordlists", ".yaml"), ("data/intake", "sources.yaml"),
                                                    ("", "lemmas.py"))))
    assert intake_digest != source_digest((("intake", ".py"),))  # the word lists count too
    # a folder's files are taken by their ending: the lemmatiser is one file of provenance/, not all of them
    assert source_digest((("", "lemmas.py"),)) != source_digest((("", ".py"),))


def test_the_pronoun_after_an_elided_que_is_the_cues_subject_not_the_name_before_it() -> None:
    text = ("Emmanuel Macron a parlé à la presse. Concernant Ouattara qu’il a félicité, le président a été plus "
            "« tendre ». En effet, il déclare « penser vraiment » qu’Alassane Ouattara « s’est présenté par devoir ».")
    found = _quotes(text, "fr")
    assert found["penser vraiment"].speaker == "Emmanuel Macron"
    assert found["s’est présenté par devoir"].speaker == "Emmanuel Macron"


def test_a_channel_named_after_a_speakers_first_quotation_is_evidence_for_it_too() -> None:
    text = ("La ministra Diana Mondino advirtió este jueves que \"no se rompieron relaciones\" con Colombia.\n\n"
            "Además, entrevistada en Todo Noticias, aclaró que no tuvo \"ninguna notificación\".")
    found = _quotes(text, "es")
    first, second = found["no se rompieron relaciones"], found["ninguna notificación"]
    assert any("Todo Noticias" in text[e.start:e.end] for e in second.evidence)
    assert any("Todo Noticias" in text[e.start:e.end] for e in first.evidence)
    assert any((h.get("source") or "") == "Todo Noticias" for h in first.chain)


def test_a_synonym_role_points_back_to_the_person_the_article_is_about() -> None:
    text = ("La ministra de Relaciones Exteriores, Diana Mondino, advirtió que \"no se rompieron relaciones\", luego "
            "del entredicho entre el presidente Javier Milei y su par Gustavo Petro.\n\n"
            "Mondino habló con la prensa.\n\n"
            "\"No tenemos un tema de Estado\", aseguró la canciller en declaraciones al canal Todo Noticias.")
    assert _quotes(text, "es")["No tenemos un tema de Estado"].speaker == "Diana Mondino"


def test_a_role_opening_an_excerpt_is_the_person_named_further_on() -> None:
    text = ("Le chef de l'Etat a également précisé qu'il n'y avait \"rien d'exagéré dans cette position\".\n\n"
            "\"Il n'en est pas question\", a déclaré M. Poutine.")
    found = _quotes(text, "fr")
    assert found["rien d'exagéré dans cette position"].speaker == "Poutine"
    assert found["Il n'en est pas question"].speaker == "Poutine"


def test_a_phrase_of_place_or_time_between_subject_and_verb_names_no_speaker() -> None:
    text = ("\"La France n'a pas peur\", a déclaré le ministre de l'Intérieur, Bernard Cazeneuve.\n\n"
            "Fustigeant cet \"appel au meurtre\", le ministre, dans une déclaration solennelle place Beauvau à Paris, "
            "a martelé: \"Nous ne céderons pas\".")
    assert _quotes(text, "fr")["Nous ne céderons pas"].speaker == "Bernard Cazeneuve"


def test_a_programme_named_with_its_broadcaster_is_the_channel() -> None:
    text = ("Paolo Gentiloni è stato ospite a Otto e Mezzo, trasmissione di La7. “Se l’Italia chiama, deve "
            "chiamare”, ha detto Gentiloni.")
    (q,) = extract(text, language="it")
    assert q.speaker == "Paolo Gentiloni"
    assert q.chain[0] == {"source": "Otto e Mezzo (La7)", "language": "it", "kind": "broadcaster"}


def test_a_bare_role_in_a_language_without_articles_is_the_person_named_with_it() -> None:
    text = ("Міністр закордонних справ України Дмитро Кулеба заявив, що проведе переговори з Лавровим.\n\n"
            "Міністр розповів, що Лавров уникав зустрічі.\n\n"
            "\"Ми послухаємо\", - наголосив міністр.")
    found = _quotes(text, "uk")
    assert found["Ми послухаємо"].speaker == "Дмитро Кулеба"


def test_a_party_in_parentheses_after_a_name_is_not_a_speaker() -> None:
    text = "Außenminister Frank-Walter Steinmeier (SPD) sagte: „Wir bleiben neutral.“"
    assert _quotes(text, "de")["Wir bleiben neutral."].speaker == "Frank-Walter Steinmeier"


def test_a_sentence_after_that_points_back_names_the_speaker_of_the_words_before() -> None:
    text = ("Все страны НАТО хотят \"надрать задницу\" России. Об этом в четверг заявил глава МИД Украины Дмитрий "
            "Кулеба в интервью телеканалу Sky News.")
    (q,) = extract(text, language="ru")
    assert (q.kind, q.speaker) == ("partial", "Дмитрий Кулеба")
    assert any(h.get("source") == "Sky News" for h in q.chain)


def test_a_scholars_title_compounded_before_a_name_is_a_role_not_part_of_the_name() -> None:
    text = ("Boris Pistorius hat gewarnt. Damit liegt er auf einer Linie mit dem Militärhistoriker Neitzel, der - "
            "ebenfalls im ZDF - forderte: \"Wir müssen kriegstüchtig werden\".")
    assert _quotes(text, "de")["Wir müssen kriegstüchtig werden"].speaker == "Neitzel"


def test_headings_of_a_roundup_name_the_speaker_of_the_quotations_under_them() -> None:
    text = ("Líderes reagem à decisão\n\n"
            "PRIMEIRO-MINISTRO CANADENSE JUSTIN TRUDEAU\n\n"
            "\"Conheço o presidente Biden há anos. Ele é um grande homem.\"\n\n"
            "CHANCELER ALEMÃO OLAF SCHOLZ, NO X\n\n"
            "\"Joe Biden realizou muitas conquistas.\"\n\n"
            "\"Graças a ele, a cooperação é estreita.\"\n")
    found = _quotes(text, "pt")
    assert "Trudeau" in (found["Conheço o presidente Biden há anos. Ele é um grande homem."].speaker or "").title()
    later = found["Graças a ele, a cooperação é estreita."]
    assert "Scholz" in (later.speaker or "").title()
    assert "CHANCELER ALEMÃO OLAF SCHOLZ, NO X" in [e.text for e in later.evidence]
    # one name alone above a quotation is a byline, not a roundup's heading
    byline = _quotes("Minister regrets his words\n\nMarina Artusa\n\n\"I said what I said.\"\n\n"
                     "That was the answer Oscar Puente gave to a reporter.\n")
    assert byline["I said what I said."].speaker != "Marina Artusa"


def test_a_source_in_parentheses_closing_a_paragraph_is_its_quotations_evidence() -> None:
    text = ("Israeli Prime Minister Benjamin Netanyahu has congratulated Donald Trump. Netanyahu said he believes "
            "the two leaders \"will continue to strengthen the alliance.\" (Reuters)\n\n"
            "German Chancellor Angela Merkel offered \"close cooperation\", she told reporters in Berlin.\n")
    found = _quotes(text)
    assert "(Reuters)" in [e.text for e in found["will continue to strengthen the alliance."].evidence]
    assert [h["source"] for h in found["will continue to strengthen the alliance."].chain][0] == "Reuters"
    assert "(Reuters)" not in [e.text for e in found["close cooperation"].evidence]
    assert found["close cooperation"].speaker == "Angela Merkel"  # "she", named in her own sentence


def test_a_verbless_sentence_after_names_the_speaker_and_a_role_may_stand_before_the_name() -> None:
    text = ("«È molto grave l'attacco al Presidente della Repubblica». Così la segretaria dem Elly Schlein, ospite "
            "di Agorà su Rai3.\n\n"
            "«Nessuna polemica col presidente Mattarella». Lo ha detto il vicepremier e segretario della Lega, "
            "Matteo Salvini, questa mattina.\n\n"
            "«Sono convinta che si possa trovare una sintesi». Lo ha affermato la presidente del Consiglio "
            "Giorgia Meloni in un'intervista.\n")
    found = _quotes(text, "it")
    assert found["È molto grave l'attacco al Presidente della Repubblica"].speaker == "Elly Schlein"
    assert found["Nessuna polemica col presidente Mattarella"].speaker == "Matteo Salvini"
    assert found["Sono convinta che si possa trovare una sintesi"].speaker == "Giorgia Meloni"
    # a name after other words than a role is the cue's object, not its subject
    asked = _quotes("Se le preguntó si se reuniría con la primera ministra, Mirtha Vásquez.\n\n"
                    "“Voy a entrar a una reunión”, añadió el ministro Eduardo Gonzáles.\n", "es")
    assert asked["Voy a entrar a una reunión"].speaker == "Eduardo Gonzáles"


def test_a_participles_speaker_is_the_sentences_subject_and_a_role_gives_way_to_the_name_after_it() -> None:
    found = _quotes("Israeli Prime Minister Benjamin Netanyahu has congratulated Donald Trump, calling him a \"true "
                    "friend of the State of Israel.\" Pope Francis said nothing, but secretary of state, Cardinal "
                    "Pietro Parolin, offered congratulations in a statement that \"his government can be fruitful.\"")
    assert found["true friend of the State of Israel."].speaker == "Benjamin Netanyahu"
    assert found["his government can be fruitful."].speaker == "Pietro Parolin"
    # the name after a cue and its "що" is what the role speaks of, not who speaks
    ukrainian = _quotes("Міністр закордонних справ Дмитро Кулеба виступив в ефірі.\n\nМіністр розповів, що Лавров "
                        "два роки уникав зустрічі: \"А тут раптом погодився\".", "uk")
    assert ukrainian["А тут раптом погодився"].speaker == "Дмитро Кулеба"


def test_a_partial_quote_with_no_cue_is_its_sentences_subjects_and_an_embedded_posts_signature_is_evidence() -> None:
    text = ("Marine Le Pen a été l'une des premières à réagir à la victoire de Donald Trump. La présidente du Front "
            "national a adressé ses félicitations « au peuple américain, libre ».\n\n"
            "Félicitations au nouveau président des Etats-Unis Donald Trump et au peuple américain, libre ! MLP\n\n"
            "— Marine Le Pen (@MLP_officiel) 9 novembre 2016\n")
    found = {q.text: q for q in extract(text, language="fr")}
    quote = found["au peuple américain, libre"]
    assert quote.speaker == "Marine Le Pen"  # "Le" inside her name, the role after her sentence
    assert "— Marine Le Pen (@MLP_officiel) 9 novembre 2016" in [e.text for e in quote.evidence]
    assert [h["source"] for h in quote.chain][0] == "Twitter"


def test_an_agency_quoted_in_its_own_words_speaks_and_a_described_spokesman_is_the_same_later() -> None:
    text = ("\"The relevant situation forces us to reconsider the nuclear issue,\" the North's foreign ministry "
            "spokesman said in a statement carried by KCNA.\n\n"
            "\"Denuclearization is becoming more far-off because of hostile policy,\" the spokesman said.\n\n"
            "Earlier, Kim Il-sung's statues were targeted.\n\n"
            "\"This is the most serious act of hostility,\" KCNA said in a separate report.\n")
    found = _quotes(text)
    described = found["The relevant situation forces us to reconsider the nuclear issue,"].speaker
    assert described and "spokesman" in described
    assert found["Denuclearization is becoming more far-off because of hostile policy,"].speaker == described
    assert found["This is the most serious act of hostility,"].speaker == "KCNA"
    # an outlet after a preposition is the channel, not the speaker
    channel = _quotes("La ministra Diana Mondino habló con la prensa.\n\nEntrevistada en Todo Noticias, aclaró que "
                      "no tuvo \"ninguna notificación oficial del gobierno\".", "es")
    assert channel["ninguna notificación oficial del gobierno"].speaker == "Diana Mondino"


def test_an_article_between_capitalised_nouns_joins_no_name_and_a_prepositions_object_is_no_speaker() -> None:
    text = ('Baerbock sprach am Samstag. Dass es "gerade in den USA" keine Mehrheiten mehr für Unterstützung der '
            'Ukraine gebe, sei "eine bittere Nachricht".Putins Ziel sei die Unterwerfung, so Baerbock.\n\n'
            '"Wir bleiben an der Seite der Ukraine", sagte Ursula von der Leyen.')
    found = _quotes(text, "de")
    # a copy that lost the space after the quotation still ends its sentence there
    assert found["gerade in den USA"].speaker == "Baerbock"
    assert found["eine bittere Nachricht"].speaker == "Baerbock"
    assert found["Wir bleiben an der Seite der Ukraine"].speaker == "Ursula von der Leyen"


def test_a_seat_of_power_after_a_role_says_whose_role_and_a_pointing_back_sentence_may_quote_a_title() -> None:
    ru = ("«Поэтому после того, как будут определены эти даты, уже родится понимание», — заявил представитель "
          "Кремля.")
    assert _quotes(ru, "ru")["Поэтому после того, как будут определены эти даты, уже родится понимание"].speaker \
        == "представитель Кремля"
    it = ('NEW YORK (ITALPRESS) - "Noi abbiamo una posizione molto chiara", però "abbiamo sempre detto che non '
          'possiamo utilizzare le nostre armi in territorio russo". Lo ha detto il ministro degli Esteri, Antonio '
          'Tajani, partecipando all\'evento "Sport Made in Italy" a New York.')
    found = _quotes(it, "it")
    assert found["abbiamo sempre detto che non possiamo utilizzare le nostre armi in territorio russo"].speaker \
        == "Antonio Tajani"


def test_a_cue_joined_to_the_first_verb_or_with_its_subject_unsaid_is_the_sentences_speakers() -> None:
    text = ('El presidente de la Junta, Alfonso Fernández Mañueco, se ha mostrado de acuerdo con que el presidente '
            'del Gobierno Pedro Sánchez haya sido llamado por el caso de su mujer, Begoña Gómez, y ha afirmado que '
            '"debe dar explicaciones" ante el juez.\n\n'
            'Así pues, ha opinado que "nunca en la historia de España" se había deteriorado la imagen del Gobierno.')
    found = _quotes(text, "es")
    assert found["debe dar explicaciones"].speaker == "Alfonso Fernández Mañueco"
    assert found["nunca en la historia de España"].speaker == "Alfonso Fernández Mañueco"


def test_a_role_in_apposition_after_a_name_is_that_names() -> None:
    text = ('“The governor cannot support him,” Lizzy Guyton, the governor’s communications director, said.\n\n'
            'U.S. Sen. Bob Corker of Tennessee, chairman of the Senate Foreign Relations Committee, says the summit '
            'was not “a good moment for our country.”')
    found = _quotes(text)
    assert found["The governor cannot support him,"].speaker == "Lizzy Guyton"
    assert found["a good moment for our country."].speaker == "Bob Corker"


def test_where_the_words_were_said_is_evidence_that_names_no_hop() -> None:
    text = ('“We will not back down,” Merkel told reporters in Berlin on Wednesday.\n\n'
            '«Мы оставляем это без комментариев», — заявил Песков на брифинге.')
    found = _quotes(text)
    merkel = found["We will not back down,"]
    assert [e.text for e in merkel.evidence] == ["told reporters in Berlin on Wednesday"]
    assert [h["kind"] for h in merkel.chain] == ["speaker"]  # the press is no hop of the chain
    peskov = _quotes(text, "ru")["Мы оставляем это без комментариев"]
    assert any(e.text.endswith("на брифинге") for e in peskov.evidence), [e.text for e in peskov.evidence]


def test_a_name_inside_what_is_said_is_not_who_says_it() -> None:
    text = ('U.S. Sen. John McCain called the press conference “one of the most disgraceful performances.”\n\n'
            'The Arizona Republican says the summit with Russian President Vladimir Putin in Helsinki was “a tragic '
            'mistake.”\n\nThe senator says Trump proved not only unable, “but unwilling to stand up to Putin.”\n\n'
            'Laut Maas zeigt die Äußerung "leider einmal mehr, wie breit der Atlantik geworden ist".')
    found = _quotes(text)
    assert found["a tragic mistake."].speaker == "John McCain"
    assert found["but unwilling to stand up to Putin."].speaker == "John McCain"
    assert found["leider einmal mehr, wie breit der Atlantik geworden ist"].speaker == "Maas"  # "laut" names him


def test_reported_mood_yields_to_a_verb_of_saying_and_a_pronoun_takes_the_person_just_introduced() -> None:
    text = ('Auch Außenminister Jean Asselborn zeigte sich irritiert darüber, wie unberechenbar Trump sei: "Es kann '
            'ja nicht sein, dass wir Feinde sind", sagte Asselborn beim Treffen.\n\n'
            'Dass es "gerade in den USA" keine Mehrheiten mehr gebe, sei "eine bittere Nachricht", so Asselborn.\n\n'
            'Die Skepsis ist nicht neu. Kanzlerin Angela Merkel hatte sich im vergangenen Jahr deutlich von Trump '
            'abgegrenzt. "Die Zeiten, in denen wir uns auf andere völlig verlassen konnten, sind vorbei", sagte sie.')
    found = _quotes(text, "de")
    assert found["Es kann ja nicht sein, dass wir Feinde sind"].speaker == "Jean Asselborn"
    assert found["eine bittere Nachricht"].kind != "scare"
    assert found["Die Zeiten, in denen wir uns auf andere völlig verlassen konnten, sind vorbei"].speaker \
        == "Angela Merkel"


def test_an_agency_byline_with_its_time_is_article_evidence_and_a_setting_named_by_its_noun_takes_its_phrase() -> None:
    text = ('Scholz ruft zum Zusammenhalt auf\n\n• AFP - 2. Juli 2022, 10:47 Uhr\n\nBild: AFP\n\n'
            'Bundeskanzler Olaf Scholz hat aufgerufen. "Wenn wir zusammenhalten, sind wir stark", sagte Scholz in '
            'einer am Samstag veröffentlichten Videobotschaft.')
    (quote,) = extract(text, language="de")
    assert "in einer am Samstag veröffentlichten Videobotschaft" in [e.text for e in quote.evidence]
    assert [(h["source"], h["kind"]) for h in quote.chain] == [("AFP", "agency"), ("Olaf Scholz", "speaker")]


def test_a_title_after_its_kind_is_a_channel_whatever_its_word_means() -> None:
    text = ('«L’unica cosa che non rifarei è la riforma», ha detto Corrado Passera in un’intervista al settimanale '
            'Oggi in edicola domani.\n\n"Nous savons pour qui nous ne voterons jamais", écrit Jean-Luc Mélenchon sur '
            'son Twitter.')
    passera = _quotes(text, "it")["L’unica cosa che non rifarei è la riforma"]
    assert ("Oggi", "newspaper") in [(h["source"], h["kind"]) for h in passera.chain]
    melenchon = _quotes(text, "fr")["Nous savons pour qui nous ne voterons jamais"]
    assert "Twitter" in [h["source"] for h in melenchon.chain]


def test_a_pronoun_takes_whoever_the_sentence_before_says_spoke_and_a_bare_cyrillic_role_the_last_speaker() -> None:
    text = ('Vainqueur du premier tour, le président sortant Emmanuel Macron a déclaré que rien n’est encore gagné '
            'face à sa concurrente, Marine Le Pen.\n\n'
            '“Le débat que nous aurons pendant 15 jours sera décisif”, a-t-il lancé devant ses supporteurs.')
    assert _quotes(text, "fr")["Le débat que nous aurons pendant 15 jours sera décisif"].speaker == "Emmanuel Macron"
    ru = ('«Огласите график наших вторжений на предстоящий год», — иронично отметила Захарова в своем Telegram-канале.'
          '\n\nНакануне дипломат заявила, что 15 февраля «войдет в историю как день провала западной пропаганды».')
    assert _quotes(ru, "ru")["войдет в историю как день провала западной пропаганды"].speaker == "Захарова"


def test_a_verb_of_saying_with_no_subject_after_a_quote_is_the_person_the_sentence_before_brings_in() -> None:
    text = ('La canciller Ángela Merkel dijo: "Se ha hablado en el G20 de este tema". Sin embargo en la rueda de '
            'prensa tras la cumbre, el presidente Rajoy se mostró sorprendido por estas informaciones. "Tengo que '
            'desmentirlo. Nadie ha pedido la ayuda” añadió.\n\n'
            'En este contexto, se le preguntó si se reuniría con la primera ministra, Mirtha Vásquez.\n\n'
            '“Ahora no responderé preguntas”, manifestó el ministro Eduardo Gonzáles.')
    found = _quotes(text, "es")
    assert found["Tengo que desmentirlo. Nadie ha pedido la ayuda"].speaker == "Rajoy"
    assert found["Ahora no responderé preguntas"].speaker == "Eduardo Gonzáles"


def test_an_outlets_or_an_events_name_in_marks_is_a_scare_quote() -> None:
    de = '"Wir können uns nicht mehr verlassen", sagte Maas der "Westdeutschen Allgemeinen Zeitung".'
    assert _quotes(de, "de")["Westdeutschen Allgemeinen Zeitung"].kind == "scare"
    it = ('"Sosteniamo l\'Ucraina", ha detto Antonio Tajani, partecipando all\'evento “Sport Made in Italy: strumento '
          'di crescita” a New York.')
    found = _quotes(it, "it")
    assert found["Sport Made in Italy: strumento di crescita"].kind == "scare"
    assert found["Sosteniamo l'Ucraina"].kind == "full"


def test_the_subject_between_a_cue_verb_and_its_channel_is_skipped() -> None:
    """Welt, 2022: after a quotation German puts the subject behind the verb ("sagte Habeck dem „Spiegel“"); the
    channel is named all the same, for this quote and the speaker's others, under the listed outlet's name."""
    text = ('Dies sei „der beste Nährboden für einen Populismus“, sagte Habeck dem „Spiegel“.\n\n'
            '„Putin will, dass sich unser Land zerlegt“, so Habeck weiter.')
    found = _quotes(text, "de")
    first = found["der beste Nährboden für einen Populismus"]
    assert [e.text for e in first.evidence] == ["sagte Habeck dem „Spiegel“"]
    assert [h["source"] for h in found["Putin will, dass sich unser Land zerlegt"].chain][0] == "Spiegel"
    text = ('Der deutsche Außenminister Heiko Maas: "Wir können uns nicht mehr verlassen", sagte er der '
            '"Westdeutschen Allgemeinen Zeitung".')
    waz = _quotes(text, "de")["Wir können uns nicht mehr verlassen"]
    assert [e.text for e in waz.evidence] == ['sagte er der "Westdeutschen Allgemeinen Zeitung"']
    assert waz.chain[0]["source"] == "Westdeutsche Allgemeine Zeitung"  # the paper's name, not its dative
    # a verb and its subject with no channel after them are no evidence
    assert extract('„Es wird knapp“, sagte Habeck am Montag.', language="de")[0].evidence == []


def test_a_channels_title_in_marks_after_its_kind_is_the_channel() -> None:
    """Svobodnaya Pressa, 2022: "в эфире YouTube-канала «Соловьев Live»": the kind ends a compound, and the
    title in marks after it is the channel, not "YouTube-канала"."""
    text = ('«Какая цель у этой истерики — нагнетание обстановки», — сказала Захарова в эфире YouTube-канала '
            '«Соловьев Live».')
    q = _quotes(text, "ru")["Какая цель у этой истерики — нагнетание обстановки"]
    assert [e.text for e in q.evidence] == ["в эфире YouTube-канала «Соловьев Live»"]
    assert q.chain[0]["source"] == "Соловьев Live" and q.chain[0]["kind"] == "broadcaster"


def test_a_german_genitive_and_a_capitalised_noun_are_read_as_german_writes_them() -> None:
    """Welt, 2022: "so Habecks politische Einschätzung" is Robert Habeck's; "weitere Entlastungen", capitalised
    because German capitalises nouns, is nobody the next quotation could be given to."""
    text = ('Bundeswirtschaftsminister Robert Habeck warnt vor einem harten Winter.\n\n'
            '„Es ist ein externer Schock“, so Habecks politische Einschätzung der Lage.\n\n'
            'Der Grünenpolitiker stellte in dem Gespräch zwar weitere Entlastungen in Aussicht.\n\n'
            '„Menschen sollen sich nicht fragen müssen, was sie kriegen“')
    found = _quotes(text, "de")
    assert found["Es ist ein externer Schock"].speaker == "Robert Habeck"
    assert found["Menschen sollen sich nicht fragen müssen, was sie kriegen"].speaker != "Entlastungen"


def test_a_title_ending_in_an_abbreviation_and_a_word_after_a_dateline_are_nobodys_names() -> None:
    """WSLS (AP), 2022: "Democratic Michigan Gov. Gretchen Whitmer" is a title and a name, and "Fresh", which
    opens the story after its dateline ("LANSING, Mich. – Fresh off …"), is an ordinary word."""
    article = yaml.safe_load((ARTICLES / "dev" / "en-wsls-2022-11-17-whitmer-ap-interview-dc.yaml").read_text())
    found = [q for q in extract(article["text"], language="en") if q.kind != "scare"]
    assert len(found) >= 5 and {q.speaker for q in found} == {"Gretchen Whitmer"}


def test_a_programme_named_in_marks_after_an_interview_is_a_title_and_the_channel() -> None:
    """Agenzia Nova, 2020: "in un’intervista a “Che tempo che fa”": a title that capitalises its first word alone,
    after the phrase that names a source, is the programme's name (a scare quote, not words) and the channel."""
    text = ('Lo ha dichiarato il ministro degli Esteri, Luigi Di Maio, in un’intervista a “Che tempo che fa”. “Questo '
            'governo può volare, può fare molto per il Paese”, ha dichiarato Di Maio.')
    found = _quotes(text, "it")
    assert found["Che tempo che fa"].kind == "scare"
    assert found["Questo governo può volare, può fare molto per il Paese"].chain[0]["source"] == "Che tempo che fa"


def test_a_channel_described_not_named_is_a_hop_of_its_own_quotation_only() -> None:
    """Financial Express (Reuters), 2018: "Zarif was cited as saying by an Iranian newspaper" names no paper, but
    says one carried these words, and only these."""
    text = ('“If the Americans want to keep this idea in their minds they should also know its consequences,” Zarif '
            'was cited as saying by an Iranian newspaper on Wednesday.\n\n'
            '“They can’t think that Iran won’t export oil and others will export,” Zarif said.')
    found = _quotes(text)
    first = found["If the Americans want to keep this idea in their minds they should also know its consequences,"]
    assert {"source": "Iranian newspaper", "language": "fa", "kind": "newspaper"} in first.chain  # Iran speaks Persian
    assert "cited as saying by an Iranian newspaper on Wednesday" in [e.text for e in first.evidence]
    second = found["They can’t think that Iran won’t export oil and others will export,"]
    assert [h["source"] for h in second.chain] == ["Zarif"]


def test_words_in_marks_after_a_noun_like_a_cue_are_words_not_a_channel() -> None:
    """The seed article: "called these reports “unfounded rumors.”": "reports" is no cue here, and words in marks
    that begin in lower case or end a sentence are someone's words, never the name of the channel."""
    found = _quotes(SEED)
    for q in found.values():
        assert all(h["source"] != q.text for h in q.chain), (q.text, q.chain)
    assert [h["source"] for h in found["unfounded rumors."].chain] == ["lejdd.fr", "North Korean representative"]


def test_the_first_word_after_a_dateline_opens_the_story() -> None:
    """AP, 2018: "WASHINGTON (AP) — Key members of Congress …": "Key" is the story's first word, no one's name."""
    text = ('WASHINGTON (AP) — Key members of Congress are criticizing the president’s performance as “bizarre,” '
            '“shameful” and a “missed opportunity” to stand up to Russia.')
    assert all(q.speaker != "Key" for q in extract(text, language="en"))


def test_a_sentence_pointing_back_at_what_was_said_is_the_speakers_evidence() -> None:
    """UrbanPost, 2018: "Lo rivela a Otto e Mezzo, trasmissione di La7" names no one: its "Lo rivela" points
    back at what the speaker just said, and is evidence of the words that follow in its paragraph."""
    article = yaml.safe_load((ARTICLES / "dev" / "it-urbanpost-2018-02-17-gentiloni-otto-e-mezzo-la7.yaml").read_text())
    found = {q.text: q for q in extract(article["text"], language="it")}
    q = found["Se l’Italia chiama, deve chiamare una compagine di governo in grado di proseguire su questa strada delle "
              "riforme."]
    assert q.speaker == "Paolo Gentiloni"
    assert any(e.text.startswith("Lo rivela a Otto e Mezzo, trasmissione di La7") for e in q.evidence), q.evidence


def test_the_occasion_named_once_goes_with_the_speakers_later_words_and_not_their_earlier_ones() -> None:
    text = ("«Nous avons déjà prévenu les syndicats», avait dit Pierre Martin en mars.\n\n"
            "«Les quatre chefs étaient sur mon dos», a indiqué Pierre Martin aux journalistes mardi. «Je prends au "
            "sérieux tous mes adversaires.»\n\nPierre Martin a ensuite rappelé qu’«un barrage, c’est 15 ans».\n\n"
            "Son rival, Paul Durand, a répondu : «C’est faux.»")
    found = _quotes(text, "fr")
    said_there = "Les quatre chefs étaient sur mon dos"
    assert [e.text for e in found[said_there].evidence] == ["aux journalistes mardi"]
    for later in ("Je prends au sérieux tous mes adversaires.", "un barrage, c’est 15 ans"):
        assert found[later].speaker == "Pierre Martin"
        assert "aux journalistes mardi" in [e.text for e in found[later].evidence]
    assert found["Nous avons déjà prévenu les syndicats"].evidence == []  # said before, in March
    assert found["C’est faux."].evidence == []  # another speaker


def test_an_interview_on_a_radio_is_its_channel_for_every_quote_of_the_speaker() -> None:
    text = ("L’ancienne ministre Eva Peeters affirme avoir agi « en toute conscience », a-t-elle assuré samedi "
            "dans une interview sur Radio 1.\n\n« Je regarde maintenant vers l’avenir », a ajouté Eva Peeters.")
    found = _quotes(text, "fr")
    for q in ("en toute conscience", "Je regarde maintenant vers l’avenir"):
        assert [h["source"] for h in found[q].chain] == ["Radio 1", "Eva Peeters"], found[q].chain


def test_a_role_after_an_elided_article_stands_for_the_person_named_with_it() -> None:
    text = ("L’ancienne secrétaire d’Etat au budget Eva Peeters affirme avoir agi « en toute conscience », "
            "a-t-elle assuré samedi.\n\nL’ancien secrétaire d’Etat a précisé que l’exercice n’était « pas une "
            "science exacte ».")
    assert _quotes(text, "fr")["pas une science exacte"].speaker == "Eva Peeters"


def test_a_name_in_brackets_after_the_closing_mark_is_whose_words_they_are_but_not_a_credit() -> None:
    text = ("Dans la presse : «Un coup d'envoi réussi» (Mediapart) et «Ça ne prend pas» (le Parisien). "
            "«Nous verrons», a dit Emmanuel Macron. «C’est un échec» (AFP).\n\n"
            "«Je n’irai jamais à Washington» (AP Photo/Carlos Osorio), a dit Gretchen Whitmer.")
    found = _quotes(text, "fr")
    assert found["Un coup d'envoi réussi"].speaker == "Mediapart"
    assert found["Ça ne prend pas"].speaker == "le Parisien"
    assert found["C’est un échec"].speaker != "AFP"  # an agency's credit, not the speaker
    assert found["Je n’irai jamais à Washington"].speaker != "AP Photo/Carlos Osorio"  # a photo's credit


def test_a_russian_preposition_governs_the_capitalised_word_after_it_which_is_no_speaker() -> None:
    text = ("Глава МИД России Сергей Лавров встретился с журналистами.\n\nРезультаты референдума о выходе из "
            "Евросоюза Лавров назвал «внутренним делом английского народа».")
    assert _quotes(text, "ru")["внутренним делом английского народа"].speaker == "Сергей Лавров"


@pytest.mark.parametrize("language,text", [
    ("fr", "« Les leçons sont édifiantes », a estimé Manuel Bompard sur le réseau social X.\n"),
    ("es", "«Vamos a ganar», escribió Pedro Sánchez en la red social X.\n"),
    ("pt", "«Vamos vencer», escreveu Lula na rede social X.\n"),
    ("en", "“They can’t think that Iran won’t export oil,” Zarif said, reports Reuters.\n"),
    ("es", "MADRID, 3 Oct. (EFE).- El presidente Pedro Sánchez dijo: «Vamos a ganar».\n"),
])
def test_the_channel_a_social_network_a_relaying_agency_or_a_dateline_names_is_the_first_hop(language: str,
                                                                                              text: str) -> None:
    (q,) = extract(text, language=language)
    assert q.chain[0]["source"] in ("X", "Reuters", "EFE") and len(q.chain) == 2, q.chain


def test_a_programme_joined_to_its_channel_by_a_hyphen_is_a_title_and_the_channel() -> None:
    found = _quotes("„Das war eine Fehlentscheidung“, sagte Elmar Brok am Freitag im ZDF-\"Morgenmagazin\".\n", "de")
    assert found["Morgenmagazin"].kind == "scare"
    words = found["Das war eine Fehlentscheidung"]
    assert [e.text for e in words.evidence] == ['im ZDF-"Morgenmagazin"']
    assert [(h["source"], h["kind"]) for h in words.chain] == [("ZDF-Morgenmagazin", "broadcaster"),
                                                               ("Elmar Brok", "speaker")]
    # a compound is no channel named: a photo's "dpa-Foto" credits nobody's words
    assert [h["source"] for h in _quotes("„Das ist falsch“, sagte Olaf Scholz (dpa-Foto).\n", "de")[
        "Das ist falsch"].chain] == ["Olaf Scholz"]


def test_the_pronoun_after_indirect_speech_is_its_speaker_not_a_person_the_reported_words_name() -> None:
    text = ("Bundespräsident Ignazio Cassis will Sanktionen prüfen.\n\nAuch die Möglichkeit, den russischen "
            "Präsidenten Wladimir Putin zu sanktionieren, müsse auf dem Tisch liegen. Bereits am Donnerstag habe der "
            "Bundesrat seine Massnahmen verschärft, sagte der Tessiner am Sonntagabend. „Wir werden morgen in die "
            "gleiche Richtung gehen“, sagte er.\n")
    assert _quotes(text, "de")["Wir werden morgen in die gleiche Richtung gehen"].speaker == "Ignazio Cassis"


def test_a_heading_that_quotes_a_named_person_gives_their_words_and_a_quoted_heading_alone_does_not() -> None:
    text = ('Norbert Hofer hat seine Niederlage eingeräumt.\n\nHofer "unendlich traurig"\n\n'
            '"Ich bin unendlich traurig", sagte er.\n\nDer Wahlkampf "Zäsur"\n\nDas Wort "Zäsur" fiel oft.\n')
    found = extract(text, language="de")
    heading = next(q for q in found if q.text == "unendlich traurig")
    assert (heading.kind, heading.speaker) == ("partial", "Norbert Hofer")
    assert all(q.kind == "scare" for q in found if q.text == "Zäsur")  # "Der Wahlkampf" names nobody


def test_a_dateline_naming_two_agencies_gives_both_hops_and_its_place_is_nobody() -> None:
    text = ("Berlin/Washington (APA/dpa) - Der deutsche Außenminister Heiko Maas hat von US-Präsident Donald Trump "
            "ein „Mindestmaß an Verlässlichkeit“ verlangt.\n")
    (q,) = extract(text, language="de")
    assert q.speaker == "Heiko Maas"
    assert [h["source"] for h in q.chain] == ["APA", "dpa", "Heiko Maas"]
