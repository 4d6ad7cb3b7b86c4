export type { ExploEvents, FreshToken, RefreshError, RefreshErrorCode } from '@explo-embed/browser/embed';
export { ExploEmbed } from './embed.js';
export {
  type ExploEndedContext,
  ExploEndedTemplate,
  type ExploErrorContext,
  ExploErrorTemplate,
  ExploLoadingTemplate,
} from './templates.js';
