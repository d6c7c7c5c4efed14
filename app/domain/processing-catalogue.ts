/**
 * The catalogues of personal data categories and data subject categories that customers' processing
 * details, breach records and registers refer to by key. Special categories (Art. 9 GDPR), national
 * ID numbers (BSN) and criminal data (Art. 10) are flagged, since they raise breach risk.
 */
import type { Locale } from "./locale";

/** Entry of the data-category / data-subject catalogues. */
export interface CatalogueEntry {
  nl: string;
  en: string;
  /** Special category of personal data, Art. 9 GDPR. */
  special?: boolean;
  /** National identification number (BSN), Art. 87 GDPR / Art. 46 UAVG. */
  nationalId?: boolean;
  /** Criminal convictions and offences, Art. 10 GDPR. */
  criminal?: boolean;
  /** Not special, but raises breach risk (EDPB 9/2022): financial, ID documents, credentials, location. */
  sensitive?: boolean;
  /** Concerns vulnerable people (e.g. children). */
  vulnerable?: boolean;
}


const dataCategoryDefs = {
  name: { nl: "Naam", en: "Name" },
  contact: { nl: "Contactgegevens (e-mailadres, telefoonnummer)", en: "Contact details (email address, phone number)" },
  address: { nl: "Adresgegevens", en: "Postal address" },
  date_of_birth: { nl: "Geboortedatum of leeftijd", en: "Date of birth or age" },
  login: { nl: "Inloggegevens (gebruikersnaam, wachtwoord-hash)", en: "Login credentials (username, password hash)", sensitive: true },
  ip_address: { nl: "IP-adres en apparaatgegevens", en: "IP address and device data" },
  online_identifiers: { nl: "Cookie-ID's en andere online identificatoren", en: "Cookie IDs and other online identifiers" },
  usage_data: { nl: "Gebruiks- en klikgedrag", en: "Usage and click behaviour" },
  communication: { nl: "Inhoud van berichten en formulieren", en: "Content of messages and form submissions" },
  order_data: { nl: "Bestel-, boekings- en transactiegegevens", en: "Order, booking and transaction data" },
  financial: { nl: "Financiële gegevens (IBAN, betaalgegevens, inkomen)", en: "Financial data (IBAN, payment data, income)", sensitive: true },
  employment: { nl: "Personeels- en functiegegevens", en: "Employment and job data" },
  payroll: { nl: "Salaris- en loongegevens", en: "Salary and payroll data", sensitive: true },
  job_application: { nl: "Sollicitatiegegevens (cv, motivatie)", en: "Job application data (CV, motivation)" },
  education: { nl: "Opleidings- en cursusgegevens (voortgang, resultaten)", en: "Education and course data (progress, results)" },
  images: { nl: "Foto's en beeldmateriaal", en: "Photos and images" },
  location: { nl: "Locatiegegevens", en: "Location data", sensitive: true },
  id_document: { nl: "Kopie identiteitsbewijs of documentnummer", en: "Copy of ID document or document number", sensitive: true },
  bsn: { nl: "Burgerservicenummer (BSN)", en: "Citizen service number (BSN)", nationalId: true },
  health: { nl: "Gezondheidsgegevens", en: "Health data", special: true },
  religion: { nl: "Religieuze of levensbeschouwelijke overtuiging", en: "Religious or philosophical beliefs", special: true },
  political_opinion: { nl: "Politieke opvattingen", en: "Political opinions", special: true },
  trade_union: { nl: "Lidmaatschap van een vakbond", en: "Trade union membership", special: true },
  biometric: { nl: "Biometrische gegevens voor unieke identificatie", en: "Biometric data for unique identification", special: true },
  criminal: { nl: "Strafrechtelijke gegevens", en: "Criminal convictions and offences", criminal: true },
  children: { nl: "Gegevens van kinderen (jonger dan 16 jaar)", en: "Data of children (under 16)", vulnerable: true },
} satisfies Record<string, CatalogueEntry>;

export type DataCategoryKey = keyof typeof dataCategoryDefs;

export const dataCategoryCatalogue: Record<DataCategoryKey, CatalogueEntry> = dataCategoryDefs;

const dataSubjectDefs = {
  customers: { nl: "Klanten", en: "Customers" },
  prospects: { nl: "Prospects en leads", en: "Prospects and leads" },
  website_visitors: { nl: "Websitebezoekers", en: "Website visitors" },
  end_users: { nl: "Eindgebruikers van de dienst", en: "End users of the service" },
  employees: { nl: "Medewerkers", en: "Employees" },
  job_applicants: { nl: "Sollicitanten en kandidaten", en: "Job applicants and candidates" },
  patients: { nl: "Patiënten en cliënten in de zorg", en: "Patients and care clients" },
  students: { nl: "Leerlingen en studenten", en: "Pupils and students" },
  course_participants: { nl: "Cursisten en deelnemers", en: "Course participants and attendees" },
  members: { nl: "Leden", en: "Members" },
  volunteers: { nl: "Vrijwilligers", en: "Volunteers" },
  donors: { nl: "Donateurs", en: "Donors" },
  tenants: { nl: "Huurders", en: "Tenants" },
  newsletter_subscribers: { nl: "Nieuwsbriefabonnees", en: "Newsletter subscribers" },
  suppliers: { nl: "Leveranciers en hun contactpersonen", en: "Suppliers and their contacts" },
  minors: { nl: "Minderjarigen", en: "Minors", vulnerable: true },
} satisfies Record<string, CatalogueEntry>;

export type DataSubjectKey = keyof typeof dataSubjectDefs;

export const dataSubjectCatalogue: Record<DataSubjectKey, CatalogueEntry> = dataSubjectDefs;


export function isDataCategoryKey(key: string): key is DataCategoryKey {
  return Object.hasOwn(dataCategoryCatalogue, key);
}

export function isDataSubjectKey(key: string): key is DataSubjectKey {
  return Object.hasOwn(dataSubjectCatalogue, key);
}

/** A key's label in the given language, with its risk flags; an unknown key is shown as itself. */
export function catalogueLabel(kind: "dataCategory" | "dataSubject", key: string, locale: Locale): { text: string; special: boolean } {
  const entry: CatalogueEntry | undefined =
    kind === "dataCategory" ? (isDataCategoryKey(key) ? dataCategoryCatalogue[key] : undefined) : isDataSubjectKey(key) ? dataSubjectCatalogue[key] : undefined;
  if (!entry) return { text: key, special: false };
  return { text: entry[locale], special: Boolean(entry.special || entry.nationalId || entry.criminal) };
}
