/**
 * The fictional company behind the demo directory: its departments, offices and phone plan.
 *
 * Phone numbers come from ranges reserved for fiction where one exists (555-01xx in North
 * America, 07700 900xxx and 020 7946 0xxx in the UK, 06 39 98 and 01 99 00 in France), because
 * a softphone user trying the demo may well press "call". Direct lines follow the brief's plan,
 * +1 415 555 and the 4-digit extension.
 */
import type { Prng } from './prng.js';

export interface Department {
  name: string;
  /** departmentNumber attribute. */
  number: string;
  /** First extension of the department's block, which ends where the next block starts. */
  extensionBase: number;
  /** Share of generated people, relative to the other departments; 0 for a fixed team. */
  weight: number;
  titles: readonly string[];
}

export const DEPARTMENTS = {
  executive: {
    name: 'Executive',
    number: '100',
    extensionBase: 2100,
    weight: 0,
    titles: [
      'Chief Executive Officer',
      'Chief Financial Officer',
      'Chief Technology Officer',
      'Chief Operating Officer',
      'Executive Assistant',
    ],
  },
  facilities: {
    name: 'Facilities',
    number: '150',
    extensionBase: 2010,
    weight: 2,
    titles: ['Office Manager', 'Facilities Coordinator', 'Receptionist'],
  },
  sales: {
    name: 'Sales',
    number: '200',
    extensionBase: 3000,
    weight: 18,
    titles: [
      'Account Executive',
      'Sales Development Representative',
      'Regional Sales Manager',
      'Sales Engineer',
      'VP Sales (EMEA)',
    ],
  },
  marketing: {
    name: 'Marketing',
    number: '300',
    extensionBase: 3500,
    weight: 8,
    titles: ['Marketing Manager', 'Content Strategist', 'Product Marketing Manager', 'Designer'],
  },
  engineering: {
    name: 'Engineering',
    number: '400',
    extensionBase: 4000,
    weight: 30,
    titles: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'Engineering Manager',
      'QA Engineer',
      'Site Reliability Engineer',
      'Principal Engineer',
    ],
  },
  it: {
    name: 'IT',
    number: '450',
    extensionBase: 4700,
    weight: 6,
    titles: ['IT Administrator', 'Systems Engineer', 'Help Desk Technician'],
  },
  support: {
    name: 'Support',
    number: '500',
    extensionBase: 5000,
    weight: 16,
    titles: ['Support Engineer', 'Customer Success Manager', 'Support Team Lead'],
  },
  finance: {
    name: 'Finance',
    number: '600',
    extensionBase: 6000,
    weight: 6,
    titles: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'],
  },
  people: {
    name: 'People Operations',
    number: '650',
    extensionBase: 6400,
    weight: 5,
    titles: ['HR Business Partner', 'Recruiter', 'People Operations Specialist'],
  },
  legal: {
    name: 'Legal',
    number: '700',
    extensionBase: 6700,
    weight: 3,
    titles: ['Legal Counsel', 'Paralegal', 'Compliance Officer'],
  },
} as const satisfies Record<string, Department>;

export interface Office {
  city: string;
  weight: number;
  mobile(prng: Prng): string;
  homePhone(prng: Prng): string;
  fax: string;
}

const US_AREA_CODES = ['415', '510', '628', '650', '212', '646', '718', '917'];

export const OFFICES = {
  sanFrancisco: {
    city: 'San Francisco',
    weight: 45,
    mobile: (prng) => `+1 ${prng.pick(US_AREA_CODES.slice(0, 4))} 555 01${prng.digits(2)}`,
    homePhone: (prng) => `+1 ${prng.pick(US_AREA_CODES.slice(0, 4))} 555 01${prng.digits(2)}`,
    fax: '+1 415 555 0199',
  },
  newYork: {
    city: 'New York',
    weight: 20,
    mobile: (prng) => `+1 ${prng.pick(US_AREA_CODES.slice(4))} 555 01${prng.digits(2)}`,
    homePhone: (prng) => `+1 ${prng.pick(US_AREA_CODES.slice(4))} 555 01${prng.digits(2)}`,
    fax: '+1 212 555 0199',
  },
  london: {
    city: 'London',
    weight: 20,
    mobile: (prng) => `+44 7700 900${prng.digits(3)}`,
    homePhone: (prng) => `+44 20 7946 0${prng.digits(3)}`,
    fax: '+44 20 7946 0999',
  },
  paris: {
    city: 'Paris',
    weight: 15,
    mobile: (prng) => `+33 6 39 98 ${prng.digits(2)} ${prng.digits(2)}`,
    homePhone: (prng) => `+33 1 99 00 ${prng.digits(2)} ${prng.digits(2)}`,
    fax: '+33 1 99 00 99 99',
  },
} as const satisfies Record<string, Office>;

/** The direct line that rings a 4-digit extension. */
export function directLine(extension: string): string {
  return `+1 415 555 ${extension}`;
}

export const MAIL_DOMAIN = 'demo.example.com';
