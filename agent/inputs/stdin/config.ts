import * as v from 'valibot';
import { commonInputKeys, formatKey, LINE_FORMAT_DESCRIPTION, LINE_FORMATS } from '../commonConfig.ts';

export const stdinInputSchema = v.strictObject({
  type: v.pipe(v.literal('stdin'), v.description('What the input reads.')),
  format: formatKey(LINE_FORMATS, LINE_FORMAT_DESCRIPTION, 'plain'),
  ...commonInputKeys,
});

export type StdinInputConfig = v.InferOutput<typeof stdinInputSchema>;
