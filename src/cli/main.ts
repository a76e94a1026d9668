import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { apiKeyCommands } from './api-key.js';
import type { CliDeps } from './args.js';
import { makeClient, type Client } from './client.js';
import { deliveriesCommand, deliveryCommand, recoverCommand, retryCommand, tailCommand } from './deliveries.js';
import { endpointCommands } from './endpoint.js';
import { entityCommands } from './entity.js';
import { addExamples } from './help-examples.js';
import { messageCommand } from './message.js';
import { messagesCommand } from './messages.js';
import { makeOutput, reportError } from './output.js';
import { publishCommand } from './publish.js';
import { rekeyCommand } from './rekey.js';
import { migrateCommand, serveCommand } from './serve.js';
import { subscriptionCommands } from './subscription.js';
import { topicCommands } from './topic.js';

/** The `herald` command: the server itself (serve, migrate) and an API client for operators and scripts. */
export function buildProgram(): Command {
  let client: Client | null = null;
  const deps: CliDeps = {
    client: () => (client ??= makeClient()),
    output: (cmd) => makeOutput(Boolean(cmd.optsWithGlobals().json)),
  };
  const program = new Command('herald')
    .description('Herald webhook notifications. API commands use HERALD_URL (default http://localhost:8080) and HERALD_TOKEN (else ./data/admin-token).')
    .version(`herald ${packageVersion()}`, '-V, --version', 'print the version')
    .option('--json', "print the API's JSON instead of tables (errors too, on stdout)")
    .showHelpAfterError()
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ herald deliveries --failed                 what is failing now',
        '  $ herald tail --endpoint ep_01H...           follow deliveries live',
        '  $ herald --json deliveries --since 2h | jq   the same facts for scripts',
        '  $ HERALD_URL=https://herald.internal herald endpoint list',
        '',
        'Exit codes: 0 ok, 1 the API refused (the message and each field are printed) or a bad command line, 2 Herald unreachable.',
      ].join('\n'),
    );
  for (const cmd of [
    serveCommand(),
    migrateCommand(),
    rekeyCommand(),
    endpointCommands(deps),
    subscriptionCommands(deps),
    topicCommands(deps),
    publishCommand(deps),
    messageCommand(deps),
    deliveriesCommand(deps),
    messagesCommand(deps),
    deliveryCommand(deps),
    retryCommand(deps),
    recoverCommand(deps),
    tailCommand(deps),
    entityCommands(deps),
    apiKeyCommands(deps),
  ]) {
    program.addCommand(cmd);
  }
  addExamples(program);
  return program;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** `--json` anywhere before `--`: known before commander has parsed, so even a bad command line answers in JSON. */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** Every command and subcommand: commander throws instead of exiting, and with --json keeps its text off stderr. */
function configure(cmd: Command, json: boolean): void {
  cmd.exitOverride();
  if (json) cmd.configureOutput({ outputError: () => {} });
  for (const sub of cmd.commands) configure(sub, json);
}

export async function runCli(argv: string[] = process.argv): Promise<number> {
  const json = wantsJson(argv);
  const program = buildProgram();
  configure(program, json);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end this way with exit code 0.
      if (e.exitCode === 0) return 0;
      if (json) process.stdout.write(`${JSON.stringify({ error: { code: 'usage', message: e.message.replace(/^error: /, '') } }, null, 2)}\n`);
      return e.exitCode;
    }
    return reportError(e, json);
  }
}

// `herald deliveries | head -1`: the reader has all it wants; stop quietly, as `ls | head` does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

const code = await runCli();
if (code !== 0) process.exitCode = code;
