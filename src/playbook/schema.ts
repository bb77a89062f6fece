/**
 * The JSON schema of the playbook YAML keys the runner reads (anchor-xsoar-runtime.md §4.1–4.5).
 * Keys XSOAR exports but the runner ignores (`view`, `taskid`, `timertriggers`, ...) are allowed;
 * the shapes of the keys it reads are strict, so a typo such as `simpel:` is reported, not ignored.
 */
const id = { type: ['string', 'integer'] };
const literal = { type: ['string', 'number', 'boolean', 'null'] };

export const playbookSchema = {
  $id: 'msgraph-user/playbook',
  type: 'object',
  required: ['id', 'name', 'starttaskid', 'tasks'],
  properties: {
    id: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    starttaskid: id,
    tasks: {
      type: 'object',
      minProperties: 1,
      patternProperties: { '^[0-9]+$': { $ref: '#/definitions/task' } },
      additionalProperties: false,
    },
    inputs: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        required: ['key'],
        properties: {
          key: { type: 'string', minLength: 1 },
          value: { anyOf: [{ $ref: '#/definitions/argumentValue' }, { type: 'null' }] },
          required: { type: 'boolean' },
          description: { type: ['string', 'null'] },
        },
      },
    },
  },
  definitions: {
    task: {
      type: 'object',
      required: ['id', 'type', 'task'],
      properties: {
        id,
        type: { type: 'string' },
        task: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            script: { type: 'string' },
            scriptName: { type: 'string' },
            iscommand: { type: 'boolean' },
            brand: { type: 'string' },
          },
        },
        nexttasks: {
          type: ['object', 'null'],
          additionalProperties: { type: 'array', items: id },
        },
        scriptarguments: {
          type: ['object', 'null'],
          additionalProperties: {
            anyOf: [{ $ref: '#/definitions/argumentValue' }, { type: 'null' }],
          },
        },
        conditions: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            required: ['label', 'condition'],
            properties: {
              label: { type: 'string', minLength: 1 },
              condition: { $ref: '#/definitions/rows' },
            },
          },
        },
        continueonerror: { type: 'boolean' },
        skipunavailable: { type: 'boolean' },
        loop: { type: ['object', 'null'] },
      },
    },
    argumentValue: {
      type: 'object',
      additionalProperties: false,
      properties: { simple: literal, complex: { $ref: '#/definitions/complex' } },
    },
    complex: {
      type: 'object',
      required: ['root'],
      additionalProperties: false,
      properties: {
        root: { type: 'string', minLength: 1 },
        accessor: { type: ['string', 'null'] },
        filters: { anyOf: [{ $ref: '#/definitions/rows' }, { type: 'null' }] },
        transformers: {
          type: ['array', 'null'],
          items: {
            type: 'object',
            required: ['operator'],
            additionalProperties: false,
            properties: {
              operator: { type: 'string', minLength: 1 },
              args: {
                type: ['object', 'null'],
                additionalProperties: {
                  anyOf: [{ $ref: '#/definitions/operand' }, { type: 'null' }],
                },
              },
            },
          },
        },
      },
    },
    rows: {
      type: 'array',
      items: {
        type: 'array',
        items: {
          type: 'object',
          required: ['operator'],
          additionalProperties: false,
          properties: {
            operator: { type: 'string', minLength: 1 },
            left: { $ref: '#/definitions/operand' },
            right: { $ref: '#/definitions/operand' },
            ignorecase: { type: 'boolean' },
          },
        },
      },
    },
    operand: {
      type: 'object',
      additionalProperties: false,
      properties: {
        value: { $ref: '#/definitions/argumentValue' },
        iscontext: { type: 'boolean' },
      },
    },
  },
} as const;
