/** A failure the CLI reports in one line (no stack trace) and turns into exit code `code`. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
