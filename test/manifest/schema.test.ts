import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unclassifiedCommands } from '../../src/manifest/consistency.js';
import { ManifestError, parseManifest } from '../../src/manifest/load.js';

const realManifest = readFileSync(
  fileURLToPath(new URL('../../integration.yml', import.meta.url)),
  'utf8',
);

// A small valid manifest; each broken case below edits one line of it. Line numbers in the
// expected messages refer to this text.
const BASE = `commonfields:
  id: Test
  version: -1
name: Test
display: Test
category: Utilities
description: A test integration.
sectionorder:
  - Connect
configuration:
  - name: proxy
    display: Use system proxy settings
    type: 8
    defaultvalue: 'false'
    section: Connect
  - name: azure_cloud
    display: Azure Cloud
    type: 15
    options:
      - Worldwide
      - China
    defaultvalue: Worldwide
    section: Connect
script:
  script: '-'
  type: javascript
  commands:
    - name: test-get
      description: Gets a thing.
      arguments:
        - name: user
          description: The user.
          required: true
        - name: flag
          description: A flag.
          type: boolean
          auto: PREDEFINED
          predefined:
            - 'true'
            - 'false'
          defaultValue: 'false'
      outputs:
        - contextPath: Test.ID
          description: The ID.
          type: String
`;

function problemsOf(text: string): string[] {
  try {
    parseManifest(text, 'm.yml');
  } catch (err) {
    if (err instanceof ManifestError) return err.message.split('\n').slice(1);
    throw err;
  }
  return [];
}

const edit = (from: string, to: string) => {
  if (!BASE.includes(from)) throw new Error(`fixture does not contain: ${from}`);
  return BASE.replace(from, to);
};

describe('manifest schema and loader', () => {
  it('accepts the real integration.yml', () => {
    const manifest = parseManifest(realManifest);
    expect(manifest.script.commands.length).to.be.greaterThan(40);
    expect(manifest.configuration.map((p) => p.name)).to.include.members([
      'creds_auth_id',
      'azure_cloud',
      'allow_secret_generators',
    ]);
  });

  it('classifies every command of integration.yml, and every potentially harmful one above read', () => {
    const manifest = parseManifest(realManifest);
    expect(unclassifiedCommands(manifest)).to.deep.equal([]);
    const harmful = manifest.script.commands.filter((c) => c.execution);
    expect(harmful.filter((c) => c['x-class'] === 'read').map((c) => c.name)).to.deep.equal([]);
    expect(unclassifiedCommands(parseManifest(BASE))).to.deep.equal(['test-get']);
  });

  it('accepts the base fixture', () => {
    expect(problemsOf(BASE)).to.deep.equal([]);
  });

  const broken: [string, string, string[]][] = [
    [
      'a YAML syntax error',
      edit('name: Test\n', 'name: [Test\n'),
      [
        'm.yml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      ],
    ],
    [
      'a duplicate YAML key',
      edit('display: Test\n', 'display: Test\ndisplay: Again\n'),
      ['m.yml:6:1: YAML syntax error: Map keys must be unique'],
    ],
    [
      'an unknown top-level key',
      edit('category: Utilities', 'category: Utilities\ncolour: blue'),
      ['m.yml:7:1: unknown key "colour"'],
    ],
    [
      'a missing required top-level key',
      edit('description: A test integration.\n', ''),
      ['m.yml:1:1: missing required key "description"'],
    ],
    [
      'a misspelled argument key',
      edit('          required: true', '          requried: true'),
      ['m.yml:33:11: script.commands[0].arguments[0]: (test-get) unknown key "requried"'],
    ],
    [
      'an argument without description',
      edit('          description: The user.\n', ''),
      [
        'm.yml:31:11: script.commands[0].arguments[0]: (test-get) missing required key "description"',
      ],
    ],
    [
      'an output without contextPath',
      edit(
        '        - contextPath: Test.ID\n          description: The ID.',
        '        - description: The ID.',
      ),
      ['m.yml:43:11: script.commands[0].outputs[0]: (test-get) missing required key "contextPath"'],
    ],
    [
      'a context path with spaces',
      edit('contextPath: Test.ID', 'contextPath: Test ID'),
      [
        `m.yml:43:24: script.commands[0].outputs[0].contextPath: (test-get) has an invalid format (expected ^[^\\s()]+$)`,
      ],
    ],
    [
      'an unknown output type',
      edit('          type: String', '          type: Text'),
      [
        'm.yml:45:17: script.commands[0].outputs[0].type: (test-get) must be one of: String, Number, Date, Boolean, Unknown',
      ],
    ],
    [
      'an unknown parameter type',
      edit('    type: 8\n', '    type: 99\n'),
      [
        'm.yml:13:11: configuration[0].type: must be one of: 0, 1, 4, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23',
      ],
    ],
    [
      'a required checkbox',
      edit("    defaultvalue: 'false'\n", "    defaultvalue: 'false'\n    required: true\n"),
      ['m.yml:15:15: configuration[0].required: a checkbox (type 8) cannot be required'],
    ],
    [
      'a checkbox default that is not true/false',
      edit("defaultvalue: 'false'", 'defaultvalue: nope'),
      ["m.yml:14:19: configuration[0].defaultvalue: a checkbox default must be 'true' or 'false'"],
    ],
    [
      'a select default outside its options',
      edit('    defaultvalue: Worldwide', '    defaultvalue: Mars'),
      [
        'm.yml:22:19: configuration[1].defaultvalue: default "Mars" is not one of the options (Worldwide, China)',
      ],
    ],
    [
      'a section missing from sectionorder',
      edit(
        '    section: Connect\n  - name: azure_cloud',
        '    section: Collect\n  - name: azure_cloud',
      ),
      ['m.yml:15:14: configuration[0].section: section "Collect" is not listed in sectionorder'],
    ],
    [
      'a duplicate parameter',
      edit('  - name: azure_cloud', '  - name: proxy'),
      ['m.yml:16:5: configuration[1]: duplicate parameter "proxy"'],
    ],
    [
      'a duplicate command',
      BASE + `    - name: test-get\n      description: Again.\n`,
      ['m.yml:46:7: script.commands[1]: (test-get) duplicate command "test-get"'],
    ],
    [
      'a duplicate argument',
      edit('        - name: flag', '        - name: user'),
      ['m.yml:34:11: script.commands[0].arguments[1]: (test-get) duplicate argument "user"'],
    ],
    [
      'predefined values without auto',
      edit('          auto: PREDEFINED\n', ''),
      [
        'm.yml:34:11: script.commands[0].arguments[1]: (test-get) argument "flag" has predefined values but no "auto: PREDEFINED"',
      ],
    ],
    [
      'a default outside the predefined values',
      edit("defaultValue: 'false'", 'defaultValue: maybe'),
      [
        'm.yml:41:25: script.commands[0].arguments[1].defaultValue: (test-get) default "maybe" of "flag" is not one of its predefined values (true, false)',
      ],
    ],
    [
      'an unknown argument type',
      edit('          type: boolean', '          type: bool'),
      [
        'm.yml:36:17: script.commands[0].arguments[1].type: (test-get) must be one of: string, number, integer, boolean',
      ],
    ],
    [
      'bounds on a text argument',
      edit('          required: true', '          required: true\n          x-minimum: 1'),
      [
        'm.yml:31:11: script.commands[0].arguments[0]: (test-get) argument "user" has x-minimum/x-maximum but is not a number',
      ],
    ],
    [
      'two default arguments',
      edit('          required: true', '          required: true\n          default: true').replace(
        "          defaultValue: 'false'",
        "          defaultValue: 'false'\n          default: true",
      ),
      [
        'm.yml:31:9: script.commands[0].arguments: (test-get) more than one default argument (user, flag)',
      ],
    ],
    [
      'an x-requires-param naming an unknown parameter',
      edit(
        '      description: Gets a thing.',
        '      description: Gets a thing.\n      x-requires-param: allow_it',
      ),
      [
        'm.yml:30:25: script.commands[0].x-requires-param: (test-get) x-requires-param names an unknown parameter "allow_it"',
      ],
    ],
    [
      'an x-requires-param naming a non-checkbox parameter',
      edit(
        '      description: Gets a thing.',
        '      description: Gets a thing.\n      x-requires-param: azure_cloud',
      ),
      [
        'm.yml:30:25: script.commands[0].x-requires-param: (test-get) x-requires-param "azure_cloud" is not a checkbox (type 8) parameter',
      ],
    ],
    [
      'an unknown x-class',
      edit(
        '      description: Gets a thing.',
        '      description: Gets a thing.\n      x-class: harmless',
      ),
      [
        'm.yml:30:16: script.commands[0].x-class: (test-get) must be one of: read, write, destructive, credential',
      ],
    ],
    [
      'x-class read on a command marked potentially harmful',
      edit(
        '      description: Gets a thing.',
        '      description: Gets a thing.\n      execution: true\n      x-class: read',
      ),
      [
        'm.yml:31:16: script.commands[0].x-class: (test-get) a command marked "execution: true" (potentially harmful) cannot be x-class read',
      ],
    ],
    [
      'a command name with capitals',
      edit('    - name: test-get', '    - name: Test-Get'),
      [
        'm.yml:28:13: script.commands[0].name: (Test-Get) has an invalid format (expected ^[a-z][a-z0-9-]*$)',
      ],
    ],
    [
      'an unknown script type',
      edit('  type: javascript', '  type: typescript'),
      ['m.yml:26:9: script.type: must be one of: python, javascript, powershell'],
    ],
    [
      'a string where a boolean belongs',
      edit('          required: true', '          required: yes please'),
      ['m.yml:33:21: script.commands[0].arguments[0].required: (test-get) must be boolean'],
    ],
    [
      'x-bulk on an isArray argument',
      edit(
        '          required: true',
        '          required: true\n          isArray: true\n          x-bulk: true',
      ),
      [
        'm.yml:35:19: script.commands[0].arguments[0].x-bulk: (test-get) argument "user" cannot be both isArray and x-bulk',
      ],
    ],
  ];

  for (const [what, text, expected] of broken) {
    it(`reports ${what} with its path and line`, () => {
      expect(problemsOf(text)).to.deep.equal(expected);
    });
  }

  it('reports every problem at once, not just the first', () => {
    const text = edit('          required: true', '          requried: true').replace(
      'category: Utilities',
      'category: Utilities\ncolour: blue',
    );
    expect(problemsOf(text)).to.have.length(2);
  });

  it('counts at least 20 broken manifests', () => {
    expect(broken.length).to.be.at.least(20);
  });
});
