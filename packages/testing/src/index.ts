export type { StandInEditableSectionEvents } from './event-stream.js';
export type { ExploStandInFaults } from './faults.js';
export { type ExploStandIn, type ExploStandInOptions, startExploStandIn } from './stand-in.js';
export type { StandInVerdict } from './verdicts.js';
