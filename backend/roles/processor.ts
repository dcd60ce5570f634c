/** The processor: its starter lives beside the pipeline and windows it drives. */
export { startProcessor as startRole } from '../processor/processorRole.ts';
