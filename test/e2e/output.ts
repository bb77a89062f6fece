/**
 * What the CLI prints for msgraph-user-get, checked the same way in every suite: the war-room
 * table (--output markdown), the entries (--output entries) and the merged context (--output context).
 */
import { expect } from 'chai';
import type { NamedUser } from '../../sim/index.js';
import { printed, type Cli, type CliResult } from './support.js';

export interface ExpectedUser extends NamedUser {
  displayName: string;
}

/** Cells of a markdown table row (pipes inside cells are escaped as \|). */
const cells = (line: string): string[] =>
  line
    .split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((cell) => cell.trim());

/**
 * The documented table of msgraph-user-get: "### {user} data", the properties as readable headers
 * sorted alphabetically, columns empty for the user dropped, one row.
 */
export function expectUserTable(result: CliResult, user: ExpectedUser): void {
  expect(result.code, printed(result)).to.equal(0);
  expect(result.stderr, printed(result)).to.equal('');
  const lines = result.stdout.trimEnd().split('\n');
  expect(lines, printed(result)).to.have.length(4);
  expect(lines[0]).to.equal(`### ${user.userPrincipalName} data`);
  const header = cells(lines[1] ?? '');
  expect(lines[2]).to.equal(`|${header.map(() => '---').join('|')}|`);
  expect(header, 'headers are sorted').to.deep.equal([...header].sort());
  expect(header).to.include.members([
    'Display Name',
    'Given Name',
    'ID',
    'Job Title',
    'Mobile Phone',
    'Surname',
    'User Principal Name',
  ]);
  // Properties that are null for every seed user are left out (removeNull).
  expect(header).to.not.include.members(['Age Group', 'Fax Number', 'Password Policies']);
  const row = cells(lines[3] ?? '');
  expect(row).to.have.length(header.length);
  const cell = (name: string) => row[header.indexOf(name)];
  expect(cell('ID')).to.equal(user.id);
  expect(cell('Display Name')).to.equal(user.displayName);
  expect(cell('User Principal Name')).to.equal(user.userPrincipalName);
}

const ENTRY_KEYS = ['Contents', 'ContentsFormat', 'EntryContext', 'HumanReadable', 'Type'];

/** --output entries: one note entry with exactly the five entry fields, Graph's user as Contents. */
export function expectUserEntries(result: CliResult, user: ExpectedUser, markdown: string): void {
  expect(result.code, printed(result)).to.equal(0);
  expect(result.stderr, printed(result)).to.equal('');
  const entries = JSON.parse(result.stdout) as Record<string, unknown>[];
  expect(entries).to.have.length(1);
  const [entry] = entries as [Record<string, unknown>];
  expect(Object.keys(entry).sort()).to.deep.equal(ENTRY_KEYS);
  expect(entry.Type).to.equal(1);
  expect(entry.ContentsFormat).to.equal('json');
  expect(entry.Contents).to.include({
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
  });
  expect(String(entry.HumanReadable).trimEnd(), 'HumanReadable is the markdown output').to.equal(
    markdown.trimEnd(),
  );
  expect(Object.keys(entry.EntryContext as object).sort()).to.deep.equal([
    'Account(val.ID && val.ID == obj.ID)',
    'MSGraphUser(val.ID && val.ID == obj.ID)',
  ]);
}

/** --output context: the merged incident context, MSGraphUser and the Account entity. */
export function expectUserContext(result: CliResult, user: ExpectedUser): void {
  expect(result.code, printed(result)).to.equal(0);
  expect(result.stderr, printed(result)).to.equal('');
  const context = JSON.parse(result.stdout) as Record<string, Record<string, unknown>>;
  expect(Object.keys(context).sort()).to.deep.equal(['Account', 'MSGraphUser']);
  expect(context.MSGraphUser).to.include({
    ID: user.id,
    DisplayName: user.displayName,
    UserPrincipalName: user.userPrincipalName,
  });
  expect(context.Account).to.include({
    ID: user.id,
    DisplayName: user.displayName,
    Username: user.userPrincipalName,
    Type: 'Azure AD',
  });
}

/** Runs msgraph-user-get in the three output formats and checks each. */
export async function expectUserReadable(
  cli: Cli,
  params: string,
  user: ExpectedUser,
): Promise<void> {
  const get = ['msgraph-user-get', `user=${user.userPrincipalName}`, '--params', params];
  const markdown = await cli.run(...get, '--output', 'markdown');
  expectUserTable(markdown, user);
  expectUserEntries(await cli.run(...get, '--output', 'entries'), user, markdown.stdout);
  expectUserContext(await cli.run(...get, '--output', 'context'), user);
}
