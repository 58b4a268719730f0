#!/usr/bin/env node
/**
 * @module cli/main
 * The `signalbox` command. `start` runs the server in the foreground until SIGINT/SIGTERM,
 * which finish the requests in flight and close the store before the process exits.
 */
import { parseArgs } from 'node:util';
import { loadConfig, type StartFlags } from '../config/load.js';
import { SignalboxError } from '../core/errors.js';
import { startSignalbox, VERSION } from '../server/app.js';

const USAGE = `Usage: signalbox <command> [options]

Commands:
  start     run the server in the foreground

Options for start (each also as an environment variable):
  --host HOST          address to listen on (SIGNALBOX_HOST, default 127.0.0.1)
  --port PORT          port for every service (SIGNALBOX_PORT, default 4566)
  --data-dir DIR       where state is kept (SIGNALBOX_DATA_DIR, default ./.signalbox)
  --public-url URL     base of the URLs Signalbox hands out (SIGNALBOX_PUBLIC_URL,
                       default the listening address)
  --config FILE        JSON config file: keys, smtp, … (SIGNALBOX_CONFIG)
  --log-level LEVEL    trace|debug|info|warn|error|fatal|silent (SIGNALBOX_LOG_LEVEL)
  --allow-insecure-bind  listen beyond loopback although only the default key exists

  signalbox --version | --help
`;

function usage(message?: string): never {
  if (message) process.stderr.write(`signalbox: ${message}\n\n`);
  (message ? process.stderr : process.stdout).write(USAGE);
  process.exit(message ? 2 : 0);
}

async function start(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'public-url': { type: 'string' },
        config: { type: 'string' },
        'log-level': { type: 'string' },
        'allow-insecure-bind': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help) usage();
  const flags: StartFlags = {
    host: values.host as string | undefined,
    port: values.port as string | undefined,
    dataDir: values['data-dir'] as string | undefined,
    publicUrl: values['public-url'] as string | undefined,
    config: values.config as string | undefined,
    logLevel: values['log-level'] as string | undefined,
    allowInsecureBind: values['allow-insecure-bind'] as boolean | undefined,
  };
  const config = loadConfig(flags, process.env);
  const sbx = await startSignalbox(config);

  const key = sbx.config.keys[0];
  const secretShown = sbx.config.onlyDefaultKey ? key.secretAccessKey : '(as configured)';
  process.stdout.write(
    `Signalbox ${VERSION} ready on ${sbx.url} (listening on ${sbx.address.host}:${sbx.address.port}, data in ${sbx.config.dataDir})\n` +
      `  export AWS_ENDPOINT_URL=${sbx.url}\n` +
      `  export AWS_ACCESS_KEY_ID=${key.accessKeyId} AWS_SECRET_ACCESS_KEY=${secretShown} AWS_DEFAULT_REGION=${sbx.config.region}\n` +
      `  try: aws --endpoint-url ${sbx.url} ssm put-parameter --name /hello --value world --type String\n`,
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    sbx.log.info({ signal }, 'stopping: finishing requests in flight');
    sbx.stop().then(
      () => process.exit(0),
      (e) => {
        sbx.log.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return start(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      usage();
    default:
      usage(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof SignalboxError) {
    process.stderr.write(`signalbox: ${e.message}\n`);
    process.exit(e.code === 'ERR_CONFIG' || e.code === 'ERR_CONFIG_FILE' || e.code === 'ERR_USAGE' || e.code === 'ERR_INSECURE_BIND' ? 2 : 1);
  }
  if ((e as NodeJS.ErrnoException)?.code === 'EADDRINUSE') {
    process.stderr.write(`signalbox: the address is already in use: ${(e as Error).message}\n`);
    process.exit(1);
  }
  process.stderr.write(`signalbox: ${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
