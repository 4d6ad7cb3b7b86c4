export { bootExample } from './boot.js';
export { type ExampleConfig, parseDashboards, readConfig } from './config.js';
export { cspNonce, exampleCspDirectives, exampleCspHeader } from './csp.js';
export { type EmbedTarget, EXPLO, startEmbedTarget } from './embed-target.js';
export { helperScript } from './helper-script.js';
export { type DashboardPageInput, dashboardPage, escapeHtml, loginPage, validCustomerId } from './page.js';
export { printStartupWarnings } from './startup.js';
