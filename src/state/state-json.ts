/**
 * The JSON of a state object as storages keep it: without its eTag. BotState compares it to
 * tell whether a turn changed the state, and storages write it. Both used to build it on their
 * own: per state and turn, a stringify after the read, one to compare and one more to write.
 * Now a storage hands over the JSON it read an object from, and a save hands over the JSON it
 * just compared, so each is built once.
 */
export function stateSnapshot(state: Record<string, unknown>): string {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { eTag, ...rest } = state;
  return JSON.stringify(rest);
}

/**
 * JSON known to be `stateSnapshot` of an object at the moment it was recorded, one record per
 * direction. Each is taken once. They are kept apart because botbuilder's own BotState never
 * takes a read's record: the object it read, changed, reaches `write` with that record still on it.
 */
const readJson = new WeakMap<object, string>();
const writeJson = new WeakMap<object, string>();

/** A storage hands the state the JSON it parsed `item` from. */
export function rememberReadJson(item: object, json: string): void {
  readJson.set(item, json);
}

/** The JSON a storage parsed `item` from, if it said so; for the state's change detection. */
export function takeReadJson(item: unknown): string | undefined {
  return take(readJson, item);
}

/**
 * A save hands `write` the JSON it has just compared. Only with no await between here and the
 * storage's `write` taking it, so nothing can change the object in between.
 */
export function rememberWriteJson(item: object, json: string): void {
  writeJson.set(item, json);
}

/** The JSON the save compared just before this `write`, if any. */
export function takeWriteJson(item: unknown): string | undefined {
  return take(writeJson, item);
}

function take(records: WeakMap<object, string>, item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const json = records.get(item);
  if (json !== undefined) records.delete(item);
  return json;
}
