import type { ErrorFace } from './error-text.js';

/**
 * The reference's text for the codes that the page's component options, the CLI and the stand-in
 * raise besides the core's and the refresher's. These have no table of their own in the code: the
 * build finds every `ERR_EXPLO_` code in the packages' sources, and fails on one that has no entry
 * here or in the other tables.
 */
export const TOOL_ERROR_TEXT: Readonly<Record<string, ErrorFace>> = {
  ERR_EXPLO_OPTION_INVALID: {
    where: 'Page (component options)',
    packages: '`@explo-embed/browser`, `@explo-embed/react`, `@explo-embed/vue`, `@explo-embed/svelte`, `@explo-embed/angular`',
    text: {
      title: 'An embed URL option is not https',
      cause:
        "A component's (or the embed controller's) `appUrl` or `bundleUrl` is not an `https:` URL (`http:` is allowed on a loopback host only), say a `javascript:` URL.",
      sees: 'An `ExploEmbedOptionError` (`option` names `"appUrl"` or `"bundleUrl"`) thrown before anything renders, on the server too; no iframe `src` or script is ever made from the value, and the message never repeats it.',
      fix: "Leave `appUrl` and `bundleUrl` out (Explo's own hosts are the defaults), or give an `https:` URL.",
    },
  },
  ERR_EXPLO_CLI_USAGE: {
    where: 'CLI',
    packages: '`@explo-embed/cli`',
    text: {
      title: 'A flag, argument or setting of the explo-embed command is wrong',
      cause:
        'An unknown option or command, a missing or extra argument, a bad `--expires`, a `doctor` page URL that is not http(s), or missing configuration (no `EXPLO_KEY_ID`/`EXPLO_KEY_VALUE` or `--key-file`, `--via-api` without `EXPLO_API_TOKEN`).',
      sees: 'One line on stderr starting `explo-embed:`, naming the flag or variable (`--expires: must be between 10 seconds and 7 days`), with the nearest name for a mistyped one; exit code 2. `inspect --json` reports the code in its `error`.',
      fix: 'Correct what the line names; `explo-embed <command> --help` lists the flags. See [the CLI](/cli#commands-and-options).',
    },
  },
  ERR_EXPLO_ORIGIN_REFUSED: {
    where: 'Stand-in',
    packages: '`@explo-embed/testing`',
    text: {
      title: "The stand-in refused the page's origin",
      cause:
        "The stand-in's `refuseOrigins` fault is on for the embedding page's origin: it plays Explo refusing a domain that is not on its allowed list.",
      sees: "The stand-in's embed shows `rejected: ERR_EXPLO_ORIGIN_REFUSED` and never loads, so the page's `loadTimeout` runs out with `ERR_EXPLO_NOT_LOADED`, as with Explo.",
      fix: "Meant for tests of the page's handling; clear it (`standIn.setFaults()`) for the others. With Explo itself, add the origin to its allowed domains.",
    },
  },
  ERR_EXPLO_ENVIRONMENT_UNPUBLISHED: {
    where: 'Stand-in',
    packages: '`@explo-embed/testing`',
    text: {
      title: 'The stand-in plays an unpublished environment',
      cause: "The stand-in's `unpublished` fault is on for the embed's environment.",
      sees: 'The embed shows `rejected: ERR_EXPLO_ENVIRONMENT_UNPUBLISHED` and never loads; the page then reports `ERR_EXPLO_NOT_LOADED`.',
      fix: 'Meant for tests; clear it with `standIn.setFaults()`. With Explo itself, publish the environment the page names (or leave `environment` out).',
    },
  },
  ERR_EXPLO_CUSTOMER_UNKNOWN: {
    where: 'Stand-in',
    packages: '`@explo-embed/testing`',
    text: {
      title: "The stand-in does not know the token's customer",
      cause:
        "With `requireCustomers`: the token's customer (`cst`) is not one the stand-in's Customer API holds, as Explo refuses a customer it was never told about.",
      sees: 'The embed shows `rejected: ERR_EXPLO_CUSTOMER_UNKNOWN` and never loads; its `generate_jwt` answers 400.',
      fix: 'Provision the customer first: with `customers` in your options, explo-embed does it on the first visit ([provisioning](/production#customers-provisioned-on-their-first-visit)).',
    },
  },
};
