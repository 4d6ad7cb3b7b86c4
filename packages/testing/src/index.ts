export type { StandInResources } from './api-stand-in.js';
export type { StandInCustomer } from './customer-records.js';
export type { StandInEditableSectionEvents } from './event-stream.js';
export type { ExploStandInFaults } from './faults.js';
export { type ExploStandIn, type ExploStandInOptions, startExploStandIn } from './stand-in.js';
export type { StandInVerdict } from './verdicts.js';
