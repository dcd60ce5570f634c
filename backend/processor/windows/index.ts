/** Windowed aggregation on event time: what the processor and its consumer loop use. */
export { decodeCheckpointMetadata, decodeProducedThrough, encodeCheckpointMetadata } from './checkpoint.ts';
export { createWindowEngine, type WindowEngine } from './engine.ts';
export { type CompileWhere, windowOptionsFromConfig } from './fromConfig.ts';
export { AggregateSpecError } from './resolveAggregates.ts';
export type {
  AggregateKind,
  AggregateSpec,
  WindowCheckpoint,
  WindowEngineOptions,
  WindowEngineStats,
  WindowKind,
} from './types.ts';
export { WindowShapeError } from './windowShape.ts';
