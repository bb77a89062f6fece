/** What the CLI reads and writes: the process's streams and environment, or a test's. */
export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
  once?(event: 'drain', listener: () => void): unknown;
  /** True once the stream is broken (its reader went away): nothing written arrives any more. */
  readonly closed?: boolean;
}

/** Standard input: read for `name=@-`, and for prompts when it is a terminal. */
export interface Readable extends AsyncIterable<string | Buffer> {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on?(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  off?(event: 'data', listener: (chunk: string | Buffer) => void): unknown;
  resume?(): unknown;
  pause?(): unknown;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  stdin?: Readable;
}
