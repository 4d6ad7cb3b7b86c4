export { type ExampleConfig, parseDashboards, readConfig } from './config.js';
export { type DashboardPageInput, dashboardPage, escapeHtml, loginPage, validCustomerId } from './page.js';
export { printStartupWarnings } from './startup.js';
