/** What the error reference says about a code, in markdown: written for the developer who met it. */
export interface ErrorText {
  /** A few words: what happened (`The embed secret is not set`). */
  title: string;
  /** What causes it. */
  cause: string;
  /** What the developer or the customer sees: the status, the message, the log line, the page. */
  sees: string;
  /** What to do about it. */
  fix: string;
}

/** Where a code comes from, as the reference groups them. */
export interface ErrorFace {
  /** `Server`, `Page`, `Page (component options)`, `CLI`, `Stand-in`. */
  where: string;
  /** The packages that raise or report it. */
  packages: string;
  text: ErrorText;
}
