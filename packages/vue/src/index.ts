export type { ExploEvents, FreshToken, RefreshError, RefreshErrorCode } from '@explo-embed/browser';
export { ExploDashboard, ExploReportBuilder } from './components.js';
export type { ExploDashboardElementAttributes, ExploReportBuilderElementAttributes } from './elements.js';
export type { ExploEmbedComponent, ExploEmbedEmits, ExploEmbedProps, ExploEmbedSlots } from './embed.js';
