/**
 * updated_fields / other_properties: how `key=value` pairs are split and typed
 * (commands/shared/user-properties.ts). The reference sent every value as a string and split on
 * every `=`; these pin the fixes.
 */
import { expect } from 'chai';
import { parseUserProperties, splitPairs } from '../../commands/shared/user-properties.js';
import { UserError } from '../../src/base/errors.js';

const parse = (text: string, delimiter = ',') =>
  parseUserProperties(text, delimiter, 'updated_fields');
const failure = (text: string, delimiter = ','): string => {
  try {
    parse(text, delimiter);
  } catch (err) {
    expect(err).to.be.instanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error(`expected ${text} to be refused`);
};

describe('user properties from key=value pairs', () => {
  it('keeps string properties strings, even when they look numeric (test playbook: mobilePhone=050505050)', () => {
    expect(parse('mobilePhone=050505050,postalCode=98004,employeeId=007')).to.deep.equal({
      mobilePhone: '050505050',
      postalCode: '98004',
      employeeId: '007',
    });
  });

  it('splits each pair on its first = only', () => {
    expect(parse('displayName=a=b,streetAddress==1')).to.deep.equal({
      displayName: 'a=b',
      streetAddress: '=1',
    });
  });

  it('honours the delimiter argument', () => {
    expect(parse('city=Tel Aviv, Israel;jobTitle=VP, Sales', ';')).to.deep.equal({
      city: 'Tel Aviv, Israel',
      jobTitle: 'VP, Sales',
    });
    expect(parse('city=A||jobTitle=B', '||')).to.deep.equal({ city: 'A', jobTitle: 'B' });
  });

  it('types boolean properties, in any case, and refuses other words', () => {
    expect(parse('accountEnabled=TRUE,showInAddressList=False')).to.deep.equal({
      accountEnabled: true,
      showInAddressList: false,
    });
    expect(failure('accountEnabled=1')).to.contain('accountEnabled takes true or false');
  });

  it('uses the Graph spelling of a known property given in another case', () => {
    expect(parse('MobilePhone=1,ACCOUNTENABLED=false')).to.deep.equal({
      mobilePhone: '1',
      accountEnabled: false,
    });
  });

  it('reads string collections as a JSON list or a ;-separated list', () => {
    expect(parse('businessPhones=+1 425 555 0100; +1 425 555 0101')).to.deep.equal({
      businessPhones: ['+1 425 555 0100', '+1 425 555 0101'],
    });
    expect(parse('otherMails=["a@x.com","b@x.com"],businessPhones=')).to.deep.equal({
      otherMails: ['a@x.com', 'b@x.com'],
      businessPhones: [],
    });
    expect(failure('otherMails=[1,')).to.contain('not valid JSON');
  });

  it('reads complex properties as JSON objects, and empty as null', () => {
    expect(
      parse(
        'employeeOrgData={"division":"Retail","costCenter":"A,B"},onPremisesExtensionAttributes=',
      ),
    ).to.deep.equal({
      employeeOrgData: { division: 'Retail', costCenter: 'A,B' },
      onPremisesExtensionAttributes: null,
    });
    expect(failure('employeeOrgData=["x"]')).to.contain('employeeOrgData takes a JSON object');
  });

  it('reads identities as a list of objects (one object is a list of one)', () => {
    const identity = {
      signInType: 'userName',
      issuer: 'contoso.onmicrosoft.com',
      issuerAssignedId: 'johnsmith',
    };
    expect(parse(`identities=${JSON.stringify(identity)}`)).to.deep.equal({
      identities: [identity],
    });
    expect(parse(`identities=${JSON.stringify([identity, identity])}`)).to.deep.equal({
      identities: [identity, identity],
    });
  });

  it('types unknown properties: booleans, JSON, else text', () => {
    expect(
      parse(
        'extension_a_b=true,extension_a_c=[1,2],extension_a_d=42,extension_a_e={"k":1},extension_a_f=[draft',
      ),
    ).to.deep.equal({
      extension_a_b: true,
      extension_a_c: [1, 2],
      extension_a_d: '42',
      extension_a_e: { k: 1 },
      extension_a_f: '[draft',
    });
    expect(failure('extension_a_b={bad}')).to.contain(
      'Cannot read "extension_a_b={bad}" in updated_fields',
    );
  });

  it('clears a string property given an empty value', () => {
    expect(parse('jobTitle=,officeLocation=')).to.deep.equal({
      jobTitle: null,
      officeLocation: null,
    });
  });

  it('trims spaces around keys and values, and ignores empty items', () => {
    expect(parse(' jobTitle = Analyst , city=Tel Aviv,,')).to.deep.equal({
      jobTitle: 'Analyst',
      city: 'Tel Aviv',
    });
  });

  it('refuses malformed pairs, repeated keys and empty input, naming the pair', () => {
    expect(failure('jobTitle=Analyst,Tel Aviv')).to.contain(
      'Cannot read "Tel Aviv" in updated_fields: each item must be key=value',
    );
    expect(failure('=x')).to.contain('Cannot read "=x"');
    expect(failure('city=A,City=B')).to.contain('city is given more than once');
    expect(failure(',')).to.contain('updated_fields holds no key=value pair');
  });

  it('never repeats a passwordProfile value in an error', () => {
    const message = failure('passwordProfile={"password":Secret-Value-1}');
    expect(message).to.contain('passwordProfile=...').and.not.contain('Secret-Value-1');
  });

  it('does not let a key reach the object prototype', () => {
    const body = parse('__proto__={"polluted":true}');
    expect(Object.getPrototypeOf(body)).to.equal(Object.prototype);
    expect(Object.keys(body)).to.deep.equal(['__proto__']);
  });
});

describe('splitPairs', () => {
  it('does not split inside a JSON value, even on brackets and delimiters inside its strings', () => {
    expect(splitPairs('a={"x":"}],\\"q"},b=[1,[2,3]],c=3', ',')).to.deep.equal([
      'a={"x":"}],\\"q"}',
      'b=[1,[2,3]]',
      'c=3',
    ]);
  });

  it('keeps an unbalanced JSON value whole so that parsing reports it', () => {
    expect(splitPairs('a={"x":1,b=2', ',')).to.deep.equal(['a={"x":1', 'b=2']);
  });
});
