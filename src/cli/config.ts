// Credentials and settings, resolved as the AWS CLI resolves them: flags, then the environment, then the shared
// files (~/.aws/credentials and ~/.aws/config). Only static keys are read; the credential sources that need the
// network (IAM roles, SSO, web identity, credential_process, containers, instance metadata) are named in a clear
// error instead.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { failure, quote } from './errors.js';
import { parseIni, type Settings } from './ini.js';

/** The environment, as `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Static credentials and where they were found. */
export interface FoundCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
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

/** An environment variable, with the empty string read as unset (as botocore does). */
export const envValue = (env: Env, name: string): string | undefined => (env[name] === '' ? undefined : env[name]);

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

// Credential sources that need the network, in the order botocore tries them, with the keys that select them.
const NETWORK_SOURCES: readonly {
  readonly keys: readonly string[];
  readonly what: string;
  readonly beforeStatic: boolean;
}[] = [
  { keys: ['role_arn'], what: 'an IAM role to assume', beforeStatic: true },
  { keys: ['web_identity_token_file'], what: 'a web identity token', beforeStatic: true },
  {
    keys: ['sso_session', 'sso_start_url', 'sso_account_id', 'sso_role_name'],
    what: 'IAM Identity Center (SSO)',
    beforeStatic: true,
  },
  // credential_process comes after the credentials file's keys and before the config file's.
  { keys: ['credential_process'], what: 'an external credential_process', beforeStatic: false },
];

/**
 * The configuration for one command run: the profile, and the files read once. Settings are looked up as the
 * AWS CLI looks them up; each lookup says where its value came from.
 */
export class AwsConfig {
  readonly env: Env;
  readonly profile: string;
  /** `--profile`, `AWS_PROFILE`, or undefined for the default profile. */
  readonly profileSource: '--profile' | 'AWS_PROFILE' | undefined;
  readonly configFile: SharedFile;
  readonly credentialsFile: SharedFile;
  /** Profiles of the config file (`[default]`, `[profile NAME]`). */
  private readonly configProfiles = new Map<string, Settings>();
  /** `[services NAME]` sections of the config file. */
  private readonly services = new Map<string, Settings>();

  constructor(env: Env, profileFlag: string | undefined) {
    this.env = env;
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

    const fromEnv = envValue(env, 'AWS_PROFILE');
    this.profile = profileFlag ?? fromEnv ?? 'default';
    this.profileSource = profileFlag !== undefined ? '--profile' : fromEnv !== undefined ? 'AWS_PROFILE' : undefined;
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

  /** A profile setting, the credentials file winning over the config file (botocore merges them that way). */
  private setting(key: string, name = this.profile): Sourced | undefined {
    const fromCredentials = get(this.credentialsFile.sections.get(name), key);
    if (fromCredentials !== undefined)
      return { value: fromCredentials, source: `${this.profileLabel(name)} in ${this.credentialsFile.label}` };
    const fromConfig = get(this.configProfiles.get(name), key);
    if (fromConfig !== undefined)
      return { value: fromConfig, source: `${this.profileLabel(name)} in ${this.configFile.label}` };
    return undefined;
  }

  /**
   * The credentials, as the AWS CLI finds them: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (not with
   * `--profile`, which makes the AWS CLI skip the environment), then the profile's keys in the credentials file,
   * then in the config file. A profile that asks for a network source first is reported as out of scope.
   */
  credentials(): FoundCredentials {
    const env = this.env;
    const id = envValue(env, 'AWS_ACCESS_KEY_ID');
    const secret = envValue(env, 'AWS_SECRET_ACCESS_KEY');
    if (this.profileSource !== '--profile' && (id !== undefined || secret !== undefined)) {
      if (id === undefined || secret === undefined) {
        const [set, unset] =
          id === undefined
            ? ['AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID']
            : ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
        throw failure(
          `${set} is set but ${unset} is not: set both, or unset ${set} to use the shared credentials file`,
        );
      }
      const token = envValue(env, 'AWS_SESSION_TOKEN');
      return {
        accessKeyId: id,
        secretAccessKey: secret,
        ...(token === undefined ? {} : { sessionToken: token }),
        source: 'the environment',
      };
    }

    const name = this.profile;
    const fromFile = (file: SharedFile, settings: Settings | undefined): FoundCredentials | undefined => {
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
      const token = get(settings, 'aws_session_token');
      return {
        accessKeyId: keyId,
        secretAccessKey: key,
        ...(token === undefined ? {} : { sessionToken: token }),
        source,
      };
    };
    const outOfScope = (what: string, found: Sourced & { key: string }) =>
      failure(
        `${found.source} gets its credentials from ${what} (${found.key}), which needs the network; sigv4 reads only static keys: ` +
          `export them first with  eval "$(aws configure export-credentials --profile ${name} --format env)"  (AWS CLI v2), or use a profile with aws_access_key_id and aws_secret_access_key`,
      );
    const networkSource = (beforeStatic: boolean) => {
      for (const source of NETWORK_SOURCES) {
        if (source.beforeStatic !== beforeStatic) continue;
        for (const key of source.keys) {
          const found = this.setting(key);
          if (found) throw outOfScope(source.what, { ...found, key });
        }
      }
    };
    networkSource(true);
    const inCredentialsFile = fromFile(this.credentialsFile, this.credentialsFile.sections.get(name));
    if (inCredentialsFile) return inCredentialsFile;
    networkSource(false);
    const inConfigFile = fromFile(this.configFile, this.configProfiles.get(name));
    if (inConfigFile) return inConfigFile;

    const notes: string[] = [];
    if (this.profileSource === '--profile' && id !== undefined)
      notes.push('AWS_ACCESS_KEY_ID is not used with --profile, as in the AWS CLI');
    for (const variable of [
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
    ]) {
      if (envValue(env, variable) !== undefined)
        notes.push(`${variable} is set, but that source needs the network, which sigv4 does not use`);
    }
    throw failure(
      `no AWS credentials for ${this.profileLabel()}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add aws_access_key_id and ` +
        `aws_secret_access_key to [${name}] in ${this.credentialsFile.label}` +
        (notes.length > 0 ? ` (${notes.join('; ')})` : ''),
    );
  }

  /**
   * Every static key this machine holds, for checking a signature: the resolved credentials first (when there
   * are some), then each profile's keys in the credentials file and the config file.
   */
  allCredentials(): FoundCredentials[] {
    const all: FoundCredentials[] = [];
    try {
      all.push(this.credentials());
    } catch {
      // The selected profile has no usable keys; the others may.
    }
    if (this.profileSource === '--profile') return all;
    const add = (file: SharedFile, profiles: Map<string, Settings>) => {
      for (const [name, settings] of profiles) {
        const keyId = get(settings, 'aws_access_key_id');
        const key = get(settings, 'aws_secret_access_key');
        if (keyId === undefined || key === undefined) continue;
        const token = get(settings, 'aws_session_token');
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
    for (const [file, settings] of [
      [this.credentialsFile, this.credentialsFile.sections.get(this.profile)],
      [this.configFile, this.configProfiles.get(this.profile)],
    ] as const) {
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
}
