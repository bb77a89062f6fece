/**
 * Errors as values. A UserError carries a message meant for the person running the command (and
 * an optional hint on what to do); the dispatcher turns it into an error entry with no stack
 * trace. Anything else is a bug and is reported as such.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The war-room text: the message, then the hint on its own line. */
  get userMessage(): string {
    return this.hint ? `${this.message}\n${this.hint}` : this.message;
  }
}

/** Invalid instance configuration (parameters), detected before any request. */
export class ConfigurationError extends UserError {}

/** A command line or params file the CLI cannot use: exit code 2. */
export class UsageError extends UserError {}
