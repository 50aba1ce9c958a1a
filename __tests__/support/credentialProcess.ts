/** What `credential-process` prints: the AWS CLI's `credential_process` output format, Version 1. */
export type ProcessJson = {
  Version: number
  AccessKeyId: string
  SecretAccessKey: string
  SessionToken: string
  Expiration: string
  AccountId?: string
}

/** The flags that point a CLI source at an STS emulator (its endpoint and region) and keep its cache in `cacheDir`. */
export const stsSourceArgs = (
  sts: { readonly endpoint: string; readonly region: string },
  cacheDir: string,
): string[] => ['--endpoint-url', sts.endpoint, '--region', sts.region, '--cache-dir', cacheDir]
