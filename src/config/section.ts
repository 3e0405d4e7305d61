import { z } from 'zod';
import { ConfigError } from '../errors.js';

/**
 * One feature's slice of the configuration: the environment variables it reads (a zod shape)
 * and how they become that feature's typed settings. `src/config.ts` merges every section into
 * one schema, so all variables are parsed, and all problems reported, at once.
 */
export interface ConfigSection<Shape extends z.ZodRawShape, Settings> {
  readonly shape: Shape;
  build(values: SectionValues<Shape>): Settings;
}

/** The parsed values of a section's variables. */
export type SectionValues<Shape extends z.ZodRawShape> = [keyof Shape] extends [never] ? object : z.output<z.ZodObject<Shape>>;

export function defineConfigSection<Shape extends z.ZodRawShape, Settings>(
  shape: Shape,
  build: (values: SectionValues<Shape>) => Settings,
): ConfigSection<Shape, Settings> {
  return { shape, build };
}

/** Throws the same message shape schema errors have: `  VARIABLE=value: reason`. */
export function invalidSetting(variable: string, value: unknown, reason: string): never {
  const shown = value === undefined ? '(unset)' : JSON.stringify(value);
  throw new ConfigError(`Invalid configuration:\n  ${variable}=${shown}: ${reason}`);
}

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const positiveInt = z.coerce.number({ message: 'expected a number' }).int('expected a whole number').positive('expected a number above 0');

export const nonNegativeInt = z.coerce.number({ message: 'expected a number' }).int('expected a whole number').min(0, 'expected 0 or more');

export const positiveNumber = z.coerce.number({ message: 'expected a number' }).positive('expected a number above 0');

/** An optional string where an empty or blank value means unset. */
export const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Treats an empty or blank variable as unset before `schema` sees it. */
export function blankAsUnset<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);
}
