/**
 * Seed data tables: the named users scenarios refer to, and the vocabulary procedural users
 * are drawn from. Generation lives in people.ts.
 */

/** The hand-written part of the tenant: people the scenarios and tests talk about by name. */
export interface NamedUserSeed {
  key: string;
  givenName: string;
  surname: string;
  upnLocal: string;
  jobTitle: string | null;
  department: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  accountEnabled?: boolean;
  guestMail?: string;
  managerKey?: string;
}

export const NAMED_USERS: readonly NamedUserSeed[] = [
  // The tenant admin: the identity behind every delegated (authorization code) token.
  {
    key: 'admin',
    givenName: 'MOD',
    surname: 'Administrator',
    upnLocal: 'admin',
    jobTitle: 'IT Administrator',
    department: 'IT',
    officeLocation: '1/1101',
    mobilePhone: '+1 425 555 0101',
  },
  {
    key: 'patti',
    givenName: 'Patti',
    surname: 'Fernandez',
    upnLocal: 'PattiF',
    jobTitle: 'President',
    department: 'Executive Management',
    officeLocation: '15/1102',
    mobilePhone: '+1 425 555 0102',
  },
  {
    key: 'sara',
    givenName: 'Sara',
    surname: 'Davis',
    upnLocal: 'SaraD',
    jobTitle: 'Finance VP',
    department: 'Finance',
    officeLocation: '9/1103',
    mobilePhone: '+1 425 555 0103',
    managerKey: 'patti',
  },
  {
    key: 'adele',
    givenName: 'Adele',
    surname: 'Vance',
    upnLocal: 'AdeleV',
    jobTitle: 'Retail Manager',
    department: 'Retail',
    officeLocation: '18/2111',
    mobilePhone: '+1 425 555 0109',
    managerKey: 'sara',
  },
  {
    key: 'grady',
    givenName: 'Grady',
    surname: 'Archie',
    upnLocal: 'GradyA',
    jobTitle: 'Designer',
    department: 'R&D',
    officeLocation: '19/2109',
    mobilePhone: '+1 309 555 0104',
    managerKey: 'sara',
  },
  // Kim has one of every authentication method kind.
  {
    key: 'kim',
    givenName: 'Kim',
    surname: 'Akers',
    upnLocal: 'kim',
    jobTitle: 'Security Analyst',
    department: 'IT',
    officeLocation: '4/1220',
    mobilePhone: '+1 206 555 5555',
    managerKey: 'patti',
  },
  {
    key: 'disabled',
    givenName: 'Isaiah',
    surname: 'Langer',
    upnLocal: 'IsaiahL',
    jobTitle: 'Sales Rep',
    department: 'Sales',
    officeLocation: '20/1101',
    mobilePhone: null,
    accountEnabled: false,
    managerKey: 'sara',
  },
  {
    key: 'guest',
    givenName: 'Alex',
    surname: 'Wilber',
    upnLocal: 'alex.wilber_fabrikam.com#EXT#',
    jobTitle: null,
    department: null,
    officeLocation: null,
    mobilePhone: null,
    guestMail: 'alex.wilber@fabrikam.com',
  },
  {
    key: 'apostrophe',
    givenName: 'Conor',
    surname: "O'Brien",
    upnLocal: "conor.o'brien",
    jobTitle: 'Marketing Assistant',
    department: 'Marketing',
    officeLocation: '131/1104',
    mobilePhone: '+1 858 555 0110',
    managerKey: 'patti',
  },
];

export const FIRST = [
  'Alex',
  'Bianca',
  'Carlos',
  'Diego',
  'Emily',
  'Fatima',
  'Gabriel',
  'Hana',
  'Ivan',
  'Jun',
  'Keira',
  'Liam',
  'Megan',
  'Nestor',
  'Olga',
  'Pradeep',
  'Quinn',
  'Rosa',
  'Samir',
  'Tanya',
  'Umar',
  'Vera',
  'Wei',
  'Ximena',
  'Yusuf',
  'Zoe',
  'Lidia',
  'Miriam',
  'Johanna',
  'Lynne',
  'Henrietta',
  'Nadia',
];
export const LAST = [
  'Pisani',
  'Holloway',
  'Mueller',
  'Ward',
  'Robbins',
  'Singh',
  'Nakamura',
  'Okafor',
  'Larsen',
  'Costa',
  'Dubois',
  'Kowalski',
  'Haddad',
  'Ivanova',
  'Moreau',
  'Tanaka',
  'Novak',
  'Fischer',
  'Silva',
  'Chen',
  'Garcia',
  'Rossi',
  'Jensen',
  'Ahmed',
];
export const JOBS = [
  'Sales Representative',
  'Accountant',
  'Software Engineer',
  'Support Engineer',
  'Product Manager',
  'Marketing Specialist',
  'HR Generalist',
  'Data Analyst',
  'Designer',
  'Legal Counsel',
];
export const DEPARTMENTS = [
  'Sales',
  'Finance',
  'Engineering',
  'Support',
  'Product',
  'Marketing',
  'Human Resources',
  'Operations',
  'R&D',
  'Legal',
];
export const CITIES: [string, string, string, string][] = [
  ['Redmond', 'WA', 'United States', '98052'],
  ['Seattle', 'WA', 'United States', '98101'],
  ['Dublin', 'Leinster', 'Ireland', 'D02'],
  ['Munich', 'Bavaria', 'Germany', '80335'],
  ['Tel Aviv', 'Tel Aviv District', 'Israel', '6100000'],
];
