// Credentials and settings, resolved as the AWS CLI resolves them: flags, then the environment, then the shared
// files (~/.aws/credentials and ~/.aws/config). Credentials are static keys or the output of a credential_process;
// the sources that need the network (IAM roles, SSO, web identity, containers, instance metadata) are named in a
// clear error instead, with the way out.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCredentialProcess } from './credential-process.js';
import { failure, quote } from './errors.js';
import { parseIni, type Settings } from './ini.js';

/** The environment, as `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Static credentials and where they were found. */
export interface FoundCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** When temporary credentials expire (a credential_process's `Expiration`, `AWS_CREDENTIAL_EXPIRATION`). */
  readonly expiresAt?: Date;
  /** Where they come from, for messages: `the environment`, `profile "dev" in ~/.aws/credentials`. */
  readonly source: string;
}

/** A setting and where it comes from (a flag, an environment variable or a profile in a file). */
export interface Sourced<T = string> {
  readonly value: T;
  readonly source: string;
}

export type AddressingStyle = 'auto' | 'virtual' | 'path';

interface SharedFile {
  readonly path: string;
  /** The path for messages, `~/…` under the home folder, with the variable that named it. */
  readonly label: string;
  readonly sections: Map<string, Settings>;
}

/** An environment variable, with the empty string read as unset (as botocore reads credentials and the profile). */
export const envValue = (env: Env, name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

/** How a credential_process is run: its stdin (not the terminal when the command reads stdin), its time limit. */
export interface ProcessOptions {
  readonly stdin?: 'inherit' | 'ignore';
  readonly timeoutMs?: number;
}

function home(env: Env): string {
  return envValue(env, 'HOME') ?? homedir();
}

function expandHome(path: string, env: Env): string {
  return path === '~' || path.startsWith('~/') ? join(home(env), path.slice(1)) : path;
}

function loadFile(env: Env, variable: string, defaultName: string): SharedFile {
  const named = envValue(env, variable);
  const path = resolve(expandHome(named ?? join('~', '.aws', defaultName), env));
  const homeDir = resolve(home(env));
  const shown = path.startsWith(homeDir + '/') ? `~${path.slice(homeDir.length)}` : path;
  const label = named === undefined ? shown : `${shown} (named by ${variable})`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // A missing file is an empty one, as for the AWS CLI.
    if (code === 'ENOENT') return { path, label, sections: new Map() };
    const reason =
      code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : String(code ?? error);
    throw failure(
      `cannot read the AWS ${defaultName} file ${label}: ${reason}; make it a readable file` +
        (named === undefined ? '' : `, or unset ${variable}`),
    );
  }
  return { path, label, sections: parseIni(text, label) };
}

const get = (settings: Settings | undefined, key: string): string | undefined => {
  const value = settings?.get(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const getNested = (settings: Settings | undefined, section: string, key: string): string | undefined => {
  const value = settings?.get(section);
  return value instanceof Map && value.get(key) ? value.get(key) : undefined;
};

/** An environment variable as botocore's config chain reads it: set (even to the empty string) or not. */
const envRaw = (env: Env, name: string): string | undefined => env[name];

// Credential sources that need the network, which botocore tries before the credentials file's keys, with the keys
// that select them. (credential_process comes after the credentials file's keys and before the config file's.)
const NETWORK_SOURCES: readonly { readonly keys: readonly string[]; readonly what: string }[] = [
  { keys: ['role_arn'], what: 'an IAM role to assume' },
  { keys: ['web_identity_token_file'], what: 'a web identity token' },
];
const SSO_KEYS = ['sso_session', 'sso_start_url', 'sso_account_id', 'sso_role_name'] as const;

/** `eval "$(aws configure export-credentials …)"`: the way from any AWS CLI credential source to the environment. */
const exportCommand = (profile: string | undefined): string =>
  `eval "$(aws configure export-credentials${profile === undefined ? '' : ` --profile ${profile}`} --format env)"`;

// Temporary credentials' expiry (AWS_CREDENTIAL_EXPIRATION), read as a credential_process's Expiration is.
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$/;

/**
 * The configuration for one command run: the profile, and the files read once. Settings are looked up as the
 * AWS CLI looks them up; each lookup says where its value came from.
 */
export class AwsConfig {
  readonly env: Env;
  readonly profile: string;
  /** `--profile`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, or undefined for the default profile. */
  readonly profileSource: '--profile' | 'AWS_PROFILE' | 'AWS_DEFAULT_PROFILE' | undefined;
  readonly configFile: SharedFile;
  readonly credentialsFile: SharedFile;
  /** Profiles of the config file (`[default]`, `[profile NAME]`). */
  private readonly configProfiles = new Map<string, Settings>();
  /** `[services NAME]` sections of the config file. */
  private readonly services = new Map<string, Settings>();
  private readonly processOptions: ProcessOptions;

  constructor(env: Env, profileFlag: string | undefined, processOptions: ProcessOptions = {}) {
    this.env = env;
    this.processOptions = processOptions;
    this.configFile = loadFile(env, 'AWS_CONFIG_FILE', 'config');
    this.credentialsFile = loadFile(env, 'AWS_SHARED_CREDENTIALS_FILE', 'credentials');
    // [default] and [profile default] both name the default profile; [profile default] wins a conflict.
    const sections = [...this.configFile.sections].sort(
      ([a], [b]) => Number(a !== 'default') - Number(b !== 'default'),
    );
    for (const [name, settings] of sections) {
      const profile = name === 'default' ? name : /^profile\s+(\S.*)$/.exec(name)?.[1]?.trim();
      const service = /^services\s+(\S.*)$/.exec(name)?.[1]?.trim();
      if (profile !== undefined)
        this.configProfiles.set(profile, new Map([...(this.configProfiles.get(profile) ?? []), ...settings]));
      else if (service !== undefined) this.services.set(service, settings);
    }

    // botocore's profile chain: the flag, AWS_PROFILE, then the older AWS_DEFAULT_PROFILE.
    const fromEnv = envValue(env, 'AWS_PROFILE');
    const fromOldEnv = envValue(env, 'AWS_DEFAULT_PROFILE');
    this.profile = profileFlag ?? fromEnv ?? fromOldEnv ?? 'default';
    this.profileSource =
      profileFlag !== undefined
        ? '--profile'
        : fromEnv !== undefined
          ? 'AWS_PROFILE'
          : fromOldEnv !== undefined
            ? 'AWS_DEFAULT_PROFILE'
            : undefined;
    if (this.profile !== 'default' && !this.hasProfile(this.profile)) {
      const known = this.profileNames();
      throw failure(
        `the profile "${this.profile}" (from ${this.profileSource}) is not in ${this.configFile.label} or ${this.credentialsFile.label}; ` +
          `add a [profile ${this.profile}] section to the config file or a [${this.profile}] section to the credentials file` +
          (known.length > 0 ? `, or use one of: ${known.join(', ')}` : ''),
      );
    }
  }

  /** Every profile named in either file, sorted. */
  profileNames(): string[] {
    return [...new Set([...this.configProfiles.keys(), ...this.credentialsFile.sections.keys()])].sort();
  }

  private hasProfile(name: string): boolean {
    return this.configProfiles.has(name) || this.credentialsFile.sections.has(name);
  }

  /** `profile "NAME"`, for messages. */
  profileLabel(name = this.profile): string {
    return `profile "${name}"`;
  }

  /** The profile's two sections: the credentials file's, then the config file's (botocore merges them that way). */
  private sections(name = this.profile): readonly (readonly [SharedFile, Settings | undefined])[] {
    return [
      [this.credentialsFile, this.credentialsFile.sections.get(name)],
      [this.configFile, this.configProfiles.get(name)],
    ];
  }

  /** A profile setting, the credentials file winning over the config file. Empty values count as unset. */
  private setting(key: string, name = this.profile): Sourced | undefined {
    for (const [file, settings] of this.sections(name)) {
      const value = get(settings, key);
      if (value !== undefined) return { value, source: `${this.profileLabel(name)} in ${file.label}` };
    }
    return undefined;
  }

  /** A profile setting that is present, even empty (botocore's config chain reads it so), with its key in the source. */
  private rawSetting(key: string): Sourced | undefined {
    for (const [file, settings] of this.sections()) {
      const value = settings?.get(key);
      if (typeof value === 'string') return { value, source: `${key} in ${this.profileLabel()} in ${file.label}` };
    }
    return undefined;
  }

  /** A setting of the profile's nested `s3 =` section, even empty. */
  private s3Setting(key: string): Sourced | undefined {
    for (const [file, settings] of this.sections()) {
      const s3 = settings?.get('s3');
      const value = s3 instanceof Map ? s3.get(key) : undefined;
      if (value !== undefined) return { value, source: `s3 ${key} in ${this.profileLabel()} in ${file.label}` };
    }
    return undefined;
  }

  /** An environment variable that is set (even empty), as a setting. */
  private envSetting(name: string): Sourced | undefined {
    const value = envRaw(this.env, name);
    return value === undefined ? undefined : { value, source: name };
  }

  /**
   * A boolean setting: `true` or `false` in any case; empty is false (botocore's ensure_boolean). Anything else is
   * refused: the AWS CLI silently reads it as false, which is rarely what "yes" or "1" meant.
   */
  private boolean(found: Sourced | undefined): Sourced<boolean> | undefined {
    if (found === undefined) return undefined;
    const value = found.value.toLowerCase();
    if (value === 'true' || value === 'false' || value === '') return { value: value === 'true', source: found.source };
    throw failure(
      `${found.source} expected true or false, got ${quote(found.value)} (the AWS CLI would read it as false); write true or false`,
    );
  }

  /** A boolean setting when it is on. */
  private static on(found: Sourced<boolean> | undefined): Sourced<true> | undefined {
    return found?.value === true ? { value: true, source: found.source } : undefined;
  }

  /** The credentials of the environment, or undefined when it holds none (or `--profile` skips it). */
  private envCredentials(): FoundCredentials | undefined {
    const env = this.env;
    const id = envValue(env, 'AWS_ACCESS_KEY_ID');
    const secret = envValue(env, 'AWS_SECRET_ACCESS_KEY');
    if (this.profileSource === '--profile' || (id === undefined && secret === undefined)) return undefined;
    if (id === undefined || secret === undefined) {
      const [set, unset] =
        id === undefined
          ? ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID']
          : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
      throw failure(`${set} is set but ${unset} is not: set both, or unset ${set} to use the shared credentials file`);
    }
    // botocore's EnvProvider reads the older AWS_SECURITY_TOKEN first, then AWS_SESSION_TOKEN.
    const token = envValue(env, 'AWS_SECURITY_TOKEN') ?? envValue(env, 'AWS_SESSION_TOKEN');
    const expiration = envValue(env, 'AWS_CREDENTIAL_EXPIRATION');
    let expiresAt: Date | undefined;
    if (expiration !== undefined) {
      const time = ISO_WITH_ZONE.test(expiration) ? Date.parse(expiration) : NaN;
      if (Number.isNaN(time)) {
        throw failure(
          `AWS_CREDENTIAL_EXPIRATION expected an ISO 8601 time with a zone such as 2024-05-01T12:00:00Z, got ${quote(expiration)}`,
        );
      }
      expiresAt = new Date(time);
    }
    return {
      accessKeyId: id,
      secretAccessKey: secret,
      ...(token === undefined ? {} : { sessionToken: token }),
      ...(expiresAt === undefined ? {} : { expiresAt }),
      source: 'the environment',
    };
  }

  /**
   * The credentials, as the AWS CLI finds them: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (not with
   * `--profile`, which makes the AWS CLI skip the environment), then the profile's keys in the credentials file,
   * its credential_process, its keys in the config file. A source that needs the network is reported with the way
   * out. Credentials that expired before `at` (the signing time) are refused.
   */
  credentials(at: Date = new Date()): FoundCredentials {
    const found = this.findCredentials();
    if (found.expiresAt !== undefined && found.expiresAt.getTime() <= at.getTime()) {
      throw failure(
        `the credentials from ${found.source} expired at ${found.expiresAt.toISOString()}, before the signing time ${at.toISOString()}; ` +
          `get new ones (the AWS CLI refuses them too: "the refreshed credentials are still expired")`,
      );
    }
    return found;
  }

  private findCredentials(): FoundCredentials {
    const fromEnv = this.envCredentials();
    if (fromEnv !== undefined) return fromEnv;
    const name = this.profile;
    const profileFlag = this.profileSource === undefined ? undefined : name;

    for (const source of NETWORK_SOURCES) {
      for (const key of source.keys) {
        const found = this.setting(key);
        if (found) {
          throw failure(
            `${found.source} gets its credentials from ${source.what} (${key}), which needs the network; sigv4 reads static keys and credential_process: ` +
              `export them first with  ${exportCommand(profileFlag)}  (AWS CLI v2), or use a profile with aws_access_key_id and aws_secret_access_key`,
          );
        }
      }
    }
    // botocore's web identity provider also reads the environment (unless --profile is given), before the files.
    if (this.profileSource !== '--profile' && envValue(this.env, 'AWS_WEB_IDENTITY_TOKEN_FILE') !== undefined) {
      throw failure(
        `AWS_WEB_IDENTITY_TOKEN_FILE is set: the AWS CLI would assume a role with that web identity token, which needs the network; sigv4 does not: ` +
          `export the credentials first with  ${exportCommand(profileFlag)}  (AWS CLI v2), or unset AWS_WEB_IDENTITY_TOKEN_FILE to use the shared files`,
      );
    }
    for (const key of SSO_KEYS) {
      const found = this.setting(key);
      if (found) {
        throw failure(
          `${found.source} signs in with IAM Identity Center (SSO) (${key}), which sigv4 does not do: ` +
            `sign in with  aws sso login --profile ${name}  then export the credentials with  ${exportCommand(name)}  (AWS CLI v2); ` +
            `or give a profile of its own  credential_process = aws configure export-credentials --profile ${name} --format process`,
        );
      }
    }

    const inCredentialsFile = this.fileCredentials(this.credentialsFile, this.credentialsFile.sections.get(name));
    if (inCredentialsFile) return inCredentialsFile;
    const process = this.rawSetting('credential_process');
    if (process !== undefined) {
      const source = process.source.replace(/^credential_process in /, '');
      return {
        ...runCredentialProcess({ value: process.value, source }, this.env, this.processOptions),
        source: `the credential_process of ${source}`,
      };
    }
    const inConfigFile = this.fileCredentials(this.configFile, this.configProfiles.get(name));
    if (inConfigFile) return inConfigFile;

    const notes: string[] = [];
    if (this.profileSource === '--profile' && envValue(this.env, 'AWS_ACCESS_KEY_ID') !== undefined)
      notes.push('AWS_ACCESS_KEY_ID is not used with --profile, as in the AWS CLI');
    for (const variable of ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI']) {
      if (envValue(this.env, variable) !== undefined)
        notes.push(`${variable} is set, but that source needs the network, which sigv4 does not use`);
    }
    throw failure(
      `no AWS credentials for ${this.profileLabel()}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and ` +
        `aws_secret_access_key (or credential_process) to [${name}] in ${this.credentialsFile.label}` +
        (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
    );
  }

  /** A section's static keys, with the session token as botocore reads it (aws_security_token first). */
  private fileCredentials(file: SharedFile, settings: Settings | undefined): FoundCredentials | undefined {
    const keyId = get(settings, 'aws_access_key_id');
    const key = get(settings, 'aws_secret_access_key');
    if (keyId === undefined && key === undefined) return undefined;
    const source = `${this.profileLabel()} in ${file.label}`;
    if (keyId === undefined || key === undefined) {
      const [has, lacks] =
        keyId === undefined
          ? ['aws_secret_access_key', 'aws_access_key_id']
          : ['aws_access_key_id', 'aws_secret_access_key'];
      throw failure(`${source} has ${has} but no ${lacks}: add ${lacks} to that section`);
    }
    const token = sectionToken(settings);
    return {
      accessKeyId: keyId,
      secretAccessKey: key,
      ...(token === undefined ? {} : { sessionToken: token }),
      source,
    };
  }

  /**
   * Every static key this machine holds, for checking a signature: the resolved credentials first (when there
   * are some), then each profile's keys in the credentials file and the config file.
   */
  allCredentials(at: Date = new Date()): FoundCredentials[] {
    const all: FoundCredentials[] = [];
    try {
      all.push(this.credentials(at));
    } catch {
      // The selected profile has no usable keys; the others may.
    }
    if (this.profileSource === '--profile') return all;
    const add = (file: SharedFile, profiles: Map<string, Settings>) => {
      for (const [name, settings] of profiles) {
        const keyId = get(settings, 'aws_access_key_id');
        const key = get(settings, 'aws_secret_access_key');
        if (keyId === undefined || key === undefined) continue;
        const token = sectionToken(settings);
        all.push({
          accessKeyId: keyId,
          secretAccessKey: key,
          ...(token === undefined ? {} : { sessionToken: token }),
          source: `${this.profileLabel(name)} in ${file.label}`,
        });
      }
    };
    add(this.credentialsFile, this.credentialsFile.sections);
    add(this.configFile, this.configProfiles);
    return all;
  }

  /** The region: `--region`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`. */
  region(flag: string | undefined): Sourced | undefined {
    if (flag !== undefined) return { value: flag, source: '--region' };
    for (const variable of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
      const value = envValue(this.env, variable);
      if (value !== undefined) return { value, source: variable };
    }
    return this.setting('region');
  }

  /**
   * SigV4a's region set, as the AWS SDKs find it: `--region-set`, then `AWS_SIGV4A_SIGNING_REGION_SET`, then the
   * profile's `sigv4a_signing_region_set` (comma-separated region names, or `*`).
   */
  regionSet(flag: string | undefined): Sourced | undefined {
    if (flag !== undefined) return { value: flag, source: '--region-set' };
    const value = envValue(this.env, 'AWS_SIGV4A_SIGNING_REGION_SET');
    if (value !== undefined) return { value, source: 'AWS_SIGV4A_SIGNING_REGION_SET' };
    return this.setting('sigv4a_signing_region_set');
  }

  /**
   * The S3 endpoint: `--endpoint-url`, then `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile's
   * `services` section (`s3 =` / `endpoint_url`), the profile's `endpoint_url`; all but the flag are skipped when
   * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's `ignore_configured_endpoint_urls`) is `true`.
   */
  s3Endpoint(flag: string | undefined): Sourced | undefined {
    if (flag !== undefined) return { value: flag, source: '--endpoint-url' };
    const ignore =
      envValue(this.env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS') ??
      this.setting('ignore_configured_endpoint_urls')?.value;
    if (ignore?.toLowerCase() === 'true') return undefined;
    for (const variable of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
      const value = envValue(this.env, variable);
      if (value !== undefined) return { value, source: variable };
    }
    const services = this.setting('services');
    if (services !== undefined) {
      const value = getNested(this.services.get(services.value), 's3', 'endpoint_url');
      if (value !== undefined) return { value, source: `[services ${services.value}] in ${this.configFile.label}` };
    }
    return this.setting('endpoint_url');
  }

  /** The profile's `s3 =` / `addressing_style` (`auto`, `virtual` or `path`); `auto` when not set. */
  addressingStyle(): Sourced<AddressingStyle> {
    for (const [file, settings] of this.sections()) {
      const value = getNested(settings, 's3', 'addressing_style');
      if (value === undefined) continue;
      const source = `${this.profileLabel()} in ${file.label}`;
      if (value !== 'auto' && value !== 'virtual' && value !== 'path') {
        throw failure(
          `${source}: s3 addressing_style expected auto, virtual or path, got ${quote(value)}; fix that setting`,
        );
      }
      return { value, source };
    }
    return { value: 'auto', source: 'default' };
  }

  /**
   * Dual-stack endpoints, as botocore decides for S3: the profile's `s3 = use_dualstack_endpoint = true` turns
   * them on; otherwise `AWS_USE_DUALSTACK_ENDPOINT`, then the profile's `use_dualstack_endpoint`.
   */
  dualstack(): Sourced<true> | undefined {
    const s3 = AwsConfig.on(this.boolean(this.s3Setting('use_dualstack_endpoint')));
    if (s3 !== undefined) return s3;
    return AwsConfig.on(
      this.boolean(this.envSetting('AWS_USE_DUALSTACK_ENDPOINT') ?? this.rawSetting('use_dualstack_endpoint')),
    );
  }

  /** FIPS endpoints: `AWS_USE_FIPS_ENDPOINT`, then the profile's `use_fips_endpoint`. */
  fips(): Sourced<true> | undefined {
    return AwsConfig.on(this.boolean(this.envSetting('AWS_USE_FIPS_ENDPOINT') ?? this.rawSetting('use_fips_endpoint')));
  }

  /** S3 Transfer Acceleration: the profile's `s3 = use_accelerate_endpoint`. */
  accelerate(): Sourced<true> | undefined {
    return AwsConfig.on(this.boolean(this.s3Setting('use_accelerate_endpoint')));
  }

  /**
   * `legacy` from `AWS_S3_US_EAST_1_REGIONAL_ENDPOINT`, the profile's `s3_us_east_1_regional_endpoint`, or its
   * `s3 = us_east_1_regional_endpoint` (botocore's order and values; AWS CLI v2 does not read the setting).
   */
  usEast1Legacy(): Sourced<true> | undefined {
    const found = [
      this.envSetting('AWS_S3_US_EAST_1_REGIONAL_ENDPOINT'),
      this.rawSetting('s3_us_east_1_regional_endpoint'),
      this.s3Setting('us_east_1_regional_endpoint'),
    ].find((setting) => setting !== undefined && setting.value !== '');
    if (found === undefined || found.value === 'regional') return undefined;
    if (found.value === 'legacy') return { value: true, source: found.source };
    throw failure(
      `${found.source} expected legacy or regional, got ${quote(found.value)} (botocore refuses it too: "S3 us-east-1 regional endpoint option … is invalid")`,
    );
  }

  /**
   * `true` from `AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS` or the profile's `s3 = s3_disable_multiregion_access_points`
   * (botocore's names): Multi-Region Access Point ARNs are then refused.
   */
  disableMultiRegionAccessPoints(): Sourced<true> | undefined {
    return AwsConfig.on(
      this.boolean(
        this.envSetting('AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS') ??
          this.s3Setting('s3_disable_multiregion_access_points'),
      ),
    );
  }

  /** Whether an access point's ARN may name another region: `AWS_S3_USE_ARN_REGION`, `s3_use_arn_region`, `s3 = use_arn_region`. */
  useArnRegion(): Sourced<boolean> | undefined {
    return this.boolean(
      this.envSetting('AWS_S3_USE_ARN_REGION') ??
        this.rawSetting('s3_use_arn_region') ??
        this.s3Setting('use_arn_region'),
    );
  }
}

/** The session token of a section: `aws_security_token` when present (even empty), else `aws_session_token`. */
function sectionToken(settings: Settings | undefined): string | undefined {
  for (const key of ['aws_security_token', 'aws_session_token']) {
    const value = settings?.get(key);
    if (typeof value === 'string') return value === '' ? undefined : value;
  }
  return undefined;
}
