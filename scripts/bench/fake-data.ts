/**
 * Realistic, reproducible field values for the benchmark workspace: Dutch (and some Belgian and
 * German) business customers with plausible names, addresses, registration numbers and contacts.
 * A seeded generator makes every run produce the same names in the same order, so the deep-page
 * scenario lands on comparable data each time. All e-mail addresses use the reserved `.example` domain.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** integer in [min, max] */
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number): boolean => next() < p,
    digits: (n: number): string => Array.from({ length: n }, () => Math.floor(next() * 10)).join(""),
  };
}

export type Random = ReturnType<typeof createRandom>;

// prettier-ignore
const surnames = [
  "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer",
  "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
  "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
  "van der Veen", "van den Broek", "de Bruijn", "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet",
  "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam", "van der Wal", "Prins", "Blom", "Huisman",
  "Peeters", "de Jong", "Kuipers", "van Wijk", "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten",
  "Wouters", "Hermans", "Bosman", "Molenaar", "Timmermans", "Groen", "Gerritsen", "Boekhout", "Yilmaz", "El Amrani",
  "Nguyen", "Kaya", "Öztürk", "Haddou", "Claes", "Goossens", "Wagner", "Schmitz", "Becker", "Hoffmann",
] as const;

// prettier-ignore
const sectorPrefixes = [
  "Bakkerij", "Installatiebedrijf", "Administratiekantoor", "Tandartspraktijk", "Fysiotherapie",
  "Huisartsenpraktijk", "Kinderopvang", "Autobedrijf", "Schildersbedrijf", "Hoveniersbedrijf", "Makelaardij",
  "Notariskantoor", "Accountantskantoor", "Dierenkliniek", "Rijschool", "Drukkerij", "Transportbedrijf",
  "Bouwbedrijf", "Stichting", "Zorggroep", "Adviesbureau", "Reisbureau", "Loodgietersbedrijf", "Slagerij",
  "Fietsenwinkel", "Bloemisterij", "Kapsalon", "Sportschool", "Verloskundigenpraktijk", "Psychologenpraktijk",
  "Uitvaartverzorging", "Woningstichting",
] as const;

// prettier-ignore
const sectorSuffixes = [
  "Advocaten", "Bouw", "Techniek", "Consultancy", "Installaties", "Accountants", "Makelaars", "ICT", "Media",
  "Logistiek", "Vastgoed", "Verhuur", "Groep", "Zorg", "Catering", "Schoonmaak", "Personeelsdiensten", "Elektro",
  "Metaal", "Interieur", "Design", "Events", "Software", "Marketing", "Tuinen", "Recruitment", "Beveiliging",
] as const;

// prettier-ignore
const brandStarts = [
  "Zon", "Groen", "Noord", "Zuid", "Oost", "West", "Blauw", "Snel", "Slim", "Helder", "Stad", "Dijk", "Polder",
  "Duin", "Water", "Licht", "Vonk", "Kompas", "Anker", "Eik", "Linde", "Berk", "Vlinder", "Tulp", "Molen",
] as const;
// prettier-ignore
const brandEnds = [
  "tech", "web", "zorg", "data", "net", "werk", "kracht", "punt", "lijn", "veld", "hof", "haven", "stroom", "hub",
  "wijzer", "sprong", "vorm", "bouw", "logic", "cloud", "desk", "flow", "works", "mark",
] as const;

type Place = { city: string; country: "NL" | "BE" | "DE"; postcode: (r: Random) => string };

const nlPlace = (city: string, from: number, to: number): Place => ({
  city,
  country: "NL",
  postcode: (r) => `${r.int(from, to)} ${String.fromCharCode(65 + r.int(0, 25))}${String.fromCharCode(65 + r.int(0, 25))}`,
});

const places: Place[] = [
  nlPlace("Amsterdam", 1011, 1109),
  nlPlace("Rotterdam", 3011, 3089),
  nlPlace("Den Haag", 2491, 2597),
  nlPlace("Utrecht", 3511, 3585),
  nlPlace("Eindhoven", 5611, 5658),
  nlPlace("Groningen", 9711, 9747),
  nlPlace("Tilburg", 5011, 5049),
  nlPlace("Almere", 1311, 1366),
  nlPlace("Breda", 4811, 4839),
  nlPlace("Nijmegen", 6511, 6546),
  nlPlace("Apeldoorn", 7311, 7339),
  nlPlace("Haarlem", 2011, 2037),
  nlPlace("Arnhem", 6811, 6846),
  nlPlace("Enschede", 7511, 7548),
  nlPlace("Amersfoort", 3811, 3829),
  nlPlace("Zwolle", 8011, 8043),
  nlPlace("Leiden", 2311, 2334),
  nlPlace("Maastricht", 6211, 6229),
  nlPlace("Dordrecht", 3311, 3329),
  nlPlace("'s-Hertogenbosch", 5211, 5237),
  nlPlace("Leeuwarden", 8911, 8939),
  nlPlace("Delft", 2611, 2629),
  nlPlace("Alkmaar", 1811, 1834),
  nlPlace("Deventer", 7411, 7431),
  nlPlace("Hilversum", 1211, 1223),
  nlPlace("Venlo", 5911, 5928),
  nlPlace("Middelburg", 4331, 4339),
  nlPlace("Assen", 9401, 9409),
  nlPlace("Lelystad", 8211, 8245),
  nlPlace("Emmen", 7811, 7833),
  { city: "Antwerpen", country: "BE", postcode: (r) => String(r.pick([2000, 2018, 2060, 2100, 2140])) },
  { city: "Gent", country: "BE", postcode: (r) => String(r.pick([9000, 9030, 9040, 9050])) },
  { city: "Leuven", country: "BE", postcode: () => "3000" },
  { city: "Hasselt", country: "BE", postcode: () => "3500" },
  { city: "Köln", country: "DE", postcode: (r) => String(r.int(50667, 51149)) },
  { city: "Düsseldorf", country: "DE", postcode: (r) => String(r.int(40210, 40629)) },
  { city: "Aachen", country: "DE", postcode: (r) => String(r.int(52062, 52080)) },
];
/** Most customers are Dutch: the NL places get ten times the weight of a foreign one. */
const weightedPlaces: Place[] = places.flatMap((p) => (p.country === "NL" ? Array<Place>(10).fill(p) : [p]));

// prettier-ignore
const streets = [
  "Dorpsstraat", "Kerkstraat", "Stationsweg", "Industrieweg", "Nijverheidsweg", "Marktplein", "Hoofdstraat",
  "Molenweg", "Schoolstraat", "Julianalaan", "Wilhelminastraat", "Beatrixlaan", "Havenstraat", "Handelsweg",
  "Energieweg", "Ambachtsweg", "Keizersgracht", "Oudegracht", "Parallelweg", "Zuiderweg", "Bedrijvenpark",
] as const;

// prettier-ignore
const firstNames = [
  "Anne", "Bram", "Daan", "Emma", "Femke", "Jeroen", "Lotte", "Maarten", "Noor", "Pieter", "Sanne", "Thijs", "Eva",
  "Ruben", "Iris", "Koen", "Fleur", "Joost", "Marieke", "Sven", "Lisa", "Tom", "Ingrid", "Hans", "Wouter", "Esther",
  "Mohamed", "Fatima", "Yusuf", "Ayşe", "Priya", "Sophie", "Lucas", "Julia", "Milan", "Sara",
] as const;
const signatoryRoles = {
  nl: ["Directeur", "Eigenaar", "Algemeen directeur", "Operationeel directeur", "Bestuurder", "Directeur-eigenaar"],
  en: ["Managing director", "Owner", "Chief executive officer", "Chief operating officer", "Director"],
} as const;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function slug(s: string): string {
  return (
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, "en")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "bedrijf"
  );
}

function companyBase(r: Random): string {
  const pattern = r.int(0, 9);
  if (pattern <= 2) return `${r.pick(sectorPrefixes)} ${r.pick(surnames)}`;
  if (pattern <= 5) return `${capitalize(r.pick(surnames))} ${r.pick(sectorSuffixes)}`;
  if (pattern === 6) return `${capitalize(r.pick(surnames))} & ${r.pick(surnames).replace(/^.* /, "")}`;
  if (pattern === 7) return `'t ${r.pick(brandStarts)}${r.pick(brandEnds)}`;
  return `${r.pick(brandStarts)}${r.pick(brandEnds)}`;
}

function legalForm(r: Random, country: Place["country"]): string {
  if (country === "DE") return r.pick([" GmbH", " GmbH", " UG", " KG"]);
  if (country === "BE") return r.pick([" BV", " BV", " NV", " VZW"]);
  const p = r.next();
  if (p < 0.6) return " B.V.";
  if (p < 0.7) return " V.O.F.";
  if (p < 0.75) return " Holding B.V.";
  return "";
}

export type FakeCustomer = {
  name: string;
  registrationNumber: string;
  address: string;
  postcode: string;
  city: string;
  country: "NL" | "BE" | "DE";
  language: "nl" | "en";
  signatoryName: string;
  signatoryRole: string;
  signatoryEmail: string;
  privacyContactName: string;
  privacyContactEmail: string;
  dpoName: string | null;
  dpoEmail: string | null;
  notificationEmails: string[];
  emailDomain: string;
};

/** One plausible business customer. `serial` keeps e-mail domains of same-named companies apart. */
export function fakeCustomer(r: Random, serial: number): FakeCustomer {
  const place = r.pick(weightedPlaces);
  const base = companyBase(r);
  const name = `${base}${base.startsWith("Stichting") ? "" : legalForm(r, place.country)}`;
  const emailDomain = `${slug(base)}-${serial.toString(36)}.example`;
  const language: "nl" | "en" =
    place.country === "DE" ? "en" : place.country === "BE" ? (r.chance(0.6) ? "nl" : "en") : r.chance(0.95) ? "nl" : "en";
  const person = () => {
    const first = r.pick(firstNames);
    const last = r.pick(surnames);
    return { name: `${first} ${last}`, local: slug(`${first}.${last}`).replace(/-/g, ".") };
  };
  const signatory = person();
  const contact = r.chance(0.4) ? signatory : person();
  const hasDpo = r.chance(0.15);
  const privacyContactEmail = r.chance(0.5) ? `privacy@${emailDomain}` : `${contact.local}@${emailDomain}`;
  const registrationNumber =
    place.country === "NL"
      ? r.digits(8)
      : place.country === "BE"
      ? `KBO 0${r.digits(3)}.${r.digits(3)}.${r.digits(3)}`
      : `Handelsregister, Amtsgericht ${place.city} HRB ${r.int(10000, 99999)}`;
  return {
    name,
    registrationNumber,
    address: `${r.pick(streets)} ${r.int(1, 250)}${r.chance(0.15) ? r.pick(["a", "b", "-2", " bis"]) : ""}`,
    postcode: place.postcode(r),
    city: place.city,
    country: place.country,
    language,
    signatoryName: signatory.name,
    signatoryRole: r.pick(signatoryRoles[language]),
    signatoryEmail: `${signatory.local}@${emailDomain}`,
    privacyContactName: contact.name,
    privacyContactEmail,
    dpoName: hasDpo ? person().name : null,
    dpoEmail: hasDpo ? `fg@${emailDomain}` : null,
    notificationEmails: r.chance(0.5) ? [privacyContactEmail] : [privacyContactEmail, `it@${emailDomain}`],
    emailDomain,
  };
}

/** "YYYY-MM-DD" of a day between the two dates (inclusive), chosen at random. */
export function randomDate(r: Random, from: Date, to: Date): string {
  const day = 86_400_000;
  const n = Math.floor((to.getTime() - from.getTime()) / day);
  return new Date(from.getTime() + r.int(0, n) * day).toISOString().slice(0, 10);
}
