export type { ExploStandInFaults } from './faults.js';
export { type ExploStandIn, type ExploStandInOptions, type StandInVerdict, startExploStandIn } from './stand-in.js';
