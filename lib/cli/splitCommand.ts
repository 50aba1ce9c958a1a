import { usageError } from './flags.js'

/**
 * Splits a command line into argv the way a POSIX shell splits words, without running a
 * shell: whitespace separates words; '…' keeps everything literally; "…" keeps everything
 * but lets `\"` and `\\` escape; a backslash outside quotes escapes the next character.
 * No variables, globs or pipes: the command is run directly by `codeFromCommand`.
 * @throws CredentialError `InvalidConfiguration` for an unclosed quote.
 */
export const splitCommand = (line: string): string[] => {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quote === "'") {
      if (ch === "'") quote = undefined
      else word += ch
    } else if (quote === '"') {
      if (ch === '"') quote = undefined
      else if (ch === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i]
      else word += ch
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      inWord = true
      if (ch === '"' || ch === "'") quote = ch
      else if (ch === '\\' && i + 1 < line.length) word += line[++i]
      else word += ch
    }
  }
  if (quote !== undefined) throw usageError('--mfa-command has an unclosed quote')
  if (inWord) words.push(word)
  return words
}
