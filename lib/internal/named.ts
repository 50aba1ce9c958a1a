import { hide } from './redact.js'

/** @internal Gives a source function its reported name (errors and refresh events use `fn.name`). */
export const named = <F extends (...args: never[]) => unknown>(name: string, fn: F): F => {
  hide(fn, 'name', name)
  return fn
}
