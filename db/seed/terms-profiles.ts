/**
 * Version 1 of the terms profile of each of the five seed vendors, read from their own
 * texts in the seed documents, with article references and shortened quotes.
 * Article grammar: "VO 7.5" = Leadcube's separate Verwerkersovereenkomst, "AV 12.15" =
 * the general terms (algemene voorwaarden), "B1 6.3" = Lai Media's Bijlage 1.
 * Fields without an article are product defaults (e.g. the time a customer gets to choose
 * return or deletion), and the clocks label them internal, not contractual.
 */
import type { NegotiatedDeviation, TermsProfile } from "../../app/domain/terms";

export type SeedWorkspaceSlug = "leadcube" | "klantgenerator" | "lai-media" | "elementon" | "puredigital";

const CHOICE_DEFAULT_NOTE =
  "Productstandaard, geen contracttermijn: de voorwaarden geven de klant de keuze (art. 28 lid 3 onder g AVG) maar geen termijn om te kiezen.";

const leadcube: TermsProfile = {
  breachNoticeHours: {
    value: 24,
    article: "VO 7.5",
    quote:
      "…dient Verwerker, Verwerkingsverantwoordelijke hierover onmiddellijk, althans zonder onredelijke vertraging, doch binnen 24 uur nadat Verwerker hiervan redelijkerwijs op de hoogte had kunnen zijn, te informeren.",
  },
  breachClockStart: {
    value: "should_have_known",
    article: "VO 7.5",
    quote: "…binnen 24 uur nadat Verwerker hiervan redelijkerwijs op de hoogte had kunnen zijn…",
  },
  thirdPartyBreachNoticeHours: {
    value: null,
    note: "Geen aparte termijn voor inbreuken bij derden; VO 6 legt alle verplichtingen ook op de sub-verwerker.",
  },
  authorityDeadlineHours: {
    value: 48,
    article: "VO 7.5",
    quote: "Verwerkingsverantwoordelijke zal vervolgens de Autoriteit Persoonsgegevens binnen 48 uur … informeren over de inbreuk.",
    note: "Strenger dan de wettelijke 72 uur van art. 33 lid 1 AVG; telt vanaf de melding door Leadcube ('vervolgens').",
  },
  breachNoticeContents: {
    value: ["nature", "categories_and_numbers", "contact_point", "consequences", "measures"],
    article: "VO 7.6",
    quote:
      "…dient de melding van een inbreuk te bestaan uit tenminste de volgende componenten: de aard van de inbreuk … onder vermelding van de categorieën van betrokkenen en persoonsgegevens in kwestie en, bij benadering, het aantal …; de naam en de contactgegevens van de functionaris voor gegevensbescherming of een ander contactpunt …; de waarschijnlijke gevolgen …; de maatregelen …",
    note: "VO 7.6 heeft vier punten; het eerste (aard, met categorieën en aantallen) is als twee onderdelen opgeslagen, in lijn met art. 33 lid 3 onder a AVG.",
  },
  breachScope: {
    value: "may_cause_harm",
    article: "VO 7.5",
    quote:
      "Indien er sprake is van een inbreuk in de beveiliging van de Persoonsgegevens, welke schade kan veroorzaken of nadelige gevolgen kan hebben voor de bescherming van de Persoonsgegevens…",
  },
  subprocessorRegime: {
    value: "specific_prior_authorisation",
    article: "VO 6",
    quote:
      "De werkzaamheden van Verwerker kunnen slechts uitbesteed worden aan derden na uitdrukkelijke voorafgaande toestemming van Verwerkingsverantwoordelijke.",
    note: "Ook VO 3.5: personen onder het gezag van Verwerker verwerken '(na uitdrukkelijke toestemming van Verwerkingsverantwoordelijke)'.",
  },
  objectionWindow: {
    value: null,
    note: "Geen bezwaartermijn: elke nieuwe sub-verwerker vraagt vooraf uitdrukkelijke toestemming (VO 6).",
  },
  objectionWindowTermijnenwet: { value: false },
  transfersOutsideEea: {
    value: {
      nl: "Niet naar landen zonder passend beschermingsniveau (geen adequaatheidsbesluit) zonder schriftelijke toestemming van de klant; art. 44–50 AVG worden nageleefd; de verwerkingslocaties op eerste verzoek.",
      en: "Not to countries without an adequate level of protection (no adequacy decision) without the customer's written consent; Arts. 44–50 GDPR are complied with; processing locations on first request.",
    },
    article: "VO 4.1",
    quote:
      "Behoudens schriftelijke toestemming van Verwerkingsverantwoordelijke zal Verwerker geen Persoonsgegevens … laten overbrengen naar of toegankelijk (laten) maken vanuit landen … waarvan de Europese Commissie nog niet heeft besloten dat deze een passend beschermingsniveau waarborgen…",
  },
  endOfContract: {
    choice: {
      value: "customer_choice_return_or_delete",
      article: "VO 2.5",
      quote:
        "…zal Verwerker – naar keuze van Verwerkingsverantwoordelijke – alle Persoonsgegevens … retourneren aan Verwerkingsverantwoordelijke en/of deze … verwijderen en/of vernietigen binnen een termijn van maximaal 28 dagen. Eventuele kosten hiervan komen voor rekening van Verwerkingsverantwoordelijke.",
    },
    deletionDeadline: {
      value: { amount: 28, unit: "days" },
      article: "VO 2.5",
      quote: "…binnen een termijn van maximaal 28 dagen.",
    },
    backupRetention: {
      value: null,
      note: "De VO noemt geen back-ups; VO 2.5 geldt voor gegevens 'in originele of kopievorm', dus back-ups vallen onder dezelfde 28 dagen.",
    },
    exitRequestDeadline: { value: null },
    choiceDeadline: { value: { amount: 14, unit: "days" }, note: CHOICE_DEFAULT_NOTE },
  },
  auditRights: {
    value: {
      nl: "Informatie over de genomen maatregelen op eerste verzoek; medewerking aan inzage op verzoek.",
      en: "Information on the measures taken on first request; cooperation with inspection on request.",
    },
    article: "VO 3.3",
    quote:
      "Verwerker zal Verwerkingsverantwoordelijke op diens eerste verzoek informeren over de door haar genomen maatregelen ter zake haar verplichtingen op grond van deze Verwerkersovereenkomst.",
  },
  dpaChangeNotice: {
    value: {
      noticePeriod: null,
      responseWindow: null,
      text: {
        nl: "Wijzigingen alleen na overleg en met uitdrukkelijke toestemming van beide partijen.",
        en: "Changes only after consultation and with both parties' explicit consent.",
      },
    },
    article: "VO 2.3",
    quote:
      "Wijzigingen in deze overeenkomst … zijn slechts rechtsgeldig indien deze na overleg en met uitdrukkelijke toestemming van partijen aan de Verwerkersovereenkomst wordt gevoegd.",
  },
  liabilityCap: {
    value: {
      text: {
        nl: "Maximaal éénmaal de maandelijkse vergoeding; gevolgschade uitgesloten.",
        en: "At most once the monthly fee; consequential damage excluded.",
      },
      amountEur: null,
    },
    article: "VO 10.2",
    quote:
      "Verwerker is slechts aansprakelijk tot maximaal éénmaal de waarde van een maandelijkse vergoeding. Alle gevolgschade is uitdrukkelijk uitgesloten…",
  },
  mainContract: {
    termMonths: {
      value: null,
      article: "AV 19.1.1",
      quote: "de looptijd van de Licentie(s) is vastgelegd in de Overeenkomst;",
      note: "Minimaal één maand (AV 5.3.2). De verwerkersovereenkomst loopt mee met de hoofdovereenkomst, is niet tussentijds opzegbaar en eindigt van rechtswege met haar (VO 2.1, 2.2, 2.4).",
    },
    tacitRenewal: {
      value: true,
      article: "AV 5.3.3",
      quote: "na afloop van de overeengekomen looptijd van de Licentie wordt de Licentie automatisch en stilzwijgend verlengd met telkens eenzelfde periodes;",
    },
    renewalMonths: { value: null, article: "AV 5.3.3", quote: "…met telkens eenzelfde periodes;" },
    notice: {
      value: { kind: "fixed", months: 1 },
      article: "AV 5.3.4",
      quote:
        "een Licentie kan tegen het einde van de dan lopende periode door beide Partijen Schriftelijk worden opgezegd met inachtneming van een opzegtermijn van een maand…",
    },
    noticeTermijnenwet: { value: false },
  },
  notes: [
    "Bron: algemene voorwaarden Leadcube AV2024-2.1 met Verwerkersovereenkomst (VO).",
    "Het domeinoverzicht noemt voor de looptijd alleen AV 19.1 (looptijd in de overeenkomst, niet tussentijds opzegbaar); AV 5.3.3–5.3.4 regelen daarnaast stilzwijgende verlenging met dezelfde periode en een opzegtermijn van een maand. Die zijn hier vastgelegd.",
    "De tekst staat twee keer in het bronbestand (opgemaakt en als platte tekst); de artikelnummers volgen de opgemaakte versie.",
    "VO 3.7 zegt 'geen beperkt toegang', vermoedelijk bedoeld als 'onbeperkt toegang'.",
    "VO 7.5 laat de 24 uur lopen vanaf het moment waarop Leadcube 'redelijkerwijs op de hoogte had kunnen zijn', niet vanaf de ontdekking.",
  ].join("\n"),
};

const klantgenerator: TermsProfile = {
  breachNoticeHours: {
    value: 48,
    article: "AV 12.15",
    quote:
      "…zal Gebruiker zich naar beste kunnen inspannen om Opdrachtgever hierover na constatering onverwijld, dan wel uiterlijk binnen achtenveertig (48) uur na ontdekking, te informeren…",
  },
  breachClockStart: { value: "discovery", article: "AV 12.15", quote: "…uiterlijk binnen achtenveertig (48) uur na ontdekking…" },
  thirdPartyBreachNoticeHours: { value: null },
  authorityDeadlineHours: {
    value: null,
    article: "AV 12.15",
    quote: "…naar aanleiding waarvan Opdrachtgever beoordeelt of zij de relevante toezichthouder en/of betrokkenen zal informeren of niet.",
    note: "De klant beslist zelf; geen contractuele termijn, dus de wettelijke 72 uur.",
  },
  breachNoticeContents: {
    value: ["all_available_information"],
    article: "AV 12.15",
    quote: "Gebruiker zal hierbij alle, voor zover bij Gebruiker beschikbare, informatie aan Opdrachtgever verstrekken.",
  },
  breachScope: {
    value: "actual_breaches_only",
    article: "AV 12.16",
    quote:
      "Een melding moet door Gebruiker alleen aan Opdrachtgever worden gedaan als een datalek zich daadwerkelijk voorgedaan heeft en niet indien er slechts sprake was van een (theoretische) kwetsbaarheid.",
  },
  subprocessorRegime: {
    value: "general_no_objection",
    article: "AV 12.10",
    quote:
      "Het is Gebruiker toegestaan om bij de verwerking van persoonsgegevens gebruik te maken van een derde, met inachtneming van de toepasselijke wet- en regelgeving.",
    note: "Geen melding vooraf en geen bezwaarrecht geregeld; art. 28 lid 2 AVG vraagt bij algemene toestemming wel melding van wijzigingen met gelegenheid tot bezwaar.",
  },
  objectionWindow: { value: null },
  objectionWindowTermijnenwet: { value: false },
  transfersOutsideEea: {
    value: {
      nl: "Buiten de EER alleen met inachtneming van de wet, na voorafgaande informatie aan of voorafgaande schriftelijke toestemming van de klant.",
      en: "Outside the EEA only in line with the law, after informing the customer in advance or with the customer's prior written consent.",
    },
    article: "AV 12.9",
    quote:
      "Het verwerken van persoonsgegevens door Gebruiker buiten de Europese Economische Ruimte (EER) is alleen toegestaan met inachtneming van de daarvoor geldende wettelijke verplichtingen, waarbij Gebruiker … Opdrachtgever … vooraf zal informeren … of na voorafgaande Schriftelijke toestemming van Opdrachtgever…",
  },
  endOfContract: {
    choice: {
      value: "delete_immediately_copy_on_request",
      article: "AV 14.7",
      quote:
        "…is Gebruiker gerechtigd om per direct na de datum waarop de Duurovereenkomst afloopt … alle ten behoeve van Opdrachtgever opgeslagen gegevens te wissen of ontoegankelijk te maken.",
    },
    deletionDeadline: {
      value: null,
      article: "AV 14.7",
      note: "Wissen mag direct na het einde; de voorwaarden stellen geen uiterste termijn.",
    },
    backupRetention: { value: null },
    exitRequestDeadline: {
      value: "before_end",
      article: "AV 14.7",
      quote: "Vóór de beëindiging kan Opdrachtgever wel om een kopie vragen, op kosten van Opdrachtgever.",
    },
    choiceDeadline: {
      value: null,
      note: "Geen keuzemoment in de voorwaarden: wissen is het uitgangspunt, een kopie alleen op verzoek vóór het einde (AV 14.7).",
    },
  },
  auditRights: {
    value: {
      nl: "Alleen bij een concreet, door de klant aangetoond vermoeden van misbruik, na inzage van bestaande auditrapporten (tegen vergoeding); kosten voor de klant.",
      en: "Only on a concrete suspicion of misuse shown by the customer, after reviewing existing audit reports (for a fee); costs for the customer.",
    },
    article: "AV 12.17",
    quote:
      "Opdrachtgever heeft bij een concreet vermoeden van misbruik, welke is aangetoond door Opdrachtgever, de mogelijkheid om een audit uit te laten voeren…",
  },
  dpaChangeNotice: {
    value: {
      noticePeriod: null,
      responseWindow: { amount: 30, unit: "days" },
      text: {
        nl: "Schriftelijke kennisgeving; de klant kan binnen 30 dagen na beschikbaarstelling de overeenkomst beëindigen, anders geldt de wijziging als aanvaard.",
        en: "Written notice; the customer may terminate within 30 days after the change is made available, otherwise it is deemed accepted.",
      },
    },
    article: "AV 19.3",
    quote:
      "Indien Opdrachtgever niet binnen 30 dagen nadat de gewijzigde Algemene Voorwaarden beschikbaar zijn gesteld tot beëindiging van de Overeenkomst overgaat, wordt Opdrachtgever geacht de gewijzigde Algemene Voorwaarden te hebben aanvaard.",
  },
  liabilityCap: {
    value: {
      text: {
        nl: "Tot het bedrag dat de verzekering uitkeert; zonder uitkering de betalingen van 12 maanden, met een maximum van € 1.000 excl. btw per incident en per kalenderjaar.",
        en: "Up to what the insurance pays out; without a payout, 12 months of payments, at most €1,000 excl. VAT per incident and per calendar year.",
      },
      amountEur: 1000,
    },
    article: "AV 9.11",
    quote:
      "…beperkt tot vergoeding van directe schade tot maximaal het bedrag dat Opdrachtgever in 12 (twaalf) maanden voorafgaand aan de schadetoebrengende gebeurtenis aan Gebruiker heeft betaald en met een maximum van € 1.000,- exclusief BTW per incident en per kalenderjaar.",
    note: "Eerst geldt het bedrag dat de beroepsaansprakelijkheidsverzekering uitkeert (AV 9.10).",
  },
  mainContract: {
    termMonths: {
      value: null,
      article: "AV 14.1",
      quote: "Iedere Duurovereenkomst wordt aangegaan voor de contractperiode zoals vermeld in de Overeenkomst, ingaande per de Aanvangsdatum.",
    },
    tacitRenewal: {
      value: true,
      article: "AV 14.1",
      quote: "Indien de voornoemde opzegging uitblijft, wordt de Duurovereenkomst steeds stilzwijgend verlengd voor dezelfde contractperiode.",
    },
    renewalMonths: { value: null, article: "AV 14.1", quote: "…voor dezelfde contractperiode." },
    notice: {
      value: { kind: "by_term_length", maxShortTermMonths: 6, shortTermNoticeMonths: 1, longTermNoticeMonths: 2 },
      article: "AV 14.1",
      quote:
        "Voor Duurovereenkomsten met een duur van zes (6) maanden of korter, geldt een opzegtermijn van één (1) maand. Voor Duurovereenkomsten met een duur van langer dan zes (6) maanden, geldt een opzegtermijn van twee (2) maanden.",
    },
    noticeTermijnenwet: { value: false },
  },
  notes: [
    "Bron: algemene voorwaarden KlantGenerator, art. 12 (privacy), 14 (duur) en 19 (wijziging).",
    "Art. 12 geldt als verwerkersovereenkomst zolang er geen aparte is (AV 12.1).",
    "Het domeinoverzicht noemt geen aansprakelijkheidslimiet; AV 9.10–9.11 beperken wel (verzekering, anders max. € 1.000 per incident en per kalenderjaar). Vastgelegd wat er staat.",
    "AV 12.6 verwijst nog naar een 'melding bij de Autoriteit Persoonsgegevens' van de verwerking (Wbp-meldplicht, bestaat niet meer onder de AVG).",
    "De opzegtermijn hangt af van de duur van de contractperiode (AV 14.1); KlantGenerator zelf kan met drie maanden tussentijds opzeggen (AV 14.4), dat is geen klokveld.",
    "AV 12.16 zegt 'een melding moet … alleen … worden gedaan': er wordt niet gemeld bij louter een (theoretische) kwetsbaarheid.",
  ].join("\n"),
};

const laiMedia: TermsProfile = {
  breachNoticeHours: {
    value: null,
    article: "B1 6.1",
    quote:
      "Verwerker stelt Verwerkingsverantwoordelijke zonder onredelijke vertraging op de hoogte van een inbreuk in verband met persoonsgegevens…",
    note: "Geen urengrens; het dashboard toont de interne norm van de workspace, als interne norm.",
  },
  breachClockStart: { value: "discovery", note: "Niet geregeld; de interne norm telt vanaf de ontdekking." },
  thirdPartyBreachNoticeHours: { value: null },
  authorityDeadlineHours: { value: null, note: "Niet geregeld; de wettelijke 72 uur gelden." },
  breachNoticeContents: {
    value: [
      "nature",
      "consequences",
      "personal_data_categories",
      "protection",
      "measures",
      "data_subject_categories",
      "data_subject_count",
      "follow_up_contact",
    ],
    article: "B1 6.3",
    quote:
      "De kennisgeving … omvat, voor zover op dat moment bekend, in ieder geval: de aard van het Datalek; de (te verwachten) gevolgen …; welke categorieën persoonsgegevens zijn getroffen …; of en hoe de betreffende persoonsgegevens waren beveiligd; de (voorgestelde) maatregelen …; de categorieën betrokkenen; het (geschatte) aantal betrokkenen; en eventueel afwijkende contactgegevens voor de opvolging van de melding.",
  },
  breachScope: {
    value: "all_breaches",
    article: "B1 6.1",
    quote: "…een inbreuk in verband met persoonsgegevens zoals bedoeld in artikel 4 lid 12 van de AVG (hierna: \"Datalek\").",
  },
  subprocessorRegime: {
    value: "general_with_objection",
    article: "B1 4.1",
    quote: "Verwerker mag in het kader van de Verwerkersovereenkomst gebruik maken van subverwerkers.",
    note: "Subverwerkers staan in Bijlage 1A (B1 4.2–4.3); ze krijgen overeenkomstige verplichtingen (B1 4.4).",
  },
  objectionWindow: {
    value: { amount: 2, unit: "weeks", from: "notice_sent" },
    article: "B1 4.2",
    quote:
      "…het recht om tegen enige, nieuwe of te wijzigen subverwerker(s), schriftelijk en binnen twee weken na verzending van de berichtgeving hierover van Verwerker schriftelijk gemotiveerd bezwaar te maken. Indien Verwerkingsverantwoordelijke bezwaar maakt, zullen Partijen in overleg treden…",
  },
  objectionWindowTermijnenwet: { value: false },
  transfersOutsideEea: {
    value: {
      nl: "Binnen de EER; daarbuiten alleen naar landen met een passend beschermingsniveau; welke landen op eerste verzoek.",
      en: "Within the EEA; outside it only to countries with an adequate level of protection; which countries on first request.",
    },
    article: "B1 3.1",
    quote:
      "Verwerker mag de persoonsgegevens verwerken in landen binnen de Europese Economische Ruimte (\"EER\"). Daarnaast mag Verwerker de persoonsgegevens doorgeven naar een land buiten de EER, mits dat land een passend beschermingsniveau waarborgt…",
  },
  endOfContract: {
    choice: {
      value: "return_or_delete_on_request",
      article: "B1 10.1",
      quote:
        "Bij de beëindiging van de Verwerkersovereenkomst zal Verwerker zonder onredelijke vertraging, op verzoek en kosten van Verwerkingsverantwoordelijke: … terugbezorgen aan Verwerkingsverantwoordelijke; of … zo spoedig mogelijk wissen.",
    },
    deletionDeadline: {
      value: null,
      article: "B1 10.1",
      note: "'Zonder onredelijke vertraging' en 'zo spoedig mogelijk': geen vaste termijn, dus de interne norm.",
    },
    backupRetention: {
      value: null,
      article: "AV 19.3",
      quote: "De back-ups kunnen na beëindiging van de Overeenkomst op elk moment vernietigd worden.",
      note: "Geen maximale bewaartermijn: vernietigen mag op elk moment, een uiterste datum ontbreekt.",
    },
    exitRequestDeadline: {
      value: "before_end",
      article: "AV 28.3",
      quote:
        "Indien Klant gebruik wenst te maken van de … exit-ondersteuning, dient Klant hiervoor uiterlijk op de datum waarop de Overeenkomst eindigt een schriftelijk verzoek bij Leverancier in te dienen.",
    },
    choiceDeadline: { value: { amount: 14, unit: "days" }, note: CHOICE_DEFAULT_NOTE },
  },
  auditRights: {
    value: {
      nl: "Maximaal eenmaal per jaar door een onafhankelijke derde, bij een redelijk, schriftelijk en gegrond vermoeden; een rapport uit hetzelfde jaar kan volstaan; kosten voor de klant.",
      en: "At most once a year by an independent third party, on a reasonable, written and well-founded suspicion; a report from the same year may suffice; costs for the customer.",
    },
    article: "B1 9.1",
    quote:
      "Verwerkingsverantwoordelijke kan dit maximaal eenmaal per jaar laten controleren door een onafhankelijke derde die aan geheimhouding gebonden is, ingeval sprake is van een redelijk, schriftelijk gecommuniceerd en gegrond vermoeden van overtreding…",
  },
  dpaChangeNotice: {
    value: {
      noticePeriod: { amount: 1, unit: "months" },
      responseWindow: { amount: 14, unit: "days" },
      text: {
        nl: "Wijzigingen gelden één maand na bekendmaking; bezwaar binnen veertien dagen na de aankondiging; bij doorvoeren ondanks bezwaar mag de klant opzeggen tegen de ingangsdatum.",
        en: "Changes apply one month after announcement; objection within fourteen days after the announcement; if the change goes ahead anyway, the customer may terminate as of its effective date.",
      },
    },
    article: "AV 29.1",
    quote:
      "Wijzigingen gelden ook ten aanzien van reeds gesloten Overeenkomsten met inachtneming van een termijn van één (1) maand na bekendmaking van de wijziging. … kan Klant binnen veertien (14) dagen na de aankondiging schriftelijk bezwaar maken (29.2).",
  },
  liabilityCap: {
    value: {
      text: {
        nl: "Per gebeurtenis de vergoedingen van de laatste zes maanden, nooit meer dan € 10.000 excl. btw.",
        en: "Per event the fees of the last six months, never more than €10,000 excl. VAT.",
      },
      amountEur: 10000,
    },
    article: "AV 24.2",
    quote:
      "…beperkt tot een bedrag gelijk aan het totaal van de vergoedingen (exclusief btw) die Klant onder de Overeenkomst in de laatste zes (6) maanden heeft betaald. In geen geval zal de totale vergoeding voor directe schade echter meer bedragen dan tienduizend (10.000) euro (exclusief btw).",
    note: "Uit de algemene voorwaarden; Bijlage 1 heeft zelf geen limiet.",
  },
  mainContract: {
    termMonths: {
      value: 12,
      article: "AV 27.1",
      quote: "Tenzij schriftelijk anders overeengekomen, bedraagt de aanvankelijke duur van de Overeenkomst één (1) jaar.",
    },
    tacitRenewal: {
      value: true,
      article: "AV 27.2",
      quote:
        "Indien Klant geen Consument is, zal de Overeenkomst na afloop telkens automatisch en stilzwijgend worden verlengd met additionele periodes die gelijk zijn aan de aanvankelijke duur…",
    },
    renewalMonths: { value: null, article: "AV 27.2", quote: "…additionele periodes die gelijk zijn aan de aanvankelijke duur…" },
    notice: {
      value: { kind: "fixed", months: 1 },
      article: "AV 27.2",
      quote:
        "…tenzij een Partij minstens een (1) maand voor afloop door de andere Partij schriftelijk op de hoogte wordt gesteld van diens wens om de Overeenkomst niet te verlengen.",
    },
    noticeTermijnenwet: { value: false },
  },
  notes: [
    "Bron: algemene voorwaarden Lai Media met Bijlage 1 (verwerking van persoonsgegevens).",
    "Bijlage 1A (lijst van subverwerkers met identiteit en vestigingsplaats) wordt genoemd in B1 4.2 en 4.3 maar ontbreekt in de brontekst.",
    "Het domeinoverzicht noemt geen aansprakelijkheidslimiet; AV 24.2 begrenst op de vergoedingen van zes maanden, max. € 10.000. Vastgelegd wat er staat.",
    "B1 6.1 schrijft 'Datelekken' (tikfout voor 'Datalekken').",
    "AV 27.3: voor consumenten wordt de overeenkomst na de eerste termijn voor onbepaalde tijd, opzegbaar met een maand; dit profiel gaat uit van zakelijke klanten.",
    "AV 27.10: diensten die de klant zelf moet uitschakelen maar laat draaien, verlengen de overeenkomst voor de periode dat ze in gebruik zijn.",
  ].join("\n"),
};

const elementon: TermsProfile = {
  breachNoticeHours: {
    value: null,
    article: "AV 30.7.1",
    quote: "…stelt Verwerker de Verwerkingsverantwoordelijke binnen een redelijke termijn op de hoogte van het beveiligingslek en/of het datalek.",
    note: "'Binnen een redelijke termijn': geen urengrens, dus de interne norm.",
  },
  breachClockStart: { value: "discovery", note: "Niet geregeld; de interne norm telt vanaf de ontdekking." },
  thirdPartyBreachNoticeHours: { value: null },
  authorityDeadlineHours: {
    value: null,
    article: "AV 30.7.1",
    quote:
      "Verwerkingsverantwoordelijke is te allen tijde verantwoordelijk voor het melden van een beveiligingslek en/of datalek … aan de toezichthouder en/of betrokkenen.",
    note: "Geen contractuele termijn; de wettelijke 72 uur gelden.",
  },
  breachNoticeContents: {
    value: ["breach_occurred", "nature", "categories_and_numbers", "contact_point", "consequences", "measures"],
    article: "AV 30.7.2",
    quote:
      "De meldplicht behelst in ieder geval het melden van het feit dat er een lek is geweest. Daarnaast behelst de meldplicht: de aard van de inbreuk …; de naam en de contactgegevens van de functionaris voor gegevensbescherming …; de waarschijnlijke gevolgen …; de maatregelen…",
    note: "Naast het feit van het lek vier punten, gelijk aan art. 33 lid 3 AVG; het eerste (aard, met categorieën en aantallen) is als twee onderdelen opgeslagen.",
  },
  breachScope: {
    value: "actual_high_impact_only",
    article: "AV 30.7.2",
    quote: "Een melding moet alleen bij gebeurtenissen met grote impact worden gedaan, en alleen als de gebeurtenis zich daadwerkelijk voorgedaan heeft.",
  },
  subprocessorRegime: {
    value: "general_with_objection",
    article: "AV 30.5.1",
    quote:
      "Verwerker mag … gebruik maken van derden onder voorwaarde dat deze vooraf worden gemeld aan Verwerkingsverantwoordelijke; Verwerkingsverantwoordelijke mag bezwaar maken indien het gebruik van een specifieke gemelde derde onaanvaardbaar voor haar is.",
  },
  objectionWindow: {
    value: null,
    article: "AV 30.5.1",
    note: "Bezwaarrecht zonder termijn: de voorwaarden noemen geen bezwaartermijn.",
  },
  objectionWindowTermijnenwet: { value: false },
  transfersOutsideEea: {
    value: {
      nl: "Binnen de EU; daarbuiten voor zover de wet het toelaat; in beginsel alleen in Nederland, uitzonderingen worden gemeld; landen op verzoek.",
      en: "Within the EU; outside it as far as the law allows; in principle only in the Netherlands, exceptions are reported; countries on request.",
    },
    article: "AV 30.3",
    quote:
      "Verwerker mag de persoonsgegevens verwerken in landen binnen de Europese Unie. Doorgifte naar landen buiten de Europese Unie is toegestaan, mits inachtneming van toepasselijke wet- en regelgeving. … In beginsel zal Verwerker persoonsgegevens enkel binnen Nederland verwerken…",
  },
  endOfContract: {
    choice: {
      value: "customer_choice_return_or_delete",
      article: "AV 30.12.3",
      quote:
        "…zal Verwerker – naar keuze van Verwerkingsverantwoordelijke – alle persoonsgegevens die bij haar aanwezig zijn in originele of kopievorm retourneren aan Verwerkingsverantwoordelijke, en/of deze originele persoonsgegevens en eventuele kopieën daarvan verwijderen en/of vernietigen.",
    },
    deletionDeadline: { value: null, article: "AV 30.12.3", note: "Geen termijn genoemd; de interne norm geldt." },
    backupRetention: {
      value: { amount: 6, unit: "months" },
      article: "AV 30.12.5",
      quote:
        "Na beëindiging van de overeenkomst en verwijdering van persoonsgegevens zullen deze nog voor een maximale periode van 6 maanden in backups beschikbaar zijn.",
    },
    exitRequestDeadline: { value: null },
    choiceDeadline: { value: { amount: 14, unit: "days" }, note: CHOICE_DEFAULT_NOTE },
  },
  auditRights: {
    value: {
      nl: "Audit door een onafhankelijke, deskundige derde, maximaal eenmaal per jaar of bij een concreet vermoeden van misbruik; kosten voor de klant.",
      en: "Audit by an independent, expert third party, at most once a year or on a concrete suspicion of misuse; costs for the customer.",
    },
    article: "AV 30.10.2",
    quote: "Deze audit mag maximaal eenmaal per jaar plaatsvinden of anders bij een concreet vermoeden van misbruik van persoonsgegevens.",
  },
  dpaChangeNotice: {
    value: {
      noticePeriod: { amount: 1, unit: "months" },
      responseWindow: null,
      text: {
        nl: "Aankondiging minimaal 1 maand vooraf; de klant mag opzeggen als hij niet akkoord gaat ('tegen het einde van deze drie maanden').",
        en: "At least 1 month's notice; the customer may terminate if it does not agree ('by the end of these three months').",
      },
    },
    article: "AV 30.12.4",
    quote:
      "Zij zal minimaal 1 maand van tevoren mededeling doen van de wijzigingen aan Verwerkingsverantwoordelijke. Verwerkingsverantwoordelijke mag opzeggen tegen het einde van deze drie maanden indien zij niet akkoord kan gaan met de wijzigingen.",
    note: "Tegenstrijdig: eerst '1 maand', dan 'deze drie maanden'. Vastgelegd wat er staat: een aankondiging van minimaal 1 maand; een opzegtermijn is niet vastgelegd.",
  },
  liabilityCap: {
    value: {
      text: {
        nl: "Per gebeurtenis de vergoedingen over de maand vóór de gebeurtenis, in totaal nooit meer dan € 1.000; vorderingen vervallen na 12 maanden.",
        en: "Per event the fees for the month before the event, never more than €1,000 in total; claims lapse after 12 months.",
      },
      amountEur: 1000,
    },
    article: "AV 30.11.1",
    quote: "De aansprakelijkheid van Verwerker voor directe schade zal in totaal nooit meer bedragen dan € 1000,00.",
    note: "Vorderingen vervallen twaalf maanden na het ontstaan (AV 30.11.6).",
  },
  mainContract: {
    termMonths: {
      value: 12,
      article: "AV 21.1",
      quote: "De overeenkomst wordt aangegaan voor één jaar, tenzij anders schriftelijk overeengekomen.",
    },
    tacitRenewal: {
      value: true,
      article: "AV 21.1",
      quote: "De overeenkomst wordt na afloop van de in de overeenkomst overeengekomen periode, steeds stilzwijgend verlengd voor een periode van één (1) jaar.",
    },
    renewalMonths: { value: 12, article: "AV 21.1", quote: "…verlengd voor een periode van één (1) jaar." },
    notice: {
      value: null,
      article: "AV 21.1",
      note: "AV 21 noemt geen opzegtermijn; opzeggen kan tot de laatste dag van de looptijd. AV 21.3: kerkwebsite, zaaksite, clubsite en hosting zijn na één jaar maandelijks opzegbaar.",
    },
    noticeTermijnenwet: { value: false },
  },
  notes: [
    "Bron: algemene voorwaarden Elementon, art. 21 (diensten) en 30 (verwerkersovereenkomst).",
    "AV 30.12.4 zegt 'minimaal 1 maand van tevoren' en daarna 'tegen het einde van deze drie maanden': tegenstrijdig. Vastgelegd is de aankondiging van 1 maand.",
    "Art. 30 verwijst nog naar de Wbp ('per 25 mei 2018 … de AVG').",
    "AV 30.13 (specificatie persoonsgegevens en betrokkenen) is leeg in de brontekst.",
    "AV 30.5.1 geeft een bezwaarrecht zonder termijn.",
    "AV 30.12.5: 'niet weer beschikbaar komen systemen' mist een woord ('op').",
    "AV 21.1 regelt geen opzegtermijn voor de stilzwijgende verlenging.",
  ].join("\n"),
};

const puredigital: TermsProfile = {
  breachNoticeHours: {
    value: null,
    article: "AV 6.3",
    quote:
      "…stelt Leverancier de Verwerkingsverantwoordelijke onder de AVG hiervan zo spoedig mogelijk binnen de door partijen afgesproken termijn op de hoogte.",
    note: "Verwijst naar een 'afgesproken termijn' die de voorwaarden niet noemen; een termijn uit het contract van de klant hoort als onderhandelde afwijking.",
  },
  breachClockStart: { value: "discovery", article: "AV 6.6", quote: "…binnen 12 uur na ontdekking van het datalek." },
  thirdPartyBreachNoticeHours: {
    value: 12,
    article: "AV 6.6",
    quote:
      "Datalekken, welke hebben plaatsgevonden bij een van de door Leverancier ingeschakelde derde dienen aan Cliënt gemeld te worden binnen 12 uur na ontdekking van het datalek.",
  },
  authorityDeadlineHours: { value: null, note: "Niet geregeld; de wettelijke 72 uur gelden." },
  breachNoticeContents: {
    value: ["all_relevant_information"],
    article: "AV 6.6",
    quote: "Alle relevante informatie omtrent het datalek dient daarbij te worden vermeld.",
  },
  breachScope: {
    value: "all_breaches",
    article: "AV 6.3",
    quote: "…zich een beveiligingsincident (datalek) zoals bedoeld in de AVG voordoet…",
  },
  subprocessorRegime: {
    value: "not_regulated",
    article: "AV 6.9",
    quote: "…bij Leverancier, bij een door haar ingeschakelde derde of (sub)verwerker zich voordoet, dan is Leverancier slechts aansprakelijk indien…",
    note: "Subverwerkers komen alleen ter sprake voor de aansprakelijkheid; toestemming en bezwaar zijn niet geregeld.",
  },
  objectionWindow: { value: null },
  objectionWindowTermijnenwet: { value: false },
  transfersOutsideEea: { value: null, note: "Niet geregeld." },
  endOfContract: {
    choice: {
      value: "not_longer_than_necessary",
      article: "AV 6.7",
      quote:
        "Leverancier zal persoonsgegevens niet langer bewaren dan noodzakelijk is voor de uitvoering van de tussen partijen afgesproken opdracht, tenzij de Cliënt toestemming verleent voor een langere bewaartermijn…",
    },
    deletionDeadline: { value: null, article: "AV 6.7", note: "Geen termijn; de interne norm geldt." },
    backupRetention: { value: null },
    exitRequestDeadline: { value: null },
    choiceDeadline: { value: { amount: 14, unit: "days" }, note: CHOICE_DEFAULT_NOTE },
  },
  auditRights: { value: null, note: "Niet geregeld." },
  dpaChangeNotice: {
    value: {
      noticePeriod: null,
      responseWindow: { amount: 30, unit: "days" },
      text: {
        nl: "Eenzijdige wijziging met tijdige kennisgeving per e-mail; schriftelijk bezwaar binnen dertig dagen na dagtekening van de wijziging.",
        en: "Unilateral change with timely notice by e-mail; written objection within thirty days of the date of the change.",
      },
    },
    article: "AV 17.1",
    quote:
      "…zal Leverancier tijdig Cliënt op de hoogte stellen van alle wijzigingen … De gewijzigde Algemene Voorwaarden zullen dan verder van toepassing zijn, tenzij tegen eventuele wijzigingen schriftelijk bezwaar wordt gemaakt door Cliënt binnen dertig dagen na dagtekening van de wijziging.",
  },
  liabilityCap: {
    value: {
      text: {
        nl: "Directe schade tot de bedongen prijs (bij duurovereenkomsten langer dan een jaar: één jaar vergoedingen), nooit meer dan € 500.000.",
        en: "Direct damage up to the agreed price (for contracts longer than a year: one year of fees), never more than €500,000.",
      },
      amountEur: 500000,
    },
    article: "AV 13.1",
    quote: "In geen geval zal de totale vergoeding voor directe schade echter meer bedragen dan € 500.000,- (vijfhonderdduizend Euro).",
  },
  mainContract: {
    termMonths: {
      value: null,
      article: "AV 12.2",
      quote: "De overeenkomst tussen Leverancier en Cliënt wordt aangegaan voor de duur als vermeld in de overeenkomst.",
    },
    tacitRenewal: {
      value: true,
      article: "AV 12.2",
      quote: "Behoudens in geval van opzegging, wordt de overeenkomst vervolgens aansluitend steeds met een periode van gelijke duur verlengd.",
    },
    renewalMonths: { value: null, article: "AV 12.2", quote: "…met een periode van gelijke duur verlengd." },
    notice: {
      value: { kind: "fixed", months: 2 },
      article: "AV 12.2",
      quote:
        "Opzegging van de overeenkomst dient te geschieden per brief of per e-mail tegen het einde van de (verlengde) looptijd met een opzegtermijn van twee maanden, tenzij anders aangegeven in het contract.",
    },
    noticeTermijnenwet: { value: false },
  },
  notes: [
    "Bron: algemene voorwaarden PureDigital, art. 6 (privacy en AVG), 12, 13 en 17.",
    "Alleen art. 6 'Privacy en AVG'; geen volledige verwerkersovereenkomst in de zin van art. 28 lid 3 AVG (subverwerkers, audit, teruggave/verwijdering en doorgifte ontbreken).",
    "AV 6.3 verwijst naar een 'door partijen afgesproken termijn' die nergens in de voorwaarden staat.",
    "AV 6.8 beschrijft de rechten van betrokkenen alsof de Cliënt zelf de betrokkene is.",
    "Het domeinoverzicht noemt AV 17.1 'eenzijdig met tijdige kennisgeving'; 17.1 geeft daarnaast een bezwaartermijn van dertig dagen na dagtekening. Vastgelegd wat er staat.",
  ].join("\n"),
};

/** Version 1 of each vendor's terms profile, keyed by workspace slug. */
export const seedTermsProfiles: Record<SeedWorkspaceSlug, TermsProfile> = {
  leadcube,
  klantgenerator,
  "lai-media": laiMedia,
  elementon,
  puredigital,
};

/**
 * Demo customers with negotiated terms. customerIndex is the 0-based position in that
 * workspace's demo customers; index 0 always keeps the plain profile so the demo shows both.
 * Each deviation maps onto one term_deviations row.
 */
export type DemoNegotiatedTerms = {
  workspaceSlug: SeedWorkspaceSlug;
  customerIndex: number;
  deviations: NegotiatedDeviation[];
};

export const demoNegotiatedTerms: DemoNegotiatedTerms[] = [
  {
    workspaceSlug: "lai-media",
    customerIndex: 1,
    deviations: [
      {
        field: "breachNoticeHours",
        value: 24,
        reason:
          "Klant host patiëntgegevens en moet zelf binnen 72 uur bij de AP melden; 'zonder onredelijke vertraging' was te vaag voor de eigen meldprocedure.",
        clause: "Aanvulling op Bijlage 1, art. 6.1a (getekend 12-03-2025)",
      },
    ],
  },
  {
    workspaceSlug: "leadcube",
    customerIndex: 2,
    deviations: [
      {
        field: "breachNoticeHours",
        value: 12,
        reason: "Grote klant met een eigen 24/7 incidentteam; eist melding binnen 12 uur om de eigen AP-termijn van 48 uur te halen.",
        clause: "Side letter informatiebeveiliging, art. 3.2",
      },
    ],
  },
  {
    workspaceSlug: "elementon",
    customerIndex: 1,
    deviations: [
      {
        field: "objectionWindow",
        value: { amount: 30, unit: "days", from: "notice_sent" },
        reason: "Gemeentelijke klant; de inkoopvoorwaarden vragen 30 dagen om bezwaar te maken tegen een nieuwe subverwerker.",
        clause: "Aanvullende verwerkersafspraken gemeente, art. 4.3",
      },
    ],
  },
];
