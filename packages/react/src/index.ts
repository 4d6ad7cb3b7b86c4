export type { ExploEvents, FreshToken, RefreshError, RefreshErrorCode } from '@explo-embed/browser';
export { ExploDashboard, ExploReportBuilder } from './components.js';
export type { ExploEmbedProps } from './embed.js';
export type { CustomElementProps, ExploDashboardElementAttributes, ExploReportBuilderElementAttributes } from './jsx.js';
