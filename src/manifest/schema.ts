/**
 * JSON Schema of the manifest format: Cortex XSOAR's integration YAML (the keys demisto-sdk's
 * schema allows that matter to a runtime) plus our `x-` extensions. Strict everywhere: an unknown
 * key is an error, because a typo such as `requried: true` must not silently do nothing.
 */
import { COMMAND_CLASSES } from './types.js';

const text = { type: 'string' } as const;
const nonEmptyText = { type: 'string', minLength: 1 } as const;
const flag = { type: 'boolean' } as const;
const textList = { type: 'array', items: text } as const;
const scalar = { type: ['string', 'number', 'boolean'] } as const;

const parameter = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    type: {
      type: 'integer',
      enum: [0, 1, 4, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    },
    display: text,
    displaypassword: text,
    required: flag,
    defaultvalue: scalar,
    options: textList,
    additionalinfo: text,
    hidden: { anyOf: [flag, textList] },
    hiddenusername: flag,
    hiddenpassword: flag,
    section: { type: 'string', enum: ['Connect', 'Collect', 'Optimize'] },
    advanced: flag,
  },
} as const;

const argument = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]*$' },
    description: nonEmptyText,
    required: flag,
    default: flag,
    isArray: flag,
    secret: flag,
    auto: { type: 'string', enum: ['PREDEFINED'] },
    predefined: { type: 'array', items: text, minItems: 1 },
    defaultValue: scalar,
    deprecated: flag,
    hidden: flag,
    prettyname: text,
    type: { type: 'string', enum: ['string', 'number', 'integer', 'boolean'] },
    'x-minimum': { type: 'number' },
    'x-maximum': { type: 'number' },
    'x-bulk': flag,
  },
} as const;

const output = {
  type: 'object',
  additionalProperties: false,
  required: ['contextPath'],
  properties: {
    contextPath: { type: 'string', pattern: '^[^\\s()]+$' },
    description: text,
    type: { type: 'string', enum: ['String', 'Number', 'Date', 'Boolean', 'Unknown'] },
  },
} as const;

const command = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    description: nonEmptyText,
    arguments: { type: 'array', items: argument },
    outputs: { type: 'array', items: output },
    execution: flag,
    deprecated: flag,
    hidden: flag,
    polling: flag,
    timeout: { type: 'integer', minimum: 1 },
    prettyname: text,
    quickaction: flag,
    compliantpolicies: textList,
    'x-delegated-only': flag,
    'x-requires-param': nonEmptyText,
    'x-class': { type: 'string', enum: [...COMMAND_CLASSES] },
  },
} as const;

export const manifestSchema = {
  $id: 'msgraph-user/integration-manifest',
  type: 'object',
  additionalProperties: false,
  required: [
    'commonfields',
    'name',
    'display',
    'category',
    'description',
    'configuration',
    'script',
  ],
  properties: {
    commonfields: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'version'],
      properties: { id: nonEmptyText, version: { type: 'integer' } },
    },
    name: nonEmptyText,
    display: nonEmptyText,
    category: nonEmptyText,
    description: nonEmptyText,
    detaileddescription: text,
    image: text,
    provider: text,
    source: text,
    sectionorder: textList,
    configuration: { type: 'array', items: parameter },
    script: {
      type: 'object',
      additionalProperties: false,
      required: ['script', 'type', 'commands'],
      properties: {
        script: text,
        type: { type: 'string', enum: ['python', 'javascript', 'powershell'] },
        subtype: text,
        dockerimage: text,
        isfetch: flag,
        runonce: flag,
        commands: { type: 'array', items: command, minItems: 1 },
      },
    },
    fromversion: text,
    toversion: text,
    deprecated: flag,
    beta: flag,
    hidden: flag,
    tests: textList,
    marketplaces: textList,
    supportlevelheader: { type: 'string', enum: ['xsoar', 'partner', 'community'] },
  },
} as const;
