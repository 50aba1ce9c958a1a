import { COMMAND, type Subcommand } from './flags.js'

const SOURCES = `Source (exactly one):
  --assume-role ARN                 STS AssumeRole
      --role-session-name NAME      default: aws-refresh-session-<epoch ms>
      --external-id ID
      --duration-seconds N          900-43200; default: STS's (3600)
      --mfa-serial ARN              the MFA device; the code comes as set under "MFA code"
      --base-profile NAME           profile of the shared config/credentials files whose credentials call STS;
                                    default: the SDK's default chain
  --session-token                   STS GetSessionToken (an IAM user's MFA-protected session)
      --duration-seconds N          900-129600; default: STS's (43200)
      --mfa-serial ARN, --base-profile NAME   as above
  --web-identity                    STS AssumeRoleWithWebIdentity (unsigned)
      --role-arn ARN                default: $AWS_ROLE_ARN
      --web-identity-token-file PATH   re-read at each refresh; default: $AWS_WEB_IDENTITY_TOKEN_FILE
      --role-session-name NAME, --duration-seconds N   as above
  --profile NAME                    a profile of the shared config/credentials files (role_arn, source_profile,
                                    mfa_serial, credential_source, ...); MFA code as under "MFA code"
      --region REGION, --endpoint-url URL   for every STS call of the profile's chain
  --iot                             AWS IoT Core credentials provider (mutual TLS)
      --role-alias NAME             required
      --certificate PATH            the device certificate (PEM); required
      --private-key PATH            its private key (PEM); required
      --passphrase-env NAME         environment variable holding the key's passphrase
      --endpoint HOST               credentials endpoint (host, host:port or https URL);
                                    default: discovered once with IoT DescribeEndpoint
      --thing-name NAME             sent as x-amzn-iot-thingname
      --ca PATH                     trusted CA certificates (PEM); default: Node's roots
      --duration-seconds N          900-43200; default: the role alias's
  --roles-anywhere                  IAM Roles Anywhere CreateSession (the flags of AWS's aws_signing_helper)
      --trust-anchor-arn ARN        required
      --profile-arn ARN             required
      --role-arn ARN                required
      --certificate PATH            the end-entity certificate (PEM); required
      --private-key PATH            its private key (PEM, RSA or EC); required
      --intermediates PATH          intermediate CA certificates (PEM bundle), sent as the chain
      --passphrase-env NAME         environment variable holding the key's passphrase
      --session-duration N          900-43200; default: 3600
      --role-session-name NAME      default: the service's (the certificate serial)
      --endpoint URL                default: https://rolesanywhere.REGION.amazonaws.com
      --region REGION               default: the trust anchor's

Common:
  --region REGION                   default: the SDK's region chain ($AWS_REGION, the profile's region), then us-east-1
  --endpoint-url URL                the STS endpoint (a VPC endpoint, a local emulator)
  --config FILE                     a JSON object of the flags above without '--', e.g.
                                    {"assume-role": "arn:...", "duration-seconds": 3600};
                                    relative paths in it are relative to the file; flags win

MFA code (with --mfa-serial; default: asked on the terminal, echo off):
  --mfa-totp-secret-env NAME        TOTP from the base32 secret in environment variable NAME
  --mfa-command "CMD ARGS"          runs CMD (no shell) and takes the last 6-digit group it prints
  Secrets are never taken as flag values.`

const GENERAL = `${COMMAND} - fresh temporary AWS credentials for tools that are not Node

Usage:
  ${COMMAND} credential-process SOURCE [options]   print credential_process JSON, cached until due
  ${COMMAND} serve SOURCE [options]                serve container credentials on 127.0.0.1
  ${COMMAND} help [credential-process | serve]     help, with examples
  ${COMMAND} --version

${SOURCES}

Exit codes: 0 success, 1 no credentials (the error is on stderr), 2 bad or missing flags.
`

const CREDENTIAL_PROCESS = `Usage: ${COMMAND} credential-process SOURCE [options]

Prints the AWS credential_process JSON (Version 1, AccessKeyId, SecretAccessKey,
SessionToken, Expiration, AccountId when known) on stdout. The AWS CLI and SDKs run it
for every command, so the credentials are kept in a cache file (mode 0600, one per set of
source options, base identity and AWS environment) and the source is called, and an MFA
code asked for, only when they are due for refresh (by one run at a time: runs started
together wait for it). If a refresh fails while the cached credentials are still valid,
those are printed with a warning on stderr. The MFA prompt goes to the terminal
(/dev/tty), since the AWS CLI pipes stderr. A cache directory others can write is
refused. SIGINT, SIGTERM and SIGHUP restore the terminal and exit 130, 143 and 129.

Options:
  --cache-dir DIR                   default: $AWS_REFRESH_SESSION_CACHE_DIR,
                                    else $XDG_CACHE_HOME/aws-refresh-session,
                                    else ~/.cache/aws-refresh-session
  --no-cache                        call the source every time; read and write no file
  -h, --help

${SOURCES}

Examples:
  # ~/.aws/config
  [profile admin]
  credential_process = ${COMMAND} credential-process --assume-role arn:aws:iam::123456789012:role/admin --mfa-serial arn:aws:iam::123456789012:mfa/me --base-profile me

  [profile ci]
  credential_process = ${COMMAND} credential-process --config /etc/aws-refresh-session/ci.json

  ${COMMAND} credential-process --session-token --mfa-serial arn:aws:iam::123456789012:mfa/me --mfa-totp-secret-env MFA_SECRET
  ${COMMAND} credential-process --roles-anywhere --trust-anchor-arn arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/TA_ID --profile-arn arn:aws:rolesanywhere:eu-west-1:123456789012:profile/PROFILE_ID --role-arn arn:aws:iam::123456789012:role/backup --certificate host.crt --private-key host.key
  ${COMMAND} credential-process --iot --endpoint c2example0abcd.credentials.iot.eu-west-1.amazonaws.com --role-alias pump --thing-name pump-7 --certificate device.pem.crt --private-key private.pem.key
`

const SERVE = `Usage: ${COMMAND} serve SOURCE [options]

Serves the current credentials of one refreshing provider on http://127.0.0.1:PORT/credentials
in the AWS container-credentials format, to clients sending the random token printed at
start as their Authorization header (others get 401). Fetches once at start, refreshes
before expiry, logs refreshes (never a secret) to stderr, and prints on stdout:

  export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:PORT/credentials
  export AWS_CONTAINER_AUTHORIZATION_TOKEN=TOKEN

Every AWS SDK and the AWS CLI read these two variables. Stops on SIGINT, SIGTERM or SIGHUP.
With --mfa-serial, prefer --mfa-totp-secret-env or --mfa-command: refreshes happen in the
background, so a prompt would appear at the refresh time in this terminal.

Options:
  --port N                          default: 0 (an ephemeral port)
  --json                            print {"AWS_CONTAINER_CREDENTIALS_FULL_URI": ..., "AWS_CONTAINER_AUTHORIZATION_TOKEN": ...} instead
  -h, --help

${SOURCES}

Examples:
  ${COMMAND} serve --assume-role arn:aws:iam::123456789012:role/app --mfa-serial arn:aws:iam::123456789012:mfa/me
  # then, in the shell of the tool, paste the two export lines

  ${COMMAND} serve --json --config app.json > endpoint.json &
`

/** The help text of a subcommand, or the general one. */
export const helpText = (subcommand?: Subcommand): string =>
  subcommand === 'credential-process' ? CREDENTIAL_PROCESS : subcommand === 'serve' ? SERVE : GENERAL
