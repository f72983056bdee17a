import type { ShellCommand } from '../shell/parser.js';
import { defineRule } from './types.js';
import { commandName, runCommandsDeep, shortFlags } from './util/misc.js';
import { packageManager } from './util/packages.js';

const FALSY = /^(false|0|no|off)$/i;

/** Environment variables that turn certificate checks off, and the value that does it. */
interface EnvCheck {
  /** Returns true when `value` disables verification. */
  disables(value: string): boolean;
  why: string;
  instead: string;
}

const ENV_CHECKS: Record<string, EnvCheck> = {
  PYTHONHTTPSVERIFY: {
    disables: (v) => v.trim() === '0',
    why: 'makes Python skip HTTPS certificate checks',
    instead: 'remove it and add the CA certificate to the trust store (update-ca-certificates) or set SSL_CERT_FILE'
  },
  NODE_TLS_REJECT_UNAUTHORIZED: {
    disables: (v) => v.trim() === '0',
    why: 'makes Node.js accept any TLS certificate',
    instead: 'remove it and point NODE_EXTRA_CA_CERTS at your CA certificate'
  },
  NPM_CONFIG_STRICT_SSL: {
    disables: (v) => FALSY.test(v.trim()),
    why: 'makes npm accept any registry certificate',
    instead: 'remove it and set NPM_CONFIG_CAFILE (npm config set cafile) to your CA certificate'
  },
  GIT_SSL_NO_VERIFY: {
    // Git disables verification when the variable is set at all, whatever its value.
    disables: () => true,
    why: 'makes Git skip HTTPS certificate checks (any value, even "false", disables them)',
    instead: 'remove it and set GIT_SSL_CAINFO (git config http.sslCAInfo) to your CA certificate'
  },
  PIP_TRUSTED_HOST: {
    disables: (v) => v.trim() !== '',
    why: 'makes pip skip certificate checks for those hosts',
    instead: 'remove it and set PIP_CERT (pip --cert) to your CA bundle'
  }
};

function envCheck(key: string): EnvCheck | undefined {
  // npm reads its npm_config_* variables case-insensitively.
  if (/^npm_config_strict_ssl$/i.test(key)) return ENV_CHECKS.NPM_CONFIG_STRICT_SSL;
  return Object.prototype.hasOwnProperty.call(ENV_CHECKS, key) ? ENV_CHECKS[key] : undefined;
}

/** curl short options whose value follows: letters after them in a cluster are the value. */
const CURL_VALUE_SHORT = new Set('ABbCcDdEeFHhKmoPQrTtUuwXxYyz'.split(''));

/** Common curl long options whose value is the next argument. */
const CURL_VALUE_LONG = new Set([
  '--header',
  '--output',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--user',
  '--user-agent',
  '--url',
  '--cacert',
  '--capath',
  '--cert',
  '--key',
  '--proxy',
  '--request',
  '--write-out',
  '--connect-timeout',
  '--max-time',
  '--retry',
  '--retry-delay',
  '--retry-max-time',
  '--config',
  '--form',
  '--referer',
  '--cookie',
  '--cookie-jar',
  '--range',
  '--resolve',
  '--upload-file',
  '--output-dir',
  '--netrc-file',
  '--limit-rate',
  '--speed-limit',
  '--speed-time'
]);

function curlInsecure(args: readonly string[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    if (arg === '--insecure' || arg === '--proxy-insecure' || arg === '--doh-insecure') return arg;
    if (CURL_VALUE_LONG.has(arg)) {
      k++;
      continue;
    }
    const f = shortFlags(arg);
    for (let i = 0; i < f.length; i++) {
      const ch = f[i];
      if (ch === 'k') return arg === '-k' ? '-k' : `-k (in ${arg})`;
      if (CURL_VALUE_SHORT.has(ch)) {
        // The value is the rest of the cluster, or the next argument.
        if (i === f.length - 1) k++;
        break;
      }
    }
  }
  return undefined;
}

function wgetInsecure(args: readonly string[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    if (arg === '--no-check-certificate') return arg;
    if (/^--check-certificate=(off|no|0|false|quiet)$/i.test(arg)) return arg;
    // wget -e check_certificate=off (a .wgetrc command)
    const cmd = arg === '-e' || arg === '--execute' ? args[k + 1] : /^--execute=/.test(arg) ? arg.slice(10) : /^-e./.test(arg) ? arg.slice(2) : undefined;
    if (cmd && /^check[-_]?certificate\s*=\s*(off|no|0|false)$/i.test(cmd.trim())) return `-e ${cmd}`;
  }
  return undefined;
}

const PIP_LIKE = /^(pip[0-9.]*|python[0-9.]*|pipenv|pip-compile|pip-sync|pipx|uv)$/;

function pipTrustedHost(cmd: ShellCommand): string | undefined {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    if (arg === '--trusted-host' || arg.startsWith('--trusted-host=')) return '--trusted-host';
    if (arg === '--allow-insecure-host' || arg.startsWith('--allow-insecure-host=')) return '--allow-insecure-host';
    // pip config set global.trusted-host example.com
    if (arg === 'set' && a[k - 1] === 'config' && /(^|\.)trusted-host$/.test(a[k + 1] ?? '')) return `config set ${a[k + 1]}`;
  }
  return undefined;
}

/** `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set strict-ssl false`, `npm i --strict-ssl=false`. */
function npmStrictSslOff(cmd: ShellCommand): string | undefined {
  const a = cmd.args;
  for (let k = 0; k < a.length; k++) {
    const arg = a[k];
    const key = arg.replace(/^--/, '');
    const isKey = /^(strict-ssl|strict_ssl|enableStrictSsl)$/i.test(key.split('=')[0]);
    if (!isKey) continue;
    const eq = key.indexOf('=');
    const value = eq >= 0 ? key.slice(eq + 1) : a[k + 1];
    if (value !== undefined && FALSY.test(value)) return eq >= 0 ? arg : `${arg} ${value}`;
  }
  return undefined;
}

/** `git config [--global] http.sslVerify false`, `git -c http.sslVerify=false clone …`. */
function gitSslVerifyOff(args: readonly string[]): string | undefined {
  const isKey = (k: string) => /^http\.(.+\.)?sslverify$/i.test(k);
  for (let k = 0; k < args.length; k++) {
    const arg = args[k];
    if (arg === '-c') {
      const kv = args[k + 1] ?? '';
      const eq = kv.indexOf('=');
      if (eq > 0 && isKey(kv.slice(0, eq)) && FALSY.test(kv.slice(eq + 1))) return `-c ${kv}`;
      k++;
      continue;
    }
    if (isKey(arg) && args[k + 1] !== undefined && FALSY.test(args[k + 1]) && args.includes('config')) return `config ${arg} ${args[k + 1]}`;
  }
  return undefined;
}

/** apt-get -o Acquire::https::Verify-Peer=false */
function aptVerifyOff(args: readonly string[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const opt = args[k] === '-o' || args[k] === '--option' ? args[k + 1] : /^-o./.test(args[k]) ? args[k].slice(2) : undefined;
    if (opt && /^Acquire::https::(.+::)?Verify-(Peer|Host)=(false|0|no|off)$/i.test(opt)) return `-o ${opt}`;
  }
  return undefined;
}

const CA_ADVICE = 'install the CA certificate instead (COPY ca.crt /usr/local/share/ca-certificates/ && RUN update-ca-certificates)';

export default defineRule({
  meta: {
    id: 'tls-verification-disabled',
    aliases: [
      'CKV2_DOCKER_2',
      'CKV2_DOCKER_3',
      'CKV2_DOCKER_4',
      'CKV2_DOCKER_5',
      'CKV2_DOCKER_6',
      'CKV2_DOCKER_12',
      'CKV2_DOCKER_13',
      'CKV2_DOCKER_14',
      'CKV2_DOCKER_16'
    ],
    severity: 'error',
    title: 'TLS certificate verification is disabled',
    description: [
      'Turning off certificate verification lets anyone on the network path (a proxy, a compromised mirror, a hostile Wi-Fi on a CI runner) swap the packages, scripts and binaries the build downloads. When set with `ENV`, the setting also stays in the image and weakens every TLS connection the application makes at run time.',
      '',
      'Reported in `RUN` commands:',
      '',
      '- `curl -k` / `--insecure` (also inside option clusters like `-fsSLk`), `wget --no-check-certificate`;',
      '- `pip install --trusted-host …`, `pip config set global.trusted-host …`, `uv --allow-insecure-host`;',
      '- `npm config set strict-ssl false`, `npm set strict-ssl=false`, `yarn config set strict-ssl false`, `--strict-ssl=false`;',
      '- `git config http.sslVerify false`, `git -c http.sslVerify=false …`;',
      '- `apt-get -o Acquire::https::Verify-Peer=false`;',
      '- variables set for a command (`GIT_SSL_NO_VERIFY=1 git clone …`).',
      '',
      'And in `ENV` / `ARG` (an `ARG` with a value is in the environment of later `RUN`s): `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `NPM_CONFIG_STRICT_SSL=false`, `GIT_SSL_NO_VERIFY` (any value disables verification), `PIP_TRUSTED_HOST`.',
      '',
      'If a corporate proxy or private registry uses its own CA, trust that CA instead: `COPY corp-ca.crt /usr/local/share/ca-certificates/` then `RUN update-ca-certificates`, or point the tool at it (`curl --cacert`, `pip --cert` / `PIP_CERT`, `npm config set cafile`, `NODE_EXTRA_CA_CERTS`, `git config http.sslCAInfo`). Ideally mount it only for the build with `RUN --mount=type=secret`.'
    ].join('\n'),
    bad: 'FROM python:3.12-slim\nENV PIP_TRUSTED_HOST=pypi.internal\nRUN curl -k -o /tmp/app.tgz https://downloads.internal/app.tgz',
    good: 'FROM python:3.12-slim\nCOPY corp-ca.crt /usr/local/share/ca-certificates/\nRUN update-ca-certificates\nENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt\nRUN curl -fsSLo /tmp/app.tgz https://downloads.internal/app.tgz',
    tags: ['security', 'cis:4.11']
  },
  defaultOptions: {},
  check({ model, report }) {
    const reportEnv = (line: number, key: string, value: string, where: string) => {
      const c = envCheck(key);
      if (!c || !c.disables(value)) return;
      report({ line, message: `${where}${key}=${value} ${c.why}: ${c.instead}` });
    };

    for (const instr of model.instructions) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      for (const p of instr.pairs) {
        if (p.value === undefined) continue;
        reportEnv(instr.lineAt(instr.restOffset + p.offset), p.key, p.value, `${instr.keyword} `);
      }
    }

    for (const { cmd } of runCommandsDeep(model)) {
      for (const a of cmd.assignments) {
        const eq = a.indexOf('=');
        if (eq <= 0) continue;
        const value = a.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2');
        reportEnv(cmd.line, a.slice(0, eq), value, '');
      }
      const name = commandName(cmd);
      let hit: string | undefined;
      let instead = CA_ADVICE;
      if (name === 'curl') {
        hit = curlInsecure(cmd.args);
        instead = `remove it and trust the server's CA (curl --cacert ca.crt, or ${CA_ADVICE})`;
      } else if (name === 'wget') {
        hit = wgetInsecure(cmd.args);
        instead = `remove it and trust the server's CA (wget --ca-certificate=ca.crt, or ${CA_ADVICE})`;
      } else if (PIP_LIKE.test(name)) {
        hit = pipTrustedHost(cmd);
        instead = `remove it and give pip the CA bundle (pip --cert ca.pem / PIP_CERT), or ${CA_ADVICE}`;
      } else if (name === 'npm' || name === 'yarn' || name === 'pnpm') {
        hit = npmStrictSslOff(cmd);
        instead = `keep strict-ssl on and set the CA (${name} config set cafile /path/ca.pem, or NODE_EXTRA_CA_CERTS)`;
      } else if (name === 'git') {
        hit = gitSslVerifyOff(cmd.args);
        instead = `keep verification on and set the CA (git config --global http.sslCAInfo /path/ca.pem), or ${CA_ADVICE}`;
      } else if (packageManager(name) === 'apt-get' || packageManager(name) === 'apt') {
        hit = aptVerifyOff(cmd.args);
        instead = `remove it and ${CA_ADVICE}`;
      }
      if (hit) report({ line: cmd.line, message: `${name} ${hit} disables TLS certificate verification: ${instead}` });
    }
  }
});
