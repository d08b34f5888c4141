import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ConfigError,
  DirectoryEntry,
  type AttributeMapper,
  type AttributeValue,
} from '../../core/plugin-api.js';
import { checkedOrganization, defaultMapperWith } from './mapping-default-setup.js';

function entry(attributes: Record<string, AttributeValue[]>): DirectoryEntry {
  return new DirectoryEntry('uid=a,dc=example,dc=com', Object.entries(attributes));
}

const fieldsOf = (mapper: AttributeMapper, attributes: Record<string, AttributeValue[]>) =>
  mapper.toContact(entry(attributes)).fields;

/** BUILTIN\Administrators and a GUID, in the bytes Active Directory sends. */
const SID = Buffer.from('01020000000000052000000020020000', 'hex');
const GUID = Buffer.from('3f2504e04f8911d39a0c0305e82c3301', 'hex');

describe('default mapping: fields', () => {
  it('selects and renames attributes, whatever the case of their names', () => {
    const mapper = defaultMapperWith({
      fields: {
        jobTitle: { attribute: 'title' },
        department: { attribute: 'DEPARTMENT' },
        groups: { attribute: 'memberOf', multiple: true },
      },
    });
    const fields = fieldsOf(mapper, {
      TITLE: ['Engineer'],
      department: ['Sales'],
      MemberOf: ['cn=a,dc=x', 'cn=b,dc=x'],
    });
    assert.deepEqual(fields, {
      jobTitle: 'Engineer',
      department: 'Sales',
      groups: ['cn=a,dc=x', 'cn=b,dc=x'],
    });
    for (const name of ['title', 'DEPARTMENT', 'memberOf']) {
      assert.ok(mapper.attributes.includes(name), `searches ask for ${name}`);
    }
  });

  it('leaves out fields whose attribute is missing, blank, or matches nothing', () => {
    const mapper = defaultMapperWith({
      fields: {
        title: { attribute: 'title' },
        room: { attribute: 'roomNumber' },
        groups: { attribute: 'memberOf', multiple: true },
        sip: { attribute: 'proxyAddresses', match: '^SIP:' },
      },
    });
    const fields = fieldsOf(mapper, { title: ['  ', ''], proxyAddresses: ['SMTP:a@x'] });
    assert.deepEqual(fields, {});
  });

  it('has no fields at all when none are configured', () => {
    const contact = defaultMapperWith({}).toContact(entry({ title: ['Engineer'] }));
    assert.equal('fields' in contact, false);
  });

  const values = ['  +1 415 555 0100 ', 'Zoë', 'a much longer value', 'xy', 'SIP:zoe@example.com'];
  const rules: Array<[rule: Record<string, unknown>, expected: string | undefined, why: string]> = [
    [{}, '+1 415 555 0100', 'the first value, trimmed, by default'],
    [{ pick: 'first' }, '+1 415 555 0100', 'first'],
    [{ pick: 'last' }, 'SIP:zoe@example.com', 'last'],
    [{ pick: 'shortest' }, 'xy', 'shortest'],
    [{ pick: 'longest' }, 'a much longer value', 'longest, the earlier of equal lengths'],
    [{ prefer: '^SIP:' }, 'SIP:zoe@example.com', 'the preferred value'],
    [{ prefer: '^\\p{Ll}', pick: 'last' }, 'xy', 'last of the preferred'],
    [{ prefer: '^nothing' }, '+1 415 555 0100', 'the first when nothing is preferred'],
    [{ match: '^\\+' }, '+1 415 555 0100', 'only matching values count'],
    [{ match: '^[a-z]', pick: 'shortest' }, 'xy', 'match, then pick'],
    [{ match: '^nothing' }, undefined, 'no field when nothing matches'],
  ];
  for (const [rule, expected, why] of rules) {
    it(`picks one of several values: ${why}`, () => {
      const mapper = defaultMapperWith({
        fields: { value: { attribute: 'description', ...rule } },
      });
      const fields = fieldsOf(mapper, { description: values });
      assert.deepEqual(fields, expected === undefined ? {} : { value: expected });
    });
  }

  it('keeps multi-valued fields as lists, trimmed, without blanks or repeats', () => {
    const mapper = defaultMapperWith({
      fields: {
        groups: { attribute: 'memberOf', multiple: true },
        sales: { attribute: 'memberOf', multiple: true, match: '^cn=sales' },
        one: { attribute: 'memberOf', multiple: true, match: 'b' },
      },
    });
    const memberOf = [' cn=sales-a,dc=x', 'cn=b,dc=x', ' ', 'cn=b,dc=x ', 'cn=sales-c,dc=x'];
    assert.deepEqual(fieldsOf(mapper, { memberOf }), {
      groups: ['cn=sales-a,dc=x', 'cn=b,dc=x', 'cn=sales-c,dc=x'],
      sales: ['cn=sales-a,dc=x', 'cn=sales-c,dc=x'],
      one: ['cn=b,dc=x'],
    });
  });

  it('reads tagged forms with the plain attribute, and one form when named', () => {
    const mapper = defaultMapperWith({
      fields: { names: { attribute: 'cn', multiple: true }, ja: { attribute: 'cn;lang-ja' } },
    });
    const fields = fieldsOf(mapper, { 'CN;LANG-JA': ['山田'], cn: ['Yamada'] });
    assert.deepEqual(fields, { names: ['Yamada', '山田'], ja: '山田' });
  });

  it('writes objectGUID and objectSid as Active Directory does, other bytes as base64', () => {
    const mapper = defaultMapperWith(
      {
        fields: {
          guid: { attribute: 'objectGUID' },
          sid: { attribute: 'objectSid' },
          photo: { attribute: 'thumbnailPhoto' },
        },
      },
      { attributes: ['objectGUID', 'objectSid', 'thumbnailPhoto', 'sIDHistory'] },
    );
    const contact = mapper.toContact(
      entry({
        objectGUID: [GUID],
        OBJECTSID: [SID],
        thumbnailPhoto: [Buffer.from([0xff, 0xd8])],
        sIDHistory: [SID],
      }),
    );
    assert.deepEqual(contact.fields, {
      guid: 'e004253f-894f-d311-9a0c-0305e82c3301',
      sid: 'S-1-5-32-544',
      photo: '/9g=',
    });
    assert.deepEqual(contact.attributes, {
      objectGUID: ['e004253f-894f-d311-9a0c-0305e82c3301'],
      objectSid: ['S-1-5-32-544'],
      thumbnailPhoto: ['/9g='],
      sIDHistory: [SID.toString('base64')],
    });
    assert.deepEqual(mapper.toAttributes?.(entry({ objectSid: [SID] })), {
      objectSid: ['S-1-5-32-544'],
    });
  });

  it('falls back to base64 for a malformed GUID or SID, and keeps text as text', () => {
    const mapper = defaultMapperWith({}, { attributes: ['objectGUID', 'objectSid'] });
    const contact = mapper.toContact(
      entry({ objectGUID: [Buffer.from([1, 2, 3])], objectSid: ['S-1-5-18', Buffer.from([9])] }),
    );
    assert.deepEqual(contact.attributes, { objectGUID: ['AQID'], objectSid: ['S-1-5-18', 'CQ=='] });
  });
});

describe('default mapping: phones', () => {
  it('reads every default phone attribute, typed, in E.164 under the default country', () => {
    const mapper = defaultMapperWith({}, { defaultCountry: 'US' });
    const contact = mapper.toContact(
      entry({
        TelephoneNumber: [' (415) 555-0100 x12 ', '2001'],
        otherTelephone: ['+44 (0)20 7946 0123'],
        ipPhone: ['*72'],
        MOBILE: ['415.555.0101'],
        otherMobile: ['+49 30 901820'],
        homePhone: ['#31#'],
        otherHomePhone: ['not a number'],
        facsimileTelephoneNumber: ['415-555-0102'],
        pager: ['x55'],
        'msRTCSIP-Line': ['tel:+14155550103;ext=7'],
      }),
    );
    assert.deepEqual(contact.phones, [
      {
        type: 'work',
        number: '(415) 555-0100 x12',
        e164: '+14155550100',
        extension: '12',
        attribute: 'TelephoneNumber',
      },
      { type: 'work', number: '2001', attribute: 'TelephoneNumber' },
      {
        type: 'work',
        number: '+44 (0)20 7946 0123',
        e164: '+442079460123',
        attribute: 'otherTelephone',
      },
      { type: 'ip', number: '*72', attribute: 'ipPhone' },
      { type: 'mobile', number: '415.555.0101', e164: '+14155550101', attribute: 'MOBILE' },
      { type: 'mobile', number: '+49 30 901820', e164: '+4930901820', attribute: 'otherMobile' },
      { type: 'home', number: '#31#', attribute: 'homePhone' },
      { type: 'home', number: 'not a number', attribute: 'otherHomePhone' },
      {
        type: 'fax',
        number: '415-555-0102',
        e164: '+14155550102',
        attribute: 'facsimileTelephoneNumber',
      },
      { type: 'pager', number: 'x55', extension: '55', attribute: 'pager' },
      {
        type: 'ip',
        number: 'tel:+14155550103;ext=7',
        e164: '+14155550103',
        extension: '7',
        attribute: 'msRTCSIP-Line',
      },
    ]);
  });

  it('reads only numbers with a country code when there is no default country', () => {
    const mapper = defaultMapperWith({});
    const phones = mapper.toContact(
      entry({ telephoneNumber: ['415.555.0100', '+1 415 555 0100'] }),
    ).phones;
    assert.deepEqual(
      phones.map((phone) => phone.e164),
      [undefined, '+14155550100'],
    );
  });

  it('lists a number once, under the first attribute that holds it', () => {
    const mapper = defaultMapperWith({}, { defaultCountry: 'US' });
    const phones = mapper.toContact(
      entry({
        telephoneNumber: ['+1 415 555 0100 x12', '2001', '(415) 555-0100'],
        ipPhone: ['2001', '20-01'],
        mobile: ['415 555 0100', '+1 415 555 0100'],
        'msRTCSIP-Line': ['tel:+1-415-555-0100;ext=12', 'tel:+14155550100;ext=13'],
      }),
    ).phones;
    assert.deepEqual(
      phones.map((phone) => [phone.attribute, phone.number]),
      [
        ['telephoneNumber', '+1 415 555 0100 x12'],
        ['telephoneNumber', '2001'],
        ['telephoneNumber', '(415) 555-0100'],
        ['msRTCSIP-Line', 'tel:+14155550100;ext=13'],
      ],
    );
  });

  it('takes its phone attributes and their types, in order, from phoneAttributes', () => {
    const mapper = defaultMapperWith({
      phoneAttributes: {
        mobile: 'mobile',
        SipPhone: 'ip',
        MOBILE: 'other',
        telephoneNumber: 'other',
      },
    });
    const phones = mapper.toContact(
      entry({
        telephoneNumber: ['+1 415 555 0100'],
        sipphone: ['100'],
        mobile: ['200'],
        pager: ['300'],
      }),
    ).phones;
    assert.deepEqual(
      phones.map((phone) => [phone.type, phone.number]),
      [
        ['mobile', '200'],
        ['ip', '100'],
        ['other', '+1 415 555 0100'],
      ],
    );
    assert.ok(mapper.attributes.includes('SipPhone'));
    assert.equal(
      mapper.attributes.some((name) => name.toLowerCase() === 'pager'),
      false,
      'phoneAttributes replaces the default list',
    );
  });

  it('asks the directory for every default phone attribute', () => {
    const attributes = defaultMapperWith({}).attributes.map((name) => name.toLowerCase());
    for (const name of [
      'telephoneNumber',
      'otherMobile',
      'facsimileTelephoneNumber',
      'msRTCSIP-Line',
    ]) {
      assert.ok(attributes.includes(name.toLowerCase()), name);
    }
  });
});

describe('default mapping: options checked at start-up', () => {
  const problemsOf = (options: unknown) =>
    checkedOrganization({ mapping: { type: 'default', options } }).problems;

  it('fills in the default phone attributes', () => {
    const { organization } = checkedOrganization({});
    const options = organization.mapping[0]!.options;
    assert.equal((options['phoneAttributes'] as Record<string, string>)['msRTCSIP-Line'], 'ip');
    assert.deepEqual(options['fields'], {});
  });

  it('refuses malformed options, naming each path', () => {
    const path = 'organizations.acme.mapping[0].options';
    const cases: Array<[options: unknown, expected: RegExp, why: string]> = [
      [{ colour: 'red' }, /options: must NOT have additional properties/, 'an unknown option'],
      [{ fields: { a: {} } }, /fields\.a: must have required property 'attribute'/, 'attribute'],
      [{ fields: { a: { attribute: 'x y' } } }, /fields\.a\.attribute: must match pattern/, 'name'],
      [
        { fields: { a: { attribute: 'cn', pick: 'middle' } } },
        /fields\.a\.pick: must be equal/,
        'rule',
      ],
      [{ fields: { __proto__x: { attribute: 'cn' } } }, /fields: must match pattern/, 'field name'],
      [
        { fields: { a: { attribute: 'cn', multiple: true, pick: 'last' } } },
        /fields\.a\.pick/,
        'list',
      ],
      [
        { fields: { a: { attribute: 'cn', multiple: true, prefer: 'x' } } },
        /fields\.a\.prefer/,
        'list',
      ],
      [
        { fields: { a: { attribute: 'cn', match: '' } } },
        /fields\.a\.match: must NOT have fewer/,
        '',
      ],
      [{ phoneAttributes: { mobile: 'cell' } }, /phoneAttributes\.mobile: must be equal/, 'type'],
      [{ phoneAttributes: { 'bad name': 'work' } }, /phoneAttributes: must match pattern/, 'attr'],
    ];
    for (const [options, expected, why] of cases) {
      const problems = problemsOf(options);
      assert.ok(problems.length > 0, why);
      assert.ok(
        problems.every((problem) => problem.startsWith(path)),
        problems.join('\n'),
      );
      assert.match(problems.join('\n'), expected, why);
    }
  });

  it('refuses a pattern that is no regular expression when the mapping is made', () => {
    const make = () => defaultMapperWith({ fields: { a: { attribute: 'cn', prefer: '(' } } });
    assert.throws(make, (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      const at = 'options.fields.a.prefer';
      assert.equal(error.problems.length, 1);
      assert.ok(error.problems[0]!.startsWith(`${at}: not a valid regular expression (`));
      return true;
    });
  });

  it('matches patterns on the first 1000 characters of a long value only', () => {
    const mapper = defaultMapperWith({
      fields: { a: { attribute: 'description', match: 'needle' } },
    });
    const long = `${'x'.repeat(5000)}needle`;
    assert.deepEqual(fieldsOf(mapper, { description: [long] }), {});
    assert.deepEqual(fieldsOf(mapper, { description: [`needle${long}`] }), { a: `needle${long}` });
  });
});
