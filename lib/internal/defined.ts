/** @internal `T` with its possibly-undefined entries optional and never `undefined`. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>
}

/**
 * @internal A shallow copy of `o` without its `undefined` entries, so an absent option stays
 * absent instead of overriding a default with `undefined`.
 */
export const defined = <T extends object>(o: T): Defined<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Defined<T>
